import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import '../src/spreadsheets/exceljs-utf8.ts';
import ExcelJS from 'exceljs';
import jsQRModule from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateCheckCharacter, certificateNumberProblem, maskPersonName } from '@workers-home/contract';
import { call, createTestApp, expectProblem, json, makeFederation, makePerson, signIn, type Session, type TestApp } from './helpers.ts';
import { attend, enrol, makeClass, makeCourse, makeSession, studied } from './training-fixtures.ts';

const run = promisify(execFile);
// jsqr is CommonJS; its typings describe the ES default export, which it also sets.
const jsQR = jsQRModule.default;
let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let owner: Session;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  owner = await signIn(t, 'organizer', f.provinceA);
});
afterAll(async () => { await t.close(); });

/** A trainee: a person in `union`, enrolled, with a signed-in member account. */
async function trainee(classId: number, union = f.unionA1, mode: 'onsite' | 'live' = 'onsite', name?: string) {
  const person = await makePerson(t, union, name ? { name } : {});
  const enrolmentId = await enrol(t.pool, classId, person.id, union, mode);
  const session = await signIn(t, 'member', union, person.id);
  return { personId: person.id, enrolmentId, session };
}

/** The trainee's last beat on the material (and on anything: their one clock) `seconds` ago. */
const backdateStudy = async (materialId: number, personId: number, seconds: number) => {
  await t.pool.query(`UPDATE training_study SET last_beat_at = now() - make_interval(secs => $3) WHERE material_id = $1 AND person_id = $2`, [materialId, personId, seconds]);
  await t.pool.query(`UPDATE training_clock SET last_beat_at = now() - make_interval(secs => $2) WHERE person_id = $1`, [personId, seconds]);
};

describe('online courses and materials', () => {
  it('lets owners of the class keep courses and materials, with clear errors', async () => {
    const classId = await makeClass(t.pool, f.provinceA);
    expectProblem(await call(t, null, { method: 'POST', url: '/api/training/courses', payload: { classId, title: '配套课程' } }), 401);
    const created = await call(t, owner, { method: 'POST', url: '/api/training/courses', payload: { classId, title: '工会法解读' } });
    expect(created.statusCode, created.body).toBe(201);
    const course = json<{ id: number; orgId: number; materials: unknown[] }>(created);
    expect(course.orgId).toBe(f.provinceA.id);
    expectProblem(await call(t, owner, { method: 'POST', url: `/api/training/courses/${course.id}/materials`, payload: { kind: 'video', title: '第一讲', requiredMinutes: 0, url: 'https://v.example.org/1' } }), 400, 'body.requiredMinutes');
    expectProblem(await call(t, owner, { method: 'POST', url: `/api/training/courses/${course.id}/materials`, payload: { kind: 'video', title: '第一讲', requiredMinutes: 20 } }), 400, 'body.url');
    expectProblem(await call(t, owner, { method: 'POST', url: `/api/training/courses/${course.id}/materials`, payload: { kind: 'page', title: '第一讲', requiredMinutes: 20, url: 'javascript:alert(1)' } }), 400, 'body.url');
    expectProblem(await call(t, owner, { method: 'POST', url: '/api/training/courses', payload: { title: '无主课程' } }), 400, 'body.classId');
    const material = await call(t, owner, { method: 'POST', url: `/api/training/courses/${course.id}/materials`, payload: { kind: 'video', title: '第一讲', requiredMinutes: 20, url: 'https://v.example.org/1' } });
    expect(material.statusCode, material.body).toBe(201);
    const detail = json<{ materials: Array<{ id: number; requiredMinutes: number }>; requiredMinutes: number }>(await call(t, owner, { url: `/api/training/courses/${course.id}` }));
    expect(detail.requiredMinutes).toBe(20);
    expect(detail.materials).toHaveLength(1);

    // A sibling province's organizer sees nothing; an organizer below the class's org (its audience) sees but may not edit.
    const sibling = await signIn(t, 'organizer', f.provinceB);
    expectProblem(await call(t, sibling, { url: `/api/training/courses/${course.id}` }), 404);
    expect(json<{ total: number }>(await call(t, sibling, { url: '/api/training/courses' })).total).toBe(0);
    const county = await signIn(t, 'organizer', f.countyA1);
    expect((await call(t, county, { url: `/api/training/courses/${course.id}` })).statusCode).toBe(200);
    expectProblem(await call(t, county, { method: 'PATCH', url: `/api/training/courses/${course.id}`, payload: { title: 'x' } }), 403);
    expectProblem(await call(t, county, { method: 'DELETE', url: `/api/training/materials/${detail.materials[0]!.id}` }), 403);

    const patched = await call(t, owner, { method: 'PATCH', url: `/api/training/materials/${detail.materials[0]!.id}`, payload: { requiredMinutes: 30 } });
    expect(json<{ requiredMinutes: number }>(patched).requiredMinutes).toBe(30);
    expect((await call(t, owner, { method: 'DELETE', url: `/api/training/materials/${detail.materials[0]!.id}` })).statusCode).toBe(204);
    expect((await call(t, owner, { method: 'DELETE', url: `/api/training/courses/${course.id}` })).statusCode).toBe(204);
    expectProblem(await call(t, owner, { url: `/api/training/courses/${course.id}` }), 404);
  });

  it('offers a standalone course to the subtree of its organization', async () => {
    const created = json<{ id: number }>(await call(t, owner, { method: 'POST', url: '/api/training/courses', payload: { orgId: f.provinceA.id, title: '数字工会建设' } }));
    await call(t, owner, { method: 'POST', url: `/api/training/courses/${created.id}/materials`, payload: { kind: 'page', title: '导读', requiredMinutes: 5, body: '正文' } });
    const inside = await makePerson(t, f.unionA2);
    const outside = await makePerson(t, f.unionB);
    const mine = json<{ items: Array<{ id: number }> }>(await call(t, await signIn(t, 'member', f.unionA2, inside.id), { url: '/api/my/training/courses' }));
    expect(mine.items.map((c) => c.id)).toContain(created.id);
    const theirs = json<{ items: Array<{ id: number }> }>(await call(t, await signIn(t, 'member', f.unionB, outside.id), { url: '/api/my/training/courses' }));
    expect(theirs.items.map((c) => c.id)).not.toContain(created.id);
  });
});

