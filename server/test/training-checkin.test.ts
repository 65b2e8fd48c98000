import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import type { Attendance, CheckinCode, CheckinResult, MyClass, MyClassDetail, PresenceResult } from '@workers-home/contract';
import { codeFor, tokenFor, windowAt } from '../src/modules/training/checkin.ts';
import { call, createTestApp, expectProblem, json, makeFederation, signIn, type Session, type TestApp } from './helpers.ts';
import { codesAt, insertClass, insertEnrolment, insertSession, makeTrainee, sessionSecret, type ClassRef, type Trainee } from './training-helpers.ts';

let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let owner: Session;
let cls: ClassRef;
let session: number;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  owner = await signIn(t, 'organizer', f.provinceA);
  cls = await insertClass(t, f.provinceA, { audienceOrgIds: [f.countyA1.id, f.countyA2.id] });
  session = await insertSession(t, cls.id);
});
afterAll(async () => { await t.close(); });

/** A trainee of the class (on site unless said), signed in with their own account. */
async function enrolled(mode: 'onsite' | 'live' = 'onsite', classId = cls.id): Promise<Trainee & { enrolmentId: number }> {
  const trainee = await makeTrainee(t, f.unionA1);
  return { ...trainee, enrolmentId: await insertEnrolment(t, classId, trainee.personId, f.unionA1, mode) };
}
const checkIn = (who: Session, body: Record<string, unknown>) => call(t, who, { method: 'POST', url: '/api/my/training/check-in', payload: body });
const rows = async (sessionId: number, enrolmentId: number) =>
  (await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM training_attendance WHERE session_id = $1 AND enrolment_id = $2', [sessionId, enrolmentId])).rows[0]!.n;

describe('rotating codes', () => {
  // JS time stands still in the middle of a 30 s window, so "the current window" cannot change under a test.
  beforeEach(() => {
    const middle = (windowAt(Date.now()) * 30 + 15) * 1000;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(middle);
  });
  afterEach(() => { vi.useRealTimers(); });

  it('shows the owners a QR token and a typed code that change every 30 s', async () => {
    const response = await call(t, owner, { url: `/api/training/sessions/${session}/checkin-code` });
    expect(response.statusCode, response.body).toBe(200);
    const code = json<z.infer<typeof CheckinCode>>(response);
    expect(code).toMatchObject({ sessionId: session, periodSeconds: 30 });
    expect(code.code).toMatch(/^\d{6}$/);
    expect(code.url).toBe(`http://localhost:80/app/check-in?t=${encodeURIComponent(code.token)}`);
    expect(response.headers['cache-control']).toBe('no-store');
    const { token } = await codesAt(t, session);
    expect(code.token).toBe(token);
    const next = await codesAt(t, session, 1);
    expect(next.token).not.toBe(token);
    // Organizers of the audience may not show the code; others do not see the session.
    const countyOrganizer = await signIn(t, 'organizer', f.countyA1);
    expectProblem(await call(t, countyOrganizer, { url: `/api/training/sessions/${session}/checkin-code` }), 403);
    expectProblem(await call(t, await signIn(t, 'organizer', f.provinceB), { url: `/api/training/sessions/${session}/checkin-code` }), 404);
  });

  it('checks a trainee in by QR once: a second scan answers 200 and writes nothing', async () => {
    const trainee = await enrolled();
    const { token } = await codesAt(t, session);
    const first = await checkIn(trainee.session, { token });
    expect(first.statusCode, first.body).toBe(201);
    expect(json<z.infer<typeof CheckinResult>>(first)).toMatchObject({ sessionId: session, classId: cls.id, method: 'qr', created: true });
    const second = await checkIn(trainee.session, { token, sessionId: session });
    expect(second.statusCode).toBe(200);
    expect(json<z.infer<typeof CheckinResult>>(second)).toMatchObject({ created: false, checkedInAt: json<z.infer<typeof CheckinResult>>(first).checkedInAt });
    expect(await rows(session, trainee.enrolmentId)).toBe(1);
    const audit = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'check-in' AND entity_id = $1`, [`${session}:${trainee.enrolmentId}`]);
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('is idempotent under a burst of the same scan', async () => {
    const trainee = await enrolled();
    const { token } = await codesAt(t, session);
    const answers = await Promise.all(Array.from({ length: 8 }, () => checkIn(trainee.session, { token })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(await rows(session, trainee.enrolmentId)).toBe(1);
  });

  it('accepts the previous window\'s code and the typed code, and nothing older', async () => {
    const [a, b, c] = [await enrolled(), await enrolled(), await enrolled()];
    expect((await checkIn(a.session, { token: (await codesAt(t, session, -1)).token })).statusCode).toBe(201);
    const typed = await checkIn(b.session, { sessionId: session, code: (await codesAt(t, session)).code });
    expect(typed.statusCode, typed.body).toBe(201);
    expect(json<z.infer<typeof CheckinResult>>(typed).method).toBe('code');
    expect((await checkIn(c.session, { sessionId: session, code: (await codesAt(t, session, -1)).code })).statusCode).toBe(201);
    const d = await enrolled();
    const expired = expectProblem(await checkIn(d.session, { token: (await codesAt(t, session, -2)).token }), 400, 'body.token');
    expect(expired.detail).toContain('expired');
    const oldCode = (await codesAt(t, session, -2)).code;
    const current = [(await codesAt(t, session)).code, (await codesAt(t, session, -1)).code];
    if (!current.includes(oldCode)) expectProblem(await checkIn(d.session, { sessionId: session, code: oldCode }), 400, 'body.code');
    expect(await rows(session, d.enrolmentId)).toBe(0);
  });

  it('refuses forged tokens, another session\'s token, and malformed input, naming the field', async () => {
    const trainee = await enrolled();
    const other = await insertSession(t, cls.id, -5, 30);
    const { token } = await codesAt(t, session);
    const [id, window, mac] = token.split('.') as [string, string, string];
    const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    const forged = [
      `${id}.${window}.${flipped}`,
      `${other}.${window}.${mac}`, // this session's MAC under another session's id
      tokenFor(Buffer.alloc(32), session, Number(window)), // a key someone guessed
      tokenFor(await sessionSecret(t, session), session, Number(window) + 5), // from the future
      `${id}.${window}.${'A'.repeat(16)}`,
    ];
    for (const bad of forged) {
      const problem = expectProblem(await checkIn(trainee.session, { token: bad }), 400, 'body.token');
      expect(problem.detail, bad).toContain('not a valid check-in code');
    }
    expect(expectProblem(await checkIn(trainee.session, { token: 'https://evil.example/x' }), 400, 'body.token').detail).toContain('not a check-in code');
    const otherToken = (await codesAt(t, other)).token;
    expect(expectProblem(await checkIn(trainee.session, { token: otherToken, sessionId: session }), 400, 'body.token').detail).toContain('another session');
    const wrongCode = String((Number(codeFor(await sessionSecret(t, session), session, Number(window))) + 1) % 1_000_000).padStart(6, '0');
    if (wrongCode !== (await codesAt(t, session, -1)).code) expectProblem(await checkIn(trainee.session, { sessionId: session, code: wrongCode }), 400, 'body.code');
    expectProblem(await checkIn(trainee.session, { sessionId: session, code: '12345' }), 400, 'body.code');
    expectProblem(await checkIn(trainee.session, { sessionId: session }), 400, 'body');
    expectProblem(await checkIn(trainee.session, { token: '' }), 400, 'body');
    expectProblem(await checkIn(trainee.session, { sessionId: 99999999, code: '123456' }), 404);
    expect(await rows(session, trainee.enrolmentId)).toBe(0);
  });

  it('is open from 30 minutes before a session starts until it ends', async () => {
    const trainee = await enrolled();
    const later = await insertSession(t, cls.id, 120, 180);
    const soon = await insertSession(t, cls.id, 20, 80);
    const over = await insertSession(t, cls.id, -120, -60);
    const tooEarly = expectProblem(await checkIn(trainee.session, { token: (await codesAt(t, later)).token }), 409, 'body.token');
    expect(tooEarly.detail).toMatch(/open from \d{4}-\d{2}-\d{2} \d{2}:\d{2} to .* \(China time\)/);
    expectProblem(await checkIn(trainee.session, { sessionId: over, code: (await codesAt(t, over)).code }), 409, 'body.code');
    expect((await checkIn(trainee.session, { token: (await codesAt(t, soon)).token })).statusCode).toBe(201);
    expect(await rows(later, trainee.enrolmentId)).toBe(0);
    expect(await rows(over, trainee.enrolmentId)).toBe(0);
  });

  it('refuses trainees who are not enrolled, withdrawn, taking part live, or in a closed class', async () => {
    const { token } = await codesAt(t, session);
    const stranger = await makeTrainee(t, f.unionA1);
    expect(expectProblem(await checkIn(stranger.session, { token }), 403, 'body.token').detail).toContain('not enrolled');
    const withdrawn = await enrolled();
    await t.pool.query(`UPDATE training_enrolments SET status = 'withdrawn' WHERE id = $1`, [withdrawn.enrolmentId]);
    expectProblem(await checkIn(withdrawn.session, { token }), 403, 'body.token');
    const live = await enrolled('live');
    expect(expectProblem(await checkIn(live.session, { token }), 409, 'body.token').detail).toContain('live');
    const closed = await insertClass(t, f.provinceA, { status: 'closed' });
    const closedSession = await insertSession(t, closed.id);
    const late = await enrolled('onsite', closed.id);
    expectProblem(await checkIn(late.session, { token: (await codesAt(t, closedSession)).token }), 409, 'body.token');
    // An account without a member record.
    expectProblem(await checkIn(owner, { token }), 403);
    expect(await t.pool.query('SELECT 1 FROM training_attendance WHERE enrolment_id = ANY($1)', [[withdrawn.enrolmentId, live.enrolmentId, late.enrolmentId]])).toMatchObject({ rowCount: 0 });
  });

  it('is rate-limited per account', async () => {
    const trainee = await enrolled();
    const other = await enrolled();
    let limited = 0;
    for (let i = 0; i < 31; i++) {
      const response = await checkIn(trainee.session, { token: `${session}.1.${'A'.repeat(16)}` });
      if (response.statusCode === 429) {
        limited++;
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    expect(limited).toBe(1);
    // Another account, from the same address, is not held back.
    expect((await checkIn(other.session, { token: (await codesAt(t, session)).token })).statusCode).toBe(201);
  });
});

describe('manual check-in', () => {
  it('lets owners and audience organizers check their people in by hand, idempotently, and undo it', async () => {
    const own = await enrolled();
    const otherCounty = await makeTrainee(t, f.unionA2);
    const otherEnrolment = await insertEnrolment(t, cls.id, otherCounty.personId, f.unionA2);
    const countyOrganizer = await signIn(t, 'organizer', f.countyA1);
    const manual = (who: Session, enrolmentId: number) => call(t, who, { method: 'POST', url: `/api/training/sessions/${session}/attendance`, payload: { enrolmentId } });
    const first = await manual(countyOrganizer, own.enrolmentId);
    expect(first.statusCode, first.body).toBe(201);
    expect(json<Attendance>(first)).toMatchObject({ enrolmentId: own.enrolmentId, personId: own.personId, method: 'manual' });
    expect((await manual(countyOrganizer, own.enrolmentId)).statusCode).toBe(200);
    expectProblem(await manual(countyOrganizer, otherEnrolment), 400, 'body.enrolmentId');
    expect((await manual(owner, otherEnrolment)).statusCode).toBe(201);
    expectProblem(await manual(owner, 99999999), 400, 'body.enrolmentId');
    const list = json<{ items: Attendance[] }>(await call(t, countyOrganizer, { url: `/api/training/sessions/${session}/attendance` }));
    expect(list.items.every((a) => a.orgId === f.unionA1.id)).toBe(true);
    expect(list.items.some((a) => a.enrolmentId === own.enrolmentId)).toBe(true);
    const undo = (who: Session, enrolmentId: number) => call(t, who, { method: 'DELETE', url: `/api/training/sessions/${session}/attendance/${enrolmentId}` });
    expectProblem(await undo(countyOrganizer, otherEnrolment), 404);
    expect((await undo(countyOrganizer, own.enrolmentId)).statusCode).toBe(204);
    expectProblem(await undo(countyOrganizer, own.enrolmentId), 404);
    expect(await rows(session, own.enrolmentId)).toBe(0);
    expect(await rows(session, otherEnrolment)).toBe(1);
    const audit = await t.pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'training_attendance' AND entity_id = $1 ORDER BY id`, [`${session}:${own.enrolmentId}`]);
    expect(audit.rows.map((r) => r.action)).toEqual(['manual-check-in', 'undo-check-in']);
    const reader = await signIn(t, 'reviewer', f.countyA1);
    expectProblem(await manual(reader, own.enrolmentId), 403);
  });
});

