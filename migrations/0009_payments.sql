-- The monthly payment run (issue 5 §4): one batch per scheme, district and month; its lines are
-- this month's payments, arrears (补发) and recoveries (追回), in integer fen. A month already paid
-- by another batch is not paid again; a payment the bank returns is paid again by a later run.
CREATE TABLE entitlements.payment_batch (
  district_code     text NOT NULL,
  id                uuid NOT NULL,
  scheme            text NOT NULL,
  month             text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  status            text NOT NULL CHECK (status IN ('draft', 'approved', 'exported', 'reconciled')),
  parameter_version text NOT NULL,
  rules             jsonb NOT NULL,
  people            integer NOT NULL DEFAULT 0,
  lines             integer NOT NULL DEFAULT 0,
  regular_fen       bigint NOT NULL DEFAULT 0,
  arrears_fen       bigint NOT NULL DEFAULT 0,
  recovery_fen      bigint NOT NULL DEFAULT 0,
  net_fen           bigint NOT NULL DEFAULT 0,
  created_by        uuid,
  created_at        timestamptz NOT NULL,
  computed_at       timestamptz NOT NULL,
  approved_by       uuid,
  approved_at       timestamptz,
  exported_at       timestamptz,
  reconciled_at     timestamptz,
  PRIMARY KEY (district_code, id),
  UNIQUE (district_code, scheme, month)
);

CREATE TABLE entitlements.payment_line (
  district_code text NOT NULL,
  id            uuid NOT NULL,
  batch_id      uuid NOT NULL,
  seq           integer NOT NULL,               -- 序号 in the bank file
  person_id     uuid NOT NULL,
  region_code   text NOT NULL,
  scheme        text NOT NULL,
  for_month     text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('regular', 'arrears', 'recovery')),
  amount_fen    integer NOT NULL CHECK ((kind = 'recovery') = (amount_fen < 0)),
  band          text,
  reason        text NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'returned')),
  return_reason text,
  PRIMARY KEY (district_code, id),
  UNIQUE (district_code, batch_id, seq)
);
CREATE INDEX payment_line_person_idx ON entitlements.payment_line (person_id, scheme, for_month);

ALTER TABLE entitlements.payment_batch ENABLE ROW LEVEL SECURITY;
ALTER TABLE entitlements.payment_line ENABLE ROW LEVEL SECURITY;
CREATE POLICY payment_batch_scope ON entitlements.payment_batch USING (people.in_scope(district_code)) WITH CHECK (people.in_scope(district_code));
CREATE POLICY payment_line_scope ON entitlements.payment_line USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
GRANT SELECT, INSERT, UPDATE, DELETE ON entitlements.payment_batch, entitlements.payment_line TO yiyang_app;
