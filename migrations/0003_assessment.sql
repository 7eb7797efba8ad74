-- Assessment workflow (issue 4 §2): designated agencies, assessors, applications and the
-- idempotency record of offline answer syncs. Every table holding person or place data carries
-- district_code, and every primary/unique key includes it (distribution column under Citus).
-- PostgreSQL 15 features only.
CREATE SCHEMA IF NOT EXISTS assessment;

-- 定点评估机构: designated assessment agencies of a district, with their own deadlines.
CREATE TABLE assessment.agency (
  district_code        text NOT NULL,
  id                   uuid NOT NULL,
  code                 text NOT NULL,                 -- stable code from policy data
  name                 text NOT NULL,
  region_code          text NOT NULL,                 -- the service region (district or street)
  days_to_visit        integer CHECK (days_to_visit > 0),    -- NULL: the default parameter
  days_to_result       integer CHECK (days_to_result > 0),
  active               boolean NOT NULL DEFAULT true,
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, id),
  UNIQUE (district_code, code)
);

-- 评估员: a platform user working for an agency.
CREATE TABLE assessment.assessor (
  district_code text NOT NULL,
  user_id       uuid NOT NULL,
  agency_id     uuid NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, user_id)
);
CREATE INDEX assessor_user_idx ON assessment.assessor (user_id);

CREATE TABLE assessment.application (
  district_code      text NOT NULL,
  id                 uuid NOT NULL,
  person_id          uuid NOT NULL,
  region_code        text NOT NULL,                   -- the person's residence region when applying
  reason             text NOT NULL CHECK (reason IN ('first', 'routine', 'change', 'review', 'other')),
  channel            text NOT NULL CHECK (channel IN ('online', 'centre')),
  applicant          text NOT NULL CHECK (applicant IN ('self', 'family', 'advisor')),
  state              text NOT NULL CHECK (state IN ('applied', 'assigned', 'in_progress', 'submitted', 'completed', 'rejected', 'cancelled')),
  state_reasons      jsonb NOT NULL DEFAULT '[]'::jsonb, -- why rejected / cancelled, in Chinese
  applied_on         date NOT NULL,
  agency_id          uuid,
  assessor1_id       uuid,
  assessor2_id       uuid,
  answers            jsonb NOT NULL DEFAULT '{}'::jsonb,
  coma               boolean,
  diagnoses          jsonb NOT NULL DEFAULT '[]'::jsonb,
  risk_events_30d    jsonb,                           -- a count, or counts per event type
  instrument_id      text,
  instrument_version text,
  result             jsonb,
  level              integer,
  valid_from         date,
  valid_until        date,                            -- last day the result is valid
  signed_document    jsonb,
  review_of          uuid,                            -- the original application, for a 复核 on appeal
  expected_visit_by  date,
  expected_result_by date,
  assigned_at        timestamptz,
  started_at         timestamptz,
  submitted_at       timestamptz,
  completed_at       timestamptz,
  version            integer NOT NULL DEFAULT 1,
  created_by         uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, id)
);
CREATE INDEX application_id_idx ON assessment.application (id);
CREATE INDEX application_person_idx ON assessment.application (person_id);
CREATE INDEX application_region_idx ON assessment.application (region_code text_pattern_ops, id);
CREATE INDEX application_state_idx ON assessment.application (state, district_code);
CREATE INDEX application_valid_until_idx ON assessment.application (valid_until) WHERE state = 'completed';

-- Offline answer syncs: a client-made op id is applied once (re-sent batches change nothing).
CREATE TABLE assessment.answer_op (
  district_code  text NOT NULL,
  application_id uuid NOT NULL,
  client_op_id   uuid NOT NULL,
  actor_id       uuid,
  applied_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, application_id, client_op_id)
);

-- Row-level security: the second wall behind the store's scope filter.
ALTER TABLE assessment.agency ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment.assessor ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment.application ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment.answer_op ENABLE ROW LEVEL SECURITY;

-- Agencies and assessors serve a whole district: visible to callers scoped to the district,
-- above it (city) or inside it (a street office).
CREATE FUNCTION assessment.district_visible(district text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT people.in_scope(district)
      OR (coalesce(current_setting('yiyang.scope', true), '') NOT IN ('', '*')
          AND current_setting('yiyang.scope', true) LIKE district || '%')
$$;
CREATE POLICY agency_scope ON assessment.agency USING (assessment.district_visible(district_code)) WITH CHECK (people.in_scope(district_code));
CREATE POLICY assessor_scope ON assessment.assessor USING (assessment.district_visible(district_code)) WITH CHECK (people.in_scope(district_code));
CREATE POLICY application_scope ON assessment.application USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY answer_op_scope ON assessment.answer_op
  USING (EXISTS (SELECT 1 FROM assessment.application a WHERE a.id = application_id AND a.district_code = answer_op.district_code))
  WITH CHECK (EXISTS (SELECT 1 FROM assessment.application a WHERE a.id = application_id AND a.district_code = answer_op.district_code));

GRANT USAGE ON SCHEMA assessment TO yiyang_app;
GRANT EXECUTE ON FUNCTION assessment.district_visible(text) TO yiyang_app;
GRANT SELECT, INSERT, UPDATE ON assessment.agency, assessment.assessor, assessment.application, assessment.answer_op TO yiyang_app;
