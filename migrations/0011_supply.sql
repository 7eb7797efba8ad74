-- The service supply registry (issue 6 §1): providers (legal entities with their 统一社会信用代码
-- and filing status), facilities of every type with location, functions, prices and contact,
-- rooms and beds with status and history, the change log officers review, and the reference
-- population the planning ratios divide by. Rows carry region_code (a street's 9-digit code, or a
-- district's 6 digits) and are scoped by row-level security like the register.
CREATE SCHEMA IF NOT EXISTS supply;
GRANT USAGE ON SCHEMA supply TO yiyang_app;

CREATE TABLE supply.provider (
  id                   uuid PRIMARY KEY,
  region_code          text NOT NULL,               -- where it is registered (district)
  name                 text NOT NULL,
  uscc                 text NOT NULL,               -- 统一社会信用代码, checked (GB 32100-2015)
  legal_representative text NOT NULL,
  kind                 text NOT NULL,               -- legal form: enterprise, social_org, public_institution, …
  phone                text NOT NULL,
  licences             jsonb NOT NULL DEFAULT '[]'::jsonb,
  filing_status        text NOT NULL CHECK (filing_status IN ('draft', 'submitted', 'approved', 'rejected')),
  review_note          text,
  reviewed_by          uuid,
  reviewed_at          timestamptz,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL
);
CREATE UNIQUE INDEX provider_uscc_uq ON supply.provider (uscc);
CREATE INDEX provider_region_idx ON supply.provider (region_code);

-- The provider's staff accounts (role 'provider'): each account acts for one provider.
CREATE TABLE supply.provider_user (
  user_id     uuid PRIMARY KEY,
  provider_id uuid NOT NULL REFERENCES supply.provider (id)
);

CREATE TABLE supply.facility (
  id                   uuid PRIMARY KEY,
  provider_id          uuid NOT NULL REFERENCES supply.provider (id),
  region_code          text NOT NULL,               -- street (9 digits) where known, else district
  district_code        text NOT NULL,
  name                 text NOT NULL,
  type_code            text NOT NULL,
  ownership            text NOT NULL CHECK (ownership IN ('public', 'public_private', 'inclusive', 'market')),
  basic_guarantee      boolean NOT NULL DEFAULT false,
  address              text NOT NULL,
  lon                  double precision NOT NULL,
  lat                  double precision NOT NULL,
  floor_area_m2        numeric(10, 1) NOT NULL DEFAULT 0,
  opening_hours        text NOT NULL DEFAULT '',
  description          text NOT NULL DEFAULT '',
  functions            text[] NOT NULL DEFAULT '{}',
  prices               jsonb NOT NULL DEFAULT '[]'::jsonb,
  photos               jsonb NOT NULL DEFAULT '[]'::jsonb,
  phone                text NOT NULL DEFAULT '',
  meal_capacity        integer NOT NULL DEFAULT 0,  -- meals per day (助餐供餐能力)
  opened_on            date,
  status               text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'closed')),
  review_note          text,
  reviewed_by          uuid,
  reviewed_at          timestamptz,
  rating               jsonb,                       -- star rating and its date (supervision fills it; placeholder until then)
  beds_total           integer NOT NULL DEFAULT 0,  -- kept by the bed writes: in service (not out of service)
  beds_vacant          integer NOT NULL DEFAULT 0,
  vacancy              jsonb NOT NULL DEFAULT '{}'::jsonb,  -- per kind {total, vacant}, basicVacant, occupied, reserved
  vacancy_confirmed_at timestamptz,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL
);
CREATE INDEX facility_region_idx ON supply.facility (region_code);
CREATE INDEX facility_provider_idx ON supply.facility (provider_id);
CREATE INDEX facility_status_idx ON supply.facility (status, updated_at);

CREATE TABLE supply.room (
  id          uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES supply.facility (id),
  region_code text NOT NULL,
  name        text NOT NULL,
  floor       integer,
  created_at  timestamptz NOT NULL
);
CREATE INDEX room_facility_idx ON supply.room (facility_id);

CREATE TABLE supply.bed (
  id              uuid PRIMARY KEY,
  facility_id     uuid NOT NULL REFERENCES supply.facility (id),
  room_id         uuid REFERENCES supply.room (id),
  region_code     text NOT NULL,
  label           text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('general', 'nursing', 'cognitive')),
  basic_guarantee boolean NOT NULL DEFAULT false,
  status          text NOT NULL CHECK (status IN ('vacant', 'occupied', 'reserved', 'out_of_service')),
  status_since    timestamptz NOT NULL,
  created_at      timestamptz NOT NULL
);
CREATE INDEX bed_facility_idx ON supply.bed (facility_id, label);

-- Every status change of a bed: its history.
CREATE TABLE supply.bed_event (
  id          uuid PRIMARY KEY,
  bed_id      uuid NOT NULL,
  facility_id uuid NOT NULL,
  region_code text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  note        text,
  actor_id    uuid,
  at          timestamptz NOT NULL
);
CREATE INDEX bed_event_bed_idx ON supply.bed_event (bed_id, at);
CREATE INDEX bed_event_facility_idx ON supply.bed_event (facility_id, at);

-- What changed in the registry, for the officers who oversee it (the audit log holds the same
-- with the actor; this is the readable feed).
CREATE TABLE supply.change (
  id          uuid PRIMARY KEY,
  provider_id uuid,
  facility_id uuid,
  region_code text NOT NULL,
  kind        text NOT NULL,
  summary     text NOT NULL,
  diff        jsonb NOT NULL DEFAULT '{}'::jsonb,
  actor_id    uuid,
  actor_role  text,
  at          timestamptz NOT NULL
);
CREATE INDEX change_region_idx ON supply.change (region_code, at);
CREATE INDEX change_facility_idx ON supply.change (facility_id, at);

-- Official population per region and year (户籍 60+ / 65+, 常住 total): the denominators of the
-- planning ratios (shared/domain/indicators.md: reference data, not counted from the register).
CREATE TABLE supply.population_reference (
  region_code   text NOT NULL,
  year          integer NOT NULL,
  registered_60 integer NOT NULL CHECK (registered_60 >= 0),
  registered_65 integer NOT NULL CHECK (registered_65 >= 0),
  resident      integer NOT NULL CHECK (resident >= 0),
  source        text NOT NULL,
  PRIMARY KEY (region_code, year)
);

ALTER TABLE supply.provider ENABLE ROW LEVEL SECURITY;
ALTER TABLE supply.facility ENABLE ROW LEVEL SECURITY;
ALTER TABLE supply.room ENABLE ROW LEVEL SECURITY;
ALTER TABLE supply.bed ENABLE ROW LEVEL SECURITY;
ALTER TABLE supply.bed_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE supply.change ENABLE ROW LEVEL SECURITY;
CREATE POLICY provider_scope ON supply.provider USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY facility_scope ON supply.facility USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY room_scope ON supply.room USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY bed_scope ON supply.bed USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY bed_event_scope ON supply.bed_event USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY change_scope ON supply.change USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
GRANT SELECT, INSERT, UPDATE ON supply.provider, supply.facility, supply.room, supply.bed TO yiyang_app;
GRANT SELECT, INSERT, UPDATE ON supply.provider_user TO yiyang_app;
GRANT SELECT, INSERT ON supply.bed_event, supply.change TO yiyang_app;
GRANT SELECT, INSERT, UPDATE ON supply.population_reference TO yiyang_app;
