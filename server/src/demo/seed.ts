import { maskNationalId, ROLE_PRESETS } from '@workers-home/contract';
import { inTransaction, type Client, type Pool } from '../db/pool.ts';
import type { Secrets } from '../plugins/secrets.ts';
import { recordAudit } from '../modules/audit/service.ts';
import { hashPassword } from '../modules/auth/service.ts';
import { DEMO_ACCOUNTS, DEMO_FEDERATION, DEMO_PASSWORD, type DemoOrg } from './federation.ts';
import { chinaDate } from '../china-time.ts';
import { seedTraining } from './training.ts';
import { seedNews } from './news.ts';
import { seedServices } from './services.ts';
import type { FileStore } from '../files/file-store.ts';
import { createRandom, grassrootsName, isoDate, makeName, makeNationalId, makePhone, randomDate, type Random } from './generate.ts';

const placeOfUnion = (name: string) => name.replace(/(快递物流行业|网约配送行业|货车司机)联合工会$/u, '');

export interface DemoSummary {
  organizations: number;
  grassrootsUnions: number;
  persons: number;
  cadrePositions: number;
  accounts: Array<{ username: string; password: string; role: string; org: string }>;
}

interface InsertedOrg {
  id: number;
  path: string;
  name: string;
  regionCode: string | null;
  level: string;
  inInnerMongolia: boolean;
}

const ETHNIC_MINORITIES = ['回族', '满族', '蒙古族', '壮族', '维吾尔族'];
const POLITICAL = ['群众', '群众', '群众', '中共党员', '中共党员', '共青团员'];
const EDUCATION = ['高中', '中专', '大专', '大专', '本科', '本科', '本科', '硕士研究生'];
const EMPLOYMENT = ['全日制', '全日制', '全日制', '全日制', '劳务派遣', '非全日制'];

/** True when the database has no organizations yet (a fresh installation). */
export async function isEmpty(pool: Pool): Promise<boolean> {
  const result = await pool.query('SELECT 1 FROM orgs LIMIT 1');
  return result.rowCount === 0;
}

/**
 * Loads the demo federation of shared/seed-facts.md: the named organizations, generated
 * grassroots unions, members with valid ID numbers and phones, some membership history,
 * cadres, and the demo accounts. Deterministic: the same data on every machine.
 */
