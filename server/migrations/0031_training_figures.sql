-- Training reach in the subtree figures, kept like the member figures of 0011: per
-- organization, the trainee places of its *strict* descendants (the organization's own
-- enrolments are counted live), as signed deltas appended by statement-level triggers.
-- An enrolment is counted under the organization its trainee comes from
-- (training_enrolments.org_id), once per class, by its mode and status, and whether it
-- holds a certificate that is not revoked (at most one: enrolment_id is unique there).
--
-- Named after 0030 on purpose: migrations run in name order, and these triggers need the
-- training tables.

CREATE TABLE subtree_training_figures (
  org_id bigint NOT NULL,
  mode text NOT NULL,
  status text NOT NULL,
  certified boolean NOT NULL,
  n bigint NOT NULL
);
CREATE INDEX subtree_training_figures_org ON subtree_training_figures (org_id);

-- Whether an enrolment holds a certificate that counts (issued, not revoked).
CREATE FUNCTION enrolment_certified(enrolment_id bigint) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT EXISTS (SELECT 1 FROM training_certificates c WHERE c.enrolment_id = $1 AND c.revoked_at IS NULL)
$$;

-- training_enrolments: INSERT adds, DELETE subtracts, UPDATE of the organization, mode or
-- status subtracts the old rows and adds the new (netted). A certificate cannot change in
-- the same statement, so its current state is the state before and after.
CREATE FUNCTION training_enrolments_keep_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO subtree_training_figures (org_id, mode, status, certified, n)
    SELECT a.id, e.mode, e.status, enrolment_certified(e.id), count(*)
    FROM new_rows e JOIN orgs o ON o.id = e.org_id
    CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
    GROUP BY 1, 2, 3, 4;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO subtree_training_figures (org_id, mode, status, certified, n)
    SELECT a.id, e.mode, e.status, enrolment_certified(e.id), -count(*)
    FROM old_rows e JOIN orgs o ON o.id = e.org_id
    CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
    GROUP BY 1, 2, 3, 4;
  ELSE
    INSERT INTO subtree_training_figures (org_id, mode, status, certified, n)
    SELECT a.id, d.mode, d.status, enrolment_certified(d.id), sum(d.sign)
    FROM (
      SELECT o.id, o.org_id, o.mode, o.status, -1 AS sign FROM old_rows o JOIN new_rows n USING (id)
        WHERE (o.org_id, o.mode, o.status) IS DISTINCT FROM (n.org_id, n.mode, n.status)
      UNION ALL
      SELECT n.id, n.org_id, n.mode, n.status, 1 FROM old_rows o JOIN new_rows n USING (id)
        WHERE (o.org_id, o.mode, o.status) IS DISTINCT FROM (n.org_id, n.mode, n.status)
    ) d JOIN orgs o ON o.id = d.org_id
    CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
    GROUP BY 1, 2, 3, 4
    HAVING sum(d.sign) <> 0;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER training_enrolments_figures_insert AFTER INSERT ON training_enrolments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_enrolments_keep_figures();
CREATE TRIGGER training_enrolments_figures_update AFTER UPDATE ON training_enrolments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_enrolments_keep_figures();
CREATE TRIGGER training_enrolments_figures_delete AFTER DELETE ON training_enrolments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION training_enrolments_keep_figures();

-- training_certificates: a certificate that starts to count (issued, un-revoked, moved to
-- another enrolment) moves its enrolment from certified = false to true; one that stops
-- counting moves it back. PostgreSQL allows no column list on a trigger with transition
-- tables, so every UPDATE fires it and the function keeps only the changes that matter.
CREATE FUNCTION training_certificates_keep_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  enrolment_ids bigint[];
  signs integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(enrolment_id), array_agg(1) INTO enrolment_ids, signs FROM new_rows WHERE revoked_at IS NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(enrolment_id), array_agg(-1) INTO enrolment_ids, signs FROM old_rows WHERE revoked_at IS NULL;
  ELSE
    SELECT array_agg(d.enrolment_id), array_agg(d.sign) INTO enrolment_ids, signs FROM (
      SELECT o.enrolment_id, -1 AS sign FROM old_rows o JOIN new_rows n USING (id)
        WHERE o.revoked_at IS NULL AND (n.revoked_at IS NOT NULL OR n.enrolment_id <> o.enrolment_id)
      UNION ALL
      SELECT n.enrolment_id, 1 FROM old_rows o JOIN new_rows n USING (id)
        WHERE n.revoked_at IS NULL AND (o.revoked_at IS NOT NULL OR n.enrolment_id <> o.enrolment_id)
    ) d;
  END IF;
  IF enrolment_ids IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO subtree_training_figures (org_id, mode, status, certified, n)
  SELECT a.id, e.mode, e.status, f.certified, sum(CASE WHEN f.certified THEN c.sign ELSE -c.sign END)
  FROM unnest(enrolment_ids, signs) AS c(enrolment_id, sign)
  JOIN training_enrolments e ON e.id = c.enrolment_id JOIN orgs o ON o.id = e.org_id
  CROSS JOIN (VALUES (true), (false)) AS f(certified)
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4
  HAVING sum(CASE WHEN f.certified THEN c.sign ELSE -c.sign END) <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER training_certificates_figures_insert AFTER INSERT ON training_certificates
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_certificates_keep_figures();
CREATE TRIGGER training_certificates_figures_update AFTER UPDATE ON training_certificates
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_certificates_keep_figures();
CREATE TRIGGER training_certificates_figures_delete AFTER DELETE ON training_certificates
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION training_certificates_keep_figures();

-- orgs: as in 0011, and a moved organization also carries its trainees' places from the
-- old ancestors to the new.
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
  END IF;
  RETURN NULL;
END $$;

-- As in 0011, and the training figures too.
CREATE OR REPLACE FUNCTION compact_subtree_figures(org_ids bigint[]) RETURNS void LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM subtree_member_figures WHERE org_ids IS NULL OR org_id = ANY (org_ids) RETURNING *)
  INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
  SELECT org_id, status, gender, birth_year, sum(n) FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
  WITH gone AS (DELETE FROM subtree_org_figures WHERE org_ids IS NULL OR org_id = ANY (org_ids) RETURNING *)
  INSERT INTO subtree_org_figures (org_id, level, status, n)
  SELECT org_id, level, status, sum(n) FROM gone GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
  WITH gone AS (DELETE FROM subtree_training_figures WHERE org_ids IS NULL OR org_id = ANY (org_ids) RETURNING *)
  INSERT INTO subtree_training_figures (org_id, mode, status, certified, n)
  SELECT org_id, mode, status, certified, sum(n) FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
$$;

-- The training figures of every organization, recomputed from the base tables.
CREATE FUNCTION rebuild_subtree_training_figures() RETURNS void LANGUAGE sql AS $$
  DELETE FROM subtree_training_figures;
  INSERT INTO subtree_training_figures (org_id, mode, status, certified, n)
  SELECT a.id, e.mode, e.status, c.enrolment_id IS NOT NULL, count(*)
  FROM training_enrolments e JOIN orgs o ON o.id = e.org_id
  LEFT JOIN training_certificates c ON c.enrolment_id = e.id AND c.revoked_at IS NULL
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4;
$$;

-- As in 0011, and the training figures too (after a bulk load with triggers disabled).
CREATE OR REPLACE FUNCTION rebuild_subtree_figures() RETURNS void LANGUAGE sql AS $$
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
  SELECT rebuild_subtree_training_figures();
$$;

-- Only the new figures: the member and union figures of an existing database are right already.
SELECT rebuild_subtree_training_figures();
