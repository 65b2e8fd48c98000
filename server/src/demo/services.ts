import PDFDocument from 'pdfkit';
import type { BenefitRules, ClaimDocumentKind } from '@workers-home/contract';
import type { Client } from '../db/pool.ts';
import type { FileStore } from '../files/file-store.ts';
import { MEDIA_TYPES } from '../files/file-store.ts';
import { chinaDate } from '../china-time.ts';
import { chineseDate, cjkFont } from '../pdf/cjk-font.ts';
import { recordAudit } from '../modules/audit/service.ts';
import { computeBenefit, type YearUsage } from '../modules/services/benefit.ts';
import { createRandom } from './generate.ts';

/**
 * The demo's Huigong Bao (seed 003: the county mobilizes its enterprises and institutions to
 * enrol their staff): 中牟县总工会's plan for the year, most of the county's unions enrolled with
 * their members and most contributions paid, claims in every state with their documents (PDFs
 * drawn here), a paid payout batch, and the demo member covered with one claim in review. Claims
 * are computed by the module's own rules function. Its own random stream: the rest of the demo
 * is the same with or without it.
 */

interface DemoOrgRef { id: number; path: string }

export const SERVICES_DEMO_ACCOUNTS = [
  { username: 'zhongmou.services', displayName: '中牟县总工会惠工保经办', roles: ['services.manager', 'people.reader'], orgKey: 'zhongmou', role: 'services.manager' },
  { username: 'zhongmou.reviewer', displayName: '中牟县总工会惠工保审核', roles: ['services.reviewer'], orgKey: 'zhongmou', role: 'services.reviewer' },
  { username: 'zhongmou.payer', displayName: '中牟县总工会财务', roles: ['services.payer'], orgKey: 'zhongmou', role: 'services.payer' },
  { username: 'grassroots.reviewer', displayName: '基层工会惠工保审核', roles: ['services.reviewer'], orgKey: 'zhongmou-first-grassroots', role: 'services.reviewer' },
] as const;

export const DEMO_RULES: BenefitRules = {
  dailyAllowanceFen: 6000, deductibleDays: 2, perStayCapFen: 150000, perYearCapFen: 400000, maxStaysPerYear: 3, minStayDays: 2,
  requiredDocuments: ['discharge_summary', 'invoice'],
};

const HOSPITALS = ['中牟县人民医院', '中牟县中医院', '郑州大学第一附属医院', '河南省人民医院', '中牟县妇幼保健院', '郑州市中心医院'];
const DIAGNOSES = ['社区获得性肺炎', '急性阑尾炎', '腰椎间盘突出症', '2型糖尿病', '高血压病3级', '胆囊结石伴胆囊炎', '右桡骨远端骨折', '急性胃肠炎'];
const BANKS = ['中国农业银行', '中国工商银行', '中国建设银行', '中原银行', '中国邮政储蓄银行'];

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A claim document as a one-page PDF in Chinese (a discharge summary or a hospital invoice). */
async function drawDocument(kind: 'discharge_summary' | 'invoice', claim: { name: string; hospital: string; admittedOn: string; dischargedOn: string; diagnosis: string; days: number }, amountYuan: number): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A5', margin: 40, info: { Title: kind === 'invoice' ? '住院收费票据' : '出院小结', Producer: "Workers' Home demo" } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('cjk', cjkFont() as unknown as string);
  const width = doc.page.width - 80;
  doc.font('cjk').fontSize(16).text(claim.hospital, { align: 'center', width });
  doc.moveDown(0.3).fontSize(18).text(kind === 'invoice' ? '住院收费票据（演示）' : '出院小结（演示）', { align: 'center', width });
  doc.moveDown(1).fontSize(11);
  const lines = kind === 'invoice'
    ? [`姓名：${claim.name}`, `住院日期：${chineseDate(claim.admittedOn)} 至 ${chineseDate(claim.dischargedOn)}（${claim.days} 天）`, `床位费、诊疗费、药品费等合计：${amountYuan.toFixed(2)} 元`, '医保统筹支付及个人自付明细见费用清单']
    : [`姓名：${claim.name}`, `入院日期：${chineseDate(claim.admittedOn)}`, `出院日期：${chineseDate(claim.dischargedOn)}`, `住院天数：${claim.days} 天`, `出院诊断：${claim.diagnosis}`, '出院情况：好转出院，遵医嘱按时复查。'];
  for (const line of lines) doc.text(line, { width, lineGap: 6 });
  doc.moveDown(1.5).fontSize(9).fillColor('#888888').text('本文件为“职工之家”演示数据生成，非真实医疗文书。', { width });
  doc.end();
  return done;
}

