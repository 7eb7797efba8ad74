-- Grants and outreach (issue 5 §5, 政策找人 / 免申即享): who has applied for or receives a scheme,
-- and which advisor is asked to visit someone who qualifies but has neither. A person has at most
-- one open grant and one open outreach task per scheme. Every key includes district_code.
CREATE TABLE entitlements.grant_record (
  district_code text NOT NULL,
  id            uuid NOT NULL,
  person_id     uuid NOT NULL,
  region_code   text NOT NULL,
  scheme        text NOT NULL,
  status        text NOT NULL CHECK (status IN ('applied', 'granted', 'refused', 'stopped')),
  channel       text NOT NULL CHECK (channel IN ('application', 'no_application')),  -- no_application = 免申即享
  applied_on    date,
  granted_from  date,
  stopped_on    date,
  reason        text,                                                     -- why refused or stopped
  basis         jsonb NOT NULL DEFAULT '{}'::jsonb,                       -- the decision it was granted on (amount, band, tier, parameter version)
  created_by    uuid,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  version       integer NOT NULL DEFAULT 1,
  PRIMARY KEY (district_code, id),
  CHECK (status <> 'granted' OR granted_from IS NOT NULL)
);
CREATE UNIQUE INDEX grant_open_uq ON entitlements.grant_record (district_code, person_id, scheme) WHERE status IN ('applied', 'granted');
CREATE INDEX grant_person_idx ON entitlements.grant_record (person_id, scheme);

CREATE TABLE entitlements.outreach (
  district_code text NOT NULL,
  id            uuid NOT NULL,
  person_id     uuid NOT NULL,
  region_code   text NOT NULL,
  scheme        text NOT NULL,
  advisor_id    uuid NOT NULL,
  status        text NOT NULL CHECK (status IN ('assigned', 'done', 'cancelled')),
  note          text,
  created_by    uuid,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (district_code, id)
);
CREATE UNIQUE INDEX outreach_open_uq ON entitlements.outreach (district_code, person_id, scheme) WHERE status = 'assigned';
CREATE INDEX outreach_advisor_idx ON entitlements.outreach (advisor_id, status);

ALTER TABLE entitlements.grant_record ENABLE ROW LEVEL SECURITY;
ALTER TABLE entitlements.outreach ENABLE ROW LEVEL SECURITY;
CREATE POLICY grant_scope ON entitlements.grant_record USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY outreach_scope ON entitlements.outreach USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
GRANT SELECT, INSERT, UPDATE ON entitlements.grant_record, entitlements.outreach TO yiyang_app;
