-- Platform schema: users, sessions, audit log, outbox/inbox, regions.
-- PostgreSQL 15 features only (PGlite is 18, production may be 15).

CREATE SCHEMA IF NOT EXISTS platform;
CREATE SCHEMA IF NOT EXISTS regions;

-- The non-superuser role the application switches to inside each request's transaction, so
-- that row-level security applies (superusers bypass it). Roles are cluster-wide: tolerate a
-- concurrent creator.
DO $$ BEGIN
  CREATE ROLE yiyang_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- Region tree of the deployment (reference table under Citus).
CREATE TABLE regions.region (
  code           text PRIMARY KEY,
  name           text NOT NULL,
  parent_code    text,
  level          text NOT NULL,
  valid_from     date,
  valid_to       date,
  successor_code text,
  jurisdiction   text NOT NULL
);
CREATE INDEX region_parent_idx ON regions.region (parent_code);

CREATE TABLE platform.app_user (
  id              uuid PRIMARY KEY,
  username        text NOT NULL UNIQUE,
  display_name    text NOT NULL,
  role            text NOT NULL,
  region_code     text NOT NULL,
  password_hash   text NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  disabled_at     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE platform.session (
  token_hash   text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES platform.app_user (id),
  kind         text NOT NULL,          -- 'cookie' | 'bearer'
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
CREATE INDEX session_user_idx ON platform.session (user_id);

-- Append-only, hash-chained audit log. hash = sha256(prev_hash || canonical entry).
-- A trigger refuses UPDATE and DELETE; `yiyang audit verify` detects what a superuser could
-- still do behind the trigger's back.
CREATE TABLE platform.audit_log (
  seq           bigint PRIMARY KEY,
  id            uuid NOT NULL,
  at            timestamptz NOT NULL,
  actor_id      uuid,
  actor_role    text,
  actor_scope   text,
  action        text NOT NULL,
  entity_type   text,
  entity_id     text,
  district_code text,
  purpose       text,
  details       jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash     text NOT NULL,
  hash          text NOT NULL
);
CREATE INDEX audit_entity_idx ON platform.audit_log (entity_type, entity_id);
CREATE INDEX audit_actor_idx ON platform.audit_log (actor_id, at);

CREATE FUNCTION platform.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'platform.audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON platform.audit_log
  FOR EACH ROW EXECUTE FUNCTION platform.audit_append_only();

-- Take the chain's lock, then read its tail (in this order, in one round trip). The lock is
-- held to the end of the transaction, so appends are serialised across processes.
CREATE FUNCTION platform.audit_tail() RETURNS TABLE (seq bigint, hash text) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7251020002);
  RETURN QUERY SELECT a.seq, a.hash FROM platform.audit_log a ORDER BY a.seq DESC LIMIT 1;
END $$;

-- Transactional outbox: written in the same transaction as the change it announces.
CREATE TABLE platform.outbox (
  id              uuid PRIMARY KEY,
  seq             bigserial NOT NULL,
  district_code   text,
  topic           text NOT NULL,
  payload         jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  dispatched_at   timestamptz
);
CREATE INDEX outbox_pending_idx ON platform.outbox (next_attempt_at, seq) WHERE dispatched_at IS NULL;

-- Idempotent consumers: a consumer records each event it has handled, in its own transaction.
CREATE TABLE platform.inbox (
  consumer     text NOT NULL,
  event_id     uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

GRANT USAGE ON SCHEMA platform, regions TO yiyang_app;
GRANT SELECT ON regions.region TO yiyang_app;
GRANT SELECT, INSERT, UPDATE ON platform.app_user, platform.session TO yiyang_app;
GRANT SELECT, INSERT ON platform.audit_log TO yiyang_app;
GRANT EXECUTE ON FUNCTION platform.audit_tail() TO yiyang_app;
GRANT SELECT, INSERT, UPDATE ON platform.outbox, platform.inbox TO yiyang_app;
GRANT USAGE ON SEQUENCE platform.outbox_seq_seq TO yiyang_app;
