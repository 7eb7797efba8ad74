-- Text messages the platform sends to a phone that is not tied to a registered person (the
-- public "找服务" portal's "send to my phone"): the number encrypted at rest, masked for display.
-- Delivery to an SMS gateway is a deployment's adapter; until one is configured messages stay
-- 'queued' and are visible to administrators.
CREATE TABLE platform.sms_message (
  id          uuid PRIMARY KEY,
  phone_enc   text NOT NULL,
  phone_hash  text NOT NULL,             -- keyed blind index: rate limits per number without the number
  phone_mask  text NOT NULL,
  body        text NOT NULL,
  source      text NOT NULL,
  status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  created_at  timestamptz NOT NULL,
  sent_at     timestamptz
);
CREATE INDEX sms_message_phone_idx ON platform.sms_message (phone_hash, created_at);
GRANT SELECT, INSERT ON platform.sms_message TO yiyang_app;
