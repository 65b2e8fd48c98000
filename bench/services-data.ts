import { createHash, randomBytes } from 'node:crypto';
import type { BenefitRules } from '@workers-home/contract';
import type { Pool } from '../server/src/db/pool.ts';
import type { Caller } from '../server/src/plugins/access.ts';
import { computeBenefit } from '../server/src/modules/services/benefit.ts';

/**
 * The services benchmark's data: its accounts (a caller for the service functions, a session
 * cookie for HTTP), the claims it writes with set-based SQL, and the clean-up that leaves the
 * data set as the roster only. Every row it adds hangs off a plan named PLAN_PREFIX… or an
 * account named ACCOUNT_PREFIX…, so a run cut short is cleaned up by the next one.
 */
export const PLAN_PREFIX = '压测惠工保';
const ACCOUNT_PREFIX = 'bench-services-';

export const RULES: BenefitRules = {
  dailyAllowanceFen: 5000, deductibleDays: 2, perStayCapFen: 300000, perYearCapFen: 1500000, maxStaysPerYear: 3, minStayDays: 2,
  requiredDocuments: ['discharge_summary', 'invoice'],
};

export interface BenchAccount { id: number; caller: Caller; cookie: string }

/** An account holding `role` on an organization, with a signed-in session made directly in the database. */
export async function benchAccount(pool: Pool, role: string, orgId: number): Promise<BenchAccount> {
  const username = `${ACCOUNT_PREFIX}${role.replace('services.', '')}-${randomBytes(4).toString('hex')}`;
  const id = (await pool.query<{ id: number }>(
    `INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, $1, 'x') RETURNING id::int`, [username])).rows[0]!.id;
  await pool.query('INSERT INTO role_grants (account_id, role, org_id) VALUES ($1, $2, $3)', [id, role, orgId]);
  const token = randomBytes(32).toString('base64url');
  const tokenHash = createHash('sha256').update(token).digest();
  await pool.query(`INSERT INTO sessions (token_hash, account_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [tokenHash, id]);
  const orgPath = (await pool.query<{ path: string }>('SELECT path::text FROM orgs WHERE id = $1', [orgId])).rows[0]!.path;
  const caller = { accountId: id, username, personId: null, grants: [{ role, orgId, orgPath }], sessionTokenHash: tokenHash } as Caller;
  return { id, caller, cookie: `wh_session=${token}` };
}

/** The explanation computeBenefit writes for a first stay of `days` days, for days 0..60 (index = days). */
function explanations(): string {
  const byDays = Array.from({ length: 61 }, (_, days) => {
    const discharged = new Date(Date.parse('2026-01-01T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
    const result = computeBenefit(RULES, 1, '2026-01-01', discharged, { stays: 0, fen: 0 });
    return result.ok ? result.explanation : null;
  });
  return JSON.stringify(byDays);
}

/**
 * `count` claims of enrolled members who have none in this set yet (one each), with the
 * explanation the service writes, the chain [union, county], two documents, and events. The
 * state of the n-th claim comes from `states`: [share, status, step] in order, shares adding up to 1.
 */
export async function insertClaims(pool: Pool, o: {
  planId: number; count: number; key: string; filedBy: number; today: string; coverageStart: string;
  states: Array<[number, 'in_review' | 'returned' | 'rejected' | 'approved', 1 | 2]>; documents: boolean;
}): Promise<void> {
  // Cumulative thresholds per 100: the claim's state is the first whose threshold is above n % 100.
  let sum = 0;
  const cases = o.states.map(([share, status, step]) => { sum += share * 100; return { below: Math.round(sum), status, step }; });
  const stateOf = (what: 'status' | 'step') => `CASE ${cases.map((c) => `WHEN n % 100 < ${c.below} THEN ${what === 'status' ? `'${c.status}'` : c.step}`).join(' ')} END`;
  await pool.query('DROP TABLE IF EXISTS bench_services_new');
  await pool.query(
    `CREATE UNLOGGED TABLE bench_services_new AS
     SELECT e.person_id, e.org_id, e.province_id, co.id AS county_id, n, ${stateOf('status')} AS status, ${stateOf('step')} AS step,
       -- Admitted within coverage up to 40 days ago, 2-20 days in hospital (never after today).
       ($5::date + (abs(hashint8(e.person_id)) % greatest(1, $4::date - $5::date - 40))::int) AS admitted_on,
       2 + (abs(hashint8(e.person_id * 7)) % 19)::int AS days,
       now() - make_interval(secs => (abs(hashint8(e.person_id * 13)) % (86400 * 60))::int) AS submitted_at
     FROM (SELECT person_id, org_id, province_id, row_number() OVER () - 1 AS n
             FROM (SELECT e.person_id, e.org_id, e.province_id FROM services_enrolments e
                    WHERE e.plan_id = $1 AND NOT EXISTS (SELECT 1 FROM services_claims c WHERE c.person_id = e.person_id AND c.request_key LIKE $2 || '-%')
                    ORDER BY hashint8(e.person_id * 31) LIMIT $3) picked) e
     JOIN orgs u ON u.id = e.org_id JOIN orgs co ON co.id = u.parent_id`,
    [o.planId, o.key, o.count, o.today, o.coverageStart]);
  await pool.query(
    `INSERT INTO services_claims (plan_id, rule_version, person_id, org_id, province_id, request_key, filed_by, hospital, admitted_on, discharged_on, days,
       diagnosis, bank_name, bank_account, benefit_fen, approved_fen, explanation, status, chain, step, waiting_org_id, submitted_at, missing_documents, org_path)
     SELECT $1, 1, t.person_id, t.org_id, t.province_id, $2 || '-' || t.n, $3,
       (ARRAY['中牟县人民医院', '郑州大学第一附属医院', '河南省人民医院', '开封市中心医院'])[1 + t.n % 4], t.admitted_on, t.admitted_on + t.days, t.days,
       (ARRAY['肺炎', '阑尾炎', '腰椎间盘突出', '骨折', '胆囊炎'])[1 + t.n % 5], (ARRAY['中国工商银行', '中国农业银行', '中国建设银行'])[1 + t.n % 3],
       '6222' || lpad((abs(hashint8(t.person_id)) % 1000000000000000)::text, 15, '0'),
       (x.e->>'benefitFen')::bigint, (x.e->>'benefitFen')::bigint, x.e, t.status,
       ARRAY[t.org_id, t.county_id], t.step, CASE WHEN t.status = 'in_review' THEN (ARRAY[t.org_id, t.county_id])[t.step] END, t.submitted_at,
       CASE WHEN t.status = 'returned' THEN ARRAY['invoice'] ELSE '{}' END, (SELECT path::text FROM orgs WHERE id = t.org_id)
     FROM bench_services_new t CROSS JOIN LATERAL (SELECT ($4::jsonb)->t.days AS e) x`,
    [o.planId, o.key, o.filedBy, explanations()]);
  const claims = `SELECT c.id, c.province_id, c.org_id, c.chain, c.status, c.step, c.submitted_at, c.approved_fen FROM services_claims c WHERE c.plan_id = $1 AND c.request_key LIKE $2 || '-%'`;
  // The history: filed; approved at the union for those further up; then the decision that left them where they are.
  await pool.query(
    `INSERT INTO services_claim_events (claim_id, province_id, at, actor_id, org_id, action, from_status, to_status, amount_fen, reason, missing_documents)
     SELECT c.id, c.province_id, c.submitted_at, $3::bigint, NULL::bigint, 'submit', NULL::text, 'in_review', c.approved_fen, NULL::text, NULL::text[] FROM (${claims}) c
     UNION ALL
     SELECT c.id, c.province_id, c.submitted_at + interval '1 day', $3, c.chain[1], 'approve', 'in_review', CASE WHEN c.status = 'approved' AND cardinality(c.chain) = 1 THEN 'approved' ELSE 'in_review' END, NULL, NULL, NULL
       FROM (${claims}) c WHERE c.step = 2 OR c.status = 'approved'
     UNION ALL
     SELECT c.id, c.province_id, c.submitted_at + interval '2 days', $3, c.chain[cardinality(c.chain)], 'approve', 'in_review', 'approved', NULL, NULL, NULL
       FROM (${claims}) c WHERE c.status = 'approved'
     UNION ALL
     SELECT c.id, c.province_id, c.submitted_at + interval '1 day', $3, c.chain[1], CASE c.status WHEN 'returned' THEN 'return' ELSE 'reject' END, 'in_review', c.status, NULL,
       CASE WHEN c.status = 'returned' THEN NULL ELSE '住院天数与出院小结不符' END, CASE WHEN c.status = 'returned' THEN ARRAY['invoice'] END
       FROM (${claims}) c WHERE c.status IN ('returned', 'rejected')`,
    [o.planId, o.key, o.filedBy]);
  if (o.documents) {
    await pool.query(
      `INSERT INTO services_documents (uploaded_by, claim_id, kind, media_type, bytes, file_key, created_at)
       SELECT $3, c.id, d.kind, d.media_type, d.bytes, 'bench/services/' || c.id || '/' || d.kind, c.submitted_at
       FROM (${claims}) c CROSS JOIN (VALUES ('discharge_summary', 'image/jpeg', 412345), ('invoice', 'application/pdf', 81234)) d(kind, media_type, bytes)`,
      [o.planId, o.key, o.filedBy]);
  }
  await pool.query('DROP TABLE bench_services_new');
  await pool.query('ANALYZE services_claims, services_claim_events, services_documents');
}

/**
 * Removes everything the benchmark added: the bench plans' rows in foreign-key order, its
 * accounts, and their audit entries (the audit log is append-only for the app: its guard
 * triggers are skipped for this one transaction with session_replication_role, which needs
 * the bench cluster's superuser).
 */
export async function cleanUp(pool: Pool, log: (line: string) => void): Promise<void> {
  const plans = (await pool.query<{ id: number }>(`SELECT id::int FROM services_plans WHERE name LIKE $1 || '%'`, [PLAN_PREFIX])).rows.map((r) => r.id);
  const accounts = (await pool.query<{ id: number }>(`SELECT id::int FROM accounts WHERE username LIKE $1 || '%'`, [ACCOUNT_PREFIX])).rows.map((r) => r.id);
  if (!plans.length && !accounts.length) return;
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    // Semi-joins, one condition each: an IN (subquery) under OR is not hashed past work_mem and runs once per row.
    await client.query('SET LOCAL work_mem = \'256MB\'');
    await client.query('DELETE FROM audit_log WHERE actor_id = ANY($1::bigint[])', [accounts]);
    await client.query(`DELETE FROM audit_log WHERE entity = 'services_plan' AND entity_id = ANY($1::bigint[]::text[])`, [plans]);
    for (const [entity, table] of [['services_batch', 'services_batches'], ['services_statement', 'services_statements'], ['services_claim', 'services_claims']]) {
      await client.query(`DELETE FROM audit_log a USING ${table} t WHERE a.entity = '${entity}' AND a.entity_id = t.id::text AND t.plan_id = ANY($1::bigint[])`, [plans]);
    }
    await client.query('DELETE FROM services_ledger WHERE plan_id = ANY($1::bigint[])', [plans]);
    await client.query('DELETE FROM services_claim_events e USING services_claims c WHERE e.claim_id = c.id AND c.plan_id = ANY($1::bigint[])', [plans]);
    await client.query('DELETE FROM services_documents d USING services_claims c WHERE d.claim_id = c.id AND c.plan_id = ANY($1::bigint[])', [plans]);
    await client.query('DELETE FROM services_documents WHERE uploaded_by = ANY($1::bigint[])', [accounts]);
    await client.query('DELETE FROM services_claims WHERE plan_id = ANY($1::bigint[])', [plans]);
    await client.query('DELETE FROM services_batches WHERE plan_id = ANY($1::bigint[])', [plans]);
    await client.query('DELETE FROM services_enrolments WHERE plan_id = ANY($1::bigint[])', [plans]);
    await client.query('DELETE FROM services_statements WHERE plan_id = ANY($1::bigint[])', [plans]);
    await client.query('DELETE FROM services_plan_rules WHERE plan_id = ANY($1::bigint[])', [plans]);
    await client.query('DELETE FROM services_plans WHERE id = ANY($1::bigint[])', [plans]);
    await client.query('DELETE FROM sessions WHERE account_id = ANY($1::bigint[])', [accounts]);
    await client.query('DELETE FROM role_grants WHERE account_id = ANY($1::bigint[])', [accounts]);
    await client.query('DELETE FROM accounts WHERE id = ANY($1::bigint[])', [accounts]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  await pool.query('VACUUM ANALYZE services_enrolments, services_statements, services_claims, services_claim_events, services_documents, services_batches, audit_log');
  log(`  cleaned up ${plans.length} bench plan(s) and ${accounts.length} bench account(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
