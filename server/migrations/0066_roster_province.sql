-- The roster's distribution key (docs/scale-out.md, "The roster's key"): every row that belongs
-- to a person carries the person's home province, and all of a person's rows live together in it.
--
-- - persons.province_id is the home province: the province of the person's active membership.
--   A person without one keeps the home they had (that of their last membership).
-- - memberships, cadre positions, transfer requests, the training rows that grow with people and
--   the Huigong Bao enrolments and claims carry the same value. memberships.province_id was the
--   union's province: the two differ only for former members who have since moved to another
--   province, whose past memberships now travel with them.
-- - Keys and unique constraints include the province (Citus enforces a unique constraint per
--   shard); foreign keys between these tables name the province on both sides, so Citus can
--   keep them on one node.
-- - A person moving to another province (a transfer, a join in an import, a moved subtree) is
--   copied to the new province with every row registered in person_rows, then deleted from the
--   old one: a distribution column is never updated in place (move_persons_to_province below).
-- - An ID number is unique in each province by a constraint on persons, and across provinces by
--   id_numbers (the lookup hash → the person), which every writer of a new person or a changed
--   ID number fills in the same transaction. On Citus it is distributed by the hash.
-- - Foreign keys from these tables to the coordinator's own tables (accounts, payout batches)
--   and from accounts to persons go: Citus keeps no such key. The application writes those
--   columns from the signed-in account or from rows it has just read.

-- 1. The home province.
ALTER TABLE persons ADD COLUMN province_id bigint;
UPDATE persons p SET province_id = coalesce(
  (SELECT m.province_id FROM memberships m WHERE m.person_id = p.id
   ORDER BY m.status = 'active' DESC, m.ended_on DESC NULLS FIRST, m.id DESC LIMIT 1), 0);
ALTER TABLE persons ALTER COLUMN province_id SET NOT NULL;

UPDATE memberships m SET province_id = p.province_id FROM persons p WHERE p.id = m.person_id AND m.province_id <> p.province_id;
UPDATE services_enrolments e SET province_id = p.province_id FROM persons p WHERE p.id = e.person_id AND e.province_id <> p.province_id;
UPDATE services_claims c SET province_id = p.province_id FROM persons p WHERE p.id = c.person_id AND c.province_id <> p.province_id;
UPDATE services_claim_events v SET province_id = c.province_id FROM services_claims c WHERE c.id = v.claim_id AND v.province_id <> c.province_id;

ALTER TABLE cadre_positions ADD COLUMN province_id bigint;
UPDATE cadre_positions c SET province_id = p.province_id FROM persons p WHERE p.id = c.person_id;
ALTER TABLE transfer_requests ADD COLUMN province_id bigint;
UPDATE transfer_requests t SET province_id = p.province_id FROM persons p WHERE p.id = t.person_id;
ALTER TABLE training_enrolments ADD COLUMN province_id bigint;
UPDATE training_enrolments e SET province_id = p.province_id FROM persons p WHERE p.id = e.person_id;
ALTER TABLE training_study ADD COLUMN province_id bigint;
UPDATE training_study s SET province_id = p.province_id FROM persons p WHERE p.id = s.person_id;
ALTER TABLE training_clock ADD COLUMN province_id bigint;
UPDATE training_clock c SET province_id = p.province_id FROM persons p WHERE p.id = c.person_id;
ALTER TABLE training_attendance ADD COLUMN province_id bigint;
UPDATE training_attendance a SET province_id = e.province_id FROM training_enrolments e WHERE e.id = a.enrolment_id;
ALTER TABLE training_live_presence ADD COLUMN province_id bigint;
UPDATE training_live_presence a SET province_id = e.province_id FROM training_enrolments e WHERE e.id = a.enrolment_id;
ALTER TABLE training_competency_assessments ADD COLUMN province_id bigint;
UPDATE training_competency_assessments a SET province_id = e.province_id FROM training_enrolments e WHERE e.id = a.enrolment_id;
ALTER TABLE training_certificates ADD COLUMN province_id bigint;
UPDATE training_certificates a SET province_id = e.province_id FROM training_enrolments e WHERE e.id = a.enrolment_id;
ALTER TABLE cadre_positions ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE transfer_requests ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE training_enrolments ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE training_study ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE training_clock ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE training_attendance ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE training_live_presence ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE training_competency_assessments ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE training_certificates ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE member_search ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE subtree_member_figures ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE subtree_org_figures ALTER COLUMN province_id SET NOT NULL;
ALTER TABLE subtree_training_figures ALTER COLUMN province_id SET NOT NULL;

-- 2. Foreign keys that Citus cannot keep, or that change shape below.
ALTER TABLE accounts DROP CONSTRAINT accounts_person_id_fkey;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_id_fkey;
ALTER TABLE training_enrolments DROP CONSTRAINT training_enrolments_enrolled_by_fkey;
ALTER TABLE training_attendance DROP CONSTRAINT training_attendance_recorded_by_fkey;
ALTER TABLE transfer_requests DROP CONSTRAINT transfer_requests_requested_by_fkey;
ALTER TABLE transfer_requests DROP CONSTRAINT transfer_requests_decided_by_fkey;
ALTER TABLE services_enrolments DROP CONSTRAINT services_enrolments_enrolled_by_fkey;
ALTER TABLE services_claims DROP CONSTRAINT services_claims_filed_by_fkey;
ALTER TABLE services_claims DROP CONSTRAINT services_claims_batch_id_fkey;
ALTER TABLE services_claim_events DROP CONSTRAINT services_claim_events_actor_id_fkey;

