-- Care delivery (issue 8): the citywide caregiver register and employment history, care plans
-- from the LTCI entitlement, the visit orders they produce, visits recorded on the caregiver's
-- phone (synced idempotently by client-made ids), the evidence from the elder's side (home tag,
-- the elder's phone, call-backs), anomaly flags, the family's ratings, hospital stays, and the
-- monthly LTCI claims with the insurer's review.
--
-- Scope: caregivers belong to their employer's region; plans, orders, visits and their children
-- to the person's region (region_code, a street's 9 digits or a district's 6); claims to the
-- provider's district. Location is stored only at check-in and check-out (caregivers' privacy).
CREATE SCHEMA IF NOT EXISTS care;
GRANT USAGE ON SCHEMA care TO yiyang_app;

CREATE TABLE care.caregiver (
  id                    uuid PRIMARY KEY,
  region_code           text NOT NULL,               -- the current employer's region (city-level staff see all)
  district_code         text NOT NULL,
  provider_id           uuid,                        -- current employer (null: not employed)
  user_id               uuid,                        -- the caregiver's own account (phone app)
  name                  text NOT NULL,
  gender                text NOT NULL CHECK (gender IN ('M', 'F')),
  birth_date            date NOT NULL,
  id_number_enc         text NOT NULL,               -- encrypted resident ID (platform field crypto)
  id_hash               text NOT NULL,               -- keyed hash: one record per person, citywide
  phone_enc             text,
  kind                  text NOT NULL CHECK (kind IN ('caregiver', 'nurse', 'health_aide')),
  skill_level           integer CHECK (skill_level BETWEEN 1 AND 5), -- 养老护理员 national levels: 5 初级 … 1 高级技师
  qualifications        text[] NOT NULL DEFAULT '{}',
  training_hours        integer NOT NULL DEFAULT 0,
  health_cert_valid_to  date,
  background_check      text NOT NULL DEFAULT 'pending' CHECK (background_check IN ('pending', 'passed', 'failed')),
  background_checked_on date,
  status                text NOT NULL CHECK (status IN ('active', 'suspended', 'left')),
  status_reason         text,
  shift_start           text NOT NULL DEFAULT '08:00', -- usual working hours (HH:MM, local)
  shift_end             text NOT NULL DEFAULT '17:00',
  home_lat              double precision,            -- where the day starts (for route planning), optional
  home_lon              double precision,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL
);
CREATE UNIQUE INDEX caregiver_id_hash_uq ON care.caregiver (id_hash);
CREATE UNIQUE INDEX caregiver_user_uq ON care.caregiver (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX caregiver_region_idx ON care.caregiver (region_code, status);
CREATE INDEX caregiver_provider_idx ON care.caregiver (provider_id);

CREATE TABLE care.employment (
  id          uuid PRIMARY KEY,
  caregiver_id uuid NOT NULL REFERENCES care.caregiver (id),
  provider_id uuid NOT NULL,
  region_code text NOT NULL,
  from_date   date NOT NULL,
  to_date     date,
  end_reason  text
);
CREATE INDEX employment_caregiver_idx ON care.employment (caregiver_id, from_date);

CREATE TABLE care.plan (
  id             uuid PRIMARY KEY,
  person_id      uuid NOT NULL,
  region_code    text NOT NULL,
  district_code  text NOT NULL,
  provider_id    uuid NOT NULL,
  status         text NOT NULL CHECK (status IN ('draft', 'confirmed', 'ended', 'cancelled')),
  care_grade     integer NOT NULL,
  weekly_minutes integer NOT NULL,                    -- the LTCI cap the plan was drafted against
  items          jsonb NOT NULL DEFAULT '[]'::jsonb,  -- [{code, name, kind}] from the LTCI item list
  slots          jsonb NOT NULL DEFAULT '[]'::jsonb,  -- recurring visits [{weekday 1–7, start 'HH:MM', minutes, kind}]
  valid_from     date NOT NULL,
  valid_to       date NOT NULL,
  note           text,
  drafted_by     uuid,
  confirmed_by   uuid,
  confirmed_at   timestamptz,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX plan_person_idx ON care.plan (person_id, status);
CREATE INDEX plan_provider_idx ON care.plan (provider_id, status);

CREATE TABLE care.visit_order (
  id            uuid PRIMARY KEY,
  person_id     uuid NOT NULL,
  region_code   text NOT NULL,
  district_code text NOT NULL,
  provider_id   uuid NOT NULL,
  plan_id       uuid REFERENCES care.plan (id),
  payer         text NOT NULL CHECK (payer IN ('ltci', 'self')),
  kind          text NOT NULL,                       -- 'care' | 'nursing' (LTCI price classes) or a self-paid service code
  items         text[] NOT NULL DEFAULT '{}',
  starts_at     timestamptz NOT NULL,                -- planned start
  minutes       integer NOT NULL CHECK (minutes > 0),
  price_fen_per_hour integer,                        -- self-paid services
  caregiver_id  uuid,
  status        text NOT NULL CHECK (status IN ('open', 'assigned', 'in_progress', 'done', 'cancelled', 'missed')),
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX visit_order_plan_slot_uq ON care.visit_order (plan_id, starts_at) WHERE plan_id IS NOT NULL;
CREATE INDEX visit_order_provider_day_idx ON care.visit_order (provider_id, starts_at);
CREATE INDEX visit_order_caregiver_day_idx ON care.visit_order (caregiver_id, starts_at);
CREATE INDEX visit_order_person_idx ON care.visit_order (person_id, starts_at);

CREATE TABLE care.visit (
  id                uuid PRIMARY KEY,                -- made by the phone (UUIDv7), so a retried sync cannot duplicate it
  order_id          uuid REFERENCES care.visit_order (id),
  person_id         uuid NOT NULL,
  region_code       text NOT NULL,
  district_code     text NOT NULL,
  provider_id       uuid NOT NULL,
  caregiver_id      uuid NOT NULL,
  payer             text NOT NULL,
  kind              text NOT NULL,
  device_id         text,
  status            text NOT NULL CHECK (status IN ('in_progress', 'done', 'cancelled')),
  check_in          timestamptz NOT NULL,
  check_out         timestamptz,
  check_in_lat      double precision,
  check_in_lon      double precision,
  check_in_accuracy double precision,
  check_out_lat     double precision,
  check_out_lon     double precision,
  check_out_accuracy double precision,
  mock_location     boolean NOT NULL DEFAULT false,
  check_in_location_status  text,                     -- why a position is missing, as the phone says: denied, unavailable, timeout, unsupported
  check_out_location_status text,
  home_proof        text CHECK (home_proof IN ('tag', 'elder_phone', 'card')),
  home_proof_valid  boolean NOT NULL DEFAULT false,
  items             text[] NOT NULL DEFAULT '{}',
  note              text,
  photo_count       integer NOT NULL DEFAULT 0,
  flags             jsonb NOT NULL DEFAULT '[]'::jsonb, -- anomaly flags [{code, weight, explanation, related}]
  anomaly_score     integer NOT NULL DEFAULT 0,
  flags_checked     boolean NOT NULL DEFAULT false,  -- false: written since its flags were last computed
  synced_at         timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX visit_person_idx ON care.visit (person_id, check_in);
CREATE INDEX visit_caregiver_idx ON care.visit (caregiver_id, check_in);
CREATE INDEX visit_provider_idx ON care.visit (provider_id, check_in);
CREATE INDEX visit_device_idx ON care.visit (device_id, check_in);
CREATE INDEX visit_unchecked_idx ON care.visit (synced_at) WHERE NOT flags_checked;

-- Each operation the phone sends is applied once: a retried sync finds its op here.
CREATE TABLE care.sync_op (
  id           uuid PRIMARY KEY,                      -- made by the phone
  caregiver_id uuid NOT NULL,
  visit_id     uuid NOT NULL,
  region_code  text NOT NULL,
  kind         text NOT NULL,
  result       jsonb NOT NULL,
  applied_at   timestamptz NOT NULL
);
CREATE INDEX sync_op_visit_idx ON care.sync_op (visit_id);

CREATE TABLE care.visit_photo (
  id          uuid PRIMARY KEY,
  visit_id    uuid NOT NULL REFERENCES care.visit (id),
  region_code text NOT NULL,
  mime        text NOT NULL,
  bytes       bytea NOT NULL,
  taken_at    timestamptz NOT NULL
);
CREATE INDEX visit_photo_visit_idx ON care.visit_photo (visit_id);

CREATE TABLE care.visit_rating (
  visit_id    uuid PRIMARY KEY REFERENCES care.visit (id),
  region_code text NOT NULL,
  stars       integer NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment     text,
  rated_by    uuid NOT NULL,
  rated_at    timestamptz NOT NULL
);

-- The random call-back sample: an officer or the insurer phones the elder and records the answer.
CREATE TABLE care.callback (
  id          uuid PRIMARY KEY,
  visit_id    uuid NOT NULL REFERENCES care.visit (id),
  region_code text NOT NULL,
  drawn_at    timestamptz NOT NULL,
  outcome     text CHECK (outcome IN ('confirmed', 'denied', 'unreached')),
  answer      text,
  called_by   uuid,
  called_at   timestamptz
);
CREATE UNIQUE INDEX callback_visit_uq ON care.callback (visit_id);

-- The tag that lives in the home (a printed QR whose code rotates each period, or NFC with the
-- same content) and the elder's own phone confirmation share one secret per person.
CREATE TABLE care.home_tag (
  person_id   uuid PRIMARY KEY,
  region_code text NOT NULL,
  secret_enc  text NOT NULL,
  issued_at   timestamptz NOT NULL
);

CREATE TABLE care.absence (
  id          uuid PRIMARY KEY,
  person_id   uuid NOT NULL,
  region_code text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('hospital')),
  from_date   date NOT NULL,
  to_date     date,
  source      text NOT NULL,
  recorded_by uuid,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX absence_person_idx ON care.absence (person_id, from_date);

CREATE TABLE care.claim (
  id            uuid PRIMARY KEY,
  provider_id   uuid NOT NULL,
  region_code   text NOT NULL,                        -- the provider's district
  month         text NOT NULL,                        -- YYYY-MM
  status        text NOT NULL CHECK (status IN ('submitted', 'in_review', 'decided', 'closed')),
  params        jsonb NOT NULL,                       -- the parameters the claim was priced with
  totals        jsonb NOT NULL,                       -- claimed / approved minutes and fen
  sample        jsonb NOT NULL,                       -- {seed, randomShare, scoreThreshold, risk, random}
  created_by    uuid,
  created_at    timestamptz NOT NULL,
  decided_by    uuid,
  decided_at    timestamptz
);
CREATE UNIQUE INDEX claim_provider_month_uq ON care.claim (provider_id, month);

CREATE TABLE care.claim_line (
  claim_id       uuid NOT NULL REFERENCES care.claim (id),
  visit_id       uuid NOT NULL,
  region_code    text NOT NULL,
  person_id      uuid NOT NULL,
  caregiver_id   uuid NOT NULL,
  kind           text NOT NULL,
  check_in       timestamptz NOT NULL,
  minutes        integer NOT NULL,
  status         text NOT NULL,                       -- the settlement: paid / partial / rejected
  reason         text,
  billed_minutes integer NOT NULL,
  amount_fen     integer NOT NULL,
  fund_fen       integer NOT NULL,
  copay_fen      integer NOT NULL,
  anomaly_score  integer NOT NULL,
  flags          jsonb NOT NULL,
  sample         text CHECK (sample IN ('risk', 'random')),
  decision       text CHECK (decision IN ('approved', 'rejected')),
  decision_reason text,
  decided_by     uuid,
  decided_at     timestamptz,
  appeal         text,
  appealed_at    timestamptz,
  appeal_decision text CHECK (appeal_decision IN ('upheld', 'overturned')),
  appeal_note    text,
  PRIMARY KEY (claim_id, visit_id)
);
CREATE UNIQUE INDEX claim_line_visit_uq ON care.claim_line (visit_id);

ALTER TABLE care.caregiver ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.employment ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.plan ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.visit_order ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.visit ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.sync_op ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.visit_photo ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.visit_rating ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.callback ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.home_tag ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.absence ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.claim ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.claim_line ENABLE ROW LEVEL SECURITY;
CREATE POLICY caregiver_scope ON care.caregiver USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY employment_scope ON care.employment USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY plan_scope ON care.plan USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY visit_order_scope ON care.visit_order USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY visit_scope ON care.visit USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY sync_op_scope ON care.sync_op USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY visit_photo_scope ON care.visit_photo USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY visit_rating_scope ON care.visit_rating USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY callback_scope ON care.callback USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY home_tag_scope ON care.home_tag USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY absence_scope ON care.absence USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY claim_scope ON care.claim USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY claim_line_scope ON care.claim_line USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
GRANT SELECT, INSERT, UPDATE ON care.caregiver, care.employment, care.plan, care.visit_order, care.visit, care.callback, care.home_tag, care.absence, care.claim, care.claim_line TO yiyang_app;
GRANT SELECT, INSERT ON care.sync_op, care.visit_photo TO yiyang_app;
GRANT SELECT, INSERT, UPDATE ON care.visit_rating TO yiyang_app;
