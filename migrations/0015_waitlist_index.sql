-- The waiting list's page for a district (issue 7, bench/README.md (l)): applications of a district
-- in queue order (tier, priority_at, id), 100 a page. store.listApplications narrows a district
-- filter by district_code (an equality, leakproof, so it can be an index condition under row-level
-- security; `region_code LIKE '310115%'` cannot) and keeps the LIKE as a filter, so the page walks
-- this index in queue order instead of reading and sorting every application of the district. The
-- region is included for row-level security (people.in_scope(region_code)) and the count.
CREATE INDEX application_queue_idx ON waitlist.application (district_code, tier, priority_at, id) INCLUDE (region_code);

-- The in-memory queue snapshot (src/waitlist/service.ts) checks whether anything changed by the
-- latest update; the person page finds a person's applications.
CREATE INDEX application_updated_idx ON waitlist.application (updated_at);
CREATE INDEX application_person_idx ON waitlist.application (person_id, created_at);
