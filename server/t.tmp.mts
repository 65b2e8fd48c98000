import pg from 'pg';
const c = new pg.Client('postgres://postgres@127.0.0.1:5600/workers_home'); await c.connect();
const tries: Array<[string, string, unknown[]]> = [
  ['unnamed full', `SELECT m.id FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id WHERE (m.org_path >= $1 AND m.org_path < $2) AND m.province_id = ANY ($3::bigint[]) AND m.status = $4 ORDER BY m.org_path, p.name, m.id LIMIT $5 OFFSET $6`, ['1.181.182.183', '1.181.182.183/', [181], 'active', 1, 0]],
  ['any only', `SELECT m.id FROM memberships m WHERE m.province_id = ANY ($1::bigint[]) LIMIT 1`, [[181]]],
  ['path only', `SELECT m.id FROM memberships m WHERE m.org_path >= $1 LIMIT 1`, ['1.181']],
  ['join', `SELECT m.id FROM memberships m JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id WHERE m.org_path >= $1 LIMIT 1`, ['1.181']],
  ['join orgs', `SELECT m.id FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.org_path >= $1 LIMIT 1`, ['1.181']],
  ['limit param', `SELECT m.id FROM memberships m LIMIT $1`, [1]],
];
for (const [name, text, values] of tries) {
  try { await c.query(text, values); console.log('ok', name); } catch (e) { console.log('FAIL', name, (e as Error).message); }
}
await c.end();
