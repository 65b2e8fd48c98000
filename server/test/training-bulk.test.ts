import '../src/spreadsheets/exceljs-utf8.ts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, expectProblem, json, makeFederation, makePerson, signIn, type Session, type TestApp } from './helpers.ts';
import { multipart } from './import-helpers.ts';
import { insertClass, insertEnrolment, insertSession, type ClassRef } from './training-helpers.ts';

/** Issue 16, item 12: trainees found by name; attendance recorded in bulk after a session; a presiding speaker. */
let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let owner: Session;
let cls: ClassRef;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  owner = await signIn(t, 'organizer', f.provinceA);
  cls = await insertClass(t, f.provinceA, { audienceOrgIds: [f.countyA1.id, f.countyA2.id], livePresenceShare: 0.5 });
});
afterAll(async () => { await t.close(); });

type Page<T> = { items: T[]; total: number };
type Candidate = { personId: number; name: string; orgName: string; enrolled: boolean };

describe('enrolling trainees found by name', () => {
  it('lists the roster\'s people whose name contains the fragment, in the unions the caller may enrol from, optionally one union', async () => {
    const a1 = await makePerson(t, f.unionA1, { name: '欧阳明辉' });
    const a2 = await makePerson(t, f.unionA2, { name: '欧阳明月' });
    const b = await makePerson(t, f.unionB, { name: '欧阳明远' }); // another province: never listed
    const search = (who: Session, q: string, orgId?: number) =>
      call(t, who, { url: `/api/training/classes/${cls.id}/candidates?q=${encodeURIComponent(q)}${orgId ? `&orgId=${orgId}` : ''}` });

    const reply = await search(owner, '阳明');
    expect(reply.statusCode, reply.body).toBe(200);
    const found = json<Page<Candidate>>(reply);
    expect(found.items.map((c) => c.personId).sort()).toEqual([a1.id, a2.id].sort());
    expect(found.items.map((c) => c.personId)).not.toContain(b.id);
    expect(json<Page<Candidate>>(await search(owner, '阳明', f.unionA2.id)).items.map((c) => c.name)).toEqual(['欧阳明月']);

    // Enrol the one found, by their person id: the search then says so.
    expect((await call(t, owner, { method: 'POST', url: `/api/training/classes/${cls.id}/enrolments`, payload: { personId: a1.id, mode: 'onsite' } })).statusCode).toBe(201);
    expect(json<Page<Candidate>>(await search(owner, '明辉')).items).toMatchObject([{ personId: a1.id, enrolled: true }]);

    // A county organizer of the audience finds their own people only.
    const county = await signIn(t, 'organizer', f.countyA2);
    expect(json<Page<Candidate>>(await search(county, '欧阳')).items.map((c) => c.personId)).toEqual([a2.id]);
    // A class the caller cannot see is not found; a reader may not search.
    const sibling = await signIn(t, 'organizer', f.provinceB);
    expectProblem(await search(sibling, '欧阳'), 404);
    expectProblem(await search(await signIn(t, 'training.reader', f.provinceA), '欧阳'), 403);
    // A union's people before typing; nothing asked, nothing listed.
    expect(json<Page<Candidate>>(await call(t, owner, { url: `/api/training/classes/${cls.id}/candidates?orgId=${f.unionA2.id}` })).items.map((c) => c.personId)).toContain(a2.id);
    expect(json<Page<Candidate>>(await call(t, owner, { url: `/api/training/classes/${cls.id}/candidates` })).total).toBe(0);
  });
});

