import ExcelJS from 'exceljs';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AidEnrolResult, AidPlan, Batch, BenefitRules, Claim, ClaimDocument, ContributionStatement, MyCoverage, Workbench } from '@workers-home/contract';

interface Page<T> { items: T[]; total: number }
import { chinaDate } from '../src/china-time.ts';
import { computeBenefit } from '../src/modules/services/benefit.ts';
import { buildBatch } from '../src/modules/services/payout.ts';
import { forgetCallers } from '../src/plugins/access.ts';
import { call, createTestApp, expectProblem, grantRoles, json, makeFederation, makeOrg, makePerson, signIn, type OrgRef, type Session, type TestApp } from './helpers.ts';

let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let manager: Session;
let unionManager: Session;
let siblingManager: Session;
let unionReviewer: Session;
let countyReviewer: Session;
let provinceReviewer: Session;
let siblingReviewer: Session;
let payer: Session;

const DAY = 86_400_000;
const today = chinaDate(new Date());
const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * DAY).toISOString().slice(0, 10);

const RULES: BenefitRules = {
  dailyAllowanceFen: 5000, deductibleDays: 2, perStayCapFen: 30000, perYearCapFen: 150000, maxStaysPerYear: 3, minStayDays: 2,
  requiredDocuments: ['discharge_summary', 'invoice'],
};

function planInput(orgId: number, extra: Record<string, unknown> = {}) {
  return {
    orgId, name: `惠工保 ${day(-200).slice(0, 4)}`, planYear: Number(day(-200).slice(0, 4)), coverageStart: day(-200), coverageEnd: day(165),
    enrolStart: day(-200), enrolEnd: day(10), minAge: 16, maxAge: 65, contributionFen: 3000, waitingDays: 10,
    reviewLevels: ['grassroots', 'county'], sampling: null, rules: RULES, ...extra,
  };
}

function multipart(filename: string, content: Buffer) {
  const boundary = '----services-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return { payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

let photo: Buffer;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function upload(session: Session, kind: string, content = photo, name = 'photo.jpg'): Promise<ClaimDocument> {
  const response = await call(t, session, { method: 'POST', url: `/api/services/documents?kind=${kind}`, ...multipart(name, content) });
  expect(response.statusCode, response.body).toBe(201);
  return json<ClaimDocument>(response);
}

async function documents(session: Session) {
  const summary = await upload(session, 'discharge_summary');
  const invoice = await upload(session, 'invoice', PDF, 'invoice.pdf');
  return [{ id: summary.id, kind: summary.kind }, { id: invoice.id, kind: invoice.kind }];
}

let keys = 0;
function claimInput(docs: Array<{ id: number; kind: string }>, extra: Record<string, unknown> = {}) {
  return {
    hospital: '中牟县人民医院', admittedOn: day(-30), dischargedOn: day(-22), diagnosis: '肺炎', bankName: '中国工商银行', bankAccount: '6222 0210 0101 2345 678',
    documents: docs, requestKey: `test-claim-${++keys}-${Date.now()}`, ...extra,
  };
}

async function createPlan(session: Session, org: OrgRef, extra: Record<string, unknown> = {}): Promise<AidPlan> {
  const response = await call(t, session, { method: 'POST', url: '/api/services/plans', payload: planInput(org.id, extra) });
  expect(response.statusCode, response.body).toBe(201);
  return json<AidPlan>(response);
}

async function enrolAll(session: Session, plan: AidPlan, union: OrgRef): Promise<AidEnrolResult> {
  const response = await call(t, session, { method: 'POST', url: `/api/services/plans/${plan.id}/enrolments`, payload: { orgId: union.id, all: true } });
  expect(response.statusCode, response.body).toBe(201);
  return json<AidEnrolResult>(response);
}

async function pay(session: Session, statementId: number, paidOn = day(-190)) {
  const statement = json<ContributionStatement>(await call(t, session, { url: `/api/services/statements/${statementId}` }));
  const response = await call(t, session, { method: 'POST', url: `/api/services/statements/${statementId}/payment`, payload: { paidOn, amountFen: statement.amountFen, reference: `REF-${statementId}` } });
  expect(response.statusCode, response.body).toBe(200);
  return json<ContributionStatement>(response);
}

async function review(session: Session, claim: Pick<Claim, 'id' | 'version'>, body: Record<string, unknown>) {
  return call(t, session, { method: 'POST', url: `/api/services/claims/${claim.id}/review`, payload: { version: claim.version, ...body } });
}

async function approve(session: Session, claim: Pick<Claim, 'id' | 'version'>): Promise<Claim> {
  const response = await review(session, claim, { action: 'approve' });
  expect(response.statusCode, response.body).toBe(200);
  return json<Claim>(response);
}

/** A covered member with a signed-in account. */
async function coveredMember(plan: AidPlan, union: OrgRef, session = unionManager) {
  const person = await makePerson(t, union, { birthDate: '1980-03-01' });
  const enrolled = json<AidEnrolResult>(await call(t, session, { method: 'POST', url: `/api/services/plans/${plan.id}/enrolments`, payload: { orgId: union.id, personIds: [person.id] } }));
  expect(enrolled.enrolled).toBe(1);
  await pay(session, enrolled.statementId!);
  const member = await signIn(t, 'member', union, person.id);
  return { person, member };
}

async function fileClaim(member: Session, plan: AidPlan, extra: Record<string, unknown> = {}): Promise<Claim> {
  const response = await call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: { planId: plan.id, ...claimInput(await documents(member), extra) } });
  expect(response.statusCode, response.body).toBe(201);
  return json<Claim>(response);
}

