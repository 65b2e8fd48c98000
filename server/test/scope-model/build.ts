/**
 * Random federations (fast-check) and their construction in the database, mirrored in the
 * reference model as it goes.
 */
import fc from 'fast-check';
import { certificateCheckCharacter, ROLES, type Role } from '@workers-home/contract';
import { call, makeOrg, makePerson, signIn, unique, type OrgRef, type TestApp } from '../helpers.ts';
import { multipart } from '../import-helpers.ts';
import { insertSession } from '../training-helpers.ts';
import { makeClass } from '../training-fixtures.ts';
import { emptyWorld, type MAccount, type World } from './model.ts';

export interface FederationSpec {
  /** Per province, the number of unions under each of its counties. */
  provinces: number[][];
  persons: Array<{ union: number; status: 'active' | 'transferred' | 'left'; to: number }>;
  /** Callers: each holds one or two grants (role, org index); `trainee` links it to a person with an active membership. */
  callers: Array<{ grants: Array<{ role: Role; org: number }>; trainee: number | null }>;
  /** Accounts that never sign in (targets of the account and grant routes). */
  bystanders: Array<{ role: Role; org: number }>;
  classes: Array<{ org: number; status: 'draft' | 'open' | 'running' | 'closed'; audience: number[]; trainees: number[] }>;
  positions: Array<{ person: number; org: number }>;
}

const role = fc.constantFrom<Role>(...ROLES);
const idx = fc.nat({ max: 10_000 });

export const federationSpec: fc.Arbitrary<FederationSpec> = fc.record({
  provinces: fc.array(fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 3 }),
  persons: fc.array(fc.record({ union: idx, status: fc.constantFrom<'active' | 'transferred' | 'left'>('active', 'active', 'transferred', 'left'), to: idx }), { minLength: 6, maxLength: 10 }),
  callers: fc.array(fc.record({ grants: fc.array(fc.record({ role, org: idx }), { minLength: 1, maxLength: 2 }), trainee: fc.option(idx, { nil: null, freq: 3 }) }), { minLength: 5, maxLength: 7 }),
  bystanders: fc.array(fc.record({ role, org: idx }), { minLength: 2, maxLength: 4 }),
  classes: fc.array(fc.record({
    org: idx, status: fc.constantFrom<'draft' | 'open' | 'running' | 'closed'>('draft', 'open', 'running', 'running', 'closed'),
    audience: fc.array(idx, { maxLength: 2 }), trainees: fc.array(idx, { maxLength: 4 }),
  }), { minLength: 2, maxLength: 4 }),
  positions: fc.array(fc.record({ person: idx, org: idx }), { maxLength: 3 }),
});

/** Always the same few callers besides the random ones: an admin of a county and of a province, and a trainee. */
export interface Built { world: World; root: OrgRef }