describe('study heartbeats', () => {
  it('credits only time that passed, never on opening, and derives progress from the current required minutes', async () => {
    const classId = await makeClass(t.pool, f.provinceA, { minOnlineMinutes: 2, minAttendanceShare: 0 });
    const { courseId, materialIds: [materialId] } = await makeCourse(t.pool, classId, f.provinceA, [2]);
    const me = await trainee(classId);
    const beat = (seconds: number) => call(t, me.session, { method: 'POST', url: `/api/my/training/materials/${materialId}/study`, payload: { seconds } });

    const opened = json<{ credited: number; studiedSeconds: number; done: boolean }>(await beat(60));
    expect(opened).toMatchObject({ credited: 0, studiedSeconds: 0, done: false });
    // The client claims 60 s, but only ~10 s passed since the last beat.
    await backdateStudy(materialId!, me.personId, 10);
    const early = json<{ credited: number }>(await beat(60));
    expect(early.credited).toBeGreaterThanOrEqual(10);
    expect(early.credited).toBeLessThan(60);
    // A long pause starts a new sitting: the gap is not study.
    await backdateStudy(materialId!, me.personId, 3600);
    expect(json<{ credited: number }>(await beat(60)).credited).toBe(0);
    // Never more than 60 s for a beat, whatever passed.
    await backdateStudy(materialId!, me.personId, 100);
    expect(json<{ credited: number }>(await beat(3600)).credited).toBe(60);
    // Two beats at once cannot both count the same elapsed time.
    await backdateStudy(materialId!, me.personId, 30);
    const pair = await Promise.all([beat(60), beat(60)]);
    const credited = pair.map((r) => json<{ credited: number }>(r).credited);
    expect(Math.min(...credited)).toBe(0);
    expect(Math.max(...credited)).toBeGreaterThanOrEqual(30);
    expectProblem(await beat(0), 400, 'body.seconds');
    expectProblem(await call(t, me.session, { method: 'POST', url: '/api/my/training/materials/99999999/study', payload: { seconds: 30 } }), 404);
    const stranger = await signIn(t, 'member', f.unionB, (await makePerson(t, f.unionB)).id);
    expectProblem(await call(t, stranger, { method: 'POST', url: `/api/my/training/materials/${materialId}/study`, payload: { seconds: 30 } }), 404);
    const noPerson = await signIn(t, 'member', f.unionA1);
    expectProblem(await call(t, noPerson, { method: 'POST', url: `/api/my/training/materials/${materialId}/study`, payload: { seconds: 30 } }), 403);

    // 120 s against 2 required minutes: done, and the trainee completes the class.
    await studied(t.pool, materialId!, me.personId, 120);
    const course = json<{ materials: Array<{ done: boolean; studiedSeconds: number }> }>(await call(t, me.session, { url: `/api/my/training/courses/${courseId}` }));
    expect(course.materials[0]).toMatchObject({ done: true, studiedSeconds: 120 });
    const before = json<{ items: Array<{ status: string; onlineMinutes: number }> }>(await call(t, owner, { url: `/api/training/classes/${classId}/progress` }));
    expect(before.items[0]).toMatchObject({ status: 'completed', onlineMinutes: 2 });
    // Raising the required minutes re-evaluates everyone at once.
    await call(t, owner, { method: 'PATCH', url: `/api/training/materials/${materialId}`, payload: { requiredMinutes: 5 } });
    await t.pool.query('UPDATE training_classes SET min_online_minutes = 5 WHERE id = $1', [classId]);
    const after = json<{ materials: Array<{ done: boolean }> }>(await call(t, me.session, { url: `/api/my/training/courses/${courseId}` }));
    expect(after.materials[0]!.done).toBe(false);
    const progress = json<{ items: Array<{ status: string; onlineMinutes: number }> }>(await call(t, owner, { url: `/api/training/classes/${classId}/progress` }));
    expect(progress.items[0]).toMatchObject({ status: 'in_progress', onlineMinutes: 2 });
  });
});

