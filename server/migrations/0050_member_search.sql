-- Member search keyed by the subtree. A search for a name or a phone prefix in a county
-- used to find every match in the country (persons_name_grams, persons_phone) and check
-- each one's membership against the county: its cost grew with the country, not with the
-- answer. member_search holds, per membership, all that a search filters and sorts on (its
-- union's path, status, joining date; the person's name, phone, gender, birth date), and
-- its indexes are keyed by the ancestors at depths 1 to 4 (the root, a province or national
-- industrial union, a city, a county): a search in a subtree reads the matches of that
-- subtree only (a grassroots union, deeper, those of its county, kept to its own range),
-- filters and sorts them in this one table, and joins the 50 rows of its page.
-- Kept by statement triggers on memberships and persons, like the subtree figures (0011).
CREATE TABLE member_search (
  membership_id bigint PRIMARY KEY,
  org_path text COLLATE "C" NOT NULL,
  status text NOT NULL,
  joined_on date NOT NULL,
  name text NOT NULL,
  phone text COLLATE "C",
  gender text NOT NULL,
  birth_date date
);

-- A name's grams (its characters and pairs of characters, as name_grams of 0002/0014) under
-- each ancestor at depths 1-4: '1:王', '1:王芳', '12:王', ... ('12' is the province's id):
-- about 5 grams a name, 4 ancestors, 20 keys. Self-contained (no call to name_grams) so that
-- autovacuum, which runs with an empty search_path, can evaluate it when it analyzes the table.
CREATE FUNCTION member_search_keys(org_path text, name text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  labels text[] := string_to_array(org_path, '.');
  n integer := coalesce(char_length(name), 0);
  grams text[] := '{}';
  gram text;
  keys text[] := '{}';
BEGIN
  FOR i IN 1 .. n LOOP
    gram := lower(substr(name, i, 1));
    IF NOT gram = ANY (grams) THEN grams := grams || gram; END IF;
    IF i < n THEN
      gram := lower(substr(name, i, 2));
      IF NOT gram = ANY (grams) THEN grams := grams || gram; END IF;
    END IF;
  END LOOP;
  FOR d IN 1 .. least(4, coalesce(array_length(labels, 1), 0)) LOOP
    FOREACH gram IN ARRAY grams LOOP
      keys := keys || (labels[d] || ':' || gram);
    END LOOP;
  END LOOP;
  RETURN keys;
END
$$;

-- Refills the table from memberships and persons (after a load with triggers off), its
-- secondary indexes dropped meanwhile and built again after: far faster than 20 GIN keys
-- a row inserted one row at a time.
CREATE FUNCTION rebuild_member_search() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  definitions text[];
  definition text;
  index_name text;
BEGIN
  SELECT coalesce(array_agg(indexdef), '{}') INTO definitions FROM pg_indexes
  WHERE schemaname = current_schema() AND tablename = 'member_search' AND indexname <> 'member_search_pkey';
  FOR index_name IN SELECT indexname FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = 'member_search' AND indexname <> 'member_search_pkey' LOOP
    EXECUTE format('DROP INDEX %I', index_name);
  END LOOP;
  TRUNCATE member_search;
  -- In the order of the unions' paths: a subtree's rows then lie on few pages of their own.
  INSERT INTO member_search (membership_id, org_path, status, joined_on, name, phone, gender, birth_date)
  SELECT m.id, m.org_path, m.status, m.joined_on, p.name, p.phone, p.gender, p.birth_date FROM memberships m JOIN persons p ON p.id = m.person_id
  ORDER BY m.org_path;
  FOREACH definition IN ARRAY definitions LOOP
    EXECUTE definition;
  END LOOP;
END
$$;

CREATE FUNCTION memberships_keep_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO member_search (membership_id, org_path, status, joined_on, name, phone, gender, birth_date)
    SELECT n.id, n.org_path, n.status, n.joined_on, p.name, p.phone, p.gender, p.birth_date FROM new_rows n JOIN persons p ON p.id = n.person_id;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM member_search s USING old_rows o WHERE s.membership_id = o.id;
  ELSE
    -- A transfer or leaving (status), an organization moved (org_path).
    UPDATE member_search s SET org_path = n.org_path, status = n.status, joined_on = n.joined_on
    FROM new_rows n WHERE s.membership_id = n.id AND (s.org_path, s.status, s.joined_on) IS DISTINCT FROM (n.org_path, n.status, n.joined_on);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER memberships_search_insert AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_keep_search();
CREATE TRIGGER memberships_search_update AFTER UPDATE ON memberships
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_keep_search();
CREATE TRIGGER memberships_search_delete AFTER DELETE ON memberships
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_keep_search();

CREATE FUNCTION persons_keep_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE member_search s SET name = n.name, phone = n.phone, gender = n.gender, birth_date = n.birth_date
  FROM new_rows n JOIN memberships m ON m.person_id = n.id
  WHERE s.membership_id = m.id AND (s.name, s.phone, s.gender, s.birth_date) IS DISTINCT FROM (n.name, n.phone, n.gender, n.birth_date);
  RETURN NULL;
END $$;
CREATE TRIGGER persons_search_update AFTER UPDATE ON persons
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION persons_keep_search();

SELECT rebuild_member_search();

CREATE INDEX member_search_name_keys ON member_search USING gin (member_search_keys(org_path, name));
-- Phones are searched among current members: one index per depth, the ancestor's id then the phone.
CREATE INDEX member_search_phone_1 ON member_search (split_part(org_path, '.', 1), phone) WHERE status = 'active';
CREATE INDEX member_search_phone_2 ON member_search (split_part(org_path, '.', 2), phone) WHERE status = 'active';
CREATE INDEX member_search_phone_3 ON member_search (split_part(org_path, '.', 3), phone) WHERE status = 'active';
CREATE INDEX member_search_phone_4 ON member_search (split_part(org_path, '.', 4), phone) WHERE status = 'active';
-- A grassroots union's members, to search by walking them.
CREATE INDEX member_search_org_path ON member_search (org_path);
ANALYZE member_search;