describe('attendance in bulk', () => {
  async function trainees(n: number, union = f.unionA1, prefix = '批量') {
    const out: Array<{ personId: number; enrolmentId: number; name: string; phone: string; idNumber: string }> = [];
    for (let i = 0; i < n; i++) {
      const name = `${prefix}${String.fromCharCode(0x4e00 + Math.floor(Math.random() * 2000))}${String.fromCharCode(0x4e00 + Math.floor(Math.random() * 2000))}${i}`;
      const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      const person = await makePerson(t, union, { name, phone });
      out.push({ personId: person.id, enrolmentId: await insertEnrolment(t, cls.id, person.id, union, 'live'), name, phone, idNumber: person.idNumber });
    }
    return out;
  }
  const present = async (sessionId: number) =>
    (await t.pool.query<{ id: number }>('SELECT enrolment_id AS id FROM training_attendance WHERE session_id = $1 ORDER BY 1', [sessionId])).rows.map((r) => Number(r.id));

  it('marks many trainees present in one request, all or none, idempotent, audited', async () => {
    const session = await insertSession(t, cls.id, -120, -60);
    const people = await trainees(3);
    const ids = people.map((p) => p.enrolmentId);
    const mark = (who: Session, enrolmentIds: number[]) => call(t, who, { method: 'POST', url: `/api/training/sessions/${session}/attendance/bulk`, payload: { enrolmentIds } });

    // One id not of this class: nothing is written.
    expectProblem(await mark(owner, [...ids, 99999999]), 400, 'body.enrolmentIds');
    expect(await present(session)).toEqual([]);
    const first = await mark(owner, ids);
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first)).toEqual({ sessionId: session, created: 3, already: 0 });
    expect(await present(session)).toEqual([...ids].sort((a, b) => a - b));
    // Again: nothing changes.
    expect(json(await mark(owner, ids))).toEqual({ sessionId: session, created: 0, already: 3 });
    const audit = await t.pool.query('SELECT 1 FROM audit_log WHERE entity = $1 AND entity_id = ANY($2)', ['training_attendance', ids.map((id) => `${session}:${id}`)]);
    expect(audit.rowCount).toBe(3);
    // A withdrawn trainee refuses the request, by name.
    const [gone] = await trainees(1);
    await t.pool.query(`UPDATE training_enrolments SET status = 'withdrawn' WHERE id = $1`, [gone!.enrolmentId]);
    const refused = await mark(owner, [gone!.enrolmentId]);
    expectProblem(refused, 409, 'body.enrolmentIds');
    // Another province's organizer cannot see the session.
    expectProblem(await mark(await signIn(t, 'organizer', f.provinceB), ids), 404);
  });

  it('records attendance from a live platform\'s viewing export: per-row report, all or nothing, idempotent', async () => {
    const session = await insertSession(t, cls.id, -180, -120); // 60 minutes, share 0.5: 30 minutes count
    const [byId, byPhone, byName, short] = await trainees(4, f.unionA1, '观看');
    const upload = (csv: string, dryRun = false) =>
      call(t, owner, { method: 'POST', url: `/api/training/sessions/${session}/attendance/import?dryRun=${dryRun}`, ...multipart('viewers.csv', csv) });
    const header = '用户名称,手机号,身份证号,观看时长（分钟）\n';
    const good = header
      + `${byId!.name},,${byId!.idNumber},45\n`
      + `昵称小王,${byPhone!.phone},,20\n`
      + `昵称小王,${byPhone!.phone},,0:15:30\n` // the same viewer twice: 35.5 minutes in all
      + `${byName!.name},,,31\n`
      + `${short!.name},,,12\n`;

    // One row naming nobody: the whole file is refused with that row, nothing written.
    const bad = await upload(`${good}不存在的人,,,50\n`);
    expect(bad.statusCode, bad.body).toBe(422);
    expect(json<{ code: string; rows: Array<{ row: number; code: string }> }>(bad)).toMatchObject({ code: 'training.attendance.file_rejected', rows: [{ row: 7, code: 'training.attendance.not_enrolled' }] });
    expect(await present(session)).toEqual([]);

    const preview = json<{ dryRun: boolean; present: number }>(await upload(good, true));
    expect(preview).toMatchObject({ dryRun: true, present: 3 });
    expect(await present(session)).toEqual([]);

    const done = await upload(good);
    expect(done.statusCode, done.body).toBe(200);
    const report = json<{ requiredMinutes: number; present: number; already: number; short: number; rows: Array<{ name: string; minutes: number; outcome: string }> }>(done);
    expect(report).toMatchObject({ requiredMinutes: 30, present: 3, already: 0, short: 1 });
    expect(report.rows.find((r) => r.name === byPhone!.name)).toMatchObject({ minutes: 35.5, outcome: 'present' });
    expect(report.rows.find((r) => r.name === short!.name)).toMatchObject({ minutes: 12, outcome: 'short' });
    expect(await present(session)).toEqual([byId!.enrolmentId, byPhone!.enrolmentId, byName!.enrolmentId].sort((a, b) => a - b));
    const methods = await t.pool.query<{ method: string }>('SELECT DISTINCT method FROM training_attendance WHERE session_id = $1', [session]);
    expect(methods.rows).toEqual([{ method: 'live' }]);

    // The same file again changes nothing.
    expect(json(await upload(good))).toMatchObject({ present: 0, already: 3, short: 1 });
    // Two trainees of the same name need an ID number or a phone.
    const [twin] = await trainees(1, f.unionA2, '观看');
    await t.pool.query('UPDATE persons SET name = $2 WHERE id = $1', [twin!.personId, byName!.name]);
    const ambiguous = await upload(`姓名\n${byName!.name}\n`);
    expect(json<{ rows: Array<{ code: string; params: Record<string, unknown> }> }>(ambiguous).rows).toMatchObject([{ code: 'training.attendance.ambiguous', params: { count: 2 } }]);
    expectProblem(await upload('时间,地点\n1,2\n'), 422);
  });
});

