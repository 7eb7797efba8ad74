-- Notifications to an older person (or the family): what the platform told them and when, so
-- staff can see it and it can later be delivered by SMS or the 一网通办 app. Written by event
-- consumers, once per (event, kind).
CREATE TABLE people.notification (
  district_code text NOT NULL,
  id            uuid NOT NULL,
  person_id     uuid NOT NULL,
  kind          text NOT NULL,
  title         text NOT NULL,
  body          text NOT NULL,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb,
  source_event  uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  read_at       timestamptz,
  PRIMARY KEY (district_code, id)
);
CREATE UNIQUE INDEX notification_event_uq ON people.notification (district_code, source_event, kind);
CREATE INDEX notification_person_idx ON people.notification (person_id, created_at);

ALTER TABLE people.notification ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_scope ON people.notification
  USING (EXISTS (SELECT 1 FROM people.person p WHERE p.id = person_id AND p.district_code = notification.district_code))
  WITH CHECK (EXISTS (SELECT 1 FROM people.person p WHERE p.id = person_id AND p.district_code = notification.district_code));

GRANT SELECT, INSERT, UPDATE ON people.notification TO yiyang_app;
