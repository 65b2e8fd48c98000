import { openBenchDatabase } from './database.ts';
const db = await openBenchDatabase('province', 54401);
const c = await db.pool.connect();
const run = async (label: string, sqls: string[]) => {
  await c.query('BEGIN');
  try {
    for (const sql of sqls) {
      const t = performance.now();
      const r = await c.query(sql);
      if (sql.startsWith('EXPLAIN')) console.log(r.rows.map((x) => x['QUERY PLAN']).filter((l: string) => /Trigger|Execution|Insert/.test(l)).join('\n'));
      console.log(label, ((performance.now() - t) / 1000).toFixed(2), sql.slice(0, 50));
    }
  } finally { await c.query('ROLLBACK'); }
};
const persons = `INSERT INTO persons (name, gender, birth_date, id_number_cipher, id_number_hash, id_number_masked, phone, employer)
  SELECT (ARRAY['张伟','王芳','李娜','刘洋','陈静'])[1 + g % 5] || (g % 97)::text, CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END, date '1980-01-01' + (g % 9000),
   decode(md5(g::text) || md5(g::text) || md5(g::text), 'hex'), sha256(('x' || g)::bytea), '1101**********0011', '138' || lpad((g % 100000000)::text, 8, '0'), '某公司'
  FROM generate_series(1, 1000000) g`;
await run('pending 1GB', [`SET LOCAL gin_pending_list_limit = '1GB'`, `EXPLAIN ANALYZE ${persons}`]);
c.release();
await db.stop();
