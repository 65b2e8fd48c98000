-- A rejected row of a member import keeps every reason found in its cells, not only the first:
-- `more` holds the others as [{"field", "code", "params"}], in the order they were found.
ALTER TABLE import_rejects ADD COLUMN more jsonb;
