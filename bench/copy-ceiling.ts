import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Pool } from '../server/src/db/pool.ts';
import { openBenchDatabase } from './database.ts';

/**
 * How fast can rows go into the roster's tables at all? COPY of N ready-made rows — already
 * encrypted, hashed and masked, nothing left to check — into a bare table of the same
 * columns, then into persons (its indexes) and memberships (its indexes, foreign keys, the
 * figures and search triggers), in one transaction, rolled back. The import can only be
 * slower than the sum of the last two. `run.ts` measures it beside the import; alone, on the
 * province data set:
 *
 *   node --import tsx bench/copy-ceiling.ts 200000 [without-search]
 */
export async function copyCeiling(pool: Pool, rows: number, print: (line: string) => void = () => undefined, withoutSearch = false) {
  const client = await pool.connect();
  const seconds: Record<'bare' | 'persons' | 'memberships', number> = { bare: 0, persons: 0, memberships: 0 };
  const copy = async (part: keyof typeof seconds, label: string, sql: string, text: string) => {
    const started = performance.now();
    await pipeline(Readable.from([text]), client.query(copyFrom(sql)));
    seconds[part] = (performance.now() - started) / 1000;
    print(`| ${label} | ${Math.round(rows / seconds[part]).toLocaleString('en')} | ${(seconds[part] / rows * 1e6).toFixed(1)} |`);
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
      lines.push(`${unions[i % unions.length]!.province}\t${name}\t${i % 2 ? 'male' : 'female'}\t1980-0${1 + (i % 9)}-1${i % 10}\t\\\\x${randomBytes(40).toString('hex')}\t\\\\x${randomBytes(32).toString('hex')}\t4101**********${String(i % 10_000).padStart(4, '0')}\t${phone}\t某某公司\n`);
    }
    const persons = lines.join('');
    lines.length = 0;
    const columns = 'province_id, name, gender, birth_date, id_number_cipher, id_number_hash, id_number_masked, phone, employer';
    print(`${rows.toLocaleString('en')} rows\n\n| COPY of ready-made rows into | rows/s | µs a row |\n|---|---:|---:|`);
    await client.query('BEGIN');
    // The write cost of member_search (migration 0050): the same COPY without its trigger (rolled back with the rest).
    if (withoutSearch) await client.query('ALTER TABLE memberships DISABLE TRIGGER memberships_search_insert');
    await client.query(`CREATE TEMP TABLE bare AS SELECT ${columns} FROM persons LIMIT 0`);
    await copy('bare', 'a bare table of the same columns', `COPY bare (${columns}) FROM STDIN`, persons);
    const before = (await client.query<{ m: string }>('SELECT max(id) AS m FROM persons')).rows[0]!.m;
    await copy('persons', 'persons (its indexes)', `COPY persons (${columns}) FROM STDIN`, persons);
    const ids = (await client.query<{ id: string }>('SELECT id FROM persons WHERE id > $1 ORDER BY id', [before])).rows;
    const memberships = ids.map((p, i) => {
      const union = unions[i % unions.length]!;
      return `${p.id}\t${union.id}\t${union.path}\t${union.province}\t2020-01-01\n`;
    }).join('');
    await copy('memberships', 'memberships (its indexes, foreign keys, the figures and search triggers)', 'COPY memberships (person_id, org_id, org_path, province_id, joined_on) FROM STDIN', memberships);
    return { ...seconds, rowsPerSecond: rows / (seconds.persons + seconds.memberships) };
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const db = await openBenchDatabase('province', 54401);
  try {
    await copyCeiling(db.pool, Number(process.argv[2] ?? 200_000), (line) => console.log(line), process.argv[3] === 'without-search');
  } finally {
    await db.stop();
  }
}
