-- People register. Every table holding a person's data carries district_code, and every
-- primary/unique key includes it (distribution column under Citus).
CREATE SCHEMA IF NOT EXISTS people;

CREATE TABLE people.household (
  district_code text NOT NULL,
  id            uuid NOT NULL,
  region_code   text NOT NULL,
  address       text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, id)
);

CREATE TABLE people.person (
  district_code       text NOT NULL,             -- current residence district
  id                  uuid NOT NULL,
  region_code         text NOT NULL,             -- most specific residence region (committee, street or district)
  street_code         text,
  committee_code      text,
  name                text NOT NULL,
  id_doc_type         text NOT NULL DEFAULT 'resident_id',
  id_number_enc       text NOT NULL,             -- AES-256-GCM, base64 (iv|tag|ciphertext)
  id_number_hash      text NOT NULL,             -- HMAC-SHA256 blind index for exact look-up
  id_number_masked    text NOT NULL,             -- first 6 + last 4, for staff lists
  birth_date          date NOT NULL,
  sex                 text NOT NULL CHECK (sex IN ('M', 'F')),
  hukou_district_code text,
  address             text,
  lat                 double precision,
  lon                 double precision,
  insurance_type      text NOT NULL DEFAULT 'none',
  economic_status     text NOT NULL DEFAULT 'none',
  living_arrangement  text NOT NULL DEFAULT 'other',
  disability          text,
  phone_enc           text,
  contacts_enc        text,                      -- JSON of contacts, encrypted
  death_date          date,
  household_id        uuid,
  version             integer NOT NULL DEFAULT 1,
  -- Provenance of version 1, so bulk creation (import, demo) needs no history row per person:
  -- the history lists it as version 1.
  created_action      text NOT NULL DEFAULT 'create',  -- create | import | seed
  created_by          uuid,
  created_by_name     text,
  created_reason      text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz,
  deleted_reason      text,
  PRIMARY KEY (district_code, id)
);
CREATE UNIQUE INDEX person_id_number_uq ON people.person (district_code, id_number_hash);
CREATE INDEX person_hash_idx ON people.person (id_number_hash);
CREATE INDEX person_id_idx ON people.person (id);
CREATE INDEX person_region_idx ON people.person (region_code text_pattern_ops, id);
CREATE INDEX person_name_idx ON people.person (name text_pattern_ops);

CREATE TABLE people.person_history (
  district_code text NOT NULL,
  person_id     uuid NOT NULL,
  version       integer NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_id      uuid,
  actor_name    text,
  action        text NOT NULL,                   -- create | update | delete | import
  changes       jsonb NOT NULL,                  -- [{field, from, to}], personal values masked
  reason        text,
  PRIMARY KEY (district_code, person_id, version)
);

CREATE TABLE people.consent (
  district_code text NOT NULL,
  id            uuid NOT NULL,
  person_id     uuid NOT NULL,
  kind          text NOT NULL,                   -- e.g. data_sharing, safety_monitoring
  granted       boolean NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  recorded_by   uuid,
  PRIMARY KEY (district_code, id)
);
CREATE INDEX consent_person_idx ON people.consent (person_id);

CREATE TABLE people.import_batch (
  id            uuid PRIMARY KEY,
  file_name     text NOT NULL,
  file_sha256   text NOT NULL,
  actor_id      uuid,
  scope_code    text NOT NULL,
  total         integer NOT NULL,
  created       integer NOT NULL,
  updated       integer NOT NULL,
  unchanged     integer NOT NULL,
  rejected      integer NOT NULL,
  at            timestamptz NOT NULL DEFAULT now()
);

-- Row-level security: the second wall behind the store's scope filter. The application
-- switches to yiyang_app and sets yiyang.scope to the caller's region prefix ('*' = all).
ALTER TABLE people.person ENABLE ROW LEVEL SECURITY;
ALTER TABLE people.person_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE people.consent ENABLE ROW LEVEL SECURITY;
ALTER TABLE people.household ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION people.in_scope(region text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT CASE coalesce(current_setting('yiyang.scope', true), '')
           WHEN '' THEN false
           WHEN '*' THEN true
           ELSE region LIKE current_setting('yiyang.scope', true) || '%'
         END
$$;

CREATE POLICY person_scope ON people.person USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY household_scope ON people.household USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY history_scope ON people.person_history
  USING (EXISTS (SELECT 1 FROM people.person p WHERE p.id = person_id AND p.district_code = person_history.district_code))
  WITH CHECK (EXISTS (SELECT 1 FROM people.person p WHERE p.id = person_id AND p.district_code = person_history.district_code));
CREATE POLICY consent_scope ON people.consent
  USING (EXISTS (SELECT 1 FROM people.person p WHERE p.id = person_id AND p.district_code = consent.district_code))
  WITH CHECK (EXISTS (SELECT 1 FROM people.person p WHERE p.id = person_id AND p.district_code = consent.district_code));

GRANT USAGE ON SCHEMA people TO yiyang_app;
GRANT SELECT, INSERT, UPDATE ON people.person, people.person_history, people.consent, people.household, people.import_batch TO yiyang_app;