describe('live presence', () => {
  /** A streamed session that began 9 minutes ago and ends in 1 (600 s; 60 % is 360 s). */
  async function liveSession() {
    const id = await insertSession(t, cls.id, -9, 1, { place: null, kind: 'live' });
    return id;
  }
  const beat = (who: Session, sessionId: number, seconds: number) => call(t, who, { method: 'POST', url: `/api/my/training/sessions/${sessionId}/presence`, payload: { seconds } });
  /** The trainee's last beat on the session (and on anything: their one clock) `secondsAgo`. */
  const setPresence = async (sessionId: number, enrolmentId: number, seconds: number, secondsAgo: number) => {
    await t.pool.query(`UPDATE training_live_presence SET seconds = $3, last_beat_at = now() - make_interval(secs => $4) WHERE session_id = $1 AND enrolment_id = $2`, [sessionId, enrolmentId, seconds, secondsAgo]);
    await t.pool.query(`UPDATE training_clock SET last_beat_at = now() - make_interval(secs => $2) WHERE person_id = (SELECT person_id FROM training_enrolments WHERE id = $1)`, [enrolmentId, secondsAgo]);
  };

  it('credits no more than the time since the last beat, at most 60 s, and marks the trainee present at the class\'s share', async () => {
    const live = await liveSession();
    const trainee = await enrolled('live');
    const first = json<z.infer<typeof PresenceResult>>(await beat(trainee.session, live, 30));
    expect(first).toMatchObject({ credited: 30, seconds: 30, requiredSeconds: 360, present: false });
    // A beat claiming 45 s, 10 s after the last one, counts about 10.
    await setPresence(live, trainee.enrolmentId, 30, 10);
    const honest = json<z.infer<typeof PresenceResult>>(await beat(trainee.session, live, 45));
    expect(honest.credited).toBeGreaterThanOrEqual(10);
    expect(honest.credited).toBeLessThan(45);
    // After 5 minutes away, one beat claiming 10 minutes counts 60 s.
    await setPresence(live, trainee.enrolmentId, 100, 300);
    expect(json<z.infer<typeof PresenceResult>>(await beat(trainee.session, live, 600))).toMatchObject({ credited: 60, seconds: 160 });
    expect(await rows(live, trainee.enrolmentId)).toBe(0);
    await setPresence(live, trainee.enrolmentId, 340, 30);
    const present = json<z.infer<typeof PresenceResult>>(await beat(trainee.session, live, 30));
    expect(present).toMatchObject({ credited: 30, seconds: 370, present: true });
    const attendance = await t.pool.query<{ method: string }>('SELECT method FROM training_attendance WHERE session_id = $1 AND enrolment_id = $2', [live, trainee.enrolmentId]);
    expect(attendance.rows).toEqual([{ method: 'live' }]);
    // Further beats keep one attendance.
    await setPresence(live, trainee.enrolmentId, 370, 30);
    expect(json<z.infer<typeof PresenceResult>>(await beat(trainee.session, live, 30)).present).toBe(true);
    expect(await rows(live, trainee.enrolmentId)).toBe(1);
  });

  it('never counts more than the session has run', async () => {
    const live = await liveSession();
    const trainee = await enrolled('live');
    await beat(trainee.session, live, 30);
    const elapsed = (await t.pool.query<{ s: number }>('SELECT floor(extract(epoch FROM now() - starts_at))::int AS s FROM training_sessions WHERE id = $1', [live])).rows[0]!.s;
    await setPresence(live, trainee.enrolmentId, elapsed - 5, 60);
    const result = json<z.infer<typeof PresenceResult>>(await beat(trainee.session, live, 60));
    const after = (await t.pool.query<{ s: number }>('SELECT floor(extract(epoch FROM now() - starts_at))::int AS s FROM training_sessions WHERE id = $1', [live])).rows[0]!.s;
    expect(result.seconds).toBeLessThanOrEqual(after);
    expect(result.credited).toBeLessThan(60);
  });

  it('counts only live trainees of a streamed session while it runs', async () => {
    const live = await liveSession();
    const onsite = await enrolled('onsite');
    expectProblem(await beat(onsite.session, live, 30), 409, 'params.id');
    const trainee = await enrolled('live');
    const finished = await insertSession(t, cls.id, -90, -30, { place: null, kind: 'live' });
    expectProblem(await beat(trainee.session, finished, 30), 409, 'params.id');
    const notStreamed = await insertSession(t, cls.id, -5, 30, { streamUrl: null });
    expectProblem(await beat(trainee.session, notStreamed, 30), 409, 'params.id');
    const stranger = await makeTrainee(t, f.unionA1);
    expectProblem(await beat(stranger.session, live, 30), 404);
    expectProblem(await beat(trainee.session, live, -1), 400, 'body.seconds');
    expectProblem(await beat(trainee.session, live, 1.5), 400, 'body.seconds');
    expect(await t.pool.query('SELECT 1 FROM training_live_presence WHERE session_id = ANY($1)', [[finished, notStreamed]])).toMatchObject({ rowCount: 0 });
  });
});

