-- Every statement trigger that reads transition tables (the subtree figures of 0011, 0031 and
-- 0035, the member search of 0050, the accounts that follow a membership of 0032) now first
-- copies the rows it needs out of its transition tables into a local value, and only then
-- runs the statements that read or write other tables. On one PostgreSQL this changes nothing
-- but the order of the work. On Citus (docs/scale-out.md) it is what lets them run at all:
-- Citus plans every statement that touches one of its tables, and cannot plan one that also
-- reads a transition table ("unrecognized RTE kind", "complex table expressions").
--
-- An UPDATE stages only the rows whose counted columns changed, so an update that changes
-- nothing counted (a card number, a key rotation over every person) costs one pass over the
-- transition tables. The search triggers now also receive the old rows, for that filter.
--
-- The triggers of orgs act once: on one PostgreSQL always; on Citus, where orgs is a reference
-- table with a copy on every node and a trigger fires on each copy, on the coordinator only.

CREATE FUNCTION runs_on_coordinator() RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF to_regproc('citus_is_coordinator') IS NULL THEN
    RETURN true;
  END IF;
  RETURN citus_is_coordinator();
END $$;

-- memberships: INSERT adds, DELETE subtracts, UPDATE moves the changed rows (netted).
CREATE OR REPLACE FUNCTION memberships_keep_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(jsonb_build_object('person_id', person_id, 'org_id', org_id, 'status', status, 'sign', 1)) INTO changed FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(jsonb_build_object('person_id', person_id, 'org_id', org_id, 'status', status, 'sign', -1)) INTO changed FROM old_rows;
  ELSE
    SELECT jsonb_agg(d.row) INTO changed FROM old_rows o JOIN new_rows n USING (id)
    CROSS JOIN LATERAL (VALUES
      (jsonb_build_object('person_id', o.person_id, 'org_id', o.org_id, 'status', o.status, 'sign', -1)),
      (jsonb_build_object('person_id', n.person_id, 'org_id', n.org_id, 'status', n.status, 'sign', 1))) AS d(row)
    WHERE (o.org_id, o.status, o.person_id) IS DISTINCT FROM (n.org_id, n.status, n.person_id);
  END IF;
  IF changed IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
  SELECT a.id, d.status, p.gender, extract(year FROM p.birth_date)::smallint, sum(d.sign)
  FROM jsonb_to_recordset(changed) AS d(person_id bigint, org_id bigint, status text, sign integer)
  JOIN orgs o ON o.id = d.org_id JOIN persons p ON p.id = d.person_id
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

-- persons: a changed gender or birth year moves the person's memberships between keys.
CREATE OR REPLACE FUNCTION persons_keep_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb;
BEGIN
  SELECT jsonb_agg(jsonb_build_object(
    'id', n.id, 'old_gender', o.gender, 'old_year', extract(year FROM o.birth_date), 'new_gender', n.gender, 'new_year', extract(year FROM n.birth_date)))
  INTO changed FROM old_rows o JOIN new_rows n USING (id)
  WHERE o.gender <> n.gender OR extract(year FROM o.birth_date) IS DISTINCT FROM extract(year FROM n.birth_date);
  IF changed IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
  SELECT a.id, m.status, d.gender, d.birth_year, sum(d.sign)
  FROM jsonb_to_recordset(changed) AS c(id bigint, old_gender text, old_year smallint, new_gender text, new_year smallint)
  CROSS JOIN LATERAL (VALUES (c.old_gender, c.old_year, -1), (c.new_gender, c.new_year, 1)) AS d(gender, birth_year, sign)
  JOIN memberships m ON m.person_id = c.id JOIN orgs o ON o.id = m.org_id
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

-- orgs: a new, closed, re-levelled or moved organization changes its ancestors' union counts.
CREATE OR REPLACE FUNCTION orgs_keep_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb;
BEGIN
  IF NOT runs_on_coordinator() THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(jsonb_build_object('path', path, 'level', level, 'status', status, 'sign', 1)) INTO changed FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(jsonb_build_object('path', path, 'level', level, 'status', status, 'sign', -1)) INTO changed FROM old_rows;
  ELSE
    SELECT jsonb_agg(d.row) INTO changed FROM old_rows o JOIN new_rows n USING (id)
    CROSS JOIN LATERAL (VALUES
      (jsonb_build_object('path', o.path, 'level', o.level, 'status', o.status, 'sign', -1)),
      (jsonb_build_object('path', n.path, 'level', n.level, 'status', n.status, 'sign', 1))) AS d(row)
    WHERE (o.path, o.level, o.status) IS DISTINCT FROM (n.path, n.level, n.status);
  END IF;
  IF changed IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO subtree_org_figures (org_id, level, status, n)
  SELECT a.id, d.level, d.status, sum(d.sign)
  FROM jsonb_to_recordset(changed) AS d(path ltree, level text, status text, sign integer)
  CROSS JOIN LATERAL proper_ancestor_ids(d.path) AS a(id)
  GROUP BY 1, 2, 3
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