let plan: AidPlan;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 200, b: 190 } } }).jpeg().toBuffer();
  manager = await signIn(t, 'services.manager', f.countyA1);
  unionManager = await signIn(t, 'services.manager', f.unionA1);
  siblingManager = await signIn(t, 'services.manager', f.countyA2);
  unionReviewer = await signIn(t, 'services.reviewer', f.unionA1);
  countyReviewer = await signIn(t, 'services.reviewer', f.countyA1);
  provinceReviewer = await signIn(t, 'services.reviewer', f.provinceA);
  siblingReviewer = await signIn(t, 'services.reviewer', f.countyA2);
  payer = await signIn(t, 'services.payer', f.countyA1);
  plan = await createPlan(manager, f.countyA1);
});
afterAll(async () => { await t.close(); });

describe('the benefit', () => {
  it('is computed by the rules and explained line by line, as the issue\'s example', () => {
    const result = computeBenefit({ ...RULES, perYearCapFen: 150000 }, 1, '2026-03-01', '2026-03-09', { stays: 0, fen: 0 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.explanation.lines).toEqual([
      { code: 'days', days: 8 },
      { code: 'allowance', days: 8, dailyFen: 5000, amountFen: 40000, runningFen: 40000 },
      { code: 'deductible', days: 2, dailyFen: 5000, amountFen: -10000, runningFen: 30000 },
      { code: 'total', amountFen: 30000 },
      { code: 'year_left', amountFen: 120000 },
    ]);
    const capped = computeBenefit({ ...RULES, perStayCapFen: 25000 }, 1, '2026-03-01', '2026-03-09', { stays: 1, fen: 140000 });
    expect(capped.ok && capped.explanation.lines.map((l) => l.code)).toEqual(['days', 'allowance', 'deductible', 'stay_cap', 'year_cap', 'total', 'year_left']);
    expect(capped.ok && capped.explanation.benefitFen).toBe(10000);
  });

  it('never exceeds a cap, never goes negative, and is exact in fen whatever the rules and stay', () => {
    fc.assert(fc.property(
      fc.record({
        dailyAllowanceFen: fc.integer({ min: 1, max: 100_000 }), deductibleDays: fc.integer({ min: 0, max: 30 }), perStayCapFen: fc.integer({ min: 0, max: 10_000_000 }),
        perYearCapFen: fc.integer({ min: 0, max: 10_000_000 }), maxStaysPerYear: fc.integer({ min: 1, max: 10 }), minStayDays: fc.integer({ min: 0, max: 5 }),
      }),
      fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 20_000_000 }),
      (rules, days, usedFen) => {
        const result = computeBenefit({ ...rules, requiredDocuments: [] }, 1, '2026-01-01', new Date(Date.UTC(2026, 0, 1 + days)).toISOString().slice(0, 10), { stays: 0, fen: usedFen });
        if (days < rules.minStayDays) return !result.ok;
        if (!result.ok) return false;
        const b = result.explanation.benefitFen;
        const expected = Math.min(Math.max(0, days - rules.deductibleDays) * rules.dailyAllowanceFen, rules.perStayCapFen, Math.max(0, rules.perYearCapFen - usedFen));
        return Number.isInteger(b) && b >= 0 && b === expected && result.explanation.lines.at(-2)!.amountFen === b;
      },
    ), { numRuns: 300 });
  });
});

describe('plans', () => {
  it('are issued, changed with a new rule version, copied to the next year, and refused with every wrong field named', async () => {
    const wrong = await call(t, manager, { method: 'POST', url: '/api/services/plans', payload: planInput(f.countyA1.id, { coverageEnd: day(-300), maxAge: 10, reviewLevels: ['county', 'grassroots'] }) });
    const problem = expectProblem(wrong, 400, 'body.coverageEnd');
    expect(problem.errors!.map((e) => e.field).sort()).toEqual(['body.coverageEnd', 'body.enrolEnd', 'body.maxAge', 'body.reviewLevels']);
    expectProblem(await call(t, manager, { method: 'POST', url: '/api/services/plans', payload: planInput(f.countyA1.id, { reviewLevels: ['provincial'] }) }), 400, 'body.reviewLevels');
    expectProblem(await call(t, siblingManager, { method: 'POST', url: '/api/services/plans', payload: planInput(f.countyA1.id) }), 400, 'body.orgId');

    const own = await createPlan(manager, f.countyA1, { name: '改版测试方案' });
    expect(own.versions).toHaveLength(1);
    expect(own.rules).toEqual(RULES);
    const changed = await call(t, manager, { method: 'PATCH', url: `/api/services/plans/${own.id}`, payload: { contributionFen: 3600, rules: { ...RULES, dailyAllowanceFen: 6000 }, rulesFrom: day(-100) } });
    expect(changed.statusCode, changed.body).toBe(200);
    const after = json<AidPlan>(changed);
    expect(after.contributionFen).toBe(3600);
    expect(after.versions.map((v) => [v.version, v.effectiveFrom])).toEqual([[1, day(-200)], [2, day(-100)]]);
    expect(after.rules.dailyAllowanceFen).toBe(6000);
    expectProblem(await call(t, manager, { method: 'PATCH', url: `/api/services/plans/${own.id}`, payload: { rules: RULES, rulesFrom: day(-150) } }), 400, 'body.rulesFrom');
    expectProblem(await call(t, manager, { method: 'PATCH', url: `/api/services/plans/${own.id}`, payload: { rules: RULES } }), 400, 'body.rulesFrom');

    const copy = await call(t, manager, { method: 'POST', url: `/api/services/plans/${own.id}/copy` });
    expect(copy.statusCode, copy.body).toBe(201);
    const next = json<AidPlan>(copy);
    expect(next.planYear).toBe(own.planYear + 1);
    expect(next.copiedFrom).toBe(own.id);
    expect(next.rules.dailyAllowanceFen).toBe(6000);
    expect(next.versions).toHaveLength(1);
  });

  it('apply to the unions below their issuer, who read but cannot change them; other subtrees do not see them at all', async () => {
    const listed = json<Page<AidPlan>>(await call(t, unionManager, { url: '/api/services/plans' }));
    expect(listed.items.map((p) => p.id)).toContain(plan.id);
    expect((await call(t, unionManager, { url: `/api/services/plans/${plan.id}` })).statusCode).toBe(200);
    expectProblem(await call(t, unionManager, { method: 'PATCH', url: `/api/services/plans/${plan.id}`, payload: { name: '改名' } }), 403);
    expectProblem(await call(t, siblingManager, { url: `/api/services/plans/${plan.id}` }), 404);
    expect(json<Page<AidPlan>>(await call(t, siblingManager, { url: '/api/services/plans' })).items.map((p) => p.id)).not.toContain(plan.id);
  });
});

