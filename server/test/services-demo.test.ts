import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim, ClaimSummary, MyCoverage, SubtreeFigures, Workbench } from '@workers-home/contract';
import { seedDemo } from '../src/demo/seed.ts';
import { DEMO_PASSWORD } from '../src/demo/federation.ts';
import { DEMO_RULES } from '../src/demo/services.ts';
import { LocalFileStore } from '../src/files/file-store.ts';
import { computeBenefit } from '../src/modules/services/benefit.ts';
import { call, createTestApp, json, type Session, type TestApp } from './helpers.ts';

/** The demo's Huigong Bao: 中牟县总工会's plan, enrolled unions, claims in every state, a paid batch. */
let t: TestApp;

async function login(username: string, n: number): Promise<Session> {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `127.9.0.${n}`, payload: { username, password: DEMO_PASSWORD } });
  expect(response.statusCode, response.body).toBe(200);
  return { accountId: 0, username, cookie: `wh_session=${response.cookies.find((c) => c.name === 'wh_session')!.value}` };
}

beforeAll(async () => {
  t = await createTestApp();
  // The app's own file folder (helpers' default), so the documents drawn for the demo are served.
  await seedDemo(t.pool, t.secrets, new LocalFileStore(path.join(tmpdir(), 'workers-home-files')));
}, 120_000);
afterAll(async () => { await t.close(); });

describe('demo Huigong Bao', () => {
  it('has the county\'s plan with most unions enrolled and paid, claims in every state, and a batch paid to the fen', async () => {
    const plan = await t.pool.query<{ id: number; name: string }>(`SELECT p.id, p.name FROM services_plans p JOIN orgs o ON o.id = p.org_id WHERE o.name = '中牟县总工会'`);
    expect(plan.rows).toHaveLength(1);
    const statements = await t.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM services_statements GROUP BY 1');
    const byStatus = Object.fromEntries(statements.rows.map((r) => [r.status, r.n]));
    expect(byStatus.paid).toBeGreaterThan(20);
    expect(byStatus.due).toBeGreaterThan(0);
    const claims = await t.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM services_claims GROUP BY 1');
    const states = Object.fromEntries(claims.rows.map((r) => [r.status, r.n]));
    for (const state of ['in_review', 'returned', 'approved', 'rejected', 'paid']) expect(states[state], state).toBeGreaterThan(0);
    expect(Object.values(states).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30);
    const appealed = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM services_claims WHERE appealed`);
    expect(appealed.rows[0]!.n).toBe(2);
    const money = await t.pool.query<{ batch: string; claims: string; ledger: string }>(
      `SELECT (SELECT sum(total_fen) FROM services_batches WHERE status = 'paid') AS batch,
              (SELECT sum(approved_fen) FROM services_claims WHERE status = 'paid') AS claims,
              (SELECT sum(amount_fen) FROM services_ledger WHERE kind = 'benefit') AS ledger`);
    expect(Number(money.rows[0]!.batch)).toBeGreaterThan(0);
    expect(Number(money.rows[0]!.claims)).toBe(Number(money.rows[0]!.batch));
    expect(Number(money.rows[0]!.ledger)).toBe(Number(money.rows[0]!.batch));
    // Every benefit is what the rules compute (before any adjustment).
    const rows = await t.pool.query<{ admittedOn: string; dischargedOn: string; benefitFen: number }>('SELECT admitted_on AS "admittedOn", discharged_on AS "dischargedOn", benefit_fen AS "benefitFen" FROM services_claims');
    for (const r of rows.rows) {
      const again = computeBenefit(DEMO_RULES, 1, r.admittedOn, r.dischargedOn, { stays: 0, fen: 0 });
      expect(again.ok && again.explanation.benefitFen).toBe(r.benefitFen);
    }
  });

  it('shows the member covered with one claim in review, and the county reviewer its queue with the documents', async () => {
    const member = await login('member', 1);
    const coverage = json<MyCoverage[]>(await call(t, member, { url: '/api/my/services/coverage' }));
    expect(coverage).toHaveLength(1);
    expect(['covered', 'ended']).toContain(coverage[0]!.state);
    const mine = json<ClaimSummary[]>(await call(t, member, { url: '/api/my/services/claims' }));
    expect(mine.map((c) => c.status)).toEqual(['in_review']);

    const reviewer = await login('zhongmou.reviewer', 2);
    const queue = json<{ items: ClaimSummary[]; total: number }>(await call(t, reviewer, { url: '/api/services/claims?waitingForMe=true' }));
    expect(queue.total).toBeGreaterThan(0);
    const claim = json<Claim>(await call(t, reviewer, { url: `/api/services/claims/${queue.items[0]!.id}` }));
    expect(claim.can.review).toBe(true);
    expect(claim.documents.map((d) => d.kind).sort()).toEqual(['discharge_summary', 'invoice']);
    const pdf = await call(t, reviewer, { url: claim.documents[0]!.url });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const unionReviewer = await login('grassroots.reviewer', 3);
    const own = json<{ items: ClaimSummary[] }>(await call(t, unionReviewer, { url: '/api/services/claims?waitingForMe=true' }));
    expect(own.items.map((c) => c.personId)).toContain(mine[0]!.personId);

    const home = json<Workbench>(await call(t, reviewer, { url: '/api/workbench' }));
    expect(home.cards.find((c) => c.id === 'services.claimsToReview')!.count).toBeGreaterThan(0);
    const zhongmou = await t.pool.query<{ id: number }>(`SELECT id FROM orgs WHERE name = '中牟县总工会'`);
    const figures = json<SubtreeFigures>(await call(t, await login('zhongmou.services', 4), { url: `/api/orgs/${zhongmou.rows[0]!.id}/figures` }));
    expect(figures.services.enrolled).toBeGreaterThan(100);
    expect(figures.services.paidFen).toBeGreaterThan(0);
    expect(figures.services.averageDaysToPay).not.toBeNull();
  });
});
