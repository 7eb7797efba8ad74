-- What-if simulations of entitlement parameters (issue 5 §6): the officer's changes, the run's
-- progress and its figures, kept so that runs can be compared. A simulation belongs to the scope
-- of the officer who ran it (scope_code: the region prefix the population was taken from).
CREATE TABLE entitlements.simulation (
  id           uuid PRIMARY KEY,
  scope_code   text NOT NULL,
  name         text NOT NULL,
  as_of        date NOT NULL,
  changes      jsonb NOT NULL,
  base_version text NOT NULL,
  status       text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  done         integer NOT NULL DEFAULT 0,
  total        integer,
  result       jsonb,
  error        text,
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX simulation_scope_idx ON entitlements.simulation (scope_code text_pattern_ops, created_at);

ALTER TABLE entitlements.simulation ENABLE ROW LEVEL SECURITY;
CREATE POLICY simulation_scope ON entitlements.simulation USING (people.in_scope(scope_code)) WITH CHECK (people.in_scope(scope_code));
GRANT SELECT, INSERT, UPDATE ON entitlements.simulation TO yiyang_app;