describe('completion', () => {
  it('weighs attendance over the sessions expected of each mode, online minutes and the assessment', async () => {
    const classId = await makeClass(t.pool, f.provinceA, { minAttendanceShare: 0.75, minOnlineMinutes: 10, minAssessmentScore: 60 });
    const onsiteOnly = [await makeSession(t.pool, classId), await makeSession(t.pool, classId), await makeSession(t.pool, classId)];
    const both = await makeSession(t.pool, classId, { place: true, stream: true });
    const liveOnly = await makeSession(t.pool, classId, { place: false, stream: true, kind: 'live' });
    const { materialIds } = await makeCourse(t.pool, classId, f.provinceA, [6, 6]);
    const a = await trainee(classId, f.unionA1, 'onsite', '甲学员');
    const b = await trainee(classId, f.unionA2, 'live', '乙学员');
    const c = await trainee(classId, f.unionA1, 'onsite', '丙学员');
    for (const s of [...onsiteOnly, both]) await attend(t.pool, s, a.enrolmentId);
    await attend(t.pool, liveOnly, a.enrolmentId); // not expected of an on-site trainee: not counted
    for (const s of [both, liveOnly]) await attend(t.pool, s, b.enrolmentId, 'live');
    await attend(t.pool, onsiteOnly[0]!, c.enrolmentId);
    for (const m of materialIds) {
      await studied(t.pool, m, a.personId, 1000); // capped at 6 minutes each
      await studied(t.pool, m, b.personId, 360);
    }
    const score = (enrolmentId: number, value: number | null) => call(t, owner, { method: 'PUT', url: `/api/training/enrolments/${enrolmentId}/assessment`, payload: { score: value } });
    expect((await score(a.enrolmentId, 85)).statusCode).toBe(200);
    expect((await score(b.enrolmentId, 59.5)).statusCode).toBe(200);
    expectProblem(await score(a.enrolmentId, 101), 400, 'body.score');
    expectProblem(await call(t, await signIn(t, 'organizer', f.provinceB), { method: 'PUT', url: `/api/training/enrolments/${a.enrolmentId}/assessment`, payload: { score: 1 } }), 404);

    type Page = { items: Array<{ name: string; sessionsExpected: number; sessionsAttended: number; attendanceShare: number; onlineMinutes: number; status: string }>; total: number; rules: { expectedOnsite: number; expectedLive: number; courseMinutes: number } };
    const page = json<Page>(await call(t, owner, { url: `/api/training/classes/${classId}/progress` }));
    expect(page.rules).toMatchObject({ expectedOnsite: 4, expectedLive: 2, courseMinutes: 12 });
    const byName = Object.fromEntries(page.items.map((i) => [i.name, i]));
    expect(byName['甲学员']).toMatchObject({ sessionsExpected: 4, sessionsAttended: 4, attendanceShare: 1, onlineMinutes: 12, status: 'completed' });
    expect(byName['乙学员']).toMatchObject({ sessionsExpected: 2, sessionsAttended: 2, onlineMinutes: 12, status: 'in_progress' }); // score below 60
    expect(byName['丙学员']).toMatchObject({ sessionsAttended: 1, attendanceShare: 0.25, status: 'in_progress' });

    const completed = json<Page>(await call(t, owner, { url: `/api/training/classes/${classId}/progress?status=completed` }));
    expect(completed.items.map((i) => i.name)).toEqual(['甲学员']);
    const second = json<Page>(await call(t, owner, { url: `/api/training/classes/${classId}/progress?pageSize=2&page=2` }));
    expect(second.total).toBe(3);
    expect(second.items).toHaveLength(1);
    expectProblem(await call(t, owner, { url: `/api/training/classes/${classId}/progress?status=done` }), 400, 'query.status');

    await t.pool.query(`UPDATE training_classes SET status = 'closed' WHERE id = $1`, [classId]);
    const closed = json<Page>(await call(t, owner, { url: `/api/training/classes/${classId}/progress?status=not_completed` }));
    expect(closed.items.map((i) => i.name).sort()).toEqual(['丙学员', '乙学员']);

    // An organizer of county A2 (audience) sees only their own trainee.
    await t.pool.query('UPDATE training_classes SET audience_org_ids = $2 WHERE id = $1', [classId, [f.provinceA.id]]);
    const own = json<Page>(await call(t, await signIn(t, 'organizer', f.countyA2), { url: `/api/training/classes/${classId}/progress` }));
    expect(own.items.map((i) => i.name)).toEqual(['乙学员']);
    expectProblem(await call(t, await signIn(t, 'organizer', f.provinceB), { url: `/api/training/classes/${classId}/progress` }), 404);
  });
});