/** `files`: where the news photos drawn for the demo are kept (without it the demo's articles have none). */
export async function seedDemo(pool: Pool, secrets: Secrets, files?: FileStore): Promise<DemoSummary> {
  if (!(await isEmpty(pool))) throw new Error('The database already holds organizations; the demo federation loads only into an empty database');
  const random = createRandom(20231105); // the day the first Inner Mongolia training class opened
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return inTransaction(pool, async (db) => {
    const byKey = new Map<string, InsertedOrg>();
    const grassroots: InsertedOrg[] = [];
    let organizations = 0;

    const insert = async (org: DemoOrg, parent: InsertedOrg | null, inInnerMongolia: boolean): Promise<InsertedOrg> => {
      const row = await db.query<{ id: number; path: string }>(
        `INSERT INTO orgs (parent_id, name, short_name, level, kind, region_code) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, path::text`,
        [parent?.id ?? null, org.name, org.shortName ?? null, org.level, org.kind, org.regionCode ?? parent?.regionCode ?? null],
      );
      organizations++;
      const inserted = { ...row.rows[0]!, name: org.name, regionCode: org.regionCode ?? parent?.regionCode ?? null, level: org.level, inInnerMongolia };
      if (org.key) byKey.set(org.key, inserted);
      for (const child of org.children ?? []) await insert(child, inserted, inInnerMongolia || org.key === 'inner-mongolia');
      const usedNames = new Set<string>();
      for (let i = 0; i < (org.grassroots ?? 0); i++) {
        let { name, kind } = grassrootsName(random, org.name, i);
        while (usedNames.has(name)) ({ name, kind } = grassrootsName(random, org.name, i + usedNames.size));
        usedNames.add(name);
        const union = await insert({ name, level: 'grassroots', kind }, inserted, inInnerMongolia || org.key === 'inner-mongolia');
        grassroots.push(union);
        if (org.key && i === 0) byKey.set(`${org.key}-first-grassroots`, union);
      }
      return inserted;
    };
    await insert(DEMO_FEDERATION, null, false);

    const people = generateMembers(random, grassroots);
    const personIds = await insertPeople(db, secrets, people, grassroots);
    const cadrePositions = await insertCadres(db, random, byKey, grassroots, personIds, people);

    const accounts: DemoSummary['accounts'] = [];
    const memberPersonId = personIds[people.findIndex((p) => p.orgIndex === grassroots.indexOf(byKey.get('zhongmou-first-grassroots')!))]!;
    for (const demo of DEMO_ACCOUNTS) {
      const org = byKey.get(demo.orgKey)!;
      const account = await db.query<{ id: number }>(
        `INSERT INTO accounts (username, display_name, password_hash, person_id) VALUES ($1, $2, $3, $4) RETURNING id`,
        [demo.username, demo.displayName, passwordHash, demo.role === 'member' ? memberPersonId : null],
      );
      await db.query(`INSERT INTO role_grants (account_id, role, org_id) SELECT $1, unnest($2::text[]), $3`, [account.rows[0]!.id, ROLE_PRESETS[demo.role], org.id]);
      accounts.push({ username: demo.username, password: DEMO_PASSWORD, role: demo.role, org: org.name });
    }
    // 会员关系转接: an Inner Mongolia union asks for a member of Zhongmou's first union (not the
    // demo member), so zhongmou.admin finds one request waiting for a decision.
    const askingUnion = grassroots.find((u) => u.inInnerMongolia)!;
    const asker = (await db.query<{ id: number }>(`SELECT id FROM accounts WHERE username = 'nmg.admin'`)).rows[0]!.id;
    await db.query(
      `INSERT INTO transfer_requests (province_id, person_id, from_membership_id, from_org_id, to_org_id, transfer_on, note, requested_by)
       SELECT m.province_id, m.person_id, m.id, m.org_id, $2, current_date, '随配偶工作调动至内蒙古', $4
       FROM memberships m WHERE m.org_id = $1 AND m.status = 'active' AND m.person_id <> $3 ORDER BY m.id LIMIT 1`,
      [byKey.get('zhongmou-first-grassroots')!.id, askingUnion.id, memberPersonId, asker],
    );
    await seedTraining(db, byKey, memberPersonId);
    accounts.push(...await seedNews(db, byKey, passwordHash, DEMO_PASSWORD, files));
    accounts.push(...await seedServices(db, byKey, passwordHash, DEMO_PASSWORD, memberPersonId, files));
    await db.query(`INSERT INTO settings (key, value) VALUES ('demo_seeded_at', to_jsonb(now()))`);
    await recordAudit(db, null, { action: 'seed-demo', entity: 'installation', entityId: null, orgPath: null, after: { organizations, persons: people.length } });
    return { organizations, grassrootsUnions: grassroots.length, persons: people.length, cadrePositions, accounts };
  });
}

interface GeneratedPerson {
  name: string;
  gender: 'male' | 'female';
  ethnicity: string;
  birthDate: string;
  idNumber: string;
  phone: string;
  politicalStatus: string;
  education: string;
  employer: string;
  employmentForm: string;
  orgIndex: number;
  joinedOn: string;
  /** Earlier memberships: a union the person transferred out of. */
  transferredFrom: number | null;
  transferredOn: string | null;
  leftOn: string | null;
}

const minDate = (a: string, b: string) => (a < b ? a : b);

/** A day within the last twelve China months (`monthsBack` 1 = this month), not before joining nor after today. */
function leftWithinAYear(monthsBack: number, day: number, joinedOn: string, today: string): string {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - monthsBack, 1));
  const date = isoDate(first.getUTCFullYear(), first.getUTCMonth() + 1, day);
  const capped = minDate(date, today);
  return capped < joinedOn ? joinedOn : capped;
}

