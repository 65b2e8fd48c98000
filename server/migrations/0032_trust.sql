-- Trust (issue #14): accounts belong somewhere, sign-in failures are counted per account
-- and per address, and a union asks for a member of another union instead of adopting them.

-- Each account has a home organization: an admin sees, grants to, disables and re-enables
-- only the accounts homed in their subtree.
ALTER TABLE accounts ADD COLUMN home_org_id bigint REFERENCES orgs (id);
CREATE INDEX accounts_home_org ON accounts (home_org_id);

-- Existing accounts: a member's home is their current union; anyone else's is the highest
-- organization they hold a role on.
UPDATE accounts a SET home_org_id = m.org_id
FROM memberships m WHERE m.person_id = a.person_id AND m.status = 'active';
UPDATE accounts a SET home_org_id = (
  SELECT g.org_id FROM role_grants g JOIN orgs o ON o.id = g.org_id
  WHERE g.account_id = a.id ORDER BY nlevel(o.path), o.id LIMIT 1)
WHERE a.home_org_id IS NULL;
-- An account with neither (no person, no grant) belongs to the root, so someone can manage it.
UPDATE accounts SET home_org_id = (SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1)
WHERE home_org_id IS NULL;

-- Whatever writes an account (the API, the CLI, the demo seed, a test), it gets a home: its
-- person's current union, or else the organization of its first role grant.
CREATE FUNCTION account_home_from_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.home_org_id IS NULL AND NEW.person_id IS NOT NULL THEN
    SELECT m.org_id INTO NEW.home_org_id FROM memberships m WHERE m.person_id = NEW.person_id AND m.status = 'active';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER accounts_home_from_person BEFORE INSERT ON accounts
  FOR EACH ROW EXECUTE FUNCTION account_home_from_person();

CREATE FUNCTION account_home_from_grant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE accounts SET home_org_id = NEW.org_id WHERE id = NEW.account_id AND home_org_id IS NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER role_grants_home AFTER INSERT ON role_grants
  FOR EACH ROW EXECUTE FUNCTION account_home_from_grant();

-- A member's account follows its person: when a person's new membership begins (a transfer,
-- an approved transfer request, joining after leaving, an import), the account moves home to
-- the new union, and its member grants on the organizations the person left behind (those
-- above the previous union that do not also hold the new one) end. Staff roles (admin,
-- organizer, ...) are never ended by a move: whoever approved the move may not manage them;
-- an admin reaching all of them does. One statement for a whole import: the new rows are
-- joined to the few accounts linked to a person.
CREATE FUNCTION accounts_follow_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH moved AS (
    SELECT a.id AS account_id, n.org_id AS new_org_id, n.org_path::ltree AS new_path,
           (SELECT o.path FROM memberships p JOIN orgs o ON o.id = p.org_id
            WHERE p.person_id = n.person_id AND p.status <> 'active' ORDER BY p.ended_on DESC, p.id DESC LIMIT 1) AS old_path
    FROM inserted n JOIN accounts a ON a.person_id = n.person_id
    WHERE n.status = 'active'),
  homed AS (UPDATE accounts a SET home_org_id = m.new_org_id FROM moved m WHERE a.id = m.account_id RETURNING a.id)
  DELETE FROM role_grants g USING moved m, orgs o
  WHERE g.account_id = m.account_id AND o.id = g.org_id AND g.role = 'member'
    AND m.old_path IS NOT NULL AND m.old_path <@ o.path AND NOT m.new_path <@ o.path;
  RETURN NULL;
END $$;
CREATE TRIGGER memberships_accounts_follow AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION accounts_follow_memberships();

-- Wrong passwords, counted per username and address (a lock there) and per address (a
-- limit there), never as a lock on the account itself: a stranger cannot lock a real user
-- out from another address. Rows older than a day are pruned as new ones come in.
CREATE TABLE sign_in_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL,
  ip inet NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_username ON sign_in_failures (username, failed_at);
CREATE INDEX sign_in_failures_ip ON sign_in_failures (ip, failed_at);

-- 会员关系转接: a union that finds a person held by an active membership elsewhere asks for
-- them; an admin reaching the union that holds them approves or declines.
CREATE TABLE transfer_requests (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES persons (id),
  from_membership_id bigint NOT NULL REFERENCES memberships (id),
  from_org_id bigint NOT NULL REFERENCES orgs (id),
  to_org_id bigint NOT NULL REFERENCES orgs (id),
  transfer_on date NOT NULL,
  note text,
  card_number text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined', 'cancelled')),
  requested_by bigint NOT NULL REFERENCES accounts (id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by bigint REFERENCES accounts (id),
  decided_at timestamptz,
  reason text,
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX transfer_requests_one_pending ON transfer_requests (person_id) WHERE status = 'pending';
CREATE INDEX transfer_requests_from ON transfer_requests (from_org_id, status);
CREATE INDEX transfer_requests_to ON transfer_requests (to_org_id, status);
