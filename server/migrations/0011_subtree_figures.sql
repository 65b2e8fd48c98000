-- Subtree figures kept up to date by triggers, so the national root answers as fast as a
-- grassroots union. Each table holds, per organization, the figures of its *strict*
-- descendants (the organization's own members and itself are counted live: a handful
-- of rows). Triggers append signed deltas instead of updating one counter row, so two
-- writers in the same province never wait on each other's lock on the root's counters;
-- compact_subtree_figures() folds the deltas of some organizations into one row per key.

CREATE TABLE subtree_member_figures (
  org_id bigint NOT NULL,
  status text NOT NULL,
  gender text NOT NULL,
  birth_year smallint,
  n bigint NOT NULL
);
CREATE INDEX subtree_member_figures_org ON subtree_member_figures (org_id);

CREATE TABLE subtree_org_figures (
  org_id bigint NOT NULL,
  level text NOT NULL,
  status text NOT NULL,
  n bigint NOT NULL
);
CREATE INDEX subtree_org_figures_org ON subtree_org_figures (org_id);

-- The ids on a path above its last label: 1.4.27 -> 1, 4.
CREATE FUNCTION proper_ancestor_ids(p ltree) RETURNS SETOF bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT unnest(string_to_array(CASE WHEN nlevel(p) > 1 THEN ltree2text(subpath(p, 0, nlevel(p) - 1)) END, '.'))::bigint
$$;

-- memberships: INSERT adds, DELETE subtracts, UPDATE subtracts the old rows and adds the new (netted).
CREATE FUNCTION memberships_keep_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
    SELECT a.id, m.status, p.gender, extract(year FROM p.birth_date)::smallint, count(*)
    FROM new_rows m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.id = m.person_id
    CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
    GROUP BY 1, 2, 3, 4;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
    SELECT a.id, m.status, p.gender, extract(year FROM p.birth_date)::smallint, -count(*)
    FROM old_rows m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.id = m.person_id
    CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
    GROUP BY 1, 2, 3, 4;
  ELSE
    INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
    SELECT a.id, d.status, p.gender, extract(year FROM p.birth_date)::smallint, sum(d.sign)
    FROM (
      SELECT o.id, o.person_id, o.org_id, o.status, -1 AS sign FROM old_rows o JOIN new_rows n USING (id)
        WHERE (o.org_id, o.status, o.person_id) IS DISTINCT FROM (n.org_id, n.status, n.person_id)
      UNION ALL
      SELECT n.id, n.person_id, n.org_id, n.status, 1 FROM old_rows o JOIN new_rows n USING (id)
        WHERE (o.org_id, o.status, o.person_id) IS DISTINCT FROM (n.org_id, n.status, n.person_id)
    ) d JOIN orgs o ON o.id = d.org_id JOIN persons p ON p.id = d.person_id
    CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
    GROUP BY 1, 2, 3, 4
    HAVING sum(d.sign) <> 0;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER memberships_figures_insert AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_keep_figures();
CREATE TRIGGER memberships_figures_update AFTER UPDATE ON memberships
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_keep_figures();
CREATE TRIGGER memberships_figures_delete AFTER DELETE ON memberships
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_keep_figures();

-- persons: a changed gender or birth year moves the person's memberships between keys.
CREATE FUNCTION persons_keep_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
  SELECT a.id, m.status, d.gender, d.birth_year, sum(d.sign)
  FROM (
    SELECT o.id, o.gender, extract(year FROM o.birth_date)::smallint AS birth_year, -1 AS sign
      FROM old_rows o JOIN new_rows n USING (id)
      WHERE o.gender <> n.gender OR extract(year FROM o.birth_date) IS DISTINCT FROM extract(year FROM n.birth_date)
    UNION ALL
    SELECT n.id, n.gender, extract(year FROM n.birth_date)::smallint, 1
      FROM old_rows o JOIN new_rows n USING (id)
      WHERE o.gender <> n.gender OR extract(year FROM o.birth_date) IS DISTINCT FROM extract(year FROM n.birth_date)
  ) d JOIN memberships m ON m.person_id = d.id JOIN orgs o ON o.id = m.org_id
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER persons_figures_update AFTER UPDATE ON persons
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION persons_keep_figures();

-- orgs: a new, closed, re-levelled or moved organization changes its ancestors' union counts;
-- a moved one also carries its members from the old ancestors to the new.
CREATE FUNCTION orgs_keep_figures() RETURNS trigger LANGUAGE plpgsql AS $$
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
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER orgs_figures_insert AFTER INSERT ON orgs
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orgs_keep_figures();
CREATE TRIGGER orgs_figures_update AFTER UPDATE ON orgs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orgs_keep_figures();
CREATE TRIGGER orgs_figures_delete AFTER DELETE ON orgs
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION orgs_keep_figures();

-- Folds the deltas of the given organizations (all when NULL) into one row per key.
-- Safe beside concurrent writers: it only deletes and re-adds rows it can see.
CREATE FUNCTION compact_subtree_figures(org_ids bigint[]) RETURNS void LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM subtree_member_figures WHERE org_ids IS NULL OR org_id = ANY (org_ids) RETURNING *)
  INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
  SELECT org_id, status, gender, birth_year, sum(n) FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
  WITH gone AS (DELETE FROM subtree_org_figures WHERE org_ids IS NULL OR org_id = ANY (org_ids) RETURNING *)
  INSERT INTO subtree_org_figures (org_id, level, status, n)
  SELECT org_id, level, status, sum(n) FROM gone GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
$$;

-- Recomputes every figure from the base tables (after a bulk load with triggers disabled).
CREATE FUNCTION rebuild_subtree_figures() RETURNS void LANGUAGE sql AS $$
  DELETE FROM subtree_member_figures;
  DELETE FROM subtree_org_figures;
  INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
  SELECT a.id, m.status, p.gender, extract(year FROM p.birth_date)::smallint, count(*)
  FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.id = m.person_id
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4;
  INSERT INTO subtree_org_figures (org_id, level, status, n)
  SELECT a.id, o.level, o.status, count(*) FROM orgs o CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3;
$$;

SELECT rebuild_subtree_figures();
