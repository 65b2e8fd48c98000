import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMobilePhone, nationalIdProblem } from '@workers-home/contract';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { loadSecrets, secretsFromMasterKey } from '../src/plugins/secrets.ts';
import { checkKeyFingerprint } from '../src/startup.ts';
import { call, createTestApp, json, type TestApp } from './helpers.ts';

describe('configuration', () => {
  it('has working defaults and names the variable that is wrong', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, seedDemo: true, sessionIdleMinutes: 120 });
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
    expect(loadConfig({ SEED_DEMO: '0' }).seedDemo).toBe(false);
  });
});

describe('the ID-number key', () => {
  it('is created at first start as a file only its owner can read, and reused after', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wh-key-'));
    const first = await loadSecrets(undefined, dir);
    expect((await stat(path.join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
    const second = await loadSecrets(undefined, dir);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.decrypt(first.encrypt('11010519491231002X'))).toBe('11010519491231002X');
    await rm(dir, { recursive: true });
  });

  it('refuses a short SECRET_KEY, detects tampering, and stops start-up with the wrong key', async () => {
    await expect(loadSecrets('too-short', '/nonexistent')).rejects.toThrow(/at least 32/);
    const secrets = secretsFromMasterKey(Buffer.from('k'.repeat(40)));
    const cipher = secrets.encrypt('11010519491231002X');
    cipher[cipher.length - 20]! ^= 1;
    expect(() => secrets.decrypt(cipher)).toThrow();
    const t = await createTestApp();
    try {
      await checkKeyFingerprint(t.pool, secrets);
      await checkKeyFingerprint(t.pool, secrets);
      await expect(checkKeyFingerprint(t.pool, secretsFromMasterKey(Buffer.from('x'.repeat(40))))).rejects.toThrow(/not the key/);
    } finally {
      await t.close();
    }
  });

  it('applies migrations once; running them again changes nothing', async () => {
    const t = await createTestApp();
    try {
      expect(await migrate(t.pool)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('the demo federation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.pool, t.secrets);
  });
  afterAll(async () => { await t.close(); });

  it('holds every organization of the source documents at its level', async () => {
    const expected: Array<[string, string]> = [
      ['中华全国总工会', 'national'], ['内蒙古自治区总工会', 'provincial'], ['上海市总工会', 'provincial'], ['河南省总工会', 'provincial'],
      ['新疆生产建设兵团总工会', 'provincial'], ['中国铁路工会全国委员会', 'industrial'], ['中国民航工会全国委员会', 'industrial'],
      ['中国金融工会全国委员会', 'industrial'], ['中央和国家机关工会联合会', 'industrial'], ['呼伦贝尔市总工会', 'city'], ['锡林郭勒盟工会', 'city'],
      ['巴彦淖尔市总工会', 'city'], ['郑州市总工会', 'city'], ['满洲里市总工会', 'county'], ['阿尔山市总工会', 'county'], ['二连浩特口岸工会联合会', 'county'],
      ['策克口岸经济开发区工会委员会', 'county'], ['新巴尔虎右旗总工会', 'county'], ['新巴尔虎左旗总工会', 'county'], ['中牟县总工会', 'county'],
    ];
    const rows = await t.pool.query<{ name: string; level: string }>('SELECT name, level FROM orgs WHERE name = ANY($1)', [expected.map(([n]) => n)]);
    expect(rows.rows.map((r) => [r.name, r.level]).sort()).toEqual(expected.sort());
    const zhongmou = await t.pool.query<{ parent: string }>(`SELECT p.name AS parent FROM orgs o JOIN orgs p ON p.id = o.parent_id WHERE o.name = '中牟县总工会'`);
    expect(zhongmou.rows[0]!.parent).toBe('郑州市总工会');
    const counts = await t.pool.query<{ grassroots: number; members: number; cadres: number }>(
      `SELECT (SELECT count(*)::int FROM orgs WHERE level = 'grassroots') AS grassroots,
              (SELECT count(*)::int FROM memberships WHERE status = 'active') AS members,
              (SELECT count(*)::int FROM cadre_positions) AS cadres`,
    );
    expect(counts.rows[0]!.grassroots).toBeGreaterThanOrEqual(200);
    expect(counts.rows[0]!.members).toBeGreaterThanOrEqual(3000);
    expect(counts.rows[0]!.cadres).toBeGreaterThanOrEqual(200);
  });

  it('has valid ID numbers and phones, agreeing with each person\'s birth date and gender, and some membership history', async () => {
    const people = await t.pool.query<{ cipher: Buffer; birth: string; gender: string; phone: string }>('SELECT id_number_cipher AS cipher, birth_date AS birth, gender, phone FROM persons');
    for (const p of people.rows) {
      const id = t.secrets.decrypt(p.cipher);
      expect(nationalIdProblem(id), id).toBeNull();
      expect(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`).toBe(p.birth);
      expect(Number(id[16]) % 2 === 1 ? 'male' : 'female').toBe(p.gender);
      expect(isMobilePhone(p.phone)).toBe(true);
    }
    const history = await t.pool.query<{ status: string }>(`SELECT DISTINCT status FROM memberships ORDER BY status`);
    expect(history.rows.map((r) => r.status)).toEqual(['active', 'left', 'transferred_out']);
  });

  it('is the same federation every time', async () => {
    const other = await createTestApp();
    try {
      await seedDemo(other.pool, other.secrets);
      const digest = (db: TestApp) => db.pool.query<{ d: string }>(`SELECT md5(string_agg(name || id_number_masked || coalesce(phone, ''), ',' ORDER BY id)) AS d FROM persons`);
      expect((await digest(other)).rows[0]!.d).toBe((await digest(t)).rows[0]!.d);
      await expect(seedDemo(other.pool, other.secrets)).rejects.toThrow(/empty database/);
    } finally {
      await other.close();
    }
  });

  it('signs the demo accounts in, each seeing its own subtree', async () => {
    const login = async (username: string) => {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'WorkersHome2026' } });
      expect(response.statusCode, username).toBe(200);
      return { accountId: 0, username, cookie: `wh_session=${response.cookies.find((c) => c.name === 'wh_session')!.value}` };
    };
    const zhongmou = await login('zhongmou.admin');
    const roots = json<Array<{ name: string }>>(await call(t, zhongmou, { url: '/api/orgs/roots' }));
    expect(roots.map((r) => r.name)).toEqual(['中牟县总工会']);
    const shanghai = json<{ total: number }>(await call(t, zhongmou, { url: `/api/orgs?q=${encodeURIComponent('上海')}` }));
    expect(shanghai.total).toBe(0);
    const member = await login('member');
    expect(json<{ memberships: Array<{ orgName: string }> }>(await call(t, member, { url: '/api/me/person' })).memberships[0]!.orgName).toBe('中牟县人民医院工会');
    for (const username of ['admin', 'nmg.admin', 'grassroots.admin']) await login(username);
  });
});
