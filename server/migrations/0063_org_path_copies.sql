-- Tables that keep a copy of their organization's path or province (to read a subtree as one
-- range of an index, or to route a row to its province's shard) say so here, and the
-- organization move rewrites every copy it declares: the organizations module need not know the
-- modules that copy its paths.
CREATE TABLE org_path_copies (
  table_name regclass PRIMARY KEY,
  module text NOT NULL,
  org_column name NOT NULL,
  path_column name,
  province_column name,
  CHECK (path_column IS NOT NULL OR province_column IS NOT NULL)
);
INSERT INTO org_path_copies (table_name, module, org_column, path_column, province_column) VALUES
  ('memberships', 'people', 'org_id', 'org_path', 'province_id'),
  ('services_claims', 'services', 'org_id', 'org_path', 'province_id'),
  ('services_enrolments', 'services', 'org_id', NULL, 'province_id');

-- A claim carries its union's path, as memberships do (text in byte order: a subtree is the
-- range from the path up to the path followed by '/'), so a county's claims are one range of an
-- index and need no join with the tree to be scoped.
ALTER TABLE services_claims ADD COLUMN org_path text COLLATE "C";
UPDATE services_claims c SET org_path = o.path::text FROM orgs o WHERE o.id = c.org_id;
ALTER TABLE services_claims ALTER COLUMN org_path SET NOT NULL;
-- A subtree's claims, counted and read without the table (status and plan are the list's filters).
CREATE INDEX services_claims_subtree ON services_claims (org_path) INCLUDE (status, plan_id, submitted_at, id);
-- Every claim in filing order (a big subtree's pages walk it), with what filters it.
CREATE INDEX services_claims_filed ON services_claims (submitted_at, id) INCLUDE (org_path, status, plan_id);
DROP INDEX services_claims_queue;

-- After a subtree moved (its organizations' paths already rewritten), every declared copy of
-- the organizations under `moved` (the subtree's new root path) follows.
CREATE FUNCTION rewrite_org_path_copies(moved ltree) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
  sets text;
BEGIN
  FOR t IN SELECT * FROM org_path_copies ORDER BY table_name::text LOOP
    sets := concat_ws(', ',
      CASE WHEN t.path_column IS NOT NULL THEN format('%I = o.path::text', t.path_column) END,
      CASE WHEN t.province_column IS NOT NULL THEN format('%I = province_of(o.path)', t.province_column) END);
    EXECUTE format('UPDATE %s c SET %s FROM orgs o WHERE o.id = c.%I AND o.path <@ $1', t.table_name, sets, t.org_column) USING moved;
  END LOOP;
END $$;

-- The review queue of an organization, read without the table.
DROP INDEX services_claims_waiting;
CREATE INDEX services_claims_waiting ON services_claims (waiting_org_id, submitted_at, id) INCLUDE (org_path, plan_id) WHERE status = 'in_review';