ALTER TABLE memberships DROP CONSTRAINT memberships_person_id_fkey;
ALTER TABLE cadre_positions DROP CONSTRAINT cadre_positions_person_id_fkey;
ALTER TABLE transfer_requests DROP CONSTRAINT transfer_requests_person_id_fkey;
ALTER TABLE transfer_requests DROP CONSTRAINT transfer_requests_from_membership_id_fkey;
ALTER TABLE training_enrolments DROP CONSTRAINT training_enrolments_person_id_fkey;
ALTER TABLE training_study DROP CONSTRAINT training_study_person_id_fkey;
ALTER TABLE training_clock DROP CONSTRAINT training_clock_person_id_fkey;
ALTER TABLE training_attendance DROP CONSTRAINT training_attendance_enrolment_id_fkey;
ALTER TABLE training_live_presence DROP CONSTRAINT training_live_presence_enrolment_id_fkey;
ALTER TABLE training_competency_assessments DROP CONSTRAINT training_competency_assessments_enrolment_id_fkey;
ALTER TABLE training_certificates DROP CONSTRAINT training_certificates_enrolment_id_fkey;
ALTER TABLE services_enrolments DROP CONSTRAINT services_enrolments_person_id_fkey;
ALTER TABLE services_claims DROP CONSTRAINT services_claims_person_id_fkey;
ALTER TABLE services_claim_events DROP CONSTRAINT services_claim_events_claim_id_fkey;

-- 3. Keys and unique constraints with the province.
ALTER TABLE persons DROP CONSTRAINT persons_pkey, ADD PRIMARY KEY (province_id, id);
ALTER TABLE persons DROP CONSTRAINT persons_id_number_hash_key, ADD CONSTRAINT persons_id_number_hash_key UNIQUE (province_id, id_number_hash);
-- The lookup by ID number across provinces (one probe per shard on Citus).
CREATE INDEX persons_id_number_hash ON persons (id_number_hash);
CREATE INDEX persons_id ON persons (id);
CREATE TABLE id_numbers (
  id_number_hash bytea PRIMARY KEY,
  person_id bigint NOT NULL
);
INSERT INTO id_numbers (id_number_hash, person_id) SELECT id_number_hash, id FROM persons;
ALTER TABLE memberships DROP CONSTRAINT memberships_pkey, ADD PRIMARY KEY (province_id, id);
CREATE INDEX memberships_id ON memberships (id);
DROP INDEX memberships_one_active_per_person;
CREATE UNIQUE INDEX memberships_one_active_per_person ON memberships (province_id, person_id) WHERE status = 'active';
ALTER TABLE cadre_positions DROP CONSTRAINT cadre_positions_pkey, ADD PRIMARY KEY (province_id, id);
ALTER TABLE transfer_requests DROP CONSTRAINT transfer_requests_pkey, ADD PRIMARY KEY (province_id, id);
CREATE INDEX transfer_requests_id ON transfer_requests (id);
DROP INDEX transfer_requests_one_pending;
CREATE UNIQUE INDEX transfer_requests_one_pending ON transfer_requests (province_id, person_id) WHERE status = 'pending';
ALTER TABLE training_enrolments DROP CONSTRAINT training_enrolments_pkey, ADD PRIMARY KEY (province_id, id);
CREATE INDEX training_enrolments_id ON training_enrolments (id);
ALTER TABLE training_enrolments DROP CONSTRAINT training_enrolments_class_id_person_id_key,
  ADD CONSTRAINT training_enrolments_class_id_person_id_key UNIQUE (class_id, person_id, province_id);
