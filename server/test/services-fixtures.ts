import { call, makePerson, type OrgRef, type Session, type TestApp } from './helpers.ts';
import { multipart } from './import-helpers.ts';

/** A tiny JPEG by its first bytes (the file store reads the type from the content). */
export const TINY_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

/**
 * Huigong Bao rows of one grassroots union, for the access tables: a plan it issued (enrolment
 * closed), a member enrolled through a paid statement, their claim waiting at the union with a
 * document (uploaded by `uploader`), and a paid payout batch.
 */
export async function servicesTargets(t: TestApp, union: OrgRef, uploader: Session) {
  const plan = await t.pool.query<{ id: number }>(
    `INSERT INTO services_plans (org_id, name, plan_year, coverage_start, coverage_end, enrol_start, enrol_end, contribution_fen, waiting_days, review_levels)
     VALUES ($1, '惠工保（矩阵）', 2026, '2026-01-01', '2026-12-31', '2025-12-01', '2025-12-31', 3000, 0, '{grassroots}') RETURNING id`, [union.id]);
  const planId = plan.rows[0]!.id;
  await t.pool.query(`INSERT INTO services_plan_rules (plan_id, version, effective_from, rules) VALUES ($1, 1, '2026-01-01', $2)`,
    [planId, JSON.stringify({ dailyAllowanceFen: 5000, deductibleDays: 0, perStayCapFen: 100000, perYearCapFen: 200000, maxStaysPerYear: 3, minStayDays: 0, requiredDocuments: [] })]);
  const person = await makePerson(t, union);
  const statement = await t.pool.query<{ id: number }>(
    `INSERT INTO services_statements (plan_id, org_id, persons, contribution_fen, amount_fen, status, paid_on, reference) VALUES ($1, $2, 1, 3000, 3000, 'paid', '2026-01-01', 'R') RETURNING id`, [planId, union.id]);
  await t.pool.query(
    `INSERT INTO services_enrolments (plan_id, person_id, org_id, province_id, statement_id, covered_from, covered_to)
     SELECT $1, id, $3, province_id, $4, '2026-01-01', '2026-12-31' FROM persons WHERE id = $2`, [planId, person.id, union.id, statement.rows[0]!.id]);
  const claim = await t.pool.query<{ id: number }>(
    `INSERT INTO services_claims (plan_id, rule_version, person_id, org_id, province_id, request_key, hospital, admitted_on, discharged_on, days, diagnosis,
       bank_name, bank_account, benefit_fen, approved_fen, explanation, status, chain, step, waiting_org_id, org_path)
     SELECT $1, 1, pe.id, $3, pe.province_id, 'matrix', '医院', '2026-02-01', '2026-02-05', 4, '诊断', '银行', '6222021001012345678', 20000, 20000,
       '{"ruleVersion":1,"days":4,"benefitFen":20000,"lines":[]}', 'in_review', ARRAY[$3::bigint], 1, $3, $4
     FROM persons pe WHERE pe.id = $2 RETURNING id`, [planId, person.id, union.id, union.path]);
  const uploaded = await call(t, uploader, { method: 'POST', url: '/api/services/documents?kind=invoice', ...multipart('invoice.jpg', TINY_JPEG) });
  if (uploaded.statusCode !== 201) throw new Error(`document upload: ${uploaded.body}`);
  const document = uploaded.json<{ id: number }>().id;
  await t.pool.query('UPDATE services_documents SET claim_id = $2 WHERE id = $1', [document, claim.rows[0]!.id]);
  const batch = await t.pool.query<{ id: number }>(
    `INSERT INTO services_batches (plan_id, org_id, status, progress, paid_on, reference) VALUES ($1, $2, 'paid', 1, '2026-03-01', 'BANK') RETURNING id`, [planId, union.id]);
  return { plan: planId, person: person.id, statement: statement.rows[0]!.id, claim: claim.rows[0]!.id, document, batch: batch.rows[0]!.id };
}
