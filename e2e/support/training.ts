import { expect } from 'vitest';
import type { APIRequestContext } from 'playwright-core';
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
  title: string; startsOn: string; endsOn: string; running?: boolean; personId: number;
  sessions: Array<{ topic: string; kind?: string; startsAt: string; endsAt: string }>;
}): Promise<{ classId: number; sessionIds: number[] }> {
  const created = await admin.post('/api/training/classes', {
    data: { orgId: await orgId(admin, ZHONGMOU), title: input.title, startsOn: input.startsOn, endsOn: input.endsOn, capacityOnsite: 20, capacityLive: 0, venue: '中牟县职工服务中心' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const classId = ((await created.json()) as { id: number }).id;
  const sessionIds: number[] = [];
  for (const s of input.sessions) {
    const response = await admin.post(`/api/training/classes/${classId}/sessions`, { data: { kind: s.kind ?? 'lecture', topic: s.topic, startsAt: s.startsAt, endsAt: s.endsAt, place: '第一教室', speakers: [] } });
    expect(response.status(), await response.text()).toBe(201);
    sessionIds.push(((await response.json()) as { id: number }).id);
  }
  for (const status of input.running ? ['open', 'running'] : ['open']) {
    expect((await admin.post(`/api/training/classes/${classId}/status`, { data: { status } })).ok()).toBe(true);
  }
  const enrolled = await admin.post(`/api/training/classes/${classId}/enrolments`, { data: { personId: input.personId, mode: 'onsite' } });
  expect(enrolled.status(), await enrolled.text()).toBe(201);
  return { classId, sessionIds };
}