ALTER TABLE training_attendance DROP CONSTRAINT training_attendance_pkey, ADD PRIMARY KEY (session_id, enrolment_id, province_id);
ALTER TABLE training_live_presence DROP CONSTRAINT training_live_presence_pkey, ADD PRIMARY KEY (session_id, enrolment_id, province_id);
ALTER TABLE training_competency_assessments DROP CONSTRAINT training_competency_assessments_pkey, ADD PRIMARY KEY (enrolment_id, province_id);
ALTER TABLE training_certificates DROP CONSTRAINT training_certificates_pkey, ADD PRIMARY KEY (province_id, id);
CREATE INDEX training_certificates_id ON training_certificates (id);
-- A certificate's number is made unique by its issuer (one sequence); checked per province, found by number.
ALTER TABLE training_certificates DROP CONSTRAINT training_certificates_number_key, ADD CONSTRAINT training_certificates_number_key UNIQUE (number, province_id);
ALTER TABLE training_certificates DROP CONSTRAINT training_certificates_enrolment_id_key, ADD CONSTRAINT training_certificates_enrolment_id_key UNIQUE (enrolment_id, province_id);
ALTER TABLE training_study DROP CONSTRAINT training_study_pkey, ADD PRIMARY KEY (material_id, person_id, province_id);
ALTER TABLE training_clock DROP CONSTRAINT training_clock_pkey, ADD PRIMARY KEY (person_id, province_id);
ALTER TABLE member_search DROP CONSTRAINT member_search_pkey, ADD PRIMARY KEY (membership_id, province_id);
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey, ADD PRIMARY KEY (province_id, id);
CREATE INDEX audit_log_id ON audit_log (id);
ALTER TABLE services_enrolments DROP CONSTRAINT services_enrolments_pkey, ADD PRIMARY KEY (plan_id, person_id, province_id);
ALTER TABLE services_claims DROP CONSTRAINT services_claims_pkey, ADD PRIMARY KEY (province_id, id);
CREATE INDEX services_claims_id ON services_claims (id);
ALTER TABLE services_claims DROP CONSTRAINT services_claims_person_id_request_key_key,
  ADD CONSTRAINT services_claims_person_id_request_key_key UNIQUE (person_id, request_key, province_id);
ALTER TABLE services_claim_events DROP CONSTRAINT services_claim_events_pkey, ADD PRIMARY KEY (province_id, id);

-- 4. Foreign keys between the person's rows, province on both sides.
ALTER TABLE memberships ADD FOREIGN KEY (province_id, person_id) REFERENCES persons (province_id, id);
ALTER TABLE cadre_positions ADD FOREIGN KEY (province_id, person_id) REFERENCES persons (province_id, id);
ALTER TABLE transfer_requests ADD FOREIGN KEY (province_id, person_id) REFERENCES persons (province_id, id);
ALTER TABLE transfer_requests ADD FOREIGN KEY (province_id, from_membership_id) REFERENCES memberships (province_id, id);
ALTER TABLE training_enrolments ADD FOREIGN KEY (province_id, person_id) REFERENCES persons (province_id, id);
ALTER TABLE training_study ADD FOREIGN KEY (province_id, person_id) REFERENCES persons (province_id, id);
ALTER TABLE training_clock ADD FOREIGN KEY (province_id, person_id) REFERENCES persons (province_id, id) ON DELETE CASCADE;
ALTER TABLE training_attendance ADD FOREIGN KEY (province_id, enrolment_id) REFERENCES training_enrolments (province_id, id) ON DELETE CASCADE;
ALTER TABLE training_live_presence ADD FOREIGN KEY (province_id, enrolment_id) REFERENCES training_enrolments (province_id, id) ON DELETE CASCADE;
ALTER TABLE training_competency_assessments ADD FOREIGN KEY (province_id, enrolment_id) REFERENCES training_enrolments (province_id, id) ON DELETE CASCADE;
ALTER TABLE training_certificates ADD FOREIGN KEY (province_id, enrolment_id) REFERENCES training_enrolments (province_id, id);
ALTER TABLE services_enrolments ADD FOREIGN KEY (province_id, person_id) REFERENCES persons (province_id, id);
ALTER TABLE services_claims ADD FOREIGN KEY (province_id, person_id) REFERENCES persons (province_id, id);
ALTER TABLE services_claim_events ADD FOREIGN KEY (province_id, claim_id) REFERENCES services_claims (province_id, id);

-- 5. The rows that move with a person. A module whose table holds a person's rows registers it
-- here in its own migration: by the person's id, or by a parent row registered before it.
CREATE TABLE person_rows (
  table_name regclass PRIMARY KEY,
  module text NOT NULL,
  -- Parents move first and are deleted last.
  rank integer NOT NULL,
  person_column name,
  parent_table regclass REFERENCES person_rows,
  parent_column name,
  CHECK ((person_column IS NULL) <> (parent_table IS NULL AND parent_column IS NULL))
);
INSERT INTO person_rows (table_name, module, rank, person_column, parent_table, parent_column) VALUES
  ('persons', 'people', 0, 'id', NULL, NULL),
  ('memberships', 'people', 1, 'person_id', NULL, NULL),
  ('cadre_positions', 'people', 1, 'person_id', NULL, NULL),
  ('transfer_requests', 'people', 2, 'person_id', NULL, NULL),
  ('training_enrolments', 'training', 1, 'person_id', NULL, NULL),
  ('training_study', 'training', 1, 'person_id', NULL, NULL),
  ('training_clock', 'training', 1, 'person_id', NULL, NULL),
  ('training_attendance', 'training', 2, NULL, 'training_enrolments', 'enrolment_id'),
  ('training_live_presence', 'training', 2, NULL, 'training_enrolments', 'enrolment_id'),
  ('training_competency_assessments', 'training', 2, NULL, 'training_enrolments', 'enrolment_id'),
  ('training_certificates', 'training', 2, NULL, 'training_enrolments', 'enrolment_id'),
  ('services_enrolments', 'services', 1, 'person_id', NULL, NULL),
  ('services_claims', 'services', 1, 'person_id', NULL, NULL),
  ('services_claim_events', 'services', 2, NULL, 'services_claims', 'claim_id');