/** The last day on or before `today` with this month and day ('MM-DD'). */
function withinLastYear(monthDay: string, today: string): string {
  const year = Number(today.slice(0, 4));
  return `${year}-${monthDay}` <= today ? `${year}-${monthDay}` : `${year - 1}-${monthDay}`;
}

function generateMembers(random: Random, unions: InsertedOrg[]): GeneratedPerson[] {
  const today = chinaDate(new Date());
  const taken = new Set<string>();
  const people: GeneratedPerson[] = [];
  unions.forEach((union, orgIndex) => {
    const size = random.int(8, 40);
    for (let i = 0; i < size; i++) {
      const gender = random.chance(0.52) ? 'male' : 'female';
      const mongolian = union.inInnerMongolia && random.chance(0.25);
      const birthYear = random.int(1966, 2004);
      const birthDate = randomDate(random, birthYear, birthYear);
      const region = union.regionCode ?? random.pick(['110101', '410102', '310104', '150102']);
      // Those drawn in 2024 joined within the last twelve months instead (same month and day), so the
      // home page's trend has a shape; the draws stay as they were, so the same people come out.
      const drawnJoin = randomDate(random, Math.max(birthYear + 18, 1990), 2024);
      const joinedOn = drawnJoin.startsWith('2024-') ? withinLastYear(drawnJoin.slice(5), today) : drawnJoin;
      const isCourier = union.name.includes('快递');
      const transferred = random.chance(0.04) && joinedOn < '2022-01-01';
      const left = !transferred && random.chance(0.025);
      people.push({
        name: makeName(random, gender, mongolian),
        gender,
        ethnicity: mongolian ? '蒙古族' : random.chance(0.06) ? random.pick(ETHNIC_MINORITIES) : '汉族',
        birthDate,
        idNumber: makeNationalId(random, region.endsWith('0000') || region === '659001' ? region.slice(0, 2) + '0102' : region, birthDate, gender, taken),
        phone: makePhone(random),
        politicalStatus: random.pick(POLITICAL),
        education: random.pick(EDUCATION),
        employer: union.name.includes('联合工会') ? `${placeOfUnion(union.name)}${random.pick(['城东', '城西', '站前', '开发区'])}配送站` : union.name.replace(/(工会委员会|工会)$/u, ''),
        employmentForm: isCourier ? '新就业形态' : random.pick(EMPLOYMENT),
        orgIndex,
        joinedOn,
        transferredFrom: transferred ? random.int(0, unions.length - 1) : null,
        transferredOn: transferred ? randomDate(random, 2022, 2024) : null,
        leftOn: left ? leftWithinAYear(random.int(1, 12), random.int(1, 28), joinedOn, today) : null,
      });
    }
  });
  return people;
}

