-- 养老服务补贴 as an e-voucher (issue 5 §4): the approved monthly batch credits each person's
-- balance; a provider of the person's choosing redeems service against it; providers are paid
-- monthly from what was redeemed. The person and their family see the balance and every use:
-- people.user_link ties a citizen account to the register's person (self or family).
CREATE TABLE entitlements.voucher_account (
  district_code text NOT NULL,
  person_id     uuid NOT NULL,
  region_code   text NOT NULL,
  balance_fen   bigint NOT NULL DEFAULT 0,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (district_code, person_id)
);
CREATE UNIQUE INDEX voucher_account_person_uq ON entitlements.voucher_account (person_id, district_code);

CREATE TABLE entitlements.voucher_entry (
  district_code   text NOT NULL,
  id              uuid NOT NULL,
  person_id       uuid NOT NULL,
  region_code     text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('credit', 'reverse', 'redeem')),
  amount_fen      bigint NOT NULL CHECK ((kind = 'credit') = (amount_fen > 0)),
  balance_after   bigint NOT NULL,
  for_month       text,                      -- credits and reversals: the month they are for
  batch_id        uuid,                      -- credits and reversals: the payment batch
  provider_id     uuid,                      -- redemptions: the provider's account (the registry is issue 6)
  provider_name   text,
  service         text,                      -- redemptions: what was provided
  idempotency_key text,                      -- redemptions: the provider's key, so a retried request is kept once
  note            text,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (district_code, id)
);
CREATE UNIQUE INDEX voucher_entry_idem_uq ON entitlements.voucher_entry (district_code, provider_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX voucher_entry_person_idx ON entitlements.voucher_entry (person_id, created_at);
CREATE INDEX voucher_entry_provider_idx ON entitlements.voucher_entry (provider_id, created_at) WHERE kind = 'redeem';

CREATE TABLE people.user_link (
  user_id       uuid NOT NULL,
  person_id     uuid NOT NULL,
  district_code text NOT NULL,
  relation      text NOT NULL CHECK (relation IN ('self', 'family')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, person_id)
);

ALTER TABLE entitlements.voucher_account ENABLE ROW LEVEL SECURITY;
ALTER TABLE entitlements.voucher_entry ENABLE ROW LEVEL SECURITY;
CREATE POLICY voucher_account_scope ON entitlements.voucher_account USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY voucher_entry_scope ON entitlements.voucher_entry USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
GRANT SELECT, INSERT, UPDATE ON entitlements.voucher_account, entitlements.voucher_entry TO yiyang_app;
GRANT SELECT, INSERT ON people.user_link TO yiyang_app;
