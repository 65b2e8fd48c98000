-- Foundation: the organization tree, people and memberships, accounts and access, audit log.
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Small key/value facts about this installation (e.g. the fingerprint of the ID-number key).
CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);

-- The organization tree. `path` is the chain of ids from the root (1.4.27): every
-- subtree query is `path <@ $root`, served by the GiST index below.
CREATE TABLE orgs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id bigint REFERENCES orgs (id),
  path ltree NOT NULL,
  name text NOT NULL,
  short_name text,
  level text NOT NULL CHECK (level IN ('national', 'provincial', 'industrial', 'city', 'county', 'grassroots')),
  kind text NOT NULL,
  region_code text CHECK (region_code ~ '^\d{6}$'),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  closed_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'closed') = (closed_on IS NOT NULL)),
  CHECK ((parent_id IS NULL) = (nlevel(path) = 1))
);
CREATE INDEX orgs_path_gist ON orgs USING gist (path);
CREATE UNIQUE INDEX orgs_path_btree ON orgs (path);
CREATE INDEX orgs_parent ON orgs (parent_id);
CREATE UNIQUE INDEX orgs_active_sibling_name ON orgs (coalesce(parent_id, 0), name) WHERE status = 'active';
CREATE INDEX orgs_name_trgm ON orgs USING gin (name gin_trgm_ops);

-- The path of a new organization is its parent's path plus its own id.
CREATE FUNCTION orgs_set_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.parent_id IS NULL THEN
    NEW.path := NEW.id::text::ltree;
  ELSE
    SELECT path || NEW.id::text INTO STRICT NEW.path FROM orgs WHERE id = NEW.parent_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER orgs_set_path BEFORE INSERT ON orgs FOR EACH ROW EXECUTE FUNCTION orgs_set_path();

-- A person. The national ID number is stored encrypted (AES-256-GCM), found by a keyed
-- hash (HMAC-SHA-256), and shown masked; the key never enters the database.
CREATE TABLE persons (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  gender text NOT NULL CHECK (gender IN ('male', 'female')),
  ethnicity text,
  birth_date date,
  id_number_cipher bytea NOT NULL,
  id_number_hash bytea NOT NULL UNIQUE,
  id_number_masked text NOT NULL,
  phone text,
  political_status text,
  education text,
  employer text,
  employment_form text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX persons_name_trgm ON persons USING gin (name gin_trgm_ops);
CREATE INDEX persons_phone ON persons (phone);

-- Membership of a person in a grassroots union. A transfer or leaving closes the row
-- (status, ended_on) and a transfer opens a new one: the history stays.
-- province_id (the provincial-level ancestor) is the distribution key for Citus.
CREATE TABLE memberships (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES persons (id),
  org_id bigint NOT NULL REFERENCES orgs (id),
  province_id bigint NOT NULL,
  joined_on date NOT NULL,
  ended_on date,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'transferred_out', 'left')),
  card_number text,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'active') = (ended_on IS NULL)),
  CHECK (ended_on IS NULL OR ended_on >= joined_on)
);
CREATE UNIQUE INDEX memberships_one_active_per_person ON memberships (person_id) WHERE status = 'active';
CREATE INDEX memberships_org_status ON memberships (org_id, status);
CREATE INDEX memberships_person ON memberships (person_id);

CREATE TABLE cadre_positions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES persons (id),
  org_id bigint NOT NULL REFERENCES orgs (id),
  title text NOT NULL,
  since date NOT NULL,
  until date,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (until IS NULL OR until >= since)
);
CREATE INDEX cadre_positions_org ON cadre_positions (org_id);
CREATE INDEX cadre_positions_person ON cadre_positions (person_id);

CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username = lower(username)),
  display_name text NOT NULL,
  password_hash text NOT NULL,
  person_id bigint UNIQUE REFERENCES persons (id),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A role held on an organization reaches its whole subtree.
CREATE TABLE role_grants (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  role text NOT NULL CHECK (role IN ('admin', 'organizer', 'reviewer', 'editor', 'auditor', 'member')),
  org_id bigint NOT NULL REFERENCES orgs (id),
  granted_by bigint REFERENCES accounts (id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, role, org_id)
);
CREATE INDEX role_grants_org ON role_grants (org_id);

-- Sessions live in the database so any server process can answer any request.
-- Only a hash of the cookie's token is stored.
CREATE TABLE sessions (
  token_hash bytea PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip inet,
  user_agent text
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Every write: who, when, what, before and after. Append-only (see the trigger).
-- org_path is the path of the organization the entity belongs to, for subtree scoping.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id bigint REFERENCES accounts (id),
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text,
  org_path ltree,
  person_id bigint,
  before jsonb,
  after jsonb,
  request_id text
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_org_path ON audit_log USING gist (org_path);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_person ON audit_log (person_id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- The provincial-level organization an org belongs to (the second label of its path;
-- the root for the national federation itself): the distribution key for big tables.
CREATE FUNCTION province_of(p ltree) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT subpath(p, CASE WHEN nlevel(p) > 1 THEN 1 ELSE 0 END, 1)::text::bigint
$$;