describe('competency self-assessment', () => {
  const scores = { political: 5, leadership: 4, management: 4, professionalism: 3, communication: 5, execution: 4, innovation: 3, teamwork: 5, standardization: 4, digital: 2 };
  it('takes 10 scores from 1 to 5 from enrolled trainees and averages them per aspect', async () => {
    const classId = await makeClass(t.pool, f.provinceA, { competencyModel: true });
    const a = await trainee(classId);
    const b = await trainee(classId);
    const put = (s: Session, body: unknown, id = classId) => call(t, s, { method: 'PUT', url: `/api/my/training/classes/${id}/competency`, payload: body as Record<string, unknown> });
    expect((await put(a.session, { scores })).statusCode).toBe(200);
    expect((await put(b.session, { scores: { ...scores, digital: 4 } })).statusCode).toBe(200);
    expect((await put(a.session, { scores: { ...scores, digital: 3 } })).statusCode).toBe(200); // resubmitting replaces
    expectProblem(await put(a.session, { scores: { ...scores, political: 6 } }), 400, 'body.scores.political');
    const nine: Partial<typeof scores> = { ...scores };
    delete nine.digital;
    expectProblem(await put(a.session, { scores: nine }), 400, 'body.scores.digital');
    const plain = await makeClass(t.pool, f.provinceA);
    await enrol(t.pool, plain, a.personId, f.unionA1);
    expectProblem(await put(a.session, { scores }, plain), 409, 'params.id');
    const outsider = await signIn(t, 'member', f.unionB, (await makePerson(t, f.unionB)).id);
    expectProblem(await put(outsider, { scores }), 404);
    const summary = json<{ respondents: number; enrolled: number; aspects: Array<{ aspect: string; label: string; average: number }> }>(await call(t, owner, { url: `/api/training/classes/${classId}/competency` }));
    expect(summary).toMatchObject({ respondents: 2, enrolled: 2 });
    expect(summary.aspects).toHaveLength(10);
    expect(summary.aspects.find((x) => x.aspect === 'digital')).toMatchObject({ label: '数智力', average: 3.5 });
    expect(summary.aspects[0]).toMatchObject({ aspect: 'political', average: 5 });
  });
});

