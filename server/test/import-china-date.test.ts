import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../src/china-time.ts';
import { cli, createTestApp, makeFederation, validIdNumber, type TestApp } from './helpers.ts';

/**
 * A member imported without a joined date joins on today's date in China, whatever the zone
 * of the process that imports: the CLI runs here in a zone whose calendar day differs from
 * China's at this very hour.
 */
let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await createTestApp();
  dir = await mkdtemp(path.join(tmpdir(), 'wh-china-date-'));
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

/** A time zone whose date differs from China's (UTC+8) now: UTC-8 before 08:00 and from 16:00 UTC, UTC-11 until 10:00, UTC+14 until 16:00. */
function zoneOnAnotherDay(now: Date): string {
  const hour = now.getUTCHours();
  if (hour < 8 || hour >= 16) return 'America/Los_Angeles';
  return hour < 10 ? 'Pacific/Pago_Pago' : 'Pacific/Kiritimati';
}

describe('member import dates', () => {
  it('a row without a joined date joins on China\'s today, whatever the importing process\'s zone', async () => {
    const f = await makeFederation(t.pool);
    const zone = zoneOnAnotherDay(new Date());
    const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
    expect(localDay).not.toBe(chinaDate(new Date()));
    const file = path.join(dir, 'roster.csv');
    const idNumber = validIdNumber();
    await writeFile(file, `姓名,身份证号\n无日期,${idNumber}\n`);
    const run = await cli(['import', 'members', file, '--into', String(f.unionA1.id)],
      { ...process.env, TZ: zone, DATABASE_URL: t.databaseUrl, SECRET_KEY: 'test-key-test-key-test-key-test-key', DATA_DIR: dir });
    expect(run.code, run.output).toBe(0);
    const joined = await t.pool.query<{ day: string }>(
      `SELECT m.joined_on::text AS day FROM memberships m JOIN persons p ON p.id = m.person_id WHERE p.id_number_hash = $1`, [t.secrets.lookupHash(idNumber)]);
    expect(joined.rows[0]?.day).toBe(chinaDate(new Date()));
  });
});