export async function buildFederation(t: TestApp, spec: FederationSpec): Promise<Built> {
  const w = emptyWorld();
  const pick = <T>(list: T[], n: number): T => list[n % list.length]!;
  const add = (o: OrgRef, parentId: number | null, level: string) => { w.orgs.push({ id: o.id, path: o.path, parentId, level, name: o.name }); return o; };
  const root = add(await makeOrg(t.pool, null, 'national'), null, 'national');
  const unions: OrgRef[] = [];
  for (const counties of spec.provinces) {
    const province = add(await makeOrg(t.pool, root, 'provincial'), root.id, 'provincial');
    for (const n of counties) {
      const county = add(await makeOrg(t.pool, province, 'county'), province.id, 'county');
      for (let i = 0; i < n; i++) unions.push(add(await makeOrg(t.pool, county, 'grassroots'), county.id, 'grassroots'));
    }
  }
  const allOrgs = () => w.orgs.map((o) => ({ id: o.id, path: o.path, name: o.name }));

  for (const p of spec.persons) {
    const union = pick(unions, p.union);
    const made = await makePerson(t, union);
    const first = await t.pool.query<{ id: number }>('SELECT id FROM memberships WHERE person_id = $1', [made.id]);
    const person = { id: made.id, idNumber: made.idNumber, name: '', memberships: [{ id: first.rows[0]!.id, orgId: union.id, status: 'active' as 'active' | 'transferred_out' | 'left' }] };
    const to = pick(unions, p.to);
    if (p.status === 'left' || (p.status === 'transferred' && to.id === union.id)) {
      await t.pool.query(`UPDATE memberships SET status = 'left', ended_on = '2020-01-01' WHERE id = $1`, [person.memberships[0]!.id]);
      person.memberships[0]!.status = 'left';
    } else if (p.status === 'transferred') {
      await t.pool.query(`UPDATE memberships SET status = 'transferred_out', ended_on = '2020-01-01' WHERE id = $1`, [person.memberships[0]!.id]);
      person.memberships[0]!.status = 'transferred_out';
      await t.pool.query('SELECT move_persons_to_province(ARRAY[$1]::bigint[], province_of($2::ltree))', [made.id, to.path]);
      const second = await t.pool.query<{ id: number }>(
        `INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on) VALUES ($1, $2, $3::ltree::text, province_of($3::ltree), '2020-01-01') RETURNING id`,
        [made.id, to.id, to.path]);
      person.memberships.push({ id: second.rows[0]!.id, orgId: to.id, status: 'active' });
    }
    person.name = (await t.pool.query<{ name: string }>('SELECT name FROM persons WHERE id = $1', [made.id])).rows[0]!.name;
    w.persons.push(person);
  }
  const activePersons = w.persons.filter((p) => p.memberships.some((m) => m.status === 'active'));

  for (const c of spec.positions) {
    const person = pick(w.persons, c.person);
    const org = pick(allOrgs(), c.org);
    const row = await t.pool.query<{ id: number }>(`INSERT INTO cadre_positions (province_id, person_id, org_id, title, since) SELECT province_id, id, $2, '委员', '2021-01-01' FROM persons WHERE id = $1 RETURNING id`, [person.id, org.id]);
    w.positions.push({ id: row.rows[0]!.id, personId: person.id, orgId: org.id });
  }

  const linked = new Set<number>();
  for (const c of spec.callers) {
    let personId: number | null = null;
    let grants = c.grants.map((g) => ({ role: g.role, org: pick(allOrgs(), g.org) }));
    if (c.trainee !== null && activePersons.length) {
      const person = pick(activePersons, c.trainee);
      if (!linked.has(person.id)) {
        linked.add(person.id);
        personId = person.id;
        const union = w.orgs.find((o) => o.id === person.memberships.find((m) => m.status === 'active')!.orgId)!;
        grants = [{ role: 'member', org: { id: union.id, path: union.path, name: union.name } }];
      }
    }
    const session = await signIn(t, grants[0]!.role, grants[0]!.org, personId);
    const account: MAccount = { id: session.accountId, username: session.username, personId, grants: [], session };
    for (const [n, g] of grants.entries()) {
      if (n > 0) await t.pool.query(`INSERT INTO role_grants (account_id, role, org_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [account.id, g.role, g.org.id]);
    }
    const rows = await t.pool.query<{ id: number; role: Role; org_id: number }>('SELECT id, role, org_id FROM role_grants WHERE account_id = $1 ORDER BY id', [account.id]);
    account.grants = rows.rows.map((r) => ({ id: r.id, role: r.role, orgId: Number(r.org_id) }));
    w.accounts.push(account);
  }
  for (const b of spec.bystanders) {
    const org = pick(allOrgs(), b.org);
    const username = unique('bystander.').toLowerCase();
    const row = await t.pool.query<{ id: number }>(`INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, $1, 'x') RETURNING id`, [username]);
    const grant = await t.pool.query<{ id: number }>(`INSERT INTO role_grants (account_id, role, org_id) VALUES ($1, $2, $3) RETURNING id`, [row.rows[0]!.id, b.role, org.id]);
    w.accounts.push({ id: row.rows[0]!.id, username, personId: null, grants: [{ id: grant.rows[0]!.id, role: b.role, orgId: org.id }] });
  }

  // A plan and an import job per province (rows for the plan and import routes).
  for (const province of w.orgs.filter((o) => o.level === 'provincial')) {
    const plan = await t.pool.query<{ id: number }>(`INSERT INTO training_plans (org_id, year, title) VALUES ($1, 2026, $2) RETURNING id`, [province.id, unique('年度计划')]);
    w.plans.push({ id: plan.rows[0]!.id, orgId: province.id });
    const union = unions.find((u) => u.path.startsWith(province.path + '.'))!;
    const job = await t.pool.query<{ id: number }>(
      `INSERT INTO import_jobs (org_id, org_path, file_name, file_format, status, phase, finished_at) VALUES ($1, $2::ltree, 'roster.csv', 'csv', 'succeeded', 'done', now()) RETURNING id`,
      [union.id, union.path]);
    w.importJobs.push({ id: job.rows[0]!.id, orgId: union.id });
    // News: the union's newsroom with a published article, a report on it, and a photo.
    await t.pool.query(`INSERT INTO news_newsrooms (org_id, slug) VALUES ($1::bigint, 'org-' || $1::bigint)`, [union.id]);
    const article = await t.pool.query<{ id: number }>(
      `INSERT INTO news_articles (org_id, title, channel, status, published_at) VALUES ($1, $2, 'notices', 'published', now()) RETURNING id`, [union.id, unique('稿件')]);
    w.articles.push({ id: article.rows[0]!.id, orgId: union.id });
    const report = await t.pool.query<{ id: number }>(
      `INSERT INTO news_reports (article_id, org_id, reason, description, address_hash) VALUES ($1, $2, 'other', '举报', '\\x00') RETURNING id`, [article.rows[0]!.id, union.id]);
    w.reports.push({ id: report.rows[0]!.id, orgId: union.id });
    const image = await t.pool.query<{ id: number }>(
      `INSERT INTO news_images (org_id, width, height, variants, sha256) VALUES ($1, 10, 10, '[]', 'x') RETURNING id`, [union.id]);
    w.images.push({ id: image.rows[0]!.id, orgId: union.id });
  }

  // Huigong Bao: a plan per province; every active member of its unions enrolled (a statement per
  // union, paid), a claim of each linked member and of one more, with a document; a ready batch.
  // The documents are uploaded by an account of the root (a bystander to the model: it never probes).
  const uploader = await signIn(t, 'orgs.reader', root);
  const grant = await t.pool.query<{ id: number }>('SELECT id FROM role_grants WHERE account_id = $1', [uploader.accountId]);
  w.accounts.push({ id: uploader.accountId, username: uploader.username, personId: null, grants: [{ id: grant.rows[0]!.id, role: 'orgs.reader', orgId: root.id }] });
  const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
  const linkedPersons = new Set(w.accounts.map((a) => a.personId).filter((p): p is number => p !== null));
  for (const province of w.orgs.filter((o) => o.level === 'provincial')) {
    const plan = await t.pool.query<{ id: number }>(
      `INSERT INTO services_plans (org_id, name, plan_year, coverage_start, coverage_end, enrol_start, enrol_end, contribution_fen, waiting_days, review_levels)
       VALUES ($1, $2, 2026, '2026-01-01', '2026-12-31', '2026-01-01', '2026-12-31', 3000, 0, '{grassroots}') RETURNING id`, [province.id, unique('惠工保')]);
    const planId = plan.rows[0]!.id;
    await t.pool.query(`INSERT INTO services_plan_rules (plan_id, version, effective_from, rules) VALUES ($1, 1, '2026-01-01', $2)`,
      [planId, JSON.stringify({ dailyAllowanceFen: 5000, deductibleDays: 0, perStayCapFen: 100000, perYearCapFen: 200000, maxStaysPerYear: 3, minStayDays: 0, requiredDocuments: [] })]);
    const aidPlan = { id: planId, orgId: province.id, enrolled: [] as number[] };
    w.aidPlans.push(aidPlan);
    let claimed = 0;
    for (const person of activePersons) {
      const unionId = person.memberships.find((x) => x.status === 'active')!.orgId;
      const union = w.orgs.find((o) => o.id === unionId)!;
      if (!union.path.startsWith(province.path + '.')) continue;
      const statement = await t.pool.query<{ id: number }>(
        `INSERT INTO services_statements (plan_id, org_id, persons, contribution_fen, amount_fen, status, paid_on, reference) VALUES ($1, $2, 1, 3000, 3000, 'paid', '2026-01-01', 'R') RETURNING id`, [planId, unionId]);
      w.statements.push({ id: statement.rows[0]!.id, orgId: unionId });
      await t.pool.query(
        `INSERT INTO services_enrolments (plan_id, person_id, org_id, province_id, statement_id, covered_from, covered_to) VALUES ($1, $2, $3, $4, $5, '2026-01-01', '2026-12-31')`,
        [planId, person.id, unionId, province.id, statement.rows[0]!.id]);
      aidPlan.enrolled.push(person.id);
      if (!linkedPersons.has(person.id) && claimed > 0) continue;
      claimed++;
      const claim = await t.pool.query<{ id: number }>(
        `INSERT INTO services_claims (plan_id, rule_version, person_id, org_id, province_id, request_key, hospital, admitted_on, discharged_on, days, diagnosis,
           bank_name, bank_account, benefit_fen, approved_fen, explanation, status, chain, step, waiting_org_id, org_path)
         VALUES ($1, 1, $2, $3, $4, $5, '医院', '2026-02-01', '2026-02-05', 4, '诊断', '银行', '6222021001012345678', 20000, 20000,
           '{"ruleVersion":1,"days":4,"benefitFen":20000,"lines":[]}', 'in_review', ARRAY[$3::bigint], 1, $3, (SELECT path::text FROM orgs WHERE id = $3)) RETURNING id`,
        [planId, person.id, unionId, province.id, unique('key')]);
      w.claims.push({ id: claim.rows[0]!.id, orgId: unionId, personId: person.id, planId });
      const uploaded = await call(t, uploader, { method: 'POST', url: '/api/services/documents?kind=invoice', ...multipart('invoice.jpg', JPEG) });
      if (uploaded.statusCode !== 201) throw new Error(`document upload: ${uploaded.body}`);
      const docId = uploaded.json<{ id: number }>().id;
      await t.pool.query('UPDATE services_documents SET claim_id = $2 WHERE id = $1', [docId, claim.rows[0]!.id]);
      w.documents.push({ id: docId, claimId: claim.rows[0]!.id, uploaderId: uploader.accountId });
    }
    const batch = await t.pool.query<{ id: number }>(`INSERT INTO services_batches (plan_id, org_id, status, progress) VALUES ($1, $2, 'ready', 1) RETURNING id`, [planId, province.id]);
    w.batches.push({ id: batch.rows[0]!.id, orgId: province.id });
  }

  // Classes running now (sessions under way, so check-in and presence reach their real checks).
  for (const spec1 of spec.classes) {
    const org = pick(allOrgs(), spec1.org);
    const audience = [...new Set(spec1.audience.map((a) => pick(allOrgs(), a).id))];
    const today = new Date(Date.now() + 8 * 3600_000);
    const day = (d: number) => new Date(today.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    const classId = await makeClass(t.pool, org, { status: spec1.status, startsOn: day(-2), endsOn: day(2), audienceOrgIds: audience, competencyModel: true, title: unique('培训班') });
    w.classes.push({ id: classId, orgId: org.id, status: spec1.status, audience });
    const sessionId = await insertSession(t, classId, -10, 60);
    w.sessions.push({ id: sessionId, classId });
    const course = await t.pool.query<{ id: number }>(`INSERT INTO training_courses (org_id, class_id, title) VALUES ($1, $2, '配套课程') RETURNING id`, [org.id, classId]);
    w.courses.push({ id: course.rows[0]!.id, classId, orgId: org.id });
    const material = await t.pool.query<{ id: number }>(
      `INSERT INTO training_materials (course_id, position, kind, title, url, required_minutes) VALUES ($1, 0, 'video', '第一讲', 'https://video.example.org/v', 5) RETURNING id`, [course.rows[0]!.id]);
    w.materials.push({ id: material.rows[0]!.id, courseId: course.rows[0]!.id });
    const job = await t.pool.query<{ id: number }>(`INSERT INTO training_certificate_jobs (class_id, status) VALUES ($1, 'succeeded') RETURNING id`, [classId]);
    w.certJobs.push({ id: job.rows[0]!.id, classId });
    const trainees = spec1.status === 'draft' ? [] : [...new Set(spec1.trainees.map((n) => pick(activePersons, n)))];
    // Linked trainees take part in every class that has trainees, so the trainee routes have an inside.
    for (const a of w.accounts) if (a.personId !== null && spec1.status !== 'draft' && !trainees.some((p) => p.id === a.personId)) trainees.push(w.persons.find((p) => p.id === a.personId)!);
    for (const person of trainees) {
      const union = person.memberships.find((m) => m.status === 'active')!.orgId;
      const e = await t.pool.query<{ id: number }>(`INSERT INTO training_enrolments (province_id, class_id, person_id, org_id, mode) SELECT province_id, $1, id, $3, 'onsite' FROM persons WHERE id = $2 RETURNING id`, [classId, person.id, union]);
      const enrolmentId = e.rows[0]!.id;
      w.enrolments.push({ id: enrolmentId, classId, personId: person.id, orgId: union });
      const digits = '2024' + String(enrolmentId).padStart(10, '0');
      const number = `WH${digits}${certificateCheckCharacter(digits)}`;
      const cert = await t.pool.query<{ id: number }>(
        `INSERT INTO training_certificates (number, enrolment_id, province_id, person_name, class_title, org_name, starts_on, ends_on, hours, pdf)
         SELECT $1, id, province_id, '张三', '培训班', $3, '2024-05-20', '2024-05-24', 32, '\\x255044462d' FROM training_enrolments WHERE id = $2 RETURNING id`, [number, enrolmentId, org.name]);
      w.certificates.push({ id: cert.rows[0]!.id, enrolmentId, number });
    }
  }
  return { world: w, root };
}