type State = 'grassroots' | 'county' | 'returned' | 'approved' | 'adjusted' | 'rejected' | 'appealed' | 'upheld' | 'paid';
/** The claims of the demo by where they stand (a few dozen in all). */
const STATES: State[] = [
  ...Array<State>(7).fill('grassroots'), ...Array<State>(6).fill('county'), ...Array<State>(3).fill('returned'), ...Array<State>(6).fill('approved'),
  ...Array<State>(2).fill('adjusted'), ...Array<State>(3).fill('rejected'), 'appealed', 'upheld', ...Array<State>(12).fill('paid'),
];

export async function seedServices(db: Client, orgs: Map<string, DemoOrgRef>, passwordHash: string, password: string, memberPersonId: number, files?: FileStore, now = new Date()) {
  const random = createRandom(20231025); // the day of the Zhongmou study meeting (seed 003)
  const zhongmou = orgs.get('zhongmou')!;
  const firstUnion = orgs.get('zhongmou-first-grassroots')!;
  const accounts: Array<{ username: string; password: string; role: string; org: string }> = [];
  const accountIds = new Map<string, number>();
  for (const demo of SERVICES_DEMO_ACCOUNTS) {
    const org = orgs.get(demo.orgKey)!;
    const account = await db.query<{ id: number }>('INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, $2, $3) RETURNING id', [demo.username, demo.displayName, passwordHash]);
    await db.query('INSERT INTO role_grants (account_id, role, org_id) SELECT $1, unnest($2::text[]), $3', [account.rows[0]!.id, demo.roles, org.id]);
    accountIds.set(demo.username, account.rows[0]!.id);
    accounts.push({ username: demo.username, password, role: demo.role, org: demo.orgKey });
  }
  const manager = accountIds.get('zhongmou.services')!;

  // The plan of the year (in January and February, last year's: its claims are still being paid).
  const today = chinaDate(now);
  const year = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) < 3 ? 1 : 0);
  const coverageStart = `${year}-01-01`;
  const coverageEnd = `${year}-12-31`;
  const plan = await db.query<{ id: number }>(
    `INSERT INTO services_plans (org_id, name, plan_year, coverage_start, coverage_end, enrol_start, enrol_end, min_age, max_age, contribution_fen, waiting_days, review_levels, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $5, 16, 65, 5000, 15, '{grassroots,county}', $7) RETURNING id`,
    [zhongmou.id, `中牟县${year}年度职工惠工保（住院医疗互助）`, year, coverageStart, coverageEnd, `${year - 1}-12-01`, manager]);
  const planId = plan.rows[0]!.id;
  await db.query('INSERT INTO services_plan_rules (plan_id, version, effective_from, rules, created_by) VALUES ($1, 1, $2, $3, $4)', [planId, coverageStart, JSON.stringify(DEMO_RULES), manager]);

  // Most unions enrol every active member aged 16 to 65; most pay ten days before coverage (covered from its first day), a few later, some not yet.
  const unions = (await db.query<{ id: number }>(`SELECT id FROM orgs WHERE parent_id = $1 AND level = 'grassroots' ORDER BY id`, [zhongmou.id])).rows;
  const enrolled = new Map<number, { orgId: number; coveredFrom: string | null; provinceId: number }>();
  for (const [i, union] of unions.entries()) {
    if (union.id !== firstUnion.id && i % 6 === 5) continue; // not enrolled yet
    const paid = union.id === firstUnion.id || i % 7 !== 3;
    const paidOn = paid ? (i % 5 === 4 ? addDays(coverageStart, 40) : `${year - 1}-12-${String(10 + (i % 10)).padStart(2, '0')}`) : null;
    const members = await db.query<{ personId: number; provinceId: number }>(
      `SELECT m.person_id::int AS "personId", m.province_id::int AS "provinceId" FROM memberships m JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id
        WHERE m.org_id = $1 AND m.status = 'active' AND (p.birth_date IS NULL OR date_part('year', age($2::date, p.birth_date)) BETWEEN 16 AND 65)`, [union.id, coverageStart]);
    if (!members.rows.length) continue;
    const statement = await db.query<{ id: number }>(
      `INSERT INTO services_statements (plan_id, org_id, persons, contribution_fen, amount_fen, status, paid_on, reference, created_by, paid_by, created_at)
       VALUES ($1, $2, $3, 5000, $3::int::bigint * 5000, $4, $5::date, $6, $7, $8, $9)
       RETURNING id`,
      [planId, union.id, members.rows.length, paid ? 'paid' : 'due', paidOn, paid ? `ZMHGB-${year}-${String(i + 1).padStart(3, '0')}` : null, manager, paid ? manager : null, `${year - 1}-12-0${1 + (i % 9)}`]);
    const coveredFrom = paidOn === null ? null : addDays(paidOn, 15) > coverageStart ? addDays(paidOn, 15) : coverageStart;
    await db.query(
      `INSERT INTO services_enrolments (plan_id, person_id, org_id, province_id, statement_id, enrolled_by, covered_from, covered_to)
       SELECT $1, person_id, $2, province_id, $3, $4, $5, $6 FROM unnest($7::bigint[], $8::bigint[]) AS t(person_id, province_id)`,
      [planId, union.id, statement.rows[0]!.id, manager, coveredFrom, coverageEnd, members.rows.map((m) => m.personId), members.rows.map((m) => m.provinceId)]);
    if (paid) await db.query(`INSERT INTO services_ledger (plan_id, kind, amount_fen, statement_id, at) VALUES ($1, 'contribution', $2::int::bigint * 5000, $3, $4::date)`, [planId, members.rows.length, statement.rows[0]!.id, paidOn]);
    for (const m of members.rows) enrolled.set(m.personId, { orgId: union.id, coveredFrom, provinceId: m.provinceId });
  }

  // Claims: admissions spread over the covered months before today, oldest for those furthest along.
  const covered = [...enrolled.entries()].filter(([id, e]) => e.coveredFrom !== null && id !== memberPersonId).map(([id]) => id);
  const last = today < coverageEnd ? addDays(today, -3) : coverageEnd;
  const first = addDays(coverageStart, 20);
  const span = Math.max(1, Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000));
  const people = await db.query<{ id: number; name: string }>('SELECT id::int, name FROM persons WHERE id = ANY($1::bigint[])', [[...covered, memberPersonId]]);
  const nameOf = new Map(people.rows.map((p) => [p.id, p.name]));
  const reviewer = accountIds.get('zhongmou.reviewer')!;
  const unionReviewer = accountIds.get('grassroots.reviewer')!;
  const payer = accountIds.get('zhongmou.payer')!;
  const parent = (await db.query<{ parentId: number }>('SELECT parent_id::int AS "parentId" FROM orgs WHERE id = $1', [zhongmou.id])).rows[0]!.parentId;
  const usage = new Map<number, YearUsage>();
  const paidClaims: number[] = [];
  let documents = 0;
  // Each claimant once (their stays never overlap); the demo member's own claim waits at their union.
  const chosen = new Set<number>();
  const claimants: Array<{ state: State; personId: number }> = [];
  for (const [i, state] of STATES.entries()) {
    let n = (i * 37 + random.int(0, 5)) % covered.length;
    while (chosen.has(covered[n]!) && chosen.size < covered.length) n = (n + 1) % covered.length;
    if (chosen.has(covered[n]!)) break;
    chosen.add(covered[n]!);
    claimants.push({ state, personId: covered[n]! });
  }
  if (enrolled.get(memberPersonId)?.coveredFrom) claimants.push({ state: 'grassroots', personId: memberPersonId });
  for (const [i, { state, personId }] of claimants.entries()) {
    const e = enrolled.get(personId)!;
    const used = usage.get(personId) ?? { stays: 0, fen: 0 };
    if (used.stays >= DEMO_RULES.maxStaysPerYear) continue;
    // Ordered so that paid claims are oldest and those waiting at the union the newest.
    const order = ['paid', 'upheld', 'appealed', 'rejected', 'adjusted', 'approved', 'returned', 'county', 'grassroots'].indexOf(state);
    const days = random.int(3, 14);
    const latestStart = addDays(last, -days);
    let admittedOn = addDays(first, Math.round((span * (order + random.next() * 0.9)) / 9.5));
    if (admittedOn > latestStart) admittedOn = latestStart;
    if (e.coveredFrom && admittedOn < e.coveredFrom) admittedOn = e.coveredFrom;
    const dischargedOn = addDays(admittedOn, days);
    if (dischargedOn > today) continue;
    const benefit = computeBenefit(DEMO_RULES, 1, admittedOn, dischargedOn, used);
    if (!benefit.ok) continue;
    usage.set(personId, { stays: used.stays + 1, fen: used.fen + benefit.explanation.benefitFen });
    const hospital = random.pick(HOSPITALS);
    const diagnosis = random.pick(DIAGNOSES);
    const submittedAt = new Date(Date.parse(`${dischargedOn}T02:00:00Z`) + random.int(1, 4) * 86_400_000);
    const at = (daysAfter: number) => new Date(Math.min(submittedAt.getTime() + daysAfter * 86_400_000, now.getTime() - 3600_000));
    let status: string = 'in_review';
    let step = 1;
    let waiting: number | null = e.orgId;
    let approvedFen = benefit.explanation.benefitFen;
    let explanation = benefit.explanation;
    let missing: ClaimDocumentKind[] = [];
    const chain = [e.orgId, zhongmou.id];
    const events: Array<{ action: string; org: number | null; actor: number | null; from: string | null; to: string; reason?: string; amount?: number; missing?: string[]; at: Date }> = [
      { action: 'submit', org: null, actor: null, from: null, to: 'in_review', amount: approvedFen, at: submittedAt },
    ];
    const unionActor = e.orgId === firstUnion.id ? unionReviewer : null;
    const approveAtUnion = () => { events.push({ action: 'approve', org: e.orgId, actor: unionActor, from: 'in_review', to: 'in_review', amount: approvedFen, at: at(2) }); step = 2; waiting = zhongmou.id; };
    if (state !== 'grassroots') approveAtUnion();
    if (state === 'returned') {
      status = 'returned'; waiting = null; missing = ['expense_list'];
      events.push({ action: 'return', org: zhongmou.id, actor: reviewer, from: 'in_review', to: 'returned', reason: '请补充住院费用清单（加盖医院公章）', missing, at: at(5) });
    } else if (['approved', 'paid', 'adjusted', 'upheld'].includes(state)) {
      if (state === 'adjusted') {
        approvedFen = Math.max(0, benefit.explanation.benefitFen - DEMO_RULES.dailyAllowanceFen * 2);
        explanation = { ...explanation, lines: [...explanation.lines, { code: 'adjusted', amountFen: approvedFen, reason: '其中两天为出院前请假离院，不计住院天数' }] };
        events.push({ action: 'adjust', org: zhongmou.id, actor: reviewer, from: 'in_review', to: 'approved', reason: '其中两天为出院前请假离院，不计住院天数', amount: approvedFen, at: at(6) });
      } else if (state === 'upheld') {
        events.push({ action: 'reject', org: zhongmou.id, actor: reviewer, from: 'in_review', to: 'rejected', reason: '出院小结未载明住院天数', at: at(6) });
        events.push({ action: 'appeal', org: parent, actor: null, from: 'rejected', to: 'in_review', reason: '已补充医院盖章的出院小结，载明住院天数', at: at(8) });
        events.push({ action: 'approve', org: parent, actor: null, from: 'in_review', to: 'approved', amount: approvedFen, at: at(12) });
        chain.push(parent);
      } else {
        events.push({ action: 'approve', org: zhongmou.id, actor: reviewer, from: 'in_review', to: 'approved', amount: approvedFen, at: at(6) });
      }
      status = 'approved'; waiting = null; step = chain.length;
    } else if (state === 'rejected' || state === 'appealed') {
      const reason = i % 2 ? '门诊留观，不属于住院' : '入院日期早于保障生效日期';
      events.push({ action: 'reject', org: zhongmou.id, actor: reviewer, from: 'in_review', to: 'rejected', reason, at: at(6) });
      status = 'rejected'; waiting = null;
      if (state === 'appealed') {
        events.push({ action: 'appeal', org: parent, actor: null, from: 'rejected', to: 'in_review', reason: '医院证明为住院治疗，附住院证明', at: at(8) });
        chain.push(parent); step = chain.length; status = 'in_review'; waiting = parent;
      }
    }
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO services_claims (plan_id, rule_version, person_id, org_id, province_id, request_key, filed_by, hospital, admitted_on, discharged_on, days, diagnosis,
         bank_name, bank_account, benefit_fen, approved_fen, explanation, status, chain, step, waiting_org_id, missing_documents, appealed, appeal_of, submitted_at, org_path)
       SELECT $1, 1, $2, $3, $4, $5, NULL, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
         path::text FROM orgs WHERE id = $3 RETURNING id`,
      [planId, personId, e.orgId, e.provinceId, `demo-${i}`, hospital, admittedOn, dischargedOn, benefit.explanation.days, diagnosis, random.pick(BANKS),
        `62${String(random.int(10 ** 8, 10 ** 9 - 1))}${String(random.int(10 ** 8, 10 ** 9 - 1))}`, benefit.explanation.benefitFen, approvedFen,
        JSON.stringify(explanation), status, chain, step, waiting, missing, state === 'appealed' || state === 'upheld', state === 'appealed' || state === 'upheld' ? 'reject' : null, submittedAt]);
    const claimId = inserted.rows[0]!.id;
    for (const ev of events) {
      await db.query(
        `INSERT INTO services_claim_events (claim_id, province_id, at, actor_id, org_id, action, from_status, to_status, reason, amount_fen, missing_documents)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [claimId, e.provinceId, ev.at, ev.actor, ev.org, ev.action, ev.from, ev.to, ev.reason ?? null, ev.amount ?? null, ev.missing ?? null]);
    }
    if (state === 'paid') paidClaims.push(claimId);
    if (files) {
      const person = { name: nameOf.get(personId) ?? '', hospital, admittedOn, dischargedOn, diagnosis, days: benefit.explanation.days };
      for (const kind of ['discharge_summary', 'invoice'] as const) {
        const stored = await files.save(await drawDocument(kind, person, benefit.explanation.days * 420 + 380), { field: 'demo', accept: MEDIA_TYPES.pdf, maxBytes: 5 * 1024 * 1024 });
        await db.query('INSERT INTO services_documents (uploaded_by, claim_id, kind, media_type, bytes, file_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [manager, claimId, kind, stored.mediaType, stored.bytes, stored.key, submittedAt]);
        documents++;
      }
    }
  }

  // The oldest approved claims were paid in one batch by the payer (never their approver).
  if (paidClaims.length) {
    const paidOn = addDays(today, -10) > coverageStart ? addDays(today, -10) : today;
    const batch = await db.query<{ id: number }>(
      `INSERT INTO services_batches (plan_id, org_id, status, progress, paid_on, reference, created_by, paid_by, created_at) VALUES ($1, $2, 'building', 0, NULL, NULL, $3, $3, $4::date) RETURNING id`,
      [planId, zhongmou.id, payer, addDays(paidOn, -2)]);
    const batchId = batch.rows[0]!.id;
    await db.query(`UPDATE services_claims SET status = 'paid', batch_id = $2, paid_at = $3::date + time '10:00' WHERE id = ANY($1::bigint[])`, [paidClaims, batchId, paidOn]);
    await db.query(
      `INSERT INTO services_claim_events (claim_id, province_id, at, actor_id, action, from_status, to_status, amount_fen, reason)
       SELECT c.id, c.province_id, $3::date + s.t, $2, s.action, s.f, s.to, c.approved_fen, s.reason
       FROM services_claims c CROSS JOIN (VALUES (interval '-2 days', 'batch', 'approved', 'in_batch', NULL), (interval '10 hours', 'pay', 'in_batch', 'paid', $4)) AS s(t, action, f, "to", reason)
       WHERE c.id = ANY($1::bigint[])`, [paidClaims, payer, paidOn, `ZMPAY-${paidOn.replaceAll('-', '')}-01`]);
    const total = await db.query<{ n: number; fen: number }>('SELECT count(*)::int AS n, sum(approved_fen)::bigint AS fen FROM services_claims WHERE batch_id = $1', [batchId]);
    await db.query(`UPDATE services_batches SET status = 'paid', progress = 1, claims = $2, total_fen = $3, paid_on = $4, reference = $5 WHERE id = $1`,
      [batchId, total.rows[0]!.n, total.rows[0]!.fen, paidOn, `ZMPAY-${paidOn.replaceAll('-', '')}-01`]);
    await db.query(`INSERT INTO services_ledger (plan_id, kind, amount_fen, batch_id, at) VALUES ($1, 'benefit', $2, $3, $4::date)`, [planId, total.rows[0]!.fen, batchId, paidOn]);
  }
  await recordAudit(db, null, { action: 'seed-demo', entity: 'services_plan', entityId: planId, orgPath: zhongmou.path, after: { enrolled: enrolled.size, claims: claimants.length, documents } });
  return accounts;
}
