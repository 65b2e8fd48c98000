-- Figures as contributions. Each module keeps the per-subtree figures of its own tables:
-- its figures table (org_id, key columns, n: signed deltas per strict ancestor, as in 0011),
-- the triggers on its own tables, a trigger on orgs that carries its figures from the old
-- ancestors to the new when an organization moves, and a function that recomputes its table
-- from the base tables. It registers the table here. Compaction and rebuilding walk the
-- register, so a new module adds its own migration and never replaces another's function.

CREATE TABLE subtree_figure_tables (
  figures_table regclass PRIMARY KEY,
  module text NOT NULL,
  -- The columns of the table besides org_id and n.
  key_columns text[] NOT NULL,
  -- A function of no arguments that empties the table and refills it from the base tables.
  rebuild_function regproc NOT NULL
);

-- Folds the deltas of the given organizations (all when NULL) into one row per key, in every
-- registered table. Safe beside concurrent writers: it only deletes and re-adds rows it sees.
CREATE OR REPLACE FUNCTION compact_subtree_figures(org_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
  keys text;
BEGIN
  FOR t IN SELECT figures_table, key_columns FROM subtree_figure_tables ORDER BY figures_table::text LOOP
    SELECT string_agg(quote_ident(k), ', ') INTO keys FROM unnest(t.key_columns) AS k;
    EXECUTE format(
      'WITH gone AS (DELETE FROM %1$s WHERE $1 IS NULL OR org_id = ANY ($1) RETURNING *)
       INSERT INTO %1$s (org_id, %2$s, n) SELECT org_id, %2$s, sum(n) FROM gone GROUP BY org_id, %2$s HAVING sum(n) <> 0',
      t.figures_table, keys) USING org_ids;
  END LOOP;
END $$;

-- Recomputes every registered figure from the base tables (after a bulk load with triggers disabled).
CREATE OR REPLACE FUNCTION rebuild_subtree_figures() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT rebuild_function FROM subtree_figure_tables ORDER BY figures_table::text LOOP
    EXECUTE format('SELECT %s()', t.rebuild_function);
  END LOOP;
END $$;

-- orgs (the orgs module): unions by level and status. Back to its own figures only; the
-- members' and trainees' figures follow a moved organization by their own triggers below.
CREATE OR REPLACE FUNCTION orgs_keep_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO subtree_org_figures (org_id, level, status, n)
    SELECT a.id, o.level, o.status, count(*) FROM new_rows o CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
    GROUP BY 1, 2, 3;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO subtree_org_figures (org_id, level, status, n)
    SELECT a.id, o.level, o.status, -count(*) FROM old_rows o CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
    GROUP BY 1, 2, 3;
  ELSE
    INSERT INTO subtree_org_figures (org_id, level, status, n)
    SELECT a.id, d.level, d.status, sum(d.sign)
    FROM (
      SELECT o.path, o.level, o.status, -1 AS sign FROM old_rows o JOIN new_rows n USING (id)
        WHERE (o.path, o.level, o.status) IS DISTINCT FROM (n.path, n.level, n.status)
      UNION ALL
      SELECT n.path, n.level, n.status, 1 FROM old_rows o JOIN new_rows n USING (id)
        WHERE (o.path, o.level, o.status) IS DISTINCT FROM (n.path, n.level, n.status)
    ) d CROSS JOIN LATERAL proper_ancestor_ids(d.path) AS a(id)
    GROUP BY 1, 2, 3
    HAVING sum(d.sign) <> 0;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION rebuild_subtree_org_figures() RETURNS void LANGUAGE sql AS $$
  DELETE FROM subtree_org_figures;
  INSERT INTO subtree_org_figures (org_id, level, status, n)
  SELECT a.id, o.level, o.status, count(*) FROM orgs o CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3;
$$;

-- memberships (the people module): a moved organization carries its members' figures.
CREATE FUNCTION orgs_move_member_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
  SELECT a.id, m.status, p.gender, extract(year FROM p.birth_date)::smallint, sum(d.sign)
  FROM (
    SELECT o.id, o.path, -1 AS sign FROM old_rows o JOIN new_rows n USING (id) WHERE o.path <> n.path
    UNION ALL
    SELECT n.id, n.path, 1 FROM old_rows o JOIN new_rows n USING (id) WHERE o.path <> n.path
  ) d JOIN memberships m ON m.org_id = d.id JOIN persons p ON p.id = m.person_id
  CROSS JOIN LATERAL proper_ancestor_ids(d.path) AS a(id)
  GROUP BY 1, 2, 3, 4
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER orgs_move_member_figures AFTER UPDATE ON orgs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orgs_move_member_figures();

CREATE FUNCTION rebuild_subtree_member_figures() RETURNS void LANGUAGE sql AS $$
  DELETE FROM subtree_member_figures;
  INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
  SELECT a.id, m.status, p.gender, extract(year FROM p.birth_date)::smallint, count(*)
  FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.id = m.person_id
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4;
$$;

-- training_enrolments (the training module): a moved organization carries its trainees' places.
CREATE FUNCTION orgs_move_training_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO subtree_training_figures (org_id, mode, status, certified, n)
  SELECT a.id, e.mode, e.status, enrolment_certified(e.id), sum(d.sign)
  FROM (
    SELECT o.id, o.path, -1 AS sign FROM old_rows o JOIN new_rows n USING (id) WHERE o.path <> n.path
    UNION ALL
    SELECT n.id, n.path, 1 FROM old_rows o JOIN new_rows n USING (id) WHERE o.path <> n.path
  ) d JOIN training_enrolments e ON e.org_id = d.id
  CROSS JOIN LATERAL proper_ancestor_ids(d.path) AS a(id)
  GROUP BY 1, 2, 3, 4
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER orgs_move_training_figures AFTER UPDATE ON orgs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orgs_move_training_figures();

INSERT INTO subtree_figure_tables (figures_table, module, key_columns, rebuild_function) VALUES
  ('subtree_org_figures', 'orgs', ARRAY['level', 'status'], 'rebuild_subtree_org_figures'),
  ('subtree_member_figures', 'people', ARRAY['status', 'gender', 'birth_year'], 'rebuild_subtree_member_figures'),
  ('subtree_training_figures', 'training', ARRAY['mode', 'status', 'certified'], 'rebuild_subtree_training_figures');
