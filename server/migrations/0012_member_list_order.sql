-- The member list is sorted by name: with this index a page of a large subtree walks
-- names in order and stops after 50 members, instead of sorting the whole subtree
-- (2M members: 4 ms instead of 1.8 s). Its total comes from the subtree figures (0011).
CREATE INDEX IF NOT EXISTS persons_name_order ON persons (name, id);