/** Inserts the persons and their memberships (a transfer leaves a closed one behind); returns person ids in order. */
async function insertPeople(db: Client, secrets: Secrets, people: GeneratedPerson[], unions: InsertedOrg[]): Promise<number[]> {
  const personIds: number[] = [];
  const chunk = 2000;
  for (let start = 0; start < people.length; start += chunk) {
    const batch = people.slice(start, start + chunk);
    // A person's home is the province of their present union (migration 0066).
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO persons (province_id, name, gender, ethnicity, birth_date, id_number_cipher, id_number_hash, id_number_masked,
                            phone, political_status, education, employer, employment_form)
       SELECT province_of(home::ltree), name, gender, ethnicity, birth_date, cipher, hash, masked, phone, political_status, education, employer, employment_form
       FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::bytea[], $6::bytea[], $7::text[],
                   $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         AS r(name, gender, ethnicity, birth_date, cipher, hash, masked, phone, political_status, education, employer, employment_form, home)
       RETURNING id`,
      [
        batch.map((p) => p.name), batch.map((p) => p.gender), batch.map((p) => p.ethnicity), batch.map((p) => p.birthDate),
        batch.map((p) => secrets.encrypt(p.idNumber)), batch.map((p) => secrets.lookupHash(p.idNumber)), batch.map((p) => maskNationalId(p.idNumber)),
        batch.map((p) => p.phone), batch.map((p) => p.politicalStatus), batch.map((p) => p.education), batch.map((p) => p.employer), batch.map((p) => p.employmentForm),
        batch.map((p) => unions[p.orgIndex]!.path),
      ],
    );
    // Identity values are handed out in insertion order, so sorted ids line up with the batch.
    const ids = inserted.rows.map((r) => r.id).sort((a, b) => a - b);
    await db.query('INSERT INTO id_numbers (id_number_hash, person_id) SELECT * FROM unnest($1::bytea[], $2::bigint[])',
      [batch.map((p) => secrets.lookupHash(p.idNumber)), ids]);
    personIds.push(...ids);
  }
  type Row = [personId: number, orgId: number, joinedOn: string, endedOn: string | null, status: string, card: string | null, homeId: number];
  const rows: Row[] = [];
  people.forEach((p, i) => {
    const personId = personIds[i]!;
    const union = unions[p.orgIndex]!;
    if (p.transferredFrom !== null && p.transferredFrom !== p.orgIndex && p.transferredOn) {
      rows.push([personId, unions[p.transferredFrom]!.id, p.joinedOn, p.transferredOn, 'transferred_out', null, union.id]);
    }
    const joinedOn = p.transferredFrom !== null && p.transferredFrom !== p.orgIndex && p.transferredOn ? p.transferredOn : p.joinedOn;
    rows.push([personId, union.id, joinedOn, p.leftOn, p.leftOn ? 'left' : 'active', `HG${String(personId).padStart(8, '0')}`, union.id]);
  });
  // Every membership lives in its person's home province, a past one in another province included.
  await db.query(
    `INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on, ended_on, status, card_number)
     SELECT r.person_id, r.org_id, o.path::text, province_of(h.path), r.joined_on, r.ended_on, r.status, r.card
     FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::date[], $5::text[], $6::text[], $7::bigint[]) AS r(person_id, org_id, joined_on, ended_on, status, card, home_id)
     JOIN orgs o ON o.id = r.org_id JOIN orgs h ON h.id = r.home_id`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[4]), rows.map((r) => r[5]), rows.map((r) => r[6])],
  );
  return personIds;
}

async function insertCadres(db: Client, random: Random, byKey: Map<string, InsertedOrg>, unions: InsertedOrg[], personIds: number[], people: GeneratedPerson[]): Promise<number> {
  const rows: Array<[number, number, string, string]> = [];
  const membersOf = new Map<number, number[]>();
  people.forEach((p, i) => {
    if (p.leftOn) return;
    const list = membersOf.get(p.orgIndex) ?? [];
    list.push(personIds[i]!);
    membersOf.set(p.orgIndex, list);
  });
  // Every grassroots union has a chair; federations above them a chair and two vice chairs drawn from their subtree.
  unions.forEach((union, index) => {
    const members = membersOf.get(index) ?? [];
    if (members.length) rows.push([random.pick(members), union.id, '工会主席', randomDate(random, 2019, 2023)]);
  });
  for (const org of byKey.values()) {
    if (org.level === 'grassroots' || org.level === 'national') continue;
    const below = unions.map((u, i) => [u, i] as const).filter(([u]) => u.path.startsWith(org.path + '.'));
    for (const title of ['主席', '副主席', '副主席']) {
      const candidates = below.flatMap(([, i]) => membersOf.get(i) ?? []);
      if (candidates.length) rows.push([random.pick(candidates), org.id, title, randomDate(random, 2018, 2023)]);
    }
  }
  // A position is one of the person's rows, in their home province (their present union's).
  const homeOf = new Map(people.map((p, i) => [personIds[i]!, unions[p.orgIndex]!.id]));
  await db.query(
    `INSERT INTO cadre_positions (province_id, person_id, org_id, title, since)
     SELECT province_of(h.path), r.person_id, r.org_id, r.title, r.since
     FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[], $5::bigint[]) AS r(person_id, org_id, title, since, home_id) JOIN orgs h ON h.id = r.home_id`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => homeOf.get(r[0]))],
  );
  return rows.length;
}
