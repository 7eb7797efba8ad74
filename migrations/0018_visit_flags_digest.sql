-- The anomaly checks recompute the flags of every visit around the ones just synced, and write
-- back only those whose flags changed. To know which, they compare a digest of the flags (md5 of
-- their canonical JSON, set with the flags) instead of reading every context visit's flags back.
-- NULL (visits checked before this column existed): compared as changed, so written once.
ALTER TABLE care.visit ADD COLUMN flags_digest text;