describe('the trainee\'s own pages', () => {
  it('lists my classes with the next session, and a class with my attendance per session', async () => {
    const own = await insertClass(t, f.provinceA, { title: '我的培训班' });
    const past = await insertSession(t, own.id, -120, -60);
    const next = await insertSession(t, own.id, 60, 120);
    const streamedOnly = await insertSession(t, own.id, 30, 50, { place: null });
    const draft = await insertClass(t, f.provinceA, { status: 'draft' });
    const trainee = await enrolled('onsite', own.id);
    await insertEnrolment(t, draft.id, trainee.personId, f.unionA1);
    await t.pool.query(
      `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method) SELECT $1, id, province_id, 'qr' FROM training_enrolments WHERE id = $2`,
      [past, trainee.enrolmentId]);
    const list = json<Array<z.infer<typeof MyClass>>>(await call(t, trainee.session, { url: '/api/my/training/classes' }));
    expect(list.map((c) => c.classId)).toEqual([own.id]);
    expect(list[0]).toMatchObject({ title: '我的培训班', mode: 'onsite', nextSession: { id: next } });
    const detail = json<z.infer<typeof MyClassDetail>>(await call(t, trainee.session, { url: `/api/my/training/classes/${own.id}` }));
    expect(detail.sessions.map((s) => [s.id, s.attended, s.expected])).toEqual([[past, true, true], [streamedOnly, false, false], [next, false, true]]);
    expect(detail.attendance).toEqual({ expected: 2, attended: 1 });
    // Where the trainee stands against the rules: 1 of 2 expected sessions so far, the class still running.
    expect(detail.completion).toMatchObject({ status: 'in_progress', attendanceShare: 0.5, certificateNumber: null });
    expectProblem(await call(t, trainee.session, { url: `/api/my/training/classes/${draft.id}` }), 404);
    expectProblem(await call(t, trainee.session, { url: `/api/my/training/classes/${cls.id}` }), 404);
    expectProblem(await call(t, owner, { url: '/api/my/training/classes' }), 403);
    expect((await call(t, null, { url: '/api/my/training/classes' })).statusCode).toBe(401);
  });
});
