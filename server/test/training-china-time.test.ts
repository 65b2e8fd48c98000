// The server process runs in a zone that is not China's (issue #16, item 2): what a person
// downloads must be China time all the same. Set before anything reads the clock zone.
process.env.TZ = 'America/New_York';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import ical from 'node-ical';
import type { z } from 'zod';
import type { CheckinResult, ClassDetail, MyClass, TrainingSession } from '@workers-home/contract';
import { call, createTestApp, json, makeFederation, signIn, type Session, type TestApp } from './helpers.ts';
import { codesAt, insertClass, insertEnrolment, insertSession, makeTrainee } from './training-helpers.ts';

let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let organizer: Session;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  organizer = await signIn(t, 'organizer', f.provinceA);
});
afterAll(async () => { await t.close(); });

const china = (date: string, time: string) => `${date}T${time}:00+08:00`;

/** A class on 2026-12-04..06 with a 07:44 lecture and a 09:00 opening on the 5th, China time. */
async function classWithEarlySessions() {
  const created = await call(t, organizer, {
    method: 'POST', url: '/api/training/classes',
    payload: { orgId: f.provinceA.id, title: '早班培训班', startsOn: '2026-12-04', endsOn: '2026-12-06', capacityOnsite: 10, capacityLive: 10 },
  });
  expect(created.statusCode, created.body).toBe(201);
  const cls = json<ClassDetail>(created);
  const add = async (body: Record<string, unknown>) => {
    const response = await call(t, organizer, { method: 'POST', url: `/api/training/classes/${cls.id}/sessions`, payload: body });
    expect(response.statusCode, response.body).toBe(201);
    return json<TrainingSession>(response);
  };
  const early = await add({ kind: 'lecture', topic: '晨读', startsAt: china('2026-12-05', '07:44'), endsAt: china('2026-12-05', '08:30'), place: '第一教室' });
  const opening = await add({ kind: 'opening', topic: '开班仪式', startsAt: china('2026-12-05', '09:00'), endsAt: china('2026-12-05', '10:00'), place: '第一报告厅' });
  return { cls, early, opening };
}

describe('China time in downloads, whatever the zone of the server process', () => {
  it('runs in a process whose clock zone is not China\'s', () => {
    // 2026-12-05 in New York is UTC-5; were TZ ignored, this test would prove nothing.
    expect(new Date(2026, 11, 5).getTimezoneOffset()).toBe(300);
  });

  it('the timetable .ics carries a VTIMEZONE for Asia/Shanghai and China wall-clock times with TZID', async () => {
    const { cls, early, opening } = await classWithEarlySessions();
    const response = await call(t, organizer, { url: `/api/training/classes/${cls.id}/timetable.ics` });
    expect(response.statusCode).toBe(200);
    const body = response.body.replace(/\r\n[ \t]/g, '');
    expect(body).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Asia\/Shanghai\r\n[\s\S]*TZOFFSETTO:\+0800[\s\S]*END:VTIMEZONE/);
    expect(body).toContain('DTSTART;TZID=Asia/Shanghai:20261205T074400');
    expect(body).toContain('DTEND;TZID=Asia/Shanghai:20261205T083000');
    expect(body).toContain('DTSTART;TZID=Asia/Shanghai:20261205T090000');
    expect(body).not.toMatch(/DTSTART:\d{8}T\d{6}Z/);
    // A real parser reads the same instants back, in the zone they were written in.
    const events = new Map(Object.values(ical.sync.parseICS(response.body)).filter((c): c is ical.VEvent => c?.type === 'VEVENT').map((e) => [e.uid, e]));
    const first = events.get(`training-session-${early.id}@workers-home`)!;
    expect(first.start.toISOString()).toBe('2026-12-04T23:44:00.000Z');
    expect(first.start.tz).toBe('Asia/Shanghai');
    expect(events.get(`training-session-${opening.id}@workers-home`)!.start.toISOString()).toBe('2026-12-05T01:00:00.000Z');
  });

  it('the class report .xlsx writes session start times in China time', async () => {
    const { cls } = await classWithEarlySessions();
    const response = await call(t, organizer, { url: `/api/training/classes/${cls.id}/report.xlsx` });
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('课次 Sessions')!;
    expect(sheet.getRow(1).getCell(3).text).toContain('北京时间');
    const rows = [2, 3].map((n) => sheet.getRow(n));
    expect(rows.map((r) => r.getCell(1).value)).toEqual(['晨读', '开班仪式']);
    // A date cell holds a wall-clock time with no zone; exceljs reads it back in a Date's UTC fields.
    const starts = rows.map((r) => r.getCell(3).value as Date);
    expect(starts.map((d) => d.toISOString())).toEqual(['2026-12-05T07:44:00.000Z', '2026-12-05T09:00:00.000Z']);
    expect(rows[0]!.getCell(3).numFmt).toBe('yyyy-mm-dd hh:mm');
  });
});

describe('typed-code check-in: every session whose check-in is open', () => {
  it('offers both overlapping running sessions (and the next one), and takes the later one\'s code', async () => {
    const cls = await insertClass(t, f.provinceA);
    // An all-morning visit started an hour ago; a lecture inside it started ten minutes ago.
    const visit = await insertSession(t, cls.id, -60, 180, { kind: 'onsite_teaching' });
    const lecture = await insertSession(t, cls.id, -10, 50);
    const later = await insertSession(t, cls.id, 240, 300);
    await insertSession(t, cls.id, -300, -200); // over
    const trainee = await makeTrainee(t, f.unionA1);
    await insertEnrolment(t, cls.id, trainee.personId, f.unionA1);

    const mine = json<Array<z.infer<typeof MyClass>>>(await call(t, trainee.session, { url: '/api/my/training/classes' })).find((c) => c.classId === cls.id)!;
    expect(mine.nextSession?.id).toBe(visit);
    expect(mine.checkinSessions.map((s) => s.id)).toEqual([visit, lecture]);
    expect(mine.checkinSessions[1]).toMatchObject({ id: lecture, place: '报告厅', kind: 'lecture' });
    expect(Date.parse(mine.checkinSessions[1]!.endsAt) - Date.parse(mine.checkinSessions[1]!.startsAt)).toBe(60 * 60_000);

    const { code } = await codesAt(t, lecture);
    const checkedIn = await call(t, trainee.session, { method: 'POST', url: '/api/my/training/check-in', payload: { sessionId: lecture, code } });
    expect(checkedIn.statusCode, checkedIn.body).toBe(201);
    expect(json<z.infer<typeof CheckinResult>>(checkedIn)).toMatchObject({ sessionId: lecture, method: 'code', created: true });

    // Before any check-in opens, the next session is offered alone.
    const quiet = await insertClass(t, f.provinceA);
    const first = await insertSession(t, quiet.id, 120, 180);
    await insertSession(t, quiet.id, 240, 300);
    await insertEnrolment(t, quiet.id, trainee.personId, f.unionA1);
    const next = json<Array<z.infer<typeof MyClass>>>(await call(t, trainee.session, { url: '/api/my/training/classes' })).find((c) => c.classId === quiet.id)!;
    expect(next.checkinSessions.map((s) => s.id)).toEqual([first]);
    expect(later).toBeGreaterThan(0);
  });
});