-- memberships: a moved organization carries its members' figures.
CREATE OR REPLACE FUNCTION orgs_move_member_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved jsonb;
BEGIN
  IF NOT runs_on_coordinator() THEN
    RETURN NULL;
  END IF;
  SELECT jsonb_agg(jsonb_build_object('id', n.id, 'old_path', o.path, 'new_path', n.path)) INTO moved
  FROM old_rows o JOIN new_rows n USING (id) WHERE o.path <> n.path;
  IF moved IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO subtree_member_figures (org_id, status, gender, birth_year, n)
  SELECT a.id, m.status, p.gender, extract(year FROM p.birth_date)::smallint, sum(d.sign)
  FROM jsonb_to_recordset(moved) AS c(id bigint, old_path ltree, new_path ltree)
  CROSS JOIN LATERAL (VALUES (c.old_path, -1), (c.new_path, 1)) AS d(path, sign)
  JOIN memberships m ON m.org_id = c.id JOIN persons p ON p.id = m.person_id
  CROSS JOIN LATERAL proper_ancestor_ids(d.path) AS a(id)
  GROUP BY 1, 2, 3, 4
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

-- training_enrolments: a moved organization carries its trainees' places.
CREATE OR REPLACE FUNCTION orgs_move_training_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved jsonb;
BEGIN
  IF NOT runs_on_coordinator() THEN
    RETURN NULL;
  END IF;
  SELECT jsonb_agg(jsonb_build_object('id', n.id, 'old_path', o.path, 'new_path', n.path)) INTO moved
  FROM old_rows o JOIN new_rows n USING (id) WHERE o.path <> n.path;
  IF moved IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO subtree_training_figures (org_id, mode, status, certified, n)
  SELECT a.id, e.mode, e.status, enrolment_certified(e.id), sum(d.sign)
  FROM jsonb_to_recordset(moved) AS c(id bigint, old_path ltree, new_path ltree)
  CROSS JOIN LATERAL (VALUES (c.old_path, -1), (c.new_path, 1)) AS d(path, sign)
  JOIN training_enrolments e ON e.org_id = c.id
  CROSS JOIN LATERAL proper_ancestor_ids(d.path) AS a(id)
  GROUP BY 1, 2, 3, 4
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

-- training_enrolments: INSERT adds, DELETE subtracts, UPDATE of the organization, mode or
-- status moves the changed rows (netted). A certificate cannot change in the same statement,
-- so its current state is the state before and after.
CREATE OR REPLACE FUNCTION training_enrolments_keep_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(jsonb_build_object('id', id, 'org_id', org_id, 'mode', mode, 'status', status, 'sign', 1)) INTO changed FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(jsonb_build_object('id', id, 'org_id', org_id, 'mode', mode, 'status', status, 'sign', -1)) INTO changed FROM old_rows;
  ELSE
    SELECT jsonb_agg(d.row) INTO changed FROM old_rows o JOIN new_rows n USING (id)
    CROSS JOIN LATERAL (VALUES
      (jsonb_build_object('id', o.id, 'org_id', o.org_id, 'mode', o.mode, 'status', o.status, 'sign', -1)),
      (jsonb_build_object('id', n.id, 'org_id', n.org_id, 'mode', n.mode, 'status', n.status, 'sign', 1))) AS d(row)
    WHERE (o.org_id, o.mode, o.status) IS DISTINCT FROM (n.org_id, n.mode, n.status);
  END IF;
  IF changed IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO subtree_training_figures (org_id, mode, status, certified, n)
  SELECT a.id, d.mode, d.status, enrolment_certified(d.id), sum(d.sign)
  FROM jsonb_to_recordset(changed) AS d(id bigint, org_id bigint, mode text, status text, sign integer)
  JOIN orgs o ON o.id = d.org_id
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