/** Decodes the QR code on the first page of a PDF (rendered by poppler's pdftoppm). */
async function qrOfPdf(pdf: Buffer): Promise<string | null> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wh-cert-'));
  try {
    await writeFile(path.join(dir, 'c.pdf'), pdf);
    await run('pdftoppm', ['-r', '100', '-f', '1', '-l', '1', path.join(dir, 'c.pdf'), path.join(dir, 'page')]);
    const ppm = await readFile(path.join(dir, 'page-1.ppm'));
    // Binary PPM: "P6\n<width> <height>\n255\n" then RGB.
    const header = ppm.subarray(0, 50).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+255\s/)!;
    const [width, height] = [Number(header[1]), Number(header[2])];
    const rgb = ppm.subarray(header[0].length);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba[i * 4] = rgb[i * 3]!; rgba[i * 4 + 1] = rgb[i * 3 + 1]!; rgba[i * 4 + 2] = rgb[i * 3 + 2]!; rgba[i * 4 + 3] = 255;
    }
    return jsQR(rgba, width, height)?.data ?? null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitForJob(session: Session, jobId: number) {
  for (let i = 0; i < 600; i++) {
    const job = json<{ status: string; issued: number; total: number; done: number }>(await call(t, session, { url: `/api/training/certificate-jobs/${jobId}` }));
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the certificate job did not finish');
}

describe('certificates', () => {
  it('issues a PDF per completed trainee in a job, with the Chinese name, the number and a QR code to the verify page', async () => {
    const classId = await makeClass(t.pool, f.provinceA, { minAttendanceShare: 1, status: 'closed', title: '全国工会新任领导班子成员专题培训班' });
    const session = await makeSession(t.pool, classId);
    const done = await trainee(classId, f.unionA1, 'onsite', '欧阳晓梅');
    const notDone = await trainee(classId, f.unionA1, 'onsite', '李未到');
    await attend(t.pool, session, done.enrolmentId);

    expectProblem(await call(t, await signIn(t, 'organizer', f.countyA1), { method: 'POST', url: `/api/training/classes/${classId}/certificates` }), 403);
    const started = await call(t, owner, { method: 'POST', url: `/api/training/classes/${classId}/certificates`, headers: { host: 'wh.example.org' } });
    expect(started.statusCode, started.body).toBe(202);
    const job = await waitForJob(owner, json<{ id: number }>(started).id);
    expect(job).toMatchObject({ status: 'succeeded', total: 1, issued: 1, done: 1 });

    const list = json<{ items: Array<{ id: number; number: string; personName: string; hours: number }> }>(await call(t, owner, { url: `/api/training/classes/${classId}/certificates` }));
    expect(list.items).toHaveLength(1);
    const cert = list.items[0]!;
    expect(cert).toMatchObject({ personName: '欧阳晓梅', hours: 32 });
    expect(certificateNumberProblem(cert.number)).toBeNull();
    const search = async (q: string) => json<{ total: number }>(await call(t, owner, { url: `/api/training/classes/${classId}/certificates?q=${encodeURIComponent(q)}` })).total;
    expect([await search('晓梅'), await search(cert.number.toLowerCase()), await search('%')]).toEqual([1, 1, 0]);

    const pdf = await call(t, owner, { url: `/api/training/certificates/${cert.id}.pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const dir = await mkdtemp(path.join(tmpdir(), 'wh-cert-'));
    await writeFile(path.join(dir, 'c.pdf'), pdf.rawPayload);
    const { stdout: text } = await run('pdftotext', [path.join(dir, 'c.pdf'), '-']);
    const { stdout: fonts } = await run('pdffonts', [path.join(dir, 'c.pdf')]);
    await rm(dir, { recursive: true, force: true });
    expect(text).toContain('欧阳晓梅');
    expect(text).toContain(cert.number);
    expect(text.replace(/\s/g, '')).toContain('结业证书');
    expect(text.replace(/\s/g, '')).toContain('全国工会新任领导班子成员专题培训班');
    // The CJK font is embedded as a subset (poppler's "emb" and "sub" columns).
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
    expect(await qrOfPdf(pdf.rawPayload)).toBe(`http://wh.example.org/verify/${cert.number}`);

    // The trainee's own certificates; the other trainee has none.
    const mine = json<{ items: Array<{ id: number }> }>(await call(t, done.session, { url: '/api/my/training/certificates' }));
    expect(mine.items.map((c) => c.id)).toEqual([cert.id]);
    expect((await call(t, done.session, { url: `/api/my/training/certificates/${cert.id}.pdf` })).statusCode).toBe(200);
    expectProblem(await call(t, notDone.session, { url: `/api/my/training/certificates/${cert.id}.pdf` }), 404);
    expectProblem(await call(t, await signIn(t, 'organizer', f.provinceB), { url: `/api/training/certificates/${cert.id}.pdf` }), 404);

    // A second batch issues nothing new.
    const again = await waitForJob(owner, json<{ id: number }>(await call(t, owner, { method: 'POST', url: `/api/training/classes/${classId}/certificates` })).id);
    expect(again).toMatchObject({ status: 'succeeded', total: 0, issued: 0 });

    // Public verification: masked holder; typos caught by the check character; revocation shows.
    const verified = await call(t, null, { url: `/api/verify/${cert.number}` });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(json(verified)).toMatchObject({ valid: true, holder: '欧**梅', classTitle: '全国工会新任领导班子成员专题培训班', hours: 32, revokedAt: null });
    const digits = cert.number.slice(2, -1);
    const wrongCheck = cert.number.slice(0, -1) + (cert.number.endsWith('0') ? '1' : '0');
    expectProblem(await call(t, null, { url: `/api/verify/${wrongCheck}` }), 400, 'params.number');
    expectProblem(await call(t, null, { url: '/api/verify/not-a-number' }), 400, 'params.number');
    const otherDigits = digits.slice(0, -1) + (digits.endsWith('9') ? '8' : '9');
    expectProblem(await call(t, null, { url: `/api/verify/WH${otherDigits}${certificateCheckCharacter(otherDigits)}` }), 404);
    expectProblem(await call(t, owner, { method: 'POST', url: `/api/training/certificates/${cert.id}/revoke`, payload: { reason: '' } }), 400, 'body.reason');
    const revoked = await call(t, owner, { method: 'POST', url: `/api/training/certificates/${cert.id}/revoke`, payload: { reason: '学员信息有误' } });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expectProblem(await call(t, owner, { method: 'POST', url: `/api/training/certificates/${cert.id}/revoke`, payload: { reason: '重复' } }), 409);
    expect(json(await call(t, null, { url: `/api/verify/${cert.number.toLowerCase()}` }))).toMatchObject({ valid: false });
  });

  it('masks names and checks numbers', () => {
    expect(maskPersonName('张伟')).toBe('张*');
    expect(maskPersonName('张小伟')).toBe('张*伟');
    expect(certificateNumberProblem('WH20240000000001')).not.toBeNull();
  });
});

describe('class report', () => {
  it('counts enrolled and present per session and by level, organization and position, scoped to the caller, and exports .xlsx', async () => {
    const classId = await makeClass(t.pool, f.provinceA, { minAttendanceShare: 0.5, audienceOrgIds: [f.provinceA.id] });
    const hall = await makeSession(t.pool, classId, { place: true, stream: true });
    const visit = await makeSession(t.pool, classId, { place: true, kind: 'onsite_teaching' });
    const people = [
      await trainee(classId, f.unionA1, 'onsite'), await trainee(classId, f.unionA1, 'onsite'),
      await trainee(classId, f.unionA2, 'live'), await trainee(classId, f.unionA2, 'live'), await trainee(classId, f.unionA2, 'live'),
    ];
    await t.pool.query(`INSERT INTO cadre_positions (province_id, person_id, org_id, title, since) SELECT province_id, id, $2, '工会主席', '2020-01-01' FROM persons WHERE id = $1`, [people[0]!.personId, f.unionA1.id]);
    await attend(t.pool, hall, people[0]!.enrolmentId);
    await attend(t.pool, visit, people[0]!.enrolmentId);
    await attend(t.pool, hall, people[2]!.enrolmentId, 'live');
    await attend(t.pool, hall, people[3]!.enrolmentId, 'live');

    type Report = { wholeClass: boolean; totals: { enrolled: number; onsite: number; live: number; present: number; completed: number; completionRate: number };
      sessions: Array<{ sessionId: number; expectedOnsite: number; presentOnsite: number; expectedLive: number; presentLive: number }>;
      byLevel: Array<{ level: string; enrolled: number }>; byOrg: Array<{ orgId: number; enrolled: number; present: number }>; byPosition: Array<{ title: string; enrolled: number }> };
    const report = json<Report>(await call(t, owner, { url: `/api/training/classes/${classId}/report` }));
    expect(report.wholeClass).toBe(true);
    expect(report.totals).toEqual({ enrolled: 5, onsite: 2, live: 3, present: 3, completed: 3, completionRate: 0.6 });
    expect(report.sessions.find((s) => s.sessionId === hall)).toMatchObject({ expectedOnsite: 2, presentOnsite: 1, expectedLive: 3, presentLive: 2 });
    expect(report.sessions.find((s) => s.sessionId === visit)).toMatchObject({ expectedOnsite: 2, presentOnsite: 1, expectedLive: 0, presentLive: 0 });
    expect(report.byLevel).toEqual([expect.objectContaining({ level: 'grassroots', enrolled: 5 })]);
    expect(report.byOrg.find((o) => o.orgId === f.unionA2.id)).toMatchObject({ enrolled: 3, present: 2 });
    expect(report.byPosition.find((p) => p.title === '工会主席')).toMatchObject({ enrolled: 1 });

    // An organizer of county A2 (inside the audience) sees only county A2's trainees.
    const countyOrganizer = await signIn(t, 'organizer', f.countyA2);
    const own = json<Report>(await call(t, countyOrganizer, { url: `/api/training/classes/${classId}/report` }));
    expect(own.wholeClass).toBe(false);
    expect(own.totals).toMatchObject({ enrolled: 3, onsite: 0, live: 3, present: 2 });
    expect(own.byOrg.map((o) => o.orgId)).toEqual([f.unionA2.id]);
    expectProblem(await call(t, await signIn(t, 'organizer', f.provinceB), { url: `/api/training/classes/${classId}/report` }), 404);
    expectProblem(await call(t, null, { url: `/api/training/classes/${classId}/report` }), 401);
    // A draft is its owners' alone.
    await t.pool.query(`UPDATE training_classes SET status = 'draft' WHERE id = $1`, [classId]);
    expectProblem(await call(t, countyOrganizer, { url: `/api/training/classes/${classId}/report` }), 404);
    expect((await call(t, owner, { url: `/api/training/classes/${classId}/report` })).statusCode).toBe(200);
    await t.pool.query(`UPDATE training_classes SET status = 'running' WHERE id = $1`, [classId]);

    const xlsx = await call(t, owner, { url: `/api/training/classes/${classId}/report.xlsx` });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['概况 Summary', '课次 Sessions', '层级 Levels', '单位 Organizations', '职务 Positions', '学员 Trainees']);
    const summary = workbook.getWorksheet('概况 Summary')!;
    const values = Object.fromEntries(summary.getRows(2, summary.rowCount - 1)!.map((r) => [r.getCell(1).text, r.getCell(2).value]));
    expect(values['报名 enrolled']).toBe(5);
    expect(values['实到 present']).toBe(3);
    expect(workbook.getWorksheet('学员 Trainees')!.rowCount).toBe(6);
    const ownXlsx = await call(t, countyOrganizer, { url: `/api/training/classes/${classId}/report.xlsx` });
    const ownBook = new ExcelJS.Workbook();
    await ownBook.xlsx.load(ownXlsx.rawPayload as unknown as ArrayBuffer);
    expect(ownBook.getWorksheet('学员 Trainees')!.rowCount).toBe(4);
  });
});
