-- Entitlements as decided for each person (issue 5 §3): one row per person with every scheme's
-- decision, the day it was decided for, the parameter version it came from and the next day
-- something may change (a birthday, a care grade's expiry) — recomputed on events through the
-- outbox, on that day, and when the parameters change. Every key includes district_code.
-- PostgreSQL 15 features only.
CREATE SCHEMA entitlements;

CREATE TABLE entitlements.person_entitlement (
  district_code     text NOT NULL,             -- the person's residence district
  person_id         uuid NOT NULL,
  region_code       text NOT NULL,             -- the person's most specific residence region (scope, street lists)
  as_of             date NOT NULL,             -- the day the decisions are for
  due_on            date,                      -- the next day a decision may change; NULL = only on events
  parameter_version text NOT NULL,
  allowance_fen     integer NOT NULL CHECK (allowance_fen >= 0),
  allowance_band    text,
  ltci_hours        numeric NOT NULL CHECK (ltci_hours >= 0),
  subsidy_fen       integer NOT NULL CHECK (subsidy_fen >= 0),
  bed_tier          integer,
  flags             text[] NOT NULL DEFAULT '{}',
  decisions         jsonb NOT NULL,            -- every scheme's decision as the rules returned it
  cause             text NOT NULL,             -- the event topic, 'parameters', 'due' or 'manual'
  decided_at        timestamptz NOT NULL,
  PRIMARY KEY (district_code, person_id)
);
CREATE UNIQUE INDEX person_entitlement_person_uq ON entitlements.person_entitlement (person_id, district_code);
CREATE INDEX person_entitlement_due_idx ON entitlements.person_entitlement (due_on);
CREATE INDEX person_entitlement_region_idx ON entitlements.person_entitlement (region_code text_pattern_ops);

ALTER TABLE entitlements.person_entitlement ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_entitlement_scope ON entitlements.person_entitlement USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));

GRANT USAGE ON SCHEMA entitlements TO yiyang_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON entitlements.person_entitlement TO yiyang_app;
