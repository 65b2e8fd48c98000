-- The member list of any subtree, a page at a time, without sorting the subtree: each
-- membership carries its union's path (as text in byte order, so a subtree is one range of
-- an index: '1.12.13.14' and everything from '1.12.13.14.' up to '1.12.13.14/'). A page in
-- roster order (by union, then by name) walks that range and sorts one union at a time, so
-- a county's page costs what a province's or the root's does. Kept right by the code that
-- writes memberships (insert, transfer) and by the organization move.
ALTER TABLE memberships ADD COLUMN org_path text COLLATE "C";
-- Filling the column changes no figure: the figures trigger would only compare 2 × n rows.
ALTER TABLE memberships DISABLE TRIGGER memberships_figures_update;
UPDATE memberships m SET org_path = o.path::text FROM orgs o WHERE o.id = m.org_id;
ALTER TABLE memberships ENABLE TRIGGER memberships_figures_update;
ALTER TABLE memberships ALTER COLUMN org_path SET NOT NULL;
CREATE INDEX memberships_org_path ON memberships (org_path, id);