describe('a presiding speaker', () => {
  it('keeps who presides over a session (主持) among its speakers', async () => {
    const created = await call(t, owner, {
      method: 'POST', url: `/api/training/classes/${cls.id}/sessions`,
      payload: {
        kind: 'opening', topic: '开班式', startsAt: new Date(Date.now() + 3600_000).toISOString(), endsAt: new Date(Date.now() + 5400_000).toISOString(), place: '报告厅',
        speakers: [{ name: '王主持', title: '副主席', presiding: true }, { name: '李讲话', title: '主席' }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const session = json<{ id: number; speakers: Array<{ name: string; presiding?: boolean }> }>(created);
    expect(session.speakers).toEqual([{ name: '王主持', title: '副主席', presiding: true }, { name: '李讲话', title: '主席' }]);
  });
});

describe('withdrawing several trainees, and the lists to download', () => {
  it('withdraws several trainees in one request, all or none, idempotent', async () => {
    const people = await Promise.all([0, 1, 2].map(async () => {
      const person = await makePerson(t, f.unionA1);
      return insertEnrolment(t, cls.id, person.id, f.unionA1, 'onsite');
    }));
    const withdraw = (ids: number[]) => call(t, owner, { method: 'POST', url: `/api/training/classes/${cls.id}/enrolments/withdraw`, payload: { enrolmentIds: ids } });
    expectProblem(await withdraw([people[0]!, 99999999]), 400, 'body.enrolmentIds');
    const status = async () => (await t.pool.query<{ status: string }>('SELECT status FROM training_enrolments WHERE id = ANY($1) ORDER BY id', [people])).rows.map((r) => r.status);
    expect(await status()).toEqual(['enrolled', 'enrolled', 'enrolled']);
    expect(json(await withdraw(people.slice(0, 2)))).toEqual({ classId: cls.id, withdrawn: 2, already: 0 });
    expect(json(await withdraw(people))).toEqual({ classId: cls.id, withdrawn: 1, already: 2 });
    expect(await status()).toEqual(['withdrawn', 'withdrawn', 'withdrawn']);
    expectProblem(await call(t, await signIn(t, 'organizer', f.provinceB), { method: 'POST', url: `/api/training/classes/${cls.id}/enrolments/withdraw`, payload: { enrolmentIds: people } }), 404);
  });

  it('downloads the progress list and a session\'s check-in list as .xlsx, times in China time', async () => {
    const session = await insertSession(t, cls.id, -60, 30);
    const person = await makePerson(t, f.unionA2, { name: '签到表测试' });
    const enrolmentId = await insertEnrolment(t, cls.id, person.id, f.unionA2, 'onsite');
    // Checked in at 07:44 China time: the 4th before 08:00 in UTC terms.
    await t.pool.query(
      `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method, checked_in_at)
       SELECT $1, id, province_id, 'qr', '2026-12-05T07:44:00+08:00' FROM training_enrolments WHERE id = $2`, [session, enrolmentId]);
    const sheetOf = async (url: string) => {
      const reply = await call(t, owner, { url });
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.headers['content-type']).toContain('spreadsheetml');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(reply.rawPayload as unknown as ArrayBuffer);
      const rows: string[][] = [];
      workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as Array<string | number | null | undefined>).slice(1).map((v) => (v === undefined || v === null ? '' : String(v)))));
      return rows;
    };
    const checkin = await sheetOf(`/api/training/sessions/${session}/attendance.xlsx`);
    expect(checkin[0]).toContain('签到时间（北京时间） time (China time)');
    expect(checkin.find((r) => r[0] === '签到表测试')).toEqual(['签到表测试', expect.any(String), '线下', '已签到', '扫码', '2026-12-05 07:44']);
    expect(checkin.some((r) => r[3] === '未签到')).toBe(true);
    const progress = await sheetOf(`/api/training/classes/${cls.id}/progress.xlsx`);
    expect(progress[0]![0]).toBe('姓名 name');
    expect(progress.find((r) => r[0] === '签到表测试')).toBeDefined();
    // A county organizer of the audience downloads their own people only.
    const county = await signIn(t, 'organizer', f.countyA1);
    const reply = await call(t, county, { url: `/api/training/classes/${cls.id}/progress.xlsx` });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(reply.rawPayload as unknown as ArrayBuffer);
    const names: string[] = [];
    workbook.worksheets[0]!.eachRow((row) => names.push(String((row.values as unknown[])[1])));
    expect(names).not.toContain('签到表测试');
    expectProblem(await call(t, await signIn(t, 'organizer', f.provinceB), { url: `/api/training/sessions/${session}/attendance.xlsx` }), 404);
  });
});
