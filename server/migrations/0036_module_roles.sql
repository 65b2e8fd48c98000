-- Module roles. The six global roles become the roles the modules declare
-- (contract/src/roles.ts), each still granted on an organization and reaching its subtree:
-- every grant of an old role becomes grants of its preset's roles (ROLE_PRESETS there) on the
-- same organization, by the same granter at the same time. The list of valid roles lives in
-- the contract (a new module adds its roles without a migration); the table keeps their shape.

ALTER TABLE role_grants DROP CONSTRAINT role_grants_role_check;

INSERT INTO role_grants (account_id, role, org_id, granted_by, granted_at)
SELECT g.account_id, p.role, g.org_id, g.granted_by, g.granted_at
FROM role_grants g
JOIN (VALUES
  ('admin', 'orgs.admin'), ('admin', 'people.admin'), ('admin', 'auth.admin'), ('admin', 'audit.reader'), ('admin', 'training.organizer'),
  ('organizer', 'training.organizer'), ('organizer', 'people.reader'),
  ('reviewer', 'people.reader'), ('reviewer', 'training.reader'),
  ('editor', 'orgs.reader'),
  ('auditor', 'audit.reader'), ('auditor', 'people.reader'), ('auditor', 'training.reader')
) AS p(old_role, role) ON p.old_role = g.role
ON CONFLICT (account_id, role, org_id) DO NOTHING;

DELETE FROM role_grants WHERE role IN ('admin', 'organizer', 'reviewer', 'editor', 'auditor');

ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check CHECK (role = 'member' OR role ~ '^[a-z]+\.[a-z]+(-[a-z]+)*$');
