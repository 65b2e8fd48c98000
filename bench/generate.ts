import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { from as copyFrom } from 'pg-copy-streams';
import { maskNationalId, nationalIdCheckCharacter } from '@workers-home/contract';
import type { Pool } from '../server/src/db/pool.ts';
import { createRandom, makeName, makePhone, randomDate, type Random } from '../server/src/demo/generate.ts';
import type { Secrets } from '../server/src/plugins/secrets.ts';
import { benchSecrets, openBenchDatabase } from './database.ts';

/**
 * The bench federation: shaped like the real one (national federation -> provincial
 * federations and national industrial unions -> city -> county -> grassroots unions;
 * seed-facts.md), deterministic (one seed), with valid ID numbers, loaded with COPY.
 */
export const SCALES = {
  smoke: { provinces: 2, cities: 2, counties: 2, unionsPerCounty: 25, membersPerUnion: 25 },
  // ≈ 50k unions, 2M members: one province.
  province: { provinces: 1, cities: 14, counties: 9, unionsPerCounty: 397, membersPerUnion: 40 },
  // ≈ 1M unions, 20M members: twenty provinces.
  'national-slice': { provinces: 20, cities: 14, counties: 9, unionsPerCounty: 397, membersPerUnion: 20 },
} as const;
export type Scale = keyof typeof SCALES;

