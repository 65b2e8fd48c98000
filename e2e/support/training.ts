import { expect } from 'vitest';
import type { APIRequestContext, Page } from 'playwright-core';
import { ZHONGMOU, ZHONGMOU_HOSPITAL_UNION } from './demo.ts';

/** A day and a time of day in China (where the timetable is kept), `offsetMinutes` from now, whatever this process's zone. */
export function chinaNow(offsetMinutes = 0) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(Date.now() + offsetMinutes * 60_000));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** An instant `offsetMinutes` from now, to the minute. */
export const minutesFromNow = (offsetMinutes: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + offsetMinutes * 60_000).toISOString();

export async function orgId(api: APIRequestContext, name: string): Promise<number> {
  const found = (await (await api.get(`/api/orgs?q=${encodeURIComponent(name)}`)).json()) as { items: Array<{ id: number; name: string }> };
  return found.items.find((o) => o.name === name)!.id;
}

/**
 * A member of the demo's 中牟县人民医院工会 with a member account of their own (not the demo
 * `member`, whose classes other specs count on), created by an admin's API context.
 */
export async function newTraineeAccount(admin: APIRequestContext, username: string, password: string): Promise<{ personId: number; name: string }> {
  const union = await orgId(admin, ZHONGMOU_HOSPITAL_UNION);
  const members = (await (await admin.get(`/api/members?orgId=${union}&pageSize=50`)).json()) as { items: Array<{ personId: number; name: string }> };
  for (const person of members.items.slice(1)) {
    const created = await admin.post('/api/accounts', { data: { username, displayName: person.name, password, personId: person.personId, grant: { role: 'member', orgId: union } } });
    if (created.status() === 201) return person;
  }
  throw new Error(`no member of ${ZHONGMOU_HOSPITAL_UNION} without an account was found for ${username}`);
}

/**
 * A class of 中牟县总工会 made through the API, opened (and running, if asked), with its
 * sessions and the trainee enrolled on site. Sessions are { topic, startsAt, endsAt } instants.
 */
export async function classWithSessions(admin: APIRequestContext, input: {
  title: string; startsOn: string; endsOn: string; running?: boolean; personId: number; mode?: 'onsite' | 'live';
  sessions: Array<{ topic: string; kind?: string; startsAt: string; endsAt: string; streamUrl?: string }>;
}): Promise<{ classId: number; sessionIds: number[] }> {
  const created = await admin.post('/api/training/classes', {
    data: { orgId: await orgId(admin, ZHONGMOU), title: input.title, startsOn: input.startsOn, endsOn: input.endsOn, capacityOnsite: 20, capacityLive: input.mode === 'live' ? 20 : 0, venue: '中牟县职工服务中心' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const classId = ((await created.json()) as { id: number }).id;
  const sessionIds: number[] = [];
  for (const s of input.sessions) {
    const where = s.streamUrl ? { streamUrl: s.streamUrl } : { place: '第一教室' };
    const response = await admin.post(`/api/training/classes/${classId}/sessions`, { data: { kind: s.kind ?? 'lecture', topic: s.topic, startsAt: s.startsAt, endsAt: s.endsAt, ...where, speakers: [] } });
    expect(response.status(), await response.text()).toBe(201);
    sessionIds.push(((await response.json()) as { id: number }).id);
  }
  for (const status of input.running ? ['open', 'running'] : ['open']) {
    expect((await admin.post(`/api/training/classes/${classId}/status`, { data: { status } })).ok()).toBe(true);
  }
  const enrolled = await admin.post(`/api/training/classes/${classId}/enrolments`, { data: { personId: input.personId, mode: input.mode ?? 'onsite' } });
  expect(enrolled.status(), await enrolled.text()).toBe(201);
  return { classId, sessionIds };
}

/**
 * A short real video (WebM, a few coloured frames) recorded by the browser itself from a canvas,
 * for a material's address to answer with: the specs play it in the page.
 */
export async function recordedWebm(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    const draw = canvas.getContext('2d')!;
    let frame = 0;
    const paint = () => { draw.fillStyle = `hsl(${(frame++ * 37) % 360} 70% 50%)`; draw.fillRect(0, 0, 320, 180); };
    paint();
    const recorder = new MediaRecorder(canvas.captureStream(10), { mimeType: 'video/webm' });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
    const timer = setInterval(paint, 100);
    recorder.start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    recorder.stop();
    await stopped;
    clearInterval(timer);
    const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  return Buffer.from(base64, 'base64');
}
