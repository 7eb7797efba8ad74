-- The waiting list for basic-guarantee beds (保基本床位轮候, issue 7): applications with ranked
-- facility choices (or "any within N km"), their history, allocation runs with the input they
-- were computed on (so a run can be replayed and audited), and the offers a run makes.
--
-- Scope: an application belongs to the applicant's region (region_code). An offer concerns the
-- applicant and a facility that may be in another district (cross-district placement, seed 003),
-- so its rows are visible in either region. Runs are jurisdiction-wide: their input holds
-- application ids, tiers, districts, times and choices, never names or ID numbers.
CREATE SCHEMA IF NOT EXISTS waitlist;
GRANT USAGE ON SCHEMA waitlist TO yiyang_app;

CREATE TABLE waitlist.application (
  id            uuid PRIMARY KEY,
  person_id     uuid NOT NULL,
  region_code   text NOT NULL,                 -- the applicant's street (or district) when applying
  district_code text NOT NULL,                 -- 就近: the district the priority compares with the facility's
  status        text NOT NULL CHECK (status IN ('active', 'paused', 'offered', 'admitted', 'withdrawn', 'removed')),
  mode          text NOT NULL CHECK (mode IN ('choices', 'radius')),
  choices       uuid[] NOT NULL DEFAULT '{}',  -- ranked facility ids (mode 'choices')
  radius_m      integer,                       -- mode 'radius': any basic-guarantee facility within this distance …
  origin_lon    double precision,              -- … of this point, nearest first
  origin_lat    double precision,
  origin_label  text,
  tier          integer,                       -- the priority tier when last checked (entitlements' basicBed decision)
  tier_label    text,
  priority_at   timestamptz NOT NULL,          -- the application time the queue orders by (reset when priority is lost)
  declines      integer NOT NULL DEFAULT 0,
  passed_over   uuid[] NOT NULL DEFAULT '{}',  -- facilities whose offer the applicant declined or let expire: not offered again
  paused_until  date,
  note          text,
  created_by    uuid,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
-- One open application per person.
CREATE UNIQUE INDEX application_open_uq ON waitlist.application (person_id) WHERE status IN ('active', 'paused', 'offered');
CREATE INDEX application_status_idx ON waitlist.application (status, priority_at);
CREATE INDEX application_region_idx ON waitlist.application (region_code);

CREATE TABLE waitlist.application_event (
  id             uuid PRIMARY KEY,
  application_id uuid NOT NULL REFERENCES waitlist.application (id),
  region_code    text NOT NULL,
  kind           text NOT NULL,
  summary        text NOT NULL,
  details        jsonb NOT NULL DEFAULT '{}'::jsonb,
  actor_id       uuid,
  actor_role     text,
  at             timestamptz NOT NULL
);
CREATE INDEX application_event_app_idx ON waitlist.application_event (application_id, at);

CREATE TABLE waitlist.run (
  id           uuid PRIMARY KEY,
  seq          bigint GENERATED ALWAYS AS IDENTITY,
  trigger      text NOT NULL CHECK (trigger IN ('manual', 'vacancy', 'schedule', 'simulation')),
  dry_run      boolean NOT NULL,
  started_by   uuid,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz NOT NULL,
  rule         jsonb NOT NULL,                 -- the priority rule and parameters in force
  input        jsonb NOT NULL,                 -- {facilities:[{id,district,capacity,beds}], applicants:[{id,district,tier,appliedAt,choices,points}]}
  result       jsonb NOT NULL,                 -- {assignments, unassigned}
  fairness     jsonb NOT NULL,                 -- the fairness report of this run
  summary      jsonb NOT NULL                  -- counts: applicants, facilities, places, offers, excluded
);
CREATE INDEX run_started_idx ON waitlist.run (started_at DESC);

CREATE TABLE waitlist.offer (
  id                   uuid PRIMARY KEY,
  run_id               uuid NOT NULL REFERENCES waitlist.run (id),
  application_id       uuid NOT NULL REFERENCES waitlist.application (id),
  person_id            uuid NOT NULL,
  region_code          text NOT NULL,          -- the applicant's
  facility_id          uuid NOT NULL,
  facility_region_code text NOT NULL,          -- the facility's
  bed_id               uuid NOT NULL,
  choice_rank          integer,                -- 1 = the applicant's first choice
  status               text NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'expired', 'cancelled')),
  made_at              timestamptz NOT NULL,
  deadline             timestamptz NOT NULL,
  decided_at           timestamptz,
  decided_by           uuid,
  reason               text
);
CREATE INDEX offer_application_idx ON waitlist.offer (application_id, made_at);
CREATE INDEX offer_open_idx ON waitlist.offer (status, deadline);
CREATE INDEX offer_facility_idx ON waitlist.offer (facility_id, made_at);
CREATE UNIQUE INDEX offer_open_bed_uq ON waitlist.offer (bed_id) WHERE status = 'open';

ALTER TABLE waitlist.application ENABLE ROW LEVEL SECURITY;
ALTER TABLE waitlist.application_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE waitlist.offer ENABLE ROW LEVEL SECURITY;
CREATE POLICY application_scope ON waitlist.application USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY application_event_scope ON waitlist.application_event USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY offer_scope ON waitlist.offer USING (people.in_scope(region_code) OR people.in_scope(facility_region_code))
  WITH CHECK (people.in_scope(region_code) OR people.in_scope(facility_region_code));
GRANT SELECT, INSERT, UPDATE ON waitlist.application, waitlist.offer TO yiyang_app;
GRANT SELECT, INSERT ON waitlist.application_event, waitlist.run TO yiyang_app;

-- Every message the platform sends to a person through its notifier (the default notifier
-- records them here; a deployment's SMS gateway adapter delivers them): staff can see what
-- was sent to whom and when. The phone number, when there is one, is masked.
CREATE TABLE platform.message (
  id            uuid PRIMARY KEY,
  person_id     uuid,
  district_code text NOT NULL,
  channel       text NOT NULL,                -- 'log' (recorded only), 'sms'
  to_mask       text,
  kind          text NOT NULL,
  title         text NOT NULL,
  body          text NOT NULL,
  status        text NOT NULL CHECK (status IN ('recorded', 'queued', 'sent', 'failed')),
  created_at    timestamptz NOT NULL
);
CREATE INDEX message_district_idx ON platform.message (district_code, created_at DESC);
CREATE INDEX message_person_idx ON platform.message (person_id, created_at DESC);
ALTER TABLE platform.message ENABLE ROW LEVEL SECURITY;
CREATE POLICY message_scope ON platform.message USING (people.in_scope(district_code)) WITH CHECK (people.in_scope(district_code));
GRANT SELECT, INSERT ON platform.message TO yiyang_app;