const PROVINCES = ['河南', '内蒙古', '山东', '广东', '四川', '江苏', '河北', '湖南', '安徽', '湖北', '浙江', '广西', '云南', '江西', '辽宁', '福建', '陕西', '黑龙江', '山西', '贵州', '重庆', '吉林', '甘肃', '新疆', '上海', '北京', '天津', '海南', '宁夏', '青海', '西藏'];
const INDUSTRIAL = ['中国海员建设工会', '中国铁路工会', '中国民航工会', '中国金融工会', '中国教育工会', '中国农林水利气象工会', '中国机械冶金建材工会', '中国国防邮电工会', '中国财贸轻纺烟草工会', '中国能源化学地质工会'];
// Valid first two digits of ID numbers; block b of 5M people uses prefix b, so numbers never repeat.
export const ID_PREFIXES = ['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65'];
const ETHNICITIES = ['汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '回族', '蒙古族', '满族', '壮族'];
const POLITICAL = ['群众', '群众', '群众', '中共党员', '共青团员'];
const EDUCATION = ['高中', '大专', '本科', '本科', '硕士研究生', '初中', '中专'];
const EMPLOYMENT = ['全日制', '全日制', '全日制', '劳务派遣', '非全日制', '新就业形态'];

/** The i-th person of a data set: unique, valid ID number (block, region and sequence come from i). */
export function benchPerson(random: Random, i: number) {
  const gender = random.chance(0.5) ? 'male' as const : 'female' as const;
  const birthDate = randomDate(random, 1962, 2004);
  const block = Math.floor(i / 5_000_000);
  const region = ID_PREFIXES[block % ID_PREFIXES.length]! + String(i % 10_000).padStart(4, '0');
  const sequence = (Math.floor(i / 10_000) % 500) * 2 + (gender === 'male' ? 1 : 0);
  const first17 = region + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0');
  return {
    gender, birthDate, idNumber: first17 + nationalIdCheckCharacter(first17),
    name: makeName(random, gender, random.chance(0.02)), ethnicity: random.pick(ETHNICITIES), phone: makePhone(random),
    politicalStatus: random.pick(POLITICAL), education: random.pick(EDUCATION), employmentForm: random.pick(EMPLOYMENT),
    joinedOn: randomDate(random, Math.max(Number(birthDate.slice(0, 4)) + 18, 1990), 2025),
  };
}

class CopyWriter {
  private buffer = '';
  private readonly stream: ReturnType<typeof copyFrom>;
  rows = 0;
  constructor(client: { query: (s: ReturnType<typeof copyFrom>) => ReturnType<typeof copyFrom> }, sql: string) {
    this.stream = client.query(copyFrom(sql));
  }
  async write(fields: Array<string | number | null>) {
    this.buffer += fields.map((f) => (f === null ? '\\N' : String(f))).join('\t') + '\n';
    this.rows++;
    if (this.buffer.length > 1 << 20) {
      if (!this.stream.write(this.buffer)) await once(this.stream, 'drain');
      this.buffer = '';
    }
  }
  async end() {
    this.stream.end(this.buffer);
    await once(this.stream, 'finish');
  }
}

export interface Generated {
  organizations: number;
  grassrootsUnions: number;
  persons: number;
  rootId: number;
  provinceIds: number[];
  seconds: number;
}

/** Loads the federation into an empty database (triggers off during the load, figures and member search rebuilt after). */
export async function generateFederation(pool: Pool, secrets: Secrets, scale: Scale, log: (line: string) => void): Promise<Generated> {
  const shape = SCALES[scale];
  const started = performance.now();
  const random = createRandom(20261121);
  const client = await pool.connect();
  const second = await pool.connect();
  try {
    await client.query(`SET session_replication_role = replica`);
    await second.query(`SET session_replication_role = replica`);
    const orgs = new CopyWriter(client, 'COPY orgs (id, parent_id, path, name, level, kind, region_code) FROM STDIN');
    let nextId = 0;
    const add = async (parent: { id: number; path: string } | null, name: string, level: string, kind: string) => {
      const id = ++nextId;
      const path = parent ? `${parent.path}.${id}` : String(id);
      await orgs.write([id, parent?.id ?? null, path, name, level, kind, '410100']);
      return { id, path };
    };
    const root = await add(null, '中华全国总工会', 'national', 'federation');
    for (const name of INDUSTRIAL) await add(root, name, 'industrial', 'industrial_union');
    const unions: Array<{ id: number; path: string; province: number }> = [];
    const provinceIds: number[] = [];
    for (let p = 0; p < shape.provinces; p++) {
      const provinceName = PROVINCES[p % PROVINCES.length]! + (p >= PROVINCES.length ? String(p) : '');
      const province = await add(root, `${provinceName}省总工会`, 'provincial', 'federation');
      provinceIds.push(province.id);
      for (let c = 0; c < shape.cities; c++) {
        const city = await add(province, `${provinceName}第${c + 1}市总工会`, 'city', 'federation');
        for (let k = 0; k < shape.counties; k++) {
          const county = await add(city, `${provinceName}${c + 1}市第${k + 1}县总工会`, 'county', 'federation');
          for (let u = 0; u < shape.unionsPerCounty; u++) {
            const union = await add(county, `${provinceName}${c + 1}-${k + 1}县第${u + 1}企业工会`, 'grassroots', 'enterprise_union');
            unions.push({ id: union.id, path: union.path, province: province.id });
          }
        }
      }
    }
    await orgs.end();
    log(`  ${nextId} organizations (${unions.length} grassroots unions)`);

    // Persons and their memberships stream side by side on two connections (foreign keys are off during the load).
    const persons = new CopyWriter(client, `COPY persons (id, province_id, name, gender, ethnicity, birth_date, id_number_cipher, id_number_hash, id_number_masked,
      phone, political_status, education, employer, employment_form) FROM STDIN`);
    const memberships = new CopyWriter(second, 'COPY memberships (person_id, org_id, org_path, province_id, joined_on, ended_on, status, card_number) FROM STDIN');
    let personCount = 0;
    for (const union of unions) {
      const members = random.int(1, shape.membersPerUnion * 2 - 1);
      for (let m = 0; m < members; m++) {
        const p = benchPerson(random, personCount++);
        await persons.write([personCount, union.province, p.name, p.gender, p.ethnicity, p.birthDate, `\\\\x${secrets.encrypt(p.idNumber).toString('hex')}`,
          `\\\\x${secrets.lookupHash(p.idNumber).toString('hex')}`, maskNationalId(p.idNumber), p.phone, p.politicalStatus, p.education,
          `第${union.id}号企业`, p.employmentForm]);
        // 95 % current members; the rest left or transferred out (their history stays).
        const roll = random.next();
        const status = roll < 0.95 ? 'active' : roll < 0.98 ? 'left' : 'transferred_out';
        await memberships.write([personCount, union.id, union.path, union.province, p.joinedOn, status === 'active' ? null : '2026-01-15', status, null]);
        if ((personCount & 0x3ffff) === 0) log(`  ${personCount} persons...`);
      }
    }
    await persons.end();
    await memberships.end();
    log(`  ${personCount} persons loaded; rebuilding figures and statistics...`);
    await client.query(`SET session_replication_role = DEFAULT`);
    await client.query(`SELECT setval(pg_get_serial_sequence('orgs', 'id'), $1)`, [nextId]);
    await client.query(`SELECT setval(pg_get_serial_sequence('persons', 'id'), $1)`, [personCount]);
    await client.query('INSERT INTO id_numbers (id_number_hash, person_id) SELECT id_number_hash, id FROM persons');
    await client.query(`SELECT rebuild_subtree_figures()`);
    await client.query(`SELECT rebuild_member_search_by_province()`);
    await client.query('VACUUM ANALYZE orgs');
    await client.query('VACUUM ANALYZE persons');
    await client.query('VACUUM ANALYZE memberships');
    await client.query('VACUUM ANALYZE member_search');
    await client.query(`INSERT INTO settings (key, value) VALUES ('bench_scale', to_jsonb($1::text)) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [scale]);
    return { organizations: nextId, grassrootsUnions: unions.length, persons: personCount, rootId: root.id, provinceIds, seconds: (performance.now() - started) / 1000 };
  } finally {
    await second.query(`SET session_replication_role = DEFAULT`).catch(() => undefined);
    client.release();
    second.release();
  }
}

// `node --import tsx bench/generate.ts --scale province`: generates into the bench database of that scale.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: 'smoke' }, port: { type: 'string', default: '54400' } } });
  const scale = values.scale as Scale;
  if (!(scale in SCALES)) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const db = await openBenchDatabase(scale, Number(values.port));
  try {
    const existing = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs');
    if (existing.rows[0]!.n > 0) throw new Error('the bench database is not empty; remove bench/.data/' + scale);
    const result = await generateFederation(db.pool, benchSecrets, scale, (line) => process.stderr.write(line + '\n'));
    process.stderr.write(JSON.stringify(result) + '\n');
  } finally {
    await db.stop();
  }
}