-- The province now follows the person, not the organization: a moved subtree's memberships and
-- claims keep their province until their person moves (move_persons_to_province).
UPDATE org_path_copies SET province_column = NULL WHERE table_name IN ('memberships'::regclass, 'services_claims'::regclass);
DELETE FROM org_path_copies WHERE table_name = 'services_enrolments'::regclass;

-- Copies every registered row of the given persons that is not in `target` to it, then deletes
-- the old rows (children first). Ids are kept. Returns the number of persons moved. The triggers
-- see an insert and a delete: figures and the search follow.
CREATE FUNCTION move_persons_to_province(ids bigint[], target bigint) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  t record;
  cols text;
  moving bigint[];
  selection text;
BEGIN
  SELECT array_agg(id) INTO moving FROM persons WHERE id = ANY (ids) AND province_id <> target;
  IF moving IS NULL THEN
    RETURN 0;
  END IF;
  FOR t IN SELECT r.*, p.person_column AS parent_person_column FROM person_rows r LEFT JOIN person_rows p ON p.table_name = r.parent_table ORDER BY r.rank, r.table_name::text LOOP
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
    FROM pg_attribute WHERE attrelid = t.table_name AND attnum > 0 AND NOT attisdropped AND attgenerated = '' AND attname <> 'province_id';
    selection := CASE WHEN t.person_column IS NOT NULL THEN format('%I = ANY ($1)', t.person_column)
      ELSE format('(province_id, %I) IN (SELECT province_id, id FROM %s WHERE %I = ANY ($1))', t.parent_column, t.parent_table, t.parent_person_column) END;
    EXECUTE format('INSERT INTO %s (province_id, %s) OVERRIDING SYSTEM VALUE SELECT $2, %s FROM %s WHERE province_id <> $2 AND %s',
      t.table_name, cols, cols, t.table_name, selection) USING moving, target;
  END LOOP;
  FOR t IN SELECT r.*, p.person_column AS parent_person_column FROM person_rows r LEFT JOIN person_rows p ON p.table_name = r.parent_table ORDER BY r.rank DESC, r.table_name::text DESC LOOP
    selection := CASE WHEN t.person_column IS NOT NULL THEN format('%I = ANY ($1)', t.person_column)
      ELSE format('(province_id, %I) IN (SELECT province_id, id FROM %s WHERE province_id <> $2 AND %I = ANY ($1))', t.parent_column, t.parent_table, t.parent_person_column) END;
    EXECUTE format('DELETE FROM %s WHERE province_id <> $2 AND %s', t.table_name, selection) USING moving, target;
  END LOOP;
  RETURN array_length(moving, 1);
END $$;

