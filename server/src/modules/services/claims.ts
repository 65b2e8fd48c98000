import type { z } from 'zod';
import {
  PROBLEM_TYPES, type AppealInput, type BenefitRules, type Claim, type ClaimCreate, type ClaimDocumentKind, type ClaimListQuery, type ClaimSummary,
  type FieldError, type ResubmitInput, type ReviewAction,
} from '@workers-home/contract';
import { inTransaction, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { AppError, badRequest, conflict, fieldError, forbidden, notFound } from '../../errors.ts';
import { canReach, scopeOf, type Caller } from '../../plugins/access.ts';
import { chinaDate } from '../../china-time.ts';
import { recordAudit } from '../audit/service.ts';
import { computeBenefit, withAdjustment } from './benefit.ts';
import { yearUsage } from './enrolment.ts';
import { rulesOn } from './plans.ts';
import { yuan } from './money.ts';
import { servicesPolicy } from './policy.ts';
import { lockRosterRow } from '../../db/home-province.ts';

/** Who looks at a claim: staff within their subtrees, or the member whose claim it is. */
export type Viewer = { kind: 'staff'; caller: Caller } | { kind: 'member'; caller: Caller; personId: number };

const SUMMARY_COLUMNS = `c.id::int, c.plan_id::int AS "planId", c.person_id::int AS "personId", pe.name, c.org_id::int AS "orgId", o.name AS "orgName",
  c.hospital, c.admitted_on AS "admittedOn", c.discharged_on AS "dischargedOn", c.days, c.status, c.benefit_fen AS "benefitFen",
  c.approved_fen AS "approvedFen", c.waiting_org_id::int AS "waitingOrgId", w.name AS "waitingOrgName", c.appealed,
  to_json(c.submitted_at)#>>'{}' AS "submittedAt", c.version`;
const SUMMARY_FROM = `services_claims c JOIN persons pe ON pe.province_id = c.province_id AND pe.id = c.person_id JOIN orgs o ON o.id = c.org_id LEFT JOIN orgs w ON w.id = c.waiting_org_id`;

interface ClaimRow extends ClaimSummary {
  planName: string;
  diagnosis: string;
  bankName: string;
  bankAccount: string;
  explanation: Claim['explanation'];
  missingDocuments: ClaimDocumentKind[];
  chain: number[];
  step: number;
  lightReview: boolean;
  appealOf: 'reject' | 'adjust' | null;
  batchId: number | null;
  filedBy: number | null;
  orgPath: string;
  waitingPath: string | null;
  provinceId: number;
}

const ROW_COLUMNS = `${SUMMARY_COLUMNS}, p.name AS "planName", c.diagnosis, c.bank_name AS "bankName", c.bank_account AS "bankAccount", c.explanation,
  c.missing_documents AS "missingDocuments", c.chain::int[] AS chain, c.step, c.light_review AS "lightReview", c.appeal_of AS "appealOf",
  c.batch_id::int AS "batchId", c.filed_by::int AS "filedBy", o.path::text AS "orgPath", w.path::text AS "waitingPath", c.province_id::int AS "provinceId"`;

/** What the claim's page shows besides the row, as JSON aggregates of the same statement: its documents, history and review chain's organizations. */
/**
 * A claim's documents, history and review chain, read apart from the claim (documents and
 * accounts live on the coordinator on Citus, the history beside the claim in its province).
 */
async function claimDetails(db: Queryable, row: ClaimRow): Promise<ClaimDetails> {
  const documents = (await db.query<Claim['documents'][number]>(
    `SELECT d.id, d.kind, d.media_type AS "mediaType", d.bytes, '/api/services/documents/' || d.id AS url
     FROM services_documents d WHERE d.claim_id = $1 ORDER BY d.id`, [row.id])).rows;
  const events = (await db.query<ClaimDetails['history'][number]>(
    `SELECT to_json(e.at)#>>'{}' AS at, e.action, NULL::text AS actor, eo.name AS "orgName", e.org_id AS "orgId", e.actor_id AS "actorId",
            e.from_status AS "fromStatus", e.to_status AS "toStatus", e.reason, e.amount_fen AS "amountFen", e.missing_documents AS "missingDocuments"
     FROM services_claim_events e LEFT JOIN orgs eo ON eo.id = e.org_id
     WHERE e.province_id = $2 AND e.claim_id = $1 ORDER BY e.id`, [row.id, row.provinceId])).rows;
  const actors = new Map((await db.query<{ id: number; name: string }>(
    'SELECT id, coalesce(display_name, username) AS name FROM accounts WHERE id = ANY ($1::bigint[])',
    [[...new Set(events.flatMap((e) => (e.actorId === null ? [] : [e.actorId])))]])).rows.map((a) => [Number(a.id), a.name]));
  const history = events.map((e) => ({ ...e, actor: e.actorId === null ? null : actors.get(Number(e.actorId)) ?? null }));
  const chainOrgs = (await db.query<ClaimDetails['chainOrgs'][number]>('SELECT id, name, level FROM orgs WHERE id = ANY ($1::bigint[])', [row.chain])).rows;
  return { documents, history, chainOrgs };
}

interface ClaimDetails {
  documents: Claim['documents'];
  history: Array<Claim['history'][number] & { orgId: number | null; actorId: number | null }>;
  chainOrgs: Array<{ id: number; name: string; level: Claim['chain'][number]['level'] }>;
}

async function claimRow(db: Queryable, id: number, lock = false): Promise<ClaimRow | undefined> {
  if (lock) await lockRosterRow(db, 'services_claims', id);
  const result = await db.query<ClaimRow>(
    `SELECT ${ROW_COLUMNS} FROM ${SUMMARY_FROM} JOIN services_plans p ON p.id = c.plan_id WHERE c.id = $1`, [id]);
  return result.rows[0];
}

/** The claim if the viewer may see it: staff within their subtrees (the member's union), the member their own; else "not found". */
async function visibleClaim(db: Queryable, viewer: Viewer, id: number, lock = false): Promise<ClaimRow> {
  const row = await claimRow(db, id, lock);
  const visible = row && (viewer.kind === 'member' ? row.personId === viewer.personId : canReach(viewer.caller, servicesPolicy.read, row.orgPath));
  if (!visible) throw notFound(`Claim ${id}`);
  return row;
}

/** The columns of a claim row the API answers as they are (the rest is for the server's checks). */
const publicPart = ({ chain: _c, step: _s, lightReview: _l, appealOf: _a, filedBy: _f, orgPath: _o, waitingPath: _w, provinceId: _p, ...claim }: ClaimRow) => claim;

const maskAccount = (account: string) => `${'*'.repeat(Math.max(0, account.length - 4))}${account.slice(-4)}`;

/** The whole claim as the viewer sees it: explanation, documents, review chain with each level's decision, history, what they may do. */
export async function loadClaim(db: Queryable, viewer: Viewer, id: number): Promise<Claim> {
  const row = await visibleClaim(db, viewer, id);
  const { documents, history, chainOrgs } = await claimDetails(db, row);
  const orgById = new Map((chainOrgs ?? []).map((o) => [o.id, o]));
  // Decisions fall on the chain in order: each approval moves one level up, an appeal jumps to its level at the end.
  const decisions: Array<Claim['chain'][number]['decision'] | undefined> = [];
  let at = 0;
  for (const event of history) {
    if (event.action === 'approve' || event.action === 'adjust') decisions[at++] = event.action;
    else if (event.action === 'reject') decisions[at] = 'reject';
    else if (event.action === 'appeal') at = row.chain.length - 1;
  }
  const finished = !['in_review', 'returned'].includes(row.status);
  const chain = row.chain.map((orgId, i) => {
    const org = orgById.get(orgId)!;
    const decision: Claim['chain'][number]['decision'] = decisions[i] ?? (finished ? 'skipped' : 'pending');
    return { orgId, orgName: org.name, level: org.level, decision };
  });
  const payer = canReach(viewer.caller, servicesPolicy.pay, row.orgPath);
  const can = {
    review: viewer.kind === 'staff' && row.status === 'in_review' && row.waitingPath !== null && canReach(viewer.caller, servicesPolicy.review, row.waitingPath)
      && conflictOfInterest(viewer.caller, row, history) === null,
    resubmit: viewer.kind === 'member' && row.status === 'returned',
    appeal: viewer.kind === 'member' && !row.appealed && (row.status === 'rejected' || (row.status === 'approved' && row.approvedFen < row.benefitFen)),
  };
  const claim = publicPart(row);
  return {
    ...claim,
    bankAccount: payer ? row.bankAccount : maskAccount(row.bankAccount),
    documents,
    chain,
    history: history.map(({ orgId: _o, actorId: _a, ...event }) => event),
    can,
  };
}

/** Why this caller may not decide this claim, if they may not: their own, filed by them, or already decided by them at another level. */
function conflictOfInterest(caller: Caller, row: ClaimRow, history: Array<{ action: string; actorId: number | null }>): string | null {
  if (caller.personId !== null && caller.personId === row.personId) return 'own';
  if (row.filedBy === caller.accountId) return 'filed';
  if (history.some((e) => (e.action === 'approve' || e.action === 'adjust') && e.actorId === caller.accountId)) return 'decided';
  return null;
}

/** A list counts its matches up to this many; beyond, it says "more than" (a province's whole history of claims). */
export const CLAIM_COUNT_CAP = 5_000;

/**
 * The list's columns: the member's and the waiting organization's names by subqueries, which
 * PostgreSQL evaluates only for the page's rows (after ORDER BY … LIMIT), not for every match
 * nor for the rows an OFFSET skips.
 */
const LIST_COLUMNS = SUMMARY_COLUMNS
  .replace('pe.name,', '(SELECT pe.name FROM persons pe WHERE pe.province_id = c.province_id AND pe.id = c.person_id) AS name,')
  .replace('w.name AS "waitingOrgName"', '(SELECT name FROM orgs WHERE id = c.waiting_org_id) AS "waitingOrgName"');

/** A page's `next`: where the following page starts, in the list's order (submitted_at in microseconds since 1970, then id). */
const CURSOR = /^(\d{1,17})\.(\d{1,17})$/;

function parseCursor(after: string | undefined): [string, string] | null {
  if (after === undefined) return null;
  const match = CURSOR.exec(after);
  if (!match) throw badRequest('query.after', 'validation.format');
  return [match[1]!, match[2]!];
}

/**
 * Claims in the caller's subtrees (or waiting for the caller's own organizations), oldest first,
 * a page at a time by keyset: a page starts after the `next` of the page before, so the
 * thousandth page costs what the first does. Each claim carries its union's path, so a subtree
 * is one range of an index (services_claims_subtree) and needs no join with the tree. How a
 * page is read depends on how many claims match, counted first (up to CLAIM_COUNT_CAP):
 * - the review queue (waitingForMe): from the queue's own index, in order;
 * - up to the cap (a county): every match from the subtree's range, sorted, the page taken;
 * - more (a province): every claim in filing order (services_claims_filed), filtered by the
 *   range, until the page is full — the matches are then dense enough that few are skipped.
 */
export async function listClaims(db: Queryable, caller: Caller, query: z.infer<typeof ClaimListQuery>) {
  const cursor = parseCursor(query.after);
  let roots = scopeOf(caller, servicesPolicy.read);
  // An organization outside the caller's subtrees filters to nothing, as one that does not exist.
  if (query.orgId !== undefined) {
    const org = (await db.query<{ path: string }>('SELECT path::text FROM orgs WHERE id = $1', [query.orgId])).rows[0];
    roots = org && canReach(caller, servicesPolicy.read, org.path) ? [org.path] : [];
  }
  const reviewerOrgs = query.waitingForMe ? [...new Set(caller.grants.filter((g) => servicesPolicy.review.includes(g.role as never)).map((g) => g.orgId))] : [];
  if (!roots.length || (query.waitingForMe && !reviewerOrgs.length)) return { items: [], total: 0, pageSize: query.pageSize, next: null };

  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const filters: string[] = [];
  if (query.waitingForMe) {
    filters.push(`c.status = 'in_review'`, reviewerOrgs.length === 1 ? `c.waiting_org_id = ${param(reviewerOrgs[0])}` : `c.waiting_org_id = ANY(${param(reviewerOrgs)}::bigint[])`);
  }
  if (query.status !== undefined) filters.push(`c.status = ${param(query.status)}`);
  if (query.planId !== undefined) filters.push(`c.plan_id = ${param(query.planId)}`);
  if (query.q) {
    const prefix = param(`${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    filters.push(`(c.hospital LIKE ${prefix} OR EXISTS (SELECT 1 FROM persons pe WHERE pe.province_id = c.province_id AND pe.id = c.person_id AND pe.name LIKE ${prefix}))`);
  }
  const ranges = roots.map((root) => [param(root), param(`${root}/`)] as const);
  const inSubtree = (column: string) => `(${ranges.map(([from, to]) => `(${column} >= ${from} AND ${column} < ${to})`).join(' OR ')})`;
  const where = (column: string) => [inSubtree(column), ...filters].join(' AND ');

  // (The queue's claims wait at the caller's own organizations, so its own index finds them: the subtree's range only checks.)
  const counted = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM services_claims c WHERE ${where(query.waitingForMe ? `(c.org_path || '')` : 'c.org_path')} LIMIT ${CLAIM_COUNT_CAP + 1}) m`, params);
  const total = counted.rows[0]!.n;
  const keyset = cursor ? ` AND (c.submitted_at, c.id) > (timestamptz 'epoch' + ${param(cursor[0])}::bigint * interval '1 microsecond', ${param(cursor[1])}::bigint)` : '';
  const limit = param(query.pageSize + 1);
  // The range's index (every match, then sorted), or the filing order's: an expression over the path keeps the range's index from being chosen.
  const page = query.waitingForMe ? `SELECT c.id FROM services_claims c WHERE ${where(`(c.org_path || '')`)}${keyset} ORDER BY c.submitted_at, c.id LIMIT ${limit}`
    : total <= CLAIM_COUNT_CAP ? `WITH m AS MATERIALIZED (SELECT c.id, c.submitted_at FROM services_claims c WHERE ${where('c.org_path')}${keyset}) SELECT id FROM m ORDER BY submitted_at, id LIMIT ${limit}`
    : `SELECT c.id FROM services_claims c WHERE ${where(`(c.org_path || '')`)}${keyset} ORDER BY c.submitted_at, c.id LIMIT ${limit}`;
  // The page is read from the indexes alone, which do not hold the province: its rows are joined back by id.
  const rows = await db.query<ClaimSummary & { micros: string }>(
    `SELECT ${LIST_COLUMNS}, (extract(epoch FROM c.submitted_at) * 1000000)::bigint::text AS micros
     FROM (${page}) p JOIN services_claims c ON c.id = p.id JOIN orgs o ON o.id = c.org_id ORDER BY c.submitted_at, c.id`, params);
  const more = rows.rows.length > query.pageSize;
  const items = rows.rows.slice(0, query.pageSize);
  const last = items.at(-1);
  return {
    items: items.map(({ micros: _m, ...item }) => item),
    total: Math.min(total, CLAIM_COUNT_CAP), ...(total > CLAIM_COUNT_CAP ? { totalAtLeast: true } : {}),
    pageSize: query.pageSize,
    next: more && last ? `${last.micros}.${last.id}` : null,
  };
}

export async function myClaims(db: Queryable, personId: number): Promise<ClaimSummary[]> {
  const result = await db.query<ClaimSummary>(`SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE c.person_id = $1 ORDER BY c.submitted_at DESC, c.id DESC`, [personId]);
  return result.rows;
}

/**
 * The review chain of a claim: the organizations on the member's union's path up to the plan's
 * issuer whose level the plan names, bottom up; the issuer alone when none is on the path.
 */
async function reviewChain(db: Queryable, planId: number, unionId: number): Promise<number[]> {
  const result = await db.query<{ id: number }>(
    `SELECT a.id::int FROM services_plans p JOIN orgs i ON i.id = p.org_id JOIN orgs u ON u.id = $2
       JOIN orgs a ON a.path @> u.path AND a.path <@ i.path AND a.level = ANY(p.review_levels)
     WHERE p.id = $1 ORDER BY array_position(p.review_levels, a.level), nlevel(a.path) DESC`, [planId, unionId]);
  if (result.rows.length) return result.rows.map((r) => r.id);
  const issuer = await db.query<{ id: number }>('SELECT org_id::int AS id FROM services_plans WHERE id = $1', [planId]);
  return [issuer.rows[0]!.id];
}

const validation = (errors: FieldError[]) =>
  new AppError(400, PROBLEM_TYPES.validation, 'Invalid input', errors[0]!.code, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors, errors[0]!.params);

/** Documents the caller uploaded and has not attached yet, by id; an unknown one is an error naming it. */
async function ownDocuments(db: Queryable, caller: Caller, documents: Array<{ id: number; kind: ClaimDocumentKind }>, errors: FieldError[]) {
  if (!documents.length) return;
  const found = await db.query<{ id: number }>(
    'SELECT id::int FROM services_documents WHERE id = ANY($1::bigint[]) AND uploaded_by = $2 AND claim_id IS NULL', [documents.map((d) => d.id), caller.accountId]);
  const ids = new Set(found.rows.map((r) => r.id));
  for (const d of documents) if (!ids.has(d.id)) errors.push(fieldError('body.documents', 'services.document.not_found', { id: d.id }));
}

function missingKinds(rules: BenefitRules, kinds: Iterable<ClaimDocumentKind>): ClaimDocumentKind[] {
  const have = new Set(kinds);
  return rules.requiredDocuments.filter((k) => !have.has(k));
}

async function addEvent(db: Queryable, row: { id: number; provinceId: number }, ctx: WriteContext, event: {
  orgId?: number | null; action: string; from: string | null; to: string; reason?: string | null; amountFen?: number | null; missing?: string[] | null;
}) {
  await db.query(
    `INSERT INTO services_claim_events (claim_id, province_id, actor_id, org_id, action, from_status, to_status, reason, amount_fen, missing_documents)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [row.id, row.provinceId, ctx.caller.accountId, event.orgId ?? null, event.action, event.from, event.to, event.reason ?? null, event.amountFen ?? null, event.missing ?? null]);
}

/**
 * Files a claim for a person (the member themself, or their union's staff), after every
 * automatic check: enrolled and covered on the admission date (contribution paid, waiting period
 * over), dates in order and not in the future, the required documents attached, no overlap with
 * another stay, stays left this year. The benefit is computed by the rules in force on the
 * admission date. The same requestKey again answers the claim already filed (created: false).
 */
export async function fileClaim(pool: Pool, ctx: WriteContext, personId: number, input: Omit<z.infer<typeof ClaimCreate>, 'personId'>, now = new Date(), random = Math.random):
  Promise<{ created: boolean; id: number }> {
  return inTransaction(pool, async (db) => {
    // One claim at a time per person: a double click or two devices file once, and overlaps are seen.
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('services-claim'), $1::int)`, [personId]);
    const existing = await db.query<{ id: number }>('SELECT id::int FROM services_claims WHERE person_id = $1 AND request_key = $2', [personId, input.requestKey]);
    if (existing.rows[0]) return { created: false, id: existing.rows[0].id };
    const enrolment = (await db.query<{ orgId: number; provinceId: number; coveredFrom: string | null; coveredTo: string; coverageStart: string; sampling: { reviewAboveFen: number; sampleShare: number } | null }>(
      `SELECT e.org_id::int AS "orgId", e.province_id::int AS "provinceId", e.covered_from AS "coveredFrom", e.covered_to AS "coveredTo",
         p.coverage_start AS "coverageStart", p.sampling
       FROM services_enrolments e JOIN services_plans p ON p.id = e.plan_id WHERE e.plan_id = $1 AND e.person_id = $2`, [input.planId, personId])).rows[0];
    if (!enrolment) throw badRequest('body.planId', 'services.claim.not_enrolled');
    const today = chinaDate(now);
    const errors: FieldError[] = [];
    if (input.admittedOn > today) errors.push(fieldError('body.admittedOn', 'services.claim.future_date'));
    if (input.dischargedOn > today) errors.push(fieldError('body.dischargedOn', 'services.claim.future_date'));
    if (input.dischargedOn < input.admittedOn) errors.push(fieldError('body.dischargedOn', 'services.claim.discharge_before_admission'));
    if (enrolment.coveredFrom === null) errors.push(fieldError('body.planId', 'services.claim.unpaid'));
    else if (input.admittedOn < enrolment.coverageStart || input.admittedOn > enrolment.coveredTo) {
      errors.push(fieldError('body.admittedOn', 'services.claim.not_covered', { from: enrolment.coverageStart, to: enrolment.coveredTo }));
    } else if (input.admittedOn < enrolment.coveredFrom) errors.push(fieldError('body.admittedOn', 'services.claim.waiting', { from: enrolment.coveredFrom }));
    await ownDocuments(db, ctx.caller, input.documents, errors);
    const { version, rules } = await rulesOn(db, input.planId, input.admittedOn);
    for (const kind of missingKinds(rules, input.documents.map((d) => d.kind))) errors.push(fieldError('body.documents', 'services.claim.document_missing', { kind }));
    const overlap = await db.query<{ id: number }>(
      `SELECT id::int FROM services_claims WHERE person_id = $1 AND status <> 'rejected' AND admitted_on < $3::date AND discharged_on > $2::date
       ORDER BY id LIMIT 1`, [personId, input.admittedOn, input.dischargedOn]);
    if (overlap.rows[0]) errors.push(fieldError('body.admittedOn', 'services.claim.overlap', { id: overlap.rows[0].id }));
    if (errors.length) throw validation(errors);
    const benefit = computeBenefit(rules, version, input.admittedOn, input.dischargedOn, await yearUsage(db, input.planId, personId));
    if (!benefit.ok) throw badRequest(benefit.field, benefit.error.code as 'services.claim.short_stay', benefit.error.params as { min: number });
    const chain = await reviewChain(db, input.planId, enrolment.orgId);
    const sampling = enrolment.sampling;
    const light = sampling !== null && chain.length > 1 && benefit.explanation.benefitFen <= sampling.reviewAboveFen && random() >= sampling.sampleShare;
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO services_claims (plan_id, rule_version, person_id, org_id, province_id, request_key, filed_by, hospital, admitted_on, discharged_on, days,
         diagnosis, bank_name, bank_account, benefit_fen, approved_fen, explanation, status, chain, step, waiting_org_id, light_review, org_path)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, 'in_review', $17, 1, $18, $19,
         path::text FROM orgs WHERE id = $4 RETURNING id::int`,
      [input.planId, version, personId, enrolment.orgId, enrolment.provinceId, input.requestKey, ctx.caller.accountId, input.hospital, input.admittedOn,
        input.dischargedOn, benefit.explanation.days, input.diagnosis, input.bankName, input.bankAccount, benefit.explanation.benefitFen,
        JSON.stringify(benefit.explanation), chain, chain[0], light]);
    const id = inserted.rows[0]!.id;
    if (input.documents.length) await db.query('UPDATE services_documents SET claim_id = $1, kind = d.kind FROM unnest($2::bigint[], $3::text[]) AS d(id, kind) WHERE services_documents.id = d.id', [id, input.documents.map((d) => d.id), input.documents.map((d) => d.kind)]);
    await addEvent(db, { id, provinceId: enrolment.provinceId }, ctx, { action: 'submit', from: null, to: 'in_review', amountFen: benefit.explanation.benefitFen });
    const path = await orgPath(db, enrolment.orgId);
    await recordAudit(db, ctx, {
      action: 'submit', entity: 'services_claim', entityId: id, orgPath: path, personId,
      after: { status: 'in_review', planId: input.planId, admittedOn: input.admittedOn, dischargedOn: input.dischargedOn, benefitFen: benefit.explanation.benefitFen },
    });
    return { created: true, id };
  });
}

/** Staff file claims only for members enrolled through a union of their own subtrees. */
export async function assertMayFileFor(db: Queryable, caller: Caller, planId: number, personId: number): Promise<void> {
  const row = await db.query<{ path: string }>(
    'SELECT o.path::text FROM services_enrolments e JOIN orgs o ON o.id = e.org_id WHERE e.plan_id = $1 AND e.person_id = $2', [planId, personId]);
  if (!row.rows[0] || !canReach(caller, servicesPolicy.manage, row.rows[0].path)) throw badRequest('body.personId', 'services.claim.not_enrolled');
}

const orgPath = async (db: Queryable, id: number) => (await db.query<{ path: string }>('SELECT path::text FROM orgs WHERE id = $1', [id])).rows[0]!.path;

function assertVersion(row: ClaimRow, version: number) {
  if (row.version !== version) throw conflict('body.version', 'services.claim.stale', { version: row.version });
}

/**
 * A reviewer's decision on a claim waiting at an organization of their subtrees: approve (it
 * moves up the chain, or is approved at its end), adjust the amount with a reason (an approval
 * of less), return for missing documents, or reject with a reason. An appeal's "reject" keeps
 * the decision appealed against. Two reviewers at once: the second gets 409.
 */
export async function reviewClaim(pool: Pool, ctx: WriteContext, id: number, action: z.infer<typeof ReviewAction>): Promise<Claim> {
  await inTransaction(pool, async (db) => {
    const row = await visibleClaim(db, { kind: 'staff', caller: ctx.caller }, id, true);
    if (row.status !== 'in_review') throw conflict('status', 'services.claim.state', { status: row.status });
    assertVersion(row, action.version);
    if (!row.waitingPath || !canReach(ctx.caller, servicesPolicy.review, row.waitingPath)) throw forbidden('the claim waits for another organization\'s review', 'services.claim.not_your_level');
    const history = await db.query<{ action: string; actorId: number | null }>(
      'SELECT action, actor_id::int AS "actorId" FROM services_claim_events WHERE province_id = $1 AND claim_id = $2', [row.provinceId, id]);
    if (conflictOfInterest(ctx.caller, row, history.rows)) throw forbidden('nobody reviews their own claim, one they filed, or one they decided at another level', 'services.claim.own');
    const atAppeal = row.appealed && row.step === row.chain.length;
    // Sampling ends a light claim's review at its first level (an appeal clears it).
    const lastStep = row.lightReview || row.step >= row.chain.length;
    let status: Claim['status'] = 'in_review';
    let step = row.step;
    let approvedFen = row.approvedFen;
    let explanation = row.explanation;
    let missing: ClaimDocumentKind[] = [];
    switch (action.action) {
      case 'approve':
        if (atAppeal) { approvedFen = row.benefitFen; explanation = { ...explanation, lines: explanation.lines.filter((l) => l.code !== 'adjusted') }; }
        if (lastStep) status = 'approved'; else step++;
        break;
      case 'adjust':
        if (action.amountFen > row.benefitFen) throw badRequest('body.amountFen', 'services.claim.above_benefit', { max: yuan(row.benefitFen) });
        approvedFen = action.amountFen;
        explanation = withAdjustment(explanation, action.amountFen, action.reason);
        if (lastStep) status = 'approved'; else step++;
        break;
      case 'return':
        status = 'returned';
        missing = action.missingDocuments;
        break;
      case 'reject':
        // Rejecting an appeal against an adjustment leaves the adjusted approval standing.
        status = atAppeal && row.appealOf === 'adjust' ? 'approved' : 'rejected';
        break;
    }
    const waiting = status === 'in_review' ? row.chain[step - 1]! : null;
    await db.query(
      `UPDATE services_claims SET status = $2, step = $3, waiting_org_id = $4, approved_fen = $5, explanation = $6, missing_documents = $7, version = version + 1
       WHERE id = $1 AND province_id = $8`, [id, status, step, waiting, approvedFen, JSON.stringify(explanation), missing, row.provinceId]);
    const reason = 'reason' in action ? action.reason ?? null : null;
    await addEvent(db, row, ctx, {
      orgId: row.waitingOrgId, action: action.action, from: row.status, to: status, reason, amountFen: action.action === 'adjust' ? action.amountFen : approvedFen, missing: missing.length ? missing : null,
    });
    await recordAudit(db, ctx, {
      action: action.action, entity: 'services_claim', entityId: id, orgPath: row.orgPath, personId: row.personId,
      before: { status: row.status, approvedFen: row.approvedFen, waitingOrgId: row.waitingOrgId },
      after: { status, approvedFen, waitingOrgId: waiting, ...(reason ? { reason } : {}), ...(missing.length ? { missingDocuments: missing } : {}) },
    });
  });
  return loadClaim(pool, { kind: 'staff', caller: ctx.caller }, id);
}

/** The member adds the documents a reviewer asked for; the claim waits again at the level that returned it. */
export async function resubmitClaim(pool: Pool, ctx: WriteContext, personId: number, id: number, input: z.infer<typeof ResubmitInput>): Promise<Claim> {
  const viewer: Viewer = { kind: 'member', caller: ctx.caller, personId };
  await inTransaction(pool, async (db) => {
    const row = await visibleClaim(db, viewer, id, true);
    if (row.status !== 'returned') throw conflict('status', 'services.claim.state', { status: row.status });
    assertVersion(row, input.version);
    const errors: FieldError[] = [];
    await ownDocuments(db, ctx.caller, input.documents, errors);
    const attached = await db.query<{ kind: ClaimDocumentKind }>('SELECT kind FROM services_documents WHERE claim_id = $1', [id]);
    const have = new Set([...attached.rows.map((r) => r.kind), ...input.documents.map((d) => d.kind)]);
    const { rules } = await rulesOn(db, row.planId, row.admittedOn);
    for (const kind of new Set([...row.missingDocuments, ...rules.requiredDocuments])) if (!have.has(kind)) errors.push(fieldError('body.documents', 'services.claim.document_missing', { kind }));
    if (errors.length) throw validation(errors);
    await db.query('UPDATE services_documents SET claim_id = $1, kind = d.kind FROM unnest($2::bigint[], $3::text[]) AS d(id, kind) WHERE services_documents.id = d.id', [id, input.documents.map((d) => d.id), input.documents.map((d) => d.kind)]);
    const waiting = row.chain[row.step - 1]!;
    await db.query(`UPDATE services_claims SET status = 'in_review', waiting_org_id = $2, missing_documents = '{}', version = version + 1 WHERE id = $1 AND province_id = $3`,
      [id, waiting, row.provinceId]);
    await addEvent(db, row, ctx, { orgId: waiting, action: 'resubmit', from: 'returned', to: 'in_review' });
    await recordAudit(db, ctx, { action: 'resubmit', entity: 'services_claim', entityId: id, orgPath: row.orgPath, personId, before: { status: 'returned' }, after: { status: 'in_review', documents: input.documents.map((d) => d.id) } });
  });
  return loadClaim(pool, viewer, id);
}

/** The member appeals a rejection or an adjusted amount, once, to the organization above the one that decided. */
export async function appealClaim(pool: Pool, ctx: WriteContext, personId: number, id: number, input: z.infer<typeof AppealInput>): Promise<Claim> {
  const viewer: Viewer = { kind: 'member', caller: ctx.caller, personId };
  await inTransaction(pool, async (db) => {
    const row = await visibleClaim(db, viewer, id, true);
    assertVersion(row, input.version);
    if (row.appealed) throw conflict('status', 'services.claim.appealed');
    const of = row.status === 'rejected' ? 'reject' : row.status === 'approved' && row.approvedFen < row.benefitFen ? 'adjust' : null;
    if (!of) throw conflict('status', 'services.claim.nothing_to_appeal');
    const decided = await db.query<{ parentId: number | null }>(
      `SELECT o.parent_id::int AS "parentId" FROM services_claim_events e JOIN orgs o ON o.id = e.org_id
        WHERE e.province_id = $1 AND e.claim_id = $2 AND e.action = $3 ORDER BY e.id DESC LIMIT 1`, [row.provinceId, id, of]);
    const above = decided.rows[0]?.parentId ?? null;
    if (above === null) throw conflict('status', 'services.claim.no_level_above');
    await db.query(
      `UPDATE services_claims SET status = 'in_review', chain = chain || $2::bigint, step = cardinality(chain) + 1, waiting_org_id = $2, light_review = false,
         appealed = true, appeal_of = $3, version = version + 1 WHERE id = $1 AND province_id = $4`, [id, above, of, row.provinceId]);
    await addEvent(db, row, ctx, { orgId: above, action: 'appeal', from: row.status, to: 'in_review', reason: input.reason });
    await recordAudit(db, ctx, { action: 'appeal', entity: 'services_claim', entityId: id, orgPath: row.orgPath, personId, before: { status: row.status }, after: { status: 'in_review', waitingOrgId: above, reason: input.reason } });
  });
  return loadClaim(pool, viewer, id);
}

export const claimNotFound = (id: number) => notFound(`Claim ${id}`);
