-- 关联居民账号: staff (a community advisor who has checked the relationship in person, or an
-- officer) link a citizen account to a person of the register and remove the link again
-- (/api/v1/people/:id/links). Until now only the demo seed and tests wrote people.user_link.
--
-- linked_by: the staff account that made the link (NULL for links made by the seed).
ALTER TABLE people.user_link ADD COLUMN linked_by uuid;

-- A person has at most one 本人 account, and an account is 本人 of at most one person; the
-- service says so in words first, these decide between two requests at the same moment.
CREATE UNIQUE INDEX user_link_self_person_uq ON people.user_link (person_id) WHERE relation = 'self';
CREATE UNIQUE INDEX user_link_self_user_uq ON people.user_link (user_id) WHERE relation = 'self';
-- The person page lists a person's links.
CREATE INDEX user_link_person_idx ON people.user_link (person_id, district_code);

-- Row-level security like people.consent: a link is visible and writable under the scope of
-- the person it points to (the second wall behind the store's scope filter).
ALTER TABLE people.user_link ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_link_scope ON people.user_link
  USING (EXISTS (SELECT 1 FROM people.person p WHERE p.id = person_id AND p.district_code = user_link.district_code))
  WITH CHECK (EXISTS (SELECT 1 FROM people.person p WHERE p.id = person_id AND p.district_code = user_link.district_code));
GRANT DELETE ON people.user_link TO yiyang_app;