describe('enrolment and contributions', () => {
  it('enrols a union\'s active members once, lists the ineligible, and covers them after payment and the waiting period', async () => {
    const union = f.unionA1b;
    const people = [await makePerson(t, union), await makePerson(t, union), await makePerson(t, union, { birthDate: '1950-01-01' })];
    const unionB = await signIn(t, 'services.manager', union);
    const result = await enrolAll(unionB, plan, union);
    expect(result).toMatchObject({ enrolled: 2, alreadyEnrolled: 0 });
    expect(result.ineligible).toEqual([{ personId: people[2]!.id, name: expect.any(String) as string, reason: 'age' }]);
    const again = await enrolAll(unionB, plan, union);
    expect(again).toMatchObject({ enrolled: 0, alreadyEnrolled: 2, statementId: null });

    const statement = json<ContributionStatement>(await call(t, unionB, { url: `/api/services/statements/${result.statementId}` }));
    expect(statement).toMatchObject({ persons: 2, contributionFen: 3000, amountFen: 6000, status: 'due' });
    expectProblem(await call(t, unionB, { method: 'POST', url: `/api/services/statements/${statement.id}/payment`, payload: { paidOn: day(-1), amountFen: 5999, reference: 'X' } }), 400, 'body.amountFen');
    expectProblem(await call(t, unionB, { method: 'POST', url: `/api/services/statements/${statement.id}/payment`, payload: { paidOn: day(1), amountFen: 6000, reference: 'X' } }), 400, 'body.paidOn');
    expectProblem(await call(t, siblingManager, { method: 'POST', url: `/api/services/statements/${statement.id}/payment`, payload: { paidOn: day(-1), amountFen: 6000, reference: 'X' } }), 404);
    const paid = await pay(unionB, statement.id, day(-5));
    expect(paid).toMatchObject({ status: 'paid', paidOn: day(-5), reference: `REF-${statement.id}` });
    expectProblem(await call(t, unionB, { method: 'POST', url: `/api/services/statements/${statement.id}/payment`, payload: { paidOn: day(-1), amountFen: 6000, reference: 'X' } }), 409);

    const enrolments = json<Page<{ personId: number; coveredFrom: string | null; memberNow: boolean }>>(await call(t, manager, { url: `/api/services/plans/${plan.id}/enrolments?orgId=${union.id}` }));
    expect(enrolments.total).toBe(2);
    expect(enrolments.items.every((e) => e.coveredFrom === day(5))).toBe(true);

    // A member who leaves keeps the coverage to the end of the period; they see it in the app.
    await t.pool.query(`UPDATE memberships SET status = 'left', ended_on = $2 WHERE person_id = $1`, [people[0]!.id, day(-1)]);
    const member = await signIn(t, 'member', union, people[0]!.id);
    const coverage = json<MyCoverage[]>(await call(t, member, { url: '/api/my/services/coverage' }));
    expect(coverage).toEqual([expect.objectContaining({ planId: plan.id, state: 'waiting', coveredFrom: day(5), coveredTo: day(165), staysLeft: 3, benefitLeftFen: 150000 })]);
    const list = json<Page<{ personId: number; memberNow: boolean }>>(await call(t, manager, { url: `/api/services/plans/${plan.id}/enrolments?orgId=${union.id}` }));
    expect(list.items.find((e) => e.personId === people[0]!.id)!.memberNow).toBe(false);

    // The notice as a workbook and a PDF, read back.
    const xlsx = await call(t, unionB, { url: `/api/services/statements/${statement.id}/notice.xlsx` });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.at(-2)).toContain('60.00');
    const pdf = await call(t, unionB, { url: `/api/services/statements/${statement.id}/notice.pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses unions outside the plan or the caller\'s subtree, and enrolment outside its window', async () => {
    expectProblem(await call(t, unionManager, { method: 'POST', url: `/api/services/plans/${plan.id}/enrolments`, payload: { orgId: f.unionA1b.id, all: true } }), 400, 'body.orgId');
    const otherPlan = await createPlan(manager, f.countyA1, { enrolStart: day(-200), enrolEnd: day(-150) });
    expectProblem(await call(t, manager, { method: 'POST', url: `/api/services/plans/${otherPlan.id}/enrolments`, payload: { orgId: f.unionA1.id, all: true } }), 409, 'body.orgId');
    const provincePlan = await createPlan(await signIn(t, 'services.manager', f.provinceA), f.provinceA, { reviewLevels: ['county', 'provincial'] });
    expectProblem(await call(t, await signIn(t, 'services.manager', f.unionA2), { method: 'POST', url: `/api/services/plans/${provincePlan.id}/enrolments`, payload: { orgId: f.unionA1.id, all: true } }), 400, 'body.orgId');
    expectProblem(await call(t, manager, { method: 'POST', url: `/api/services/plans/${plan.id}/enrolments`, payload: { orgId: f.unionA2.id, all: true } }), 400, 'body.orgId');
  });
});

describe('enrolment from a spreadsheet', () => {
  it('checks every row first, writes nothing unless all are good (or acceptValid), and enrols nobody twice', async () => {
    const union = await makeOrg(t.pool, f.countyA1, 'grassroots');
    const [a, b, c] = [await makePerson(t, union, { name: '王芳' }), await makePerson(t, union, { name: '李强' }), await makePerson(t, union, { name: '赵敏' })];
    const stranger = await makePerson(t, f.unionA2, { name: '孙丽' });
    const csv = ['惠工保参保名单', '姓名,身份证号', `王芳,${a.idNumber}`, `李强,${b.idNumber}`, '', `赵刚,${c.idNumber}`, `孙丽,${stranger.idNumber}`, '钱七,11010519491231002', `王芳,${a.idNumber}`].join('\n');
    const send = (query: string) => call(t, manager, { method: 'POST', url: `/api/services/plans/${plan.id}/enrolments/import?orgId=${union.id}${query}`, ...multipart('名单.csv', Buffer.from(csv)) });
    const refused = await send('');
    expect(refused.statusCode, refused.body).toBe(422);
    const rows = refused.json<{ rows: Array<{ row: number; field: string; code: string }> }>().rows;
    expect(rows.map((r) => [r.row, r.field, r.code])).toEqual([
      [6, 'name', 'services.import.name_mismatch'], [7, 'id_number', 'services.import.not_member'],
      [8, 'id_number', 'people.id_number.length_actual'], [9, 'id_number', 'services.import.duplicate_row'],
    ]);
    const enrolled = async () => (await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM services_enrolments WHERE org_id = $1', [union.id])).rows[0]!.n;
    expect(await enrolled()).toBe(0);
    const preview = json<{ enrolled: number; rejected: unknown[]; dryRun: boolean }>(await send('&dryRun=true&acceptValid=true'));
    expect(preview).toMatchObject({ dryRun: true, enrolled: 2 });
    expect(preview.rejected).toHaveLength(4);
    expect(await enrolled()).toBe(0);
    const done = await send('&acceptValid=true');
    expect(done.statusCode, done.body).toBe(201);
    expect(json<{ enrolled: number; statementId: number }>(done)).toMatchObject({ enrolled: 2, statementId: expect.any(Number) as number });
    expect(await enrolled()).toBe(2);
    const again = json<{ enrolled: number; alreadyEnrolled: number }>(await send('&acceptValid=true'));
    expect(again).toMatchObject({ enrolled: 0, alreadyEnrolled: 2 });
    expectProblem(await call(t, siblingManager, { method: 'POST', url: `/api/services/plans/${plan.id}/enrolments/import?orgId=${union.id}`, ...multipart('a.csv', Buffer.from(csv)) }), 404);
    expectProblem(await call(t, manager, { method: 'POST', url: `/api/services/plans/${plan.id}/enrolments/import?orgId=${union.id}`, ...multipart('a.csv', Buffer.from('foo,bar\n1,2\n')) }), 422, 'body.file');
  });
});

describe('claims', () => {
  it('refuses bad documents by their content and size, naming the field', async () => {
    const { member } = await coveredMember(plan, f.unionA1);
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2000, 1)]);
    expectProblem(await call(t, member, { method: 'POST', url: '/api/services/documents?kind=invoice', ...multipart('invoice.jpg', exe) }), 415, 'body.file');
    const huge = Buffer.concat([photo, Buffer.alloc(11 * 1024 * 1024)]);
    expectProblem(await call(t, member, { method: 'POST', url: '/api/services/documents?kind=invoice', ...multipart('big.jpg', huge) }), 413, 'body.file');
    expectProblem(await call(t, member, { method: 'POST', url: '/api/services/documents?kind=passport', ...multipart('a.jpg', photo) }), 400);
    const count = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM services_documents');
    expect(count.rows[0]!.n).toBe(0);
  });

  it('checks everything at filing, each failure a reason on its field, and files one claim however often it is sent', async () => {
    const { member, person } = await coveredMember(plan, f.unionA1);
    const docs = await documents(member);
    const bad = await call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: { planId: plan.id, ...claimInput([docs[0]!], { admittedOn: day(2), dischargedOn: day(1) }) } });
    const problem = expectProblem(bad, 400, 'body.dischargedOn');
    expect(problem.errors!.map((e) => e.field).sort()).toEqual(['body.admittedOn', 'body.dischargedOn', 'body.dischargedOn', 'body.documents']);
    expectProblem(await call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: { planId: plan.id, ...claimInput(docs, { admittedOn: day(-30), dischargedOn: day(-29) }) } }), 400, 'body.dischargedOn');
    expectProblem(await call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: { planId: plan.id, ...claimInput(docs, { admittedOn: day(-199), dischargedOn: day(-190) }) } }), 400, 'body.admittedOn');
    expectProblem(await call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: { planId: plan.id, ...claimInput(docs, { bankAccount: '12ab' }) } }), 400, 'body.bankAccount');

    // A double click: the same request twice at once files one claim.
    const input = { planId: plan.id, ...claimInput(docs) };
    const [first, second] = await Promise.all([
      call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: input }),
      call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: input }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 201]);
    expect(json<Claim>(first).id).toBe(json<Claim>(second).id);
    const claim = json<Claim>(first);
    expect(claim).toMatchObject({ status: 'in_review', days: 8, benefitFen: 30000, approvedFen: 30000, waitingOrgId: f.unionA1.id, bankAccount: '***************5678' });
    expect(claim.explanation.lines.map((l) => l.code)).toEqual(['days', 'allowance', 'deductible', 'total', 'year_left']);
    expect(claim.chain.map((c) => [c.orgId, c.decision])).toEqual([[f.unionA1.id, 'pending'], [f.countyA1.id, 'pending']]);
    expect(claim.documents).toHaveLength(2);
    expect(json<Claim[]>(await call(t, member, { url: '/api/my/services/claims' })).map((c) => c.personId)).toEqual([person.id]);

    // The same stay again with another key overlaps; the documents are already taken.
    const overlap = await call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: { planId: plan.id, ...claimInput(await documents(member), { admittedOn: day(-25), dischargedOn: day(-20) }) } });
    expectProblem(overlap, 400, 'body.admittedOn');
    expectProblem(await call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: { planId: plan.id, ...claimInput(docs, { admittedOn: day(-60), dischargedOn: day(-50) }) } }), 400, 'body.documents');

    // Documents show to the member, the reviewers of the subtree; to nobody else.
    const docUrl = claim.documents[0]!.url;
    expect((await call(t, member, { url: docUrl })).headers['content-type']).toBe('image/jpeg');
    expect((await call(t, countyReviewer, { url: docUrl })).statusCode).toBe(200);
    expectProblem(await call(t, siblingReviewer, { url: docUrl }), 404);
    expectProblem(await call(t, siblingReviewer, { url: `/api/services/claims/${claim.id}` }), 404);
    const stranger = await signIn(t, 'member', f.unionA1, (await makePerson(t, f.unionA1)).id);
    expectProblem(await call(t, stranger, { url: docUrl }), 404);
    expectProblem(await call(t, stranger, { url: `/api/my/services/claims/${claim.id}` }), 404);
  });

  it('refuses a claim before the contribution is paid, and in the waiting period', async () => {
    const person = await makePerson(t, f.unionA1);
    const enrolled = json<AidEnrolResult>(await call(t, unionManager, { method: 'POST', url: `/api/services/plans/${plan.id}/enrolments`, payload: { orgId: f.unionA1.id, personIds: [person.id] } }));
    const member = await signIn(t, 'member', f.unionA1, person.id);
    expectProblem(await call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: { planId: plan.id, ...claimInput(await documents(member)) } }), 400, 'body.planId');
    await pay(unionManager, enrolled.statementId!, day(-25));
    const waiting = expectProblem(await call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: { planId: plan.id, ...claimInput(await documents(member)) } }), 400, 'body.admittedOn');
    expect(waiting.errors![0]!.message).toContain(day(-15));
  });

  it('passes up the tree: the union, then the county; each decides once, two at once get one 409, nobody reviews their own', async () => {
    const { member } = await coveredMember(plan, f.unionA1);
    const claim = await fileClaim(member, plan);
    // Not yet the county's turn to appear in its own queue; the union's queue has it.
    const unionQueue = json<Page<Claim>>(await call(t, unionReviewer, { url: '/api/services/claims?waitingForMe=true' }));
    expect(unionQueue.items.map((c) => c.id)).toContain(claim.id);
    expect(json<Page<Claim>>(await call(t, countyReviewer, { url: '/api/services/claims?waitingForMe=true' })).items.map((c) => c.id)).not.toContain(claim.id);
    expectProblem(await review(siblingReviewer, claim, { action: 'approve' }), 404);
    expectProblem(await review(payer, claim, { action: 'approve' }), 403);

    // Two reviewers of the union at the same moment: one wins.
    const otherUnionReviewer = await signIn(t, 'services.reviewer', f.unionA1);
    const [a, b] = await Promise.all([review(unionReviewer, claim, { action: 'approve' }), review(otherUnionReviewer, claim, { action: 'approve' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const atCounty = json<Claim>(a.statusCode === 200 ? a : b);
    expect(atCounty).toMatchObject({ status: 'in_review', waitingOrgId: f.countyA1.id });
    const winner = a.statusCode === 200 ? unionReviewer : otherUnionReviewer;
    // Holding the county's role too does not let the union's approver decide the county's level.
    await grantRoles(t, winner.accountId, 'services.reviewer', f.countyA1);
    forgetCallers();
    expectProblem(await review(winner, atCounty, { action: 'approve' }), 403);

    const countyQueue = json<Page<Claim>>(await call(t, countyReviewer, { url: '/api/services/claims?waitingForMe=true' }));
    expect(countyQueue.items.map((c) => c.id)).toContain(claim.id);
    const approved = await approve(countyReviewer, atCounty);
    expect(approved.status).toBe('approved');
    expect(approved.chain.map((c) => c.decision)).toEqual(['approve', 'approve']);
    expect(approved.history.map((e) => e.action)).toEqual(['submit', 'approve', 'approve']);
    const seen = json<Claim>(await call(t, member, { url: `/api/my/services/claims/${claim.id}` }));
    expect(seen).toMatchObject({ status: 'approved', can: { appeal: false, resubmit: false } });

    // A reviewer who is the member: not their own.
    const { member: selfMember } = await coveredMember(plan, f.unionA1);
    const own = await fileClaim(selfMember, plan);
    await grantRoles(t, selfMember.accountId, 'services.reviewer', f.unionA1);
    forgetCallers();
    expectProblem(await review(selfMember, own, { action: 'approve' }), 403);
  });

  it('returns for a missing document; the member adds it and the claim waits where it was', async () => {
    const { member } = await coveredMember(plan, f.unionA1);
    const claim = await fileClaim(member, plan);
    const atCounty = await approve(unionReviewer, claim);
    const returned = await review(countyReviewer, atCounty, { action: 'return', missingDocuments: ['expense_list'], reason: '请补充费用清单' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(json<Claim>(returned)).toMatchObject({ status: 'returned', missingDocuments: ['expense_list'], waitingOrgId: null });
    const mine = json<Claim>(await call(t, member, { url: `/api/my/services/claims/${claim.id}` }));
    expect(mine.can.resubmit).toBe(true);
    const photoOnly = await upload(member, 'id_card');
    expectProblem(await call(t, member, { method: 'POST', url: `/api/my/services/claims/${claim.id}/resubmit`, payload: { version: mine.version, documents: [{ id: photoOnly.id, kind: 'id_card' }] } }), 400, 'body.documents');
    const list = await upload(member, 'expense_list');
    const resubmitted = await call(t, member, { method: 'POST', url: `/api/my/services/claims/${claim.id}/resubmit`, payload: { version: mine.version, documents: [{ id: list.id, kind: 'expense_list' }] } });
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    expect(json<Claim>(resubmitted)).toMatchObject({ status: 'in_review', waitingOrgId: f.countyA1.id, missingDocuments: [] });
  });

  it('is appealed once, to the level above the one that decided; an adjustment appealed and refused stands', async () => {
    const { member } = await coveredMember(plan, f.unionA1);
    const claim = await fileClaim(member, plan);
    const atCounty = await approve(unionReviewer, claim);
    expectProblem(await review(countyReviewer, atCounty, { action: 'reject' }), 400, 'body.reason');
    const rejected = json<Claim>(await review(countyReviewer, atCounty, { action: 'reject', reason: '非住院治疗' }));
    expect(rejected.status).toBe('rejected');
    const mine = json<Claim>(await call(t, member, { url: `/api/my/services/claims/${claim.id}` }));
    expect(mine.can.appeal).toBe(true);
    const appealed = await call(t, member, { method: 'POST', url: `/api/my/services/claims/${claim.id}/appeal`, payload: { version: mine.version, reason: '确为住院治疗，附出院小结' } });
    expect(appealed.statusCode, appealed.body).toBe(200);
    const waiting = json<Claim>(appealed);
    expect(waiting).toMatchObject({ status: 'in_review', waitingOrgId: f.provinceA.id, appealed: true });
    expectProblem(await call(t, member, { method: 'POST', url: `/api/my/services/claims/${claim.id}/appeal`, payload: { version: waiting.version, reason: '再次申诉' } }), 409);
    const upheld = await approve(provinceReviewer, waiting);
    expect(upheld).toMatchObject({ status: 'approved', approvedFen: 30000 });

    const second = await fileClaim(member, plan, { admittedOn: day(-60), dischargedOn: day(-55) });
    const atCounty2 = await approve(unionReviewer, second);
    expectProblem(await review(countyReviewer, atCounty2, { action: 'adjust', amountFen: 99999, reason: '多报' }), 400, 'body.amountFen');
    const adjusted = json<Claim>(await review(countyReviewer, atCounty2, { action: 'adjust', amountFen: 10000, reason: '其中两天为门诊观察' }));
    expect(adjusted).toMatchObject({ status: 'approved', benefitFen: 15000, approvedFen: 10000 });
    expect(adjusted.explanation.lines.at(-1)).toEqual({ code: 'adjusted', amountFen: 10000, reason: '其中两天为门诊观察' });
    const mine2 = json<Claim>(await call(t, member, { url: `/api/my/services/claims/${second.id}` }));
    const appeal2 = json<Claim>(await call(t, member, { method: 'POST', url: `/api/my/services/claims/${second.id}/appeal`, payload: { version: mine2.version, reason: '两天均为住院' } }));
    const refused = json<Claim>(await review(provinceReviewer, appeal2, { action: 'reject', reason: '维持原决定' }));
    expect(refused).toMatchObject({ status: 'approved', approvedFen: 10000 });
  });
});

describe('payout', () => {
  it('gathers approved claims into a batch by a job, exports the transfer list, and pays them; the ledger agrees to the fen', async () => {
    const claims: Claim[] = [];
    for (let i = 0; i < 3; i++) {
      const { member } = await coveredMember(plan, f.unionA1);
      const claim = await fileClaim(member, plan, { admittedOn: day(-40 - i), dischargedOn: day(-30) });
      claims.push(await approve(countyReviewer, await approve(unionReviewer, claim)));
    }
    const expected = (await t.pool.query<{ fen: string; n: number }>(`SELECT sum(approved_fen) AS fen, count(*)::int AS n FROM services_claims WHERE plan_id = $1 AND status = 'approved'`, [plan.id])).rows[0]!;
    expectProblem(await call(t, siblingManager, { method: 'POST', url: '/api/services/batches', payload: { planId: plan.id, orgId: f.countyA1.id } }), 403);
    const started = await call(t, payer, { method: 'POST', url: '/api/services/batches', payload: { planId: plan.id, orgId: f.countyA1.id } });
    expect(started.statusCode, started.body).toBe(202);
    let batch = json<Batch>(started);
    for (let i = 0; i < 100 && batch.status === 'building'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      batch = json<Batch>(await call(t, payer, { url: `/api/services/batches/${batch.id}` }));
    }
    expect(batch).toMatchObject({ status: 'ready', claims: expected.n, totalFen: Number(expected.fen), progress: 1 });
    expectProblem(await call(t, payer, { method: 'POST', url: '/api/services/batches', payload: { planId: plan.id, orgId: f.countyA1.id } }), 409, 'body.planId');

    const xlsx = await call(t, payer, { url: `/api/services/batches/${batch.id}/transfers.xlsx` });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = (book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r.slice(1));
    expect(rows[0]).toEqual(['序号', '姓名', '身份证号', '所在工会', '开户银行', '银行账号', '金额（元）', '理赔编号']);
    expect(rows).toHaveLength(expected.n + 2);
    expect(rows[1]![5]).toBe('6222021001012345678');
    expect(String(rows[1]![2])).toMatch(/\*{10}/);
    const sumYuan = rows.slice(1, -1).reduce((s, r) => s + Math.round(Number(r[6]) * 100), 0);
    expect(sumYuan).toBe(Number(expected.fen));

    const paid = await call(t, payer, { method: 'POST', url: `/api/services/batches/${batch.id}/paid`, payload: { paidOn: day(0), reference: 'BANK-20261205-001' } });
    expect(paid.statusCode, paid.body).toBe(200);
    expectProblem(await call(t, payer, { method: 'POST', url: `/api/services/batches/${batch.id}/paid`, payload: { paidOn: day(0), reference: 'again' } }), 409);
    const ledger = (await t.pool.query<{ fen: string }>(`SELECT sum(amount_fen) AS fen FROM services_ledger WHERE plan_id = $1 AND kind = 'benefit'`, [plan.id])).rows[0]!;
    const claimsPaid = (await t.pool.query<{ fen: string }>(`SELECT sum(approved_fen) AS fen FROM services_claims WHERE batch_id = $1 AND status = 'paid'`, [batch.id])).rows[0]!;
    expect(Number(ledger.fen)).toBe(Number(claimsPaid.fen));
    expect(Number(claimsPaid.fen)).toBe(json<Batch>(paid).totalFen);
    const audit = await t.pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'services_batch' AND entity_id = $1 ORDER BY id`, [String(batch.id)]);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'batch', 'pay']);

    const figures = json<{ services: { claimsByStatus: Record<string, number>; paidFen: number } }>(await call(t, manager, { url: `/api/orgs/${f.countyA1.id}/figures` }));
    expect(figures.services.paidFen).toBe(Number(claimsPaid.fen));
    const home = json<Workbench>(await call(t, countyReviewer, { url: '/api/workbench' }));
    expect(home.cards.find((c) => c.id === 'services.claimsToReview')).toBeDefined();
  });
});