-- On Citus a trigger of a roster table fires on a worker, inside the statement on one shard,
-- and its statements on other roster tables are distributed queries run from that shard. Citus
-- runs them there only when every task is on the node itself: each such statement names the
-- provinces of the rows that fired it as constants (its_provinces), so Citus prunes it to the
-- co-located shards of this node. On one PostgreSQL the condition is one more filter.
CREATE FUNCTION its_provinces(province_ids bigint[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT quote_literal(coalesce(array_agg(DISTINCT p ORDER BY p), '{}')::text) || '::bigint[]' FROM unnest(province_ids) AS p
$$;

-- 6. The triggers join a person's rows on the province as well: during a move a person has a
-- row in each of two provinces, and on Citus a join without the key is not on one shard.
-- (New functions: migrations after 0035 never replace another's, server/test/house.test.ts.)
CREATE FUNCTION memberships_figures_by_home() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  province_ids bigint[];
  person_ids bigint[];
  org_ids bigint[];
  statuses text[];
  signs integer[];
  genders text[];
  birth_years smallint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(province_id), array_agg(person_id), array_agg(org_id), array_agg(status), array_agg(1)
    INTO province_ids, person_ids, org_ids, statuses, signs FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(province_id), array_agg(person_id), array_agg(org_id), array_agg(status), array_agg(-1)
    INTO province_ids, person_ids, org_ids, statuses, signs FROM old_rows;
  ELSE
    SELECT array_agg(d.province_id), array_agg(d.person_id), array_agg(d.org_id), array_agg(d.status), array_agg(d.sign)
    INTO province_ids, person_ids, org_ids, statuses, signs
    FROM old_rows o JOIN new_rows n USING (id)
    CROSS JOIN LATERAL (VALUES (o.province_id, o.person_id, o.org_id, o.status, -1), (n.province_id, n.person_id, n.org_id, n.status, 1))
      AS d(province_id, person_id, org_id, status, sign)
    WHERE (o.org_id, o.status, o.person_id) IS DISTINCT FROM (n.org_id, n.status, n.person_id);
  END IF;
  IF signs IS NULL THEN
    RETURN NULL;
  END IF;
  -- The persons' keys, read on this shard; then the figures, from the arrays and the tree alone.
  EXECUTE format($sql$
    SELECT array_agg(p.gender ORDER BY d.n), array_agg(extract(year FROM p.birth_date)::smallint ORDER BY d.n)
    FROM unnest($1, $2) WITH ORDINALITY AS d(province_id, person_id, n)
    JOIN persons p ON p.province_id = d.province_id AND p.id = d.person_id
    WHERE p.province_id = ANY (%s)$sql$, its_provinces(province_ids))
  INTO genders, birth_years USING province_ids, person_ids;
  INSERT INTO subtree_member_figures (province_id, org_id, status, gender, birth_year, n)
  SELECT d.province_id, a.id, d.status, d.gender, d.birth_year, sum(d.sign)
  FROM unnest(province_ids, org_ids, statuses, genders, birth_years, signs) AS d(province_id, org_id, status, gender, birth_year, sign)
  JOIN orgs o ON o.id = d.org_id
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

CREATE FUNCTION persons_figures_by_home() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  province_ids bigint[];
  ids bigint[];
  genders text[];
  birth_years smallint[];
  signs integer[];
  org_ids bigint[];
  statuses text[];
BEGIN
  SELECT array_agg(n.province_id), array_agg(n.id), array_agg(d.gender), array_agg(d.birth_year), array_agg(d.sign)
  INTO province_ids, ids, genders, birth_years, signs
  FROM old_rows o JOIN new_rows n USING (province_id, id)
  CROSS JOIN LATERAL (VALUES
    (o.gender, extract(year FROM o.birth_date)::smallint, -1),
    (n.gender, extract(year FROM n.birth_date)::smallint, 1)) AS d(gender, birth_year, sign)
  WHERE o.gender <> n.gender OR extract(year FROM o.birth_date) IS DISTINCT FROM extract(year FROM n.birth_date);
  IF signs IS NULL THEN
    RETURN NULL;
  END IF;
  -- The persons' memberships, read on this shard; then the figures, from the arrays and the tree alone.
  EXECUTE format($sql$
    SELECT array_agg(m.province_id), array_agg(m.org_id), array_agg(m.status), array_agg(d.gender), array_agg(d.birth_year), array_agg(d.sign)
    FROM unnest($1, $2, $3, $4, $5) AS d(province_id, id, gender, birth_year, sign)
    JOIN memberships m ON m.province_id = d.province_id AND m.person_id = d.id
    WHERE m.province_id = ANY (%s)$sql$, its_provinces(province_ids))
  INTO province_ids, org_ids, statuses, genders, birth_years, signs USING province_ids, ids, genders, birth_years, signs;
  IF signs IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO subtree_member_figures (province_id, org_id, status, gender, birth_year, n)
  SELECT d.province_id, a.id, d.status, d.gender, d.birth_year, sum(d.sign)
  FROM unnest(province_ids, org_ids, statuses, genders, birth_years, signs) AS d(province_id, org_id, status, gender, birth_year, sign)
  JOIN orgs o ON o.id = d.org_id
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

CREATE FUNCTION orgs_move_member_figures_by_home() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
  paths ltree[];
  signs integer[];
BEGIN
  IF NOT runs_on_coordinator() THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(n.id), array_agg(d.path), array_agg(d.sign) INTO ids, paths, signs
  FROM old_rows o JOIN new_rows n USING (id)
  CROSS JOIN LATERAL (VALUES (o.path, -1), (n.path, 1)) AS d(path, sign)
  WHERE o.path <> n.path;
  IF signs IS NULL THEN
    RETURN NULL;
  END IF;
  -- Under the memberships' province, which the move does not change (their persons move later, if at all).
  INSERT INTO subtree_member_figures (province_id, org_id, status, gender, birth_year, n)
  SELECT m.province_id, a.id, m.status, p.gender, extract(year FROM p.birth_date)::smallint, sum(d.sign)
  FROM unnest(ids, paths, signs) AS d(id, path, sign)
  JOIN memberships m ON m.org_id = d.id JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id
  CROSS JOIN LATERAL proper_ancestor_ids(d.path) AS a(id)
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

CREATE FUNCTION training_certificates_figures_by_home() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  province_ids bigint[];
  enrolment_ids bigint[];
  signs integer[];
  org_ids bigint[];
  modes text[];
  statuses text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(province_id), array_agg(enrolment_id), array_agg(1) INTO province_ids, enrolment_ids, signs FROM new_rows WHERE revoked_at IS NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(province_id), array_agg(enrolment_id), array_agg(-1) INTO province_ids, enrolment_ids, signs FROM old_rows WHERE revoked_at IS NULL;
  ELSE
    SELECT array_agg(d.province_id), array_agg(d.enrolment_id), array_agg(d.sign) INTO province_ids, enrolment_ids, signs FROM (
      SELECT o.province_id, o.enrolment_id, -1 AS sign FROM old_rows o JOIN new_rows n USING (province_id, id)
        WHERE o.revoked_at IS NULL AND (n.revoked_at IS NOT NULL OR n.enrolment_id <> o.enrolment_id)
      UNION ALL
      SELECT n.province_id, n.enrolment_id, 1 FROM old_rows o JOIN new_rows n USING (province_id, id)
        WHERE n.revoked_at IS NULL AND (o.revoked_at IS NOT NULL OR n.enrolment_id <> o.enrolment_id)
    ) d;
  END IF;
  IF enrolment_ids IS NULL THEN
    RETURN NULL;
  END IF;
  -- The enrolments, read on this shard; then the figures, from the arrays and the tree alone.
  EXECUTE format($sql$
    SELECT array_agg(e.province_id), array_agg(e.org_id), array_agg(e.mode), array_agg(e.status), array_agg(c.sign)
    FROM unnest($1, $2, $3) AS c(province_id, enrolment_id, sign)
    JOIN training_enrolments e ON e.province_id = c.province_id AND e.id = c.enrolment_id
    WHERE e.province_id = ANY (%s)$sql$, its_provinces(province_ids))
  INTO province_ids, org_ids, modes, statuses, signs USING province_ids, enrolment_ids, signs;
  IF signs IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO subtree_training_figures (province_id, org_id, mode, status, certified, n)
  SELECT c.province_id, a.id, c.mode, c.status, f.certified, sum(CASE WHEN f.certified THEN c.sign ELSE -c.sign END)
  FROM unnest(province_ids, org_ids, modes, statuses, signs) AS c(province_id, org_id, mode, status, sign)
  JOIN orgs o ON o.id = c.org_id
  CROSS JOIN (VALUES (true), (false)) AS f(certified)
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(CASE WHEN f.certified THEN c.sign ELSE -c.sign END) <> 0;
  RETURN NULL;
END $$;

CREATE FUNCTION memberships_search_by_home() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
  province_ids bigint[];
  person_ids bigint[];
  org_paths text[];
  statuses text[];
  joined_ons date[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(id), array_agg(province_id), array_agg(person_id), array_agg(org_path), array_agg(status), array_agg(joined_on)
    INTO ids, province_ids, person_ids, org_paths, statuses, joined_ons FROM new_rows;
    IF ids IS NOT NULL THEN
      EXECUTE format($sql$
        INSERT INTO member_search (membership_id, province_id, org_path, status, joined_on, name, phone, gender, birth_date)
        SELECT n.id, p.province_id, n.org_path, n.status, n.joined_on, p.name, p.phone, p.gender, p.birth_date
        FROM unnest($1, $2, $3, $4, $5, $6) AS n(id, province_id, person_id, org_path, status, joined_on)
        JOIN persons p ON p.province_id = n.province_id AND p.id = n.person_id
        WHERE p.province_id = ANY (%s)$sql$, its_provinces(province_ids))
      USING ids, province_ids, person_ids, org_paths, statuses, joined_ons;
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(id), array_agg(province_id) INTO ids, province_ids FROM old_rows;
    IF ids IS NULL THEN
      RETURN NULL;
    END IF;
    EXECUTE format($sql$
      DELETE FROM member_search s USING unnest($1, $2) AS o(id, province_id)
      WHERE s.province_id = o.province_id AND s.membership_id = o.id AND s.province_id = ANY (%s)$sql$, its_provinces(province_ids))
    USING ids, province_ids;
  ELSE
    SELECT array_agg(n.id), array_agg(n.province_id), array_agg(n.org_path), array_agg(n.status), array_agg(n.joined_on)
    INTO ids, province_ids, org_paths, statuses, joined_ons
    FROM old_rows o JOIN new_rows n USING (province_id, id)
    WHERE (o.org_path, o.status, o.joined_on) IS DISTINCT FROM (n.org_path, n.status, n.joined_on);
    IF ids IS NOT NULL THEN
      EXECUTE format($sql$
        UPDATE member_search s SET org_path = n.org_path, status = n.status, joined_on = n.joined_on
        FROM unnest($1, $2, $3, $4, $5) AS n(id, province_id, org_path, status, joined_on)
        WHERE s.province_id = n.province_id AND s.membership_id = n.id AND s.province_id = ANY (%s)$sql$, its_provinces(province_ids))
      USING ids, province_ids, org_paths, statuses, joined_ons;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION persons_search_by_home() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  province_ids bigint[];
  ids bigint[];
  names text[];
  phones text[];
  genders text[];
  birth_dates date[];
BEGIN
  SELECT array_agg(n.province_id), array_agg(n.id), array_agg(n.name), array_agg(n.phone), array_agg(n.gender), array_agg(n.birth_date)
  INTO province_ids, ids, names, phones, genders, birth_dates
  FROM old_rows o JOIN new_rows n USING (province_id, id)
  WHERE (o.name, o.phone, o.gender, o.birth_date) IS DISTINCT FROM (n.name, n.phone, n.gender, n.birth_date);
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format($sql$
    UPDATE member_search s SET name = n.name, phone = n.phone, gender = n.gender, birth_date = n.birth_date
    FROM unnest($1, $2, $3, $4, $5, $6) AS n(province_id, id, name, phone, gender, birth_date)
    JOIN memberships m ON m.province_id = n.province_id AND m.person_id = n.id
    WHERE s.province_id = m.province_id AND s.membership_id = m.id AND s.province_id = ANY (%1$s) AND m.province_id = ANY (%1$s)$sql$,
    its_provinces(province_ids))
  USING province_ids, ids, names, phones, genders, birth_dates;
  RETURN NULL;
END $$;

-- The training figures count each enrolment under its own province (the trainee's home), as the
-- member figures count each membership under its own: a trigger then writes only rows of the
-- shard it fires on. Figures are read summed over provinces, so what a reader sees is unchanged.
CREATE FUNCTION training_enrolments_figures_by_home() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  province_ids bigint[];
  ids bigint[];
  org_ids bigint[];
  modes text[];
  statuses text[];
  signs integer[];
  certified_ids bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(province_id), array_agg(id), array_agg(org_id), array_agg(mode), array_agg(status), array_agg(1)
    INTO province_ids, ids, org_ids, modes, statuses, signs FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(province_id), array_agg(id), array_agg(org_id), array_agg(mode), array_agg(status), array_agg(-1)
    INTO province_ids, ids, org_ids, modes, statuses, signs FROM old_rows;
  ELSE
    SELECT array_agg(o.province_id), array_agg(o.id), array_agg(d.org_id), array_agg(d.mode), array_agg(d.status), array_agg(d.sign)
    INTO province_ids, ids, org_ids, modes, statuses, signs
    FROM old_rows o JOIN new_rows n USING (province_id, id)
    CROSS JOIN LATERAL (VALUES (o.org_id, o.mode, o.status, -1), (n.org_id, n.mode, n.status, 1)) AS d(org_id, mode, status, sign)
    WHERE (o.org_id, o.mode, o.status) IS DISTINCT FROM (n.org_id, n.mode, n.status);
  END IF;
  IF signs IS NULL THEN
    RETURN NULL;
  END IF;
  -- Which of them hold a certificate (read apart: Citus plans no subquery beside unnest).
  EXECUTE format($sql$
    SELECT array_agg(c.enrolment_id) FROM training_certificates c
    WHERE c.province_id = ANY (%s) AND c.enrolment_id = ANY ($1) AND c.revoked_at IS NULL$sql$, its_provinces(province_ids))
  INTO certified_ids USING ids;
  INSERT INTO subtree_training_figures (province_id, org_id, mode, status, certified, n)
  SELECT d.province_id, a.id, d.mode, d.status, coalesce(d.id = ANY (certified_ids), false), sum(d.sign)
  FROM unnest(province_ids, ids, org_ids, modes, statuses, signs) AS d(province_id, id, org_id, mode, status, sign)
  JOIN orgs o ON o.id = d.org_id
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

CREATE FUNCTION orgs_move_training_figures_by_home() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
  paths ltree[];
  signs integer[];
BEGIN
  IF NOT runs_on_coordinator() THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(n.id), array_agg(d.path), array_agg(d.sign) INTO ids, paths, signs
  FROM old_rows o JOIN new_rows n USING (id)
  CROSS JOIN LATERAL (VALUES (o.path, -1), (n.path, 1)) AS d(path, sign)
  WHERE o.path <> n.path;
  IF signs IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO subtree_training_figures (province_id, org_id, mode, status, certified, n)
  SELECT e.province_id, a.id, e.mode, e.status, c.enrolment_id IS NOT NULL, sum(d.sign)
  FROM unnest(ids, paths, signs) AS d(id, path, sign)
  JOIN training_enrolments e ON e.org_id = d.id
  LEFT JOIN training_certificates c ON c.province_id = e.province_id AND c.enrolment_id = e.id AND c.revoked_at IS NULL
  CROSS JOIN LATERAL proper_ancestor_ids(d.path) AS a(id)
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(d.sign) <> 0;
  RETURN NULL;
END $$;

CREATE FUNCTION rebuild_subtree_training_figures_by_home() RETURNS void LANGUAGE sql AS $$
  DELETE FROM subtree_training_figures;
  INSERT INTO subtree_training_figures (province_id, org_id, mode, status, certified, n)
  SELECT e.province_id, a.id, e.mode, e.status, c.enrolment_id IS NOT NULL, count(*)
  FROM training_enrolments e JOIN orgs o ON o.id = e.org_id
  LEFT JOIN training_certificates c ON c.province_id = e.province_id AND c.enrolment_id = e.id AND c.revoked_at IS NULL
  CROSS JOIN LATERAL proper_ancestor_ids(o.path) AS a(id)
  GROUP BY 1, 2, 3, 4, 5;
$$;
UPDATE subtree_figure_tables SET rebuild_function = 'rebuild_subtree_training_figures_by_home'::regproc
WHERE figures_table = 'subtree_training_figures'::regclass;
SELECT rebuild_subtree_training_figures_by_home();

DROP TRIGGER training_enrolments_figures_insert ON training_enrolments;
CREATE TRIGGER training_enrolments_figures_insert AFTER INSERT ON training_enrolments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_enrolments_figures_by_home();
DROP TRIGGER training_enrolments_figures_update ON training_enrolments;
CREATE TRIGGER training_enrolments_figures_update AFTER UPDATE ON training_enrolments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_enrolments_figures_by_home();
DROP TRIGGER training_enrolments_figures_delete ON training_enrolments;
CREATE TRIGGER training_enrolments_figures_delete AFTER DELETE ON training_enrolments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION training_enrolments_figures_by_home();
DROP TRIGGER orgs_move_training_figures ON orgs;
CREATE TRIGGER orgs_move_training_figures AFTER UPDATE ON orgs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orgs_move_training_figures_by_home();
DROP TRIGGER memberships_figures_insert ON memberships;
CREATE TRIGGER memberships_figures_insert AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_figures_by_home();
DROP TRIGGER memberships_figures_update ON memberships;
CREATE TRIGGER memberships_figures_update AFTER UPDATE ON memberships
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_figures_by_home();
DROP TRIGGER memberships_figures_delete ON memberships;
CREATE TRIGGER memberships_figures_delete AFTER DELETE ON memberships
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_figures_by_home();
DROP TRIGGER persons_figures_update ON persons;
CREATE TRIGGER persons_figures_update AFTER UPDATE ON persons
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION persons_figures_by_home();
DROP TRIGGER orgs_move_member_figures ON orgs;
CREATE TRIGGER orgs_move_member_figures AFTER UPDATE ON orgs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orgs_move_member_figures_by_home();
DROP TRIGGER training_certificates_figures_insert ON training_certificates;
CREATE TRIGGER training_certificates_figures_insert AFTER INSERT ON training_certificates
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_certificates_figures_by_home();
DROP TRIGGER training_certificates_figures_update ON training_certificates;
CREATE TRIGGER training_certificates_figures_update AFTER UPDATE ON training_certificates
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_certificates_figures_by_home();
DROP TRIGGER training_certificates_figures_delete ON training_certificates;
CREATE TRIGGER training_certificates_figures_delete AFTER DELETE ON training_certificates
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION training_certificates_figures_by_home();
DROP TRIGGER memberships_search_insert ON memberships;
CREATE TRIGGER memberships_search_insert AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_search_by_home();
DROP TRIGGER memberships_search_update ON memberships;
CREATE TRIGGER memberships_search_update AFTER UPDATE ON memberships
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_search_by_home();
DROP TRIGGER memberships_search_delete ON memberships;
CREATE TRIGGER memberships_search_delete AFTER DELETE ON memberships
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_search_by_home();
DROP TRIGGER persons_search_update ON persons;
CREATE TRIGGER persons_search_update AFTER UPDATE ON persons
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION persons_search_by_home();
DROP FUNCTION memberships_figures_by_province(), persons_figures_by_province(), orgs_move_member_figures_by_province(),
  training_certificates_figures_by_province(), memberships_search_by_province(), persons_search_by_province(),
  training_enrolments_figures_by_province(), orgs_move_training_figures_by_province(), rebuild_subtree_training_figures_by_province();

-- 7. An account follows its person's new active membership (0032: its home, and the member grant
-- of the union left behind). That was a trigger on memberships; on Citus it would fire on a
-- worker and write the coordinator's accounts from there, in a transaction of its own. The
-- application now calls this function after it gives persons a new active membership.
CREATE FUNCTION accounts_follow_active_memberships(person_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  joined_persons bigint[];
  org_ids bigint[];
  new_paths ltree[];
  left_persons bigint[];
  old_paths ltree[];
BEGIN
  SELECT array_agg(m.person_id), array_agg(m.org_id), array_agg(o.path) INTO joined_persons, org_ids, new_paths
  FROM memberships m JOIN orgs o ON o.id = m.org_id
  WHERE m.person_id = ANY (person_ids) AND m.status = 'active';
  IF joined_persons IS NULL THEN
    RETURN;
  END IF;
  -- Each person's last membership before it.
  SELECT array_agg(l.person_id), array_agg(o.path) INTO left_persons, old_paths
  FROM (SELECT DISTINCT ON (m.province_id, m.person_id) m.person_id, m.org_id FROM memberships m
        WHERE m.person_id = ANY (person_ids) AND m.status <> 'active'
        ORDER BY m.province_id, m.person_id, m.ended_on DESC, m.id DESC) l
  JOIN orgs o ON o.id = l.org_id;
  WITH moved AS (
    SELECT a.id AS account_id, j.org_id AS new_org_id, j.new_path, l.old_path
    FROM unnest(joined_persons, org_ids, new_paths) AS j(person_id, org_id, new_path)
    JOIN accounts a ON a.person_id = j.person_id
    LEFT JOIN unnest(left_persons, old_paths) AS l(person_id, old_path) ON l.person_id = j.person_id),
  homed AS (UPDATE accounts a SET home_org_id = m.new_org_id FROM moved m WHERE a.id = m.account_id AND a.home_org_id IS DISTINCT FROM m.new_org_id RETURNING a.id)
  DELETE FROM role_grants g USING moved m, orgs o
  WHERE g.account_id = m.account_id AND o.id = g.org_id AND g.role = 'member'
    AND m.old_path IS NOT NULL AND m.old_path <@ o.path AND NOT m.new_path <@ o.path;
END $$;
DROP TRIGGER memberships_accounts_follow ON memberships;
DROP FUNCTION accounts_follow_joined_memberships();
