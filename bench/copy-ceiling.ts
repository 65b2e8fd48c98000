import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { openBenchDatabase } from './database.ts';

/**
 * How fast can rows go into the roster's tables at all? COPY of N ready-made rows — already
 * encrypted, hashed and masked, nothing left to check — into a bare table of the same
 * columns, then into persons (its indexes) and memberships (its indexes, foreign keys and
 * figures trigger), in one transaction, rolled back. The import can only be slower than
 * the sum of the last two. On the province data set:
 *
 *   node --import tsx bench/copy-ceiling.ts 200000
 */
const rows = Number(process.argv[2] ?? 200_000);
const db = await openBenchDatabase('province', 54401);
const client = await db.pool.connect();
const copy = async (label: string, sql: string, text: string) => {
  const started = performance.now();
  await pipeline(Readable.from([text]), client.query(copyFrom(sql)));
  const seconds = (performance.now() - started) / 1000;
  console.log(`| ${label} | ${Math.round(rows / seconds).toLocaleString('en')} | ${(seconds / rows * 1e6).toFixed(1)} |`);
};
try {
  const unions = (await client.query<{ id: string; path: string; province: string }>(
    `SELECT id, path::text AS path, province_of(path) AS province FROM orgs WHERE level = 'grassroots' ORDER BY id`)).rows;
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰';
  const pick = (chars: string) => chars[Math.floor(Math.random() * chars.length)]!;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const name = pick(surnames) + pick(given) + (i % 2 ? pick(given) : '');
    const phone = `1${3_000_000_000 + Math.floor(Math.random() * 6_000_000_000)}`;
    lines.push(`${name}\t${i % 2 ? 'male' : 'female'}\t1980-0${1 + (i % 9)}-1${i % 10}\t\\\\x${randomBytes(40).toString('hex')}\t\\\\x${randomBytes(32).toString('hex')}\t4101**********${String(i % 10_000).padStart(4, '0')}\t${phone}\t某某公司\n`);
  }
  const persons = lines.join('');
  const columns = 'name, gender, birth_date, id_number_cipher, id_number_hash, id_number_masked, phone, employer';
  console.log(`${rows.toLocaleString('en')} rows\n\n| COPY of ready-made rows into | rows/s | µs a row |\n|---|---:|---:|`);
  await client.query('BEGIN');
  await client.query(`CREATE TEMP TABLE bare AS SELECT ${columns} FROM persons LIMIT 0`);
  await copy('a bare table of the same columns', `COPY bare (${columns}) FROM STDIN`, persons);
  const before = (await client.query<{ m: string }>('SELECT max(id) AS m FROM persons')).rows[0]!.m;
  await copy('persons (5 indexes)', `COPY persons (${columns}) FROM STDIN`, persons);
  const ids = (await client.query<{ id: string }>('SELECT id FROM persons WHERE id > $1 ORDER BY id', [before])).rows;
  const memberships = ids.map((p, i) => {
    const union = unions[i % unions.length]!;
    return `${p.id}\t${union.id}\t${union.path}\t${union.province}\t2020-01-01\n`;
  }).join('');
  await copy('memberships (5 indexes, 2 foreign keys, the figures trigger)', 'COPY memberships (person_id, org_id, org_path, province_id, joined_on) FROM STDIN', memberships);
} finally {
  await client.query('ROLLBACK');
  client.release();
  await db.stop();
}