describe('a batch interrupted', () => {
  it('leaves no claim half in a batch when its server dies mid-way, and is built whole when the job runs again', async () => {
    const own = await createPlan(manager, f.countyA1, { name: '中断测试方案' });
    const person = await makePerson(t, f.unionA1b);
    await t.pool.query(
      `INSERT INTO services_claims (plan_id, rule_version, person_id, org_id, province_id, request_key, hospital, admitted_on, discharged_on, days, diagnosis,
         bank_name, bank_account, benefit_fen, approved_fen, explanation, status, chain, step, org_path)
       SELECT $1, 1, pe.id, $3, pe.province_id, 'k' || n, '医院', '2026-01-01', '2026-01-05', 4, '诊断', '银行', '6222021001012345678', 1000 + n, 1000 + n,
         '{"lines":[]}', 'approved', ARRAY[$3::bigint], 1, $4 FROM persons pe CROSS JOIN generate_series(1, 12) n WHERE pe.id = $2`, [own.id, person.id, f.unionA1b.id, f.unionA1b.path]);
    const batchId = (await t.pool.query<{ id: number }>(`INSERT INTO services_batches (plan_id, org_id, created_by) VALUES ($1, $2, $3) RETURNING id`, [own.id, f.countyA1.id, payer.accountId])).rows[0]!.id;
    // Hold the batch's row: the builder takes the claims, then waits to write its progress; meanwhile its server "dies".
    const holder = await t.pool.connect();
    await holder.query('BEGIN');
    // (NO KEY UPDATE: the claims' foreign key to the batch may still be checked; the progress update may not.)
    await holder.query('SELECT 1 FROM services_batches WHERE id = $1 FOR NO KEY UPDATE', [batchId]);
    const building = buildBatch(t.pool, batchId).then(() => 'finished', (error: unknown) => `failed: ${String(error)}`);
    let builder: number | undefined;
    try {
      for (let i = 0; i < 200 && builder === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const found = await t.pool.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE '%WITH taken AS%'`);
        builder = found.rows[0]?.pid;
      }
      expect(builder).toBeDefined();
      await t.pool.query('SELECT pg_terminate_backend($1)', [builder]);
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    expect(await building).toMatch(/^failed/);
    const after = await t.pool.query<{ taken: number; status: string; events: number }>(
      `SELECT (SELECT count(*)::int FROM services_claims WHERE batch_id = $1 OR (plan_id = $2 AND status <> 'approved')) AS taken,
              (SELECT status FROM services_batches WHERE id = $1) AS status,
              (SELECT count(*)::int FROM services_claim_events e JOIN services_claims c ON c.id = e.claim_id WHERE c.plan_id = $2) AS events`, [batchId, own.id]);
    expect(after.rows[0]).toEqual({ taken: 0, status: 'building', events: 0 });
    // The job runs again (pg-boss retries an interrupted one): the batch is whole.
    await buildBatch(t.pool, batchId);
    const whole = await t.pool.query<{ status: string; claims: number; total: string; sum: string }>(
      `SELECT b.status, b.claims, b.total_fen AS total, (SELECT sum(approved_fen) FROM services_claims WHERE batch_id = b.id) AS sum FROM services_batches b WHERE b.id = $1`, [batchId]);
    expect(whole.rows[0]).toMatchObject({ status: 'ready', claims: 12 });
    expect(Number(whole.rows[0]!.total)).toBe(12 * 1000 + 78);
    expect(Number(whole.rows[0]!.sum)).toBe(12 * 1000 + 78);
  });
});

describe('money after any sequence of actions', () => {
  it('keeps batch = its claims = the ledger, and never approves more than the rules computed', async () => {
    const { member } = await coveredMember(plan, f.unionA1);
    const actions = fc.array(fc.constantFrom('file', 'approve', 'adjust', 'reject', 'return', 'batch', 'pay'), { minLength: 4, maxLength: 14 });
    let offset = -150;
    await fc.assert(fc.asyncProperty(actions, fc.integer({ min: 0, max: 30000 }), async (steps, amount) => {
      for (const step of steps) {
        const open = json<Page<Claim>>(await call(t, countyReviewer, { url: `/api/services/claims?planId=${plan.id}&status=in_review&pageSize=200` })).items;
        const target = open[0];
        if (step === 'file') {
          offset += 5;
          if (offset > -2) continue;
          const response = await call(t, member, { method: 'POST', url: '/api/my/services/claims', payload: { planId: plan.id, ...claimInput(await documents(member), { admittedOn: day(offset), dischargedOn: day(offset + 2) }) } });
          expect([201, 400]).toContain(response.statusCode);
        } else if (target && ['approve', 'adjust', 'reject', 'return'].includes(step)) {
          const who = target.waitingOrgId === f.unionA1.id ? unionReviewer : countyReviewer;
          const body = step === 'adjust' ? { action: 'adjust', amountFen: Math.min(amount, target.benefitFen), reason: '调整' }
            : step === 'reject' ? { action: 'reject', reason: '不符合' } : step === 'return' ? { action: 'return', missingDocuments: ['invoice'] } : { action: 'approve' };
          const response = await review(who, target, body);
          expect([200, 403]).toContain(response.statusCode);
        } else if (step === 'batch') {
          const response = await call(t, payer, { method: 'POST', url: '/api/services/batches', payload: { planId: plan.id, orgId: f.countyA1.id } });
          expect([202, 409]).toContain(response.statusCode);
          if (response.statusCode === 202) {
            let batch = json<Batch>(response);
            for (let i = 0; i < 100 && batch.status === 'building'; i++) {
              await new Promise((resolve) => setTimeout(resolve, 50));
              batch = json<Batch>(await call(t, payer, { url: `/api/services/batches/${batch.id}` }));
            }
          }
        } else if (step === 'pay') {
          const ready = json<Page<Batch>>(await call(t, payer, { url: `/api/services/batches?status=ready` })).items[0];
          if (ready) expect((await call(t, payer, { method: 'POST', url: `/api/services/batches/${ready.id}/paid`, payload: { paidOn: day(0), reference: 'R' } })).statusCode).toBe(200);
        }
      }
      const check = await t.pool.query<{ batch_total: string; claim_sum: string; bad: number }>(
        `SELECT (SELECT coalesce(sum(total_fen), 0) FROM services_batches WHERE plan_id = $1 AND status IN ('ready', 'paid')) AS batch_total,
                (SELECT coalesce(sum(approved_fen), 0) FROM services_claims WHERE plan_id = $1 AND batch_id IS NOT NULL) AS claim_sum,
                (SELECT count(*)::int FROM services_claims WHERE plan_id = $1 AND (approved_fen > benefit_fen OR approved_fen < 0)) AS bad`, [plan.id]);
      const paidCheck = await t.pool.query<{ ledger: string; paid: string }>(
        `SELECT (SELECT coalesce(sum(amount_fen), 0) FROM services_ledger WHERE plan_id = $1 AND kind = 'benefit') AS ledger,
                (SELECT coalesce(sum(approved_fen), 0) FROM services_claims WHERE plan_id = $1 AND status = 'paid') AS paid`, [plan.id]);
      expect(Number(check.rows[0]!.batch_total)).toBe(Number(check.rows[0]!.claim_sum));
      expect(check.rows[0]!.bad).toBe(0);
      expect(Number(paidCheck.rows[0]!.ledger)).toBe(Number(paidCheck.rows[0]!.paid));
    }), { numRuns: 8 });
  });
});
