import { timingSafeEqual } from 'node:crypto';
import ical from 'ical-generator';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { TRAINING_TIME_ZONE, type SessionKind, type TrainingSession } from '@workers-home/contract';
import type { Queryable } from '../../db/pool.ts';
import { notFound } from '../../errors.ts';
import type { Caller } from '../../plugins/access.ts';
import type { Secrets } from '../../plugins/secrets.ts';
import { authorizeClass } from './policy.ts';
import { SESSION_COLUMNS, sessionsOf } from './timetable.ts';

/** Session kinds as the zh-CN interface names them (GLOSSARY.md); calendar apps show them in the title. */
const KIND_LABEL: Record<SessionKind, string> = {
  opening: '开班仪式', lecture: '专题讲座', onsite_teaching: '现场教学', discussion: '交流研讨', policy: '政策解读', live: '直播课', closing: '结业仪式',
};

dayjs.extend(utc);
dayjs.extend(timezone);

/** The VTIMEZONE block of a zone, from the IANA data timezones-ical-library keeps. */
const vtimezone = (zone: string) => tzlib_get_ical_block(zone)[0] ?? null;

type CalendarSession = Omit<TrainingSession, 'overlapsWith'> & { classTitle: string };

function calendar(name: string, sessions: CalendarSession[]): string {
  // Times are written as China wall-clock times with TZID=Asia/Shanghai and its VTIMEZONE, as
  // the timetable is kept; ical-generator converts a dayjs value with .tz(), so the zone of the
  // server process plays no part.
  const cal = ical({
    name, prodId: { company: 'workers-home', product: 'training', language: 'ZH' }, ttl: 3600,
    timezone: { name: TRAINING_TIME_ZONE, generator: vtimezone },
  });
  for (const s of sessions) {
    const speakers = s.speakers.map((p) => [p.name, p.title, p.org].filter(Boolean).join('，')).join('；');
    cal.createEvent({
      id: `training-session-${s.id}@workers-home`,
      start: dayjs(s.startsAt),
      end: dayjs(s.endsAt),
      timezone: TRAINING_TIME_ZONE,
      // ical-generator writes DTSTAMP in the calendar's zone too; a dayjs value keeps it off the process's clock zone.
      stamp: dayjs(),
      summary: `${s.topic}（${KIND_LABEL[s.kind]}）`,
      description: [s.classTitle, speakers ? `主讲：${speakers}` : '', s.streamUrl ? `直播：${s.streamUrl}` : ''].filter(Boolean).join('\n'),
      location: s.place ?? (s.streamUrl ? '线上直播' : null),
      url: s.streamUrl,
    });
  }
  return cal.toString();
}

/** One class's timetable as iCalendar: one VEVENT per session. */
export async function classCalendar(db: Queryable, caller: Caller, classId: number): Promise<string> {
  const cls = await authorizeClass(db, caller, classId, 'read');
  const sessions = await sessionsOf(db, classId);
  return calendar(cls.title, sessions.map((s) => ({ ...s, classTitle: cls.title })));
}

/**
 * A trainee's personal feed (calendar apps subscribe without signing in): the token is the
 * person id with a keyed hash of it, so it cannot be guessed or changed to another person's.
 * The key is the server's lookup key (secrets.ts), kept apart from ID-number hashes by the
 * "training-feed:" prefix no ID number has.
 */
export function feedToken(secrets: Secrets, personId: number): string {
  return `${personId}-${secrets.lookupHash(`training-feed:${personId}`).subarray(0, 18).toString('base64url')}`;
}

function personOfFeedToken(secrets: Secrets, token: string): number | null {
  const match = /^(\d{1,15})-([A-Za-z0-9_-]{24})$/.exec(token);
  if (!match) return null;
  const expected = Buffer.from(feedToken(secrets, Number(match[1])));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? Number(match[1]) : null;
}

export async function traineeFeed(db: Queryable, secrets: Secrets, token: string): Promise<string> {
  const personId = personOfFeedToken(secrets, token);
  if (personId === null) throw notFound('This calendar feed');
  // The feed is the account's: it ends with the account (disabled by an admin, or never made).
  const active = await db.query(`SELECT 1 FROM accounts WHERE person_id = $1 AND status = 'active'`, [personId]);
  if (!active.rowCount) throw notFound('This calendar feed');
  const rows = await db.query<CalendarSession>(
    `SELECT ${SESSION_COLUMNS}, c.title AS "classTitle" FROM training_enrolments e JOIN training_classes c ON c.id = e.class_id
     JOIN training_sessions s ON s.class_id = c.id
     WHERE e.person_id = $1 AND e.status = 'enrolled' AND c.status <> 'draft'
       AND ((e.mode = 'onsite' AND s.place IS NOT NULL) OR (e.mode = 'live' AND s.stream_url IS NOT NULL))
     ORDER BY s.starts_at, s.id`,
    [personId]);
  return calendar('我的培训日程', rows.rows);
}