-- (training_certificates_keep_figures, 0031, already stages its rows in arrays first.)

-- member_search: one row per membership, following its inserts, deletes and the updates of
-- what the search keeps (a transfer or leaving: status; a moved organization: org_path).
CREATE OR REPLACE FUNCTION memberships_keep_search() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb;
  gone bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(jsonb_build_object('id', id, 'person_id', person_id, 'org_path', org_path, 'status', status, 'joined_on', joined_on))
    INTO changed FROM new_rows;
    IF changed IS NOT NULL THEN
      INSERT INTO member_search (membership_id, org_path, status, joined_on, name, phone, gender, birth_date)
      SELECT n.id, n.org_path, n.status, n.joined_on, p.name, p.phone, p.gender, p.birth_date
      FROM jsonb_to_recordset(changed) AS n(id bigint, person_id bigint, org_path text, status text, joined_on date)
      JOIN persons p ON p.id = n.person_id;
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(id) INTO gone FROM old_rows;
    DELETE FROM member_search WHERE membership_id = ANY (gone);
  ELSE
    SELECT jsonb_agg(jsonb_build_object('id', n.id, 'org_path', n.org_path, 'status', n.status, 'joined_on', n.joined_on))
    INTO changed FROM old_rows o JOIN new_rows n USING (id)
    WHERE (o.org_path, o.status, o.joined_on) IS DISTINCT FROM (n.org_path, n.status, n.joined_on);
    IF changed IS NOT NULL THEN
      UPDATE member_search s SET org_path = n.org_path, status = n.status, joined_on = n.joined_on
      FROM jsonb_to_recordset(changed) AS n(id bigint, org_path text, status text, joined_on date)
      WHERE s.membership_id = n.id;
    END IF;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER memberships_search_update ON memberships;
CREATE TRIGGER memberships_search_update AFTER UPDATE ON memberships
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_keep_search();

CREATE OR REPLACE FUNCTION persons_keep_search() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb;
BEGIN
  SELECT jsonb_agg(jsonb_build_object('id', n.id, 'name', n.name, 'phone', n.phone, 'gender', n.gender, 'birth_date', n.birth_date))
  INTO changed FROM old_rows o JOIN new_rows n USING (id)
  WHERE (o.name, o.phone, o.gender, o.birth_date) IS DISTINCT FROM (n.name, n.phone, n.gender, n.birth_date);
  IF changed IS NULL THEN
    RETURN NULL;
  END IF;
  UPDATE member_search s SET name = n.name, phone = n.phone, gender = n.gender, birth_date = n.birth_date
  FROM jsonb_to_recordset(changed) AS n(id bigint, name text, phone text, gender text, birth_date date)
  JOIN memberships m ON m.person_id = n.id
  WHERE s.membership_id = m.id;
  RETURN NULL;
END $$;
DROP TRIGGER persons_search_update ON persons;
CREATE TRIGGER persons_search_update AFTER UPDATE ON persons
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION persons_keep_search();

-- An account follows its person's new active membership: its home, and the member grant of
-- the union left behind (0032).
CREATE OR REPLACE FUNCTION accounts_follow_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  joined jsonb;
BEGIN
  SELECT jsonb_agg(jsonb_build_object('person_id', person_id, 'org_id', org_id, 'org_path', org_path))
  INTO joined FROM inserted WHERE status = 'active';
  IF joined IS NULL THEN
    RETURN NULL;
  END IF;
  WITH moved AS (
    SELECT a.id AS account_id, n.org_id AS new_org_id, n.org_path::ltree AS new_path,
           (SELECT o.path FROM memberships p JOIN orgs o ON o.id = p.org_id
            WHERE p.person_id = n.person_id AND p.status <> 'active' ORDER BY p.ended_on DESC, p.id DESC LIMIT 1) AS old_path
    FROM jsonb_to_recordset(joined) AS n(person_id bigint, org_id bigint, org_path text)
    JOIN accounts a ON a.person_id = n.person_id),
  homed AS (UPDATE accounts a SET home_org_id = m.new_org_id FROM moved m WHERE a.id = m.account_id RETURNING a.id)
  DELETE FROM role_grants g USING moved m, orgs o
  WHERE g.account_id = m.account_id AND o.id = g.org_id AND g.role = 'member'
    AND m.old_path IS NOT NULL AND m.old_path <@ o.path AND NOT m.new_path <@ o.path;
  RETURN NULL;
END $$;
