-- Shanghai care grade 0–6 (照护等级, issue 4 item 1; shared/domain/assessment.md §2, §2.1): a
-- separate result recorded from a designated agency's signed record, never derived from GB/T
-- 42195. A person's grades are history: rows are never overwritten; a newer grade names the one
-- it supersedes. Every key includes district_code (distribution column under Citus).
-- PostgreSQL 15 features only.

-- The public keys the platform trusts for agencies' signed grade records. A deployment registers
-- its agencies' real keys here (or lists them in policy/assessment/care-grade.json); the demo
-- generates a key pair per demo agency at seed time and stores only the public key here.
CREATE TABLE assessment.agency_key (
  district_code text NOT NULL,                 -- the agency's district
  key_id        text NOT NULL,
  agency_code   text NOT NULL,                 -- the agency the key signs for (assessment.agency.code)
  public_key    text NOT NULL,                 -- base64 DER SPKI Ed25519
  active        boolean NOT NULL DEFAULT true,
  source        text NOT NULL CHECK (source IN ('config', 'demo')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, key_id)
);
CREATE UNIQUE INDEX agency_key_id_idx ON assessment.agency_key (key_id, district_code);

CREATE TABLE assessment.care_grade (
  district_code text NOT NULL,
  id            uuid NOT NULL,
  person_id     uuid NOT NULL,
  region_code   text NOT NULL,                 -- the person's residence region when imported
  grade         integer CHECK (grade BETWEEN 0 AND 6),
  outcome       text NOT NULL CHECK (outcome IN ('grade', 'medical_referral')),
  agency_code   text NOT NULL,
  assessed_on   date NOT NULL,
  valid_from    date NOT NULL,
  valid_until   date NOT NULL,                 -- last valid day, as signed by the agency
  valid_to      date GENERATED ALWAYS AS (valid_until + 1) STORED, -- half-open end [valid_from, valid_to)
  source        text NOT NULL CHECK (source IN ('api', 'file')),
  record        jsonb NOT NULL,                -- the signed record as received (no ID number in it)
  record_hash   text NOT NULL,                 -- SHA-256 of the signed canonical JSON + key id: idempotency
  key_id        text NOT NULL,
  imported_by   uuid,
  imported_at   timestamptz NOT NULL DEFAULT now(),
  superseded_by uuid,                          -- the next grade of the person (history, never overwritten)
  PRIMARY KEY (district_code, id),
  UNIQUE (district_code, record_hash),
  CHECK ((outcome = 'grade') = (grade IS NOT NULL)),
  CHECK (valid_until >= valid_from)
);
CREATE INDEX care_grade_person_idx ON assessment.care_grade (person_id, valid_from);
CREATE INDEX care_grade_region_idx ON assessment.care_grade (region_code text_pattern_ops, id);

ALTER TABLE assessment.agency_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment.care_grade ENABLE ROW LEVEL SECURITY;
-- Keys are public material of a district's agencies: visible like the agencies themselves
-- (any caller scoped to the district, above or inside it), written only in scope.
CREATE POLICY agency_key_scope ON assessment.agency_key USING (assessment.district_visible(district_code)) WITH CHECK (people.in_scope(district_code));
CREATE POLICY care_grade_scope ON assessment.care_grade USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));

GRANT SELECT, INSERT, UPDATE ON assessment.agency_key, assessment.care_grade TO yiyang_app;
