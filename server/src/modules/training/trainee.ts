import type { z } from 'zod';
import { CHECKIN_OPENS_MINUTES_BEFORE, type MyClass, type MyClassDetail } from '@workers-home/contract';
import type { Queryable } from '../../db/pool.ts';
import { notFound } from '../../errors.ts';
import { completionOfEnrolment } from './completion.ts';
import { SESSION_COLUMNS } from './timetable.ts';
import { homeProvince } from '../../db/home-province.ts';

/** The person of a trainee's account; accounts without one have no classes ("not found", like /api/me/person). */
/** Sessions a trainee of a mode is expected at: on site where there is a place, live where there is a stream. */
const expectedAt = (s: string) => `((e.mode = 'onsite' AND ${s}.place IS NOT NULL) OR (e.mode = 'live' AND ${s}.stream_url IS NOT NULL))`;
const EXPECTED = expectedAt('s');
/** The first of my sessions that has not ended (the one running, else the next). */
const NEXT_SESSION_ID = `(SELECT n.id FROM training_sessions n WHERE n.class_id = c.id AND n.ends_at > now() AND ${expectedAt('n')} ORDER BY n.starts_at, n.id LIMIT 1)`;

const MY_CLASS_COLUMNS = `e.id AS "enrolmentId", c.id AS "classId", c.title, o.name AS "orgName", c.venue, c.host_institution AS "hostInstitution",
  c.starts_on AS "startsOn", c.ends_on AS "endsOn", c.status, e.mode,
  (SELECT json_build_object('id', s.id, 'topic', s.topic, 'kind', s.kind, 'startsAt', s.starts_at, 'place', s.place, 'streamUrl', s.stream_url)
   FROM training_sessions s WHERE s.id = ${NEXT_SESSION_ID}) AS "nextSession",
  (SELECT coalesce(json_agg(json_build_object('id', s.id, 'topic', s.topic, 'kind', s.kind, 'startsAt', s.starts_at, 'endsAt', s.ends_at, 'place', s.place, 'streamUrl', s.stream_url)
     ORDER BY s.starts_at, s.id), '[]'::json)
   FROM training_sessions s WHERE s.class_id = c.id AND ${EXPECTED}
     AND (now() BETWEEN s.starts_at - make_interval(mins => ${CHECKIN_OPENS_MINUTES_BEFORE}) AND s.ends_at OR s.id = ${NEXT_SESSION_ID})) AS "checkinSessions"`;
/** My enrolments ($1 my person id), in my home province (the parameter named): one shard's statement on Citus. */
const myClassFrom = (province: string) => `training_enrolments e JOIN training_classes c ON c.id = e.class_id JOIN orgs o ON o.id = c.org_id
  WHERE e.province_id = ${province} AND e.person_id = $1 AND e.status = 'enrolled' AND c.status <> 'draft'`;

export async function myClasses(db: Queryable, personId: number): Promise<Array<z.infer<typeof MyClass>>> {
  const rows = await db.query<z.infer<typeof MyClass>>(`SELECT ${MY_CLASS_COLUMNS} FROM ${myClassFrom('$2')} ORDER BY c.starts_on DESC, c.id DESC`,
    [personId, await homeProvince(db, personId) ?? null]);
  return rows.rows;
}

export async function myClass(db: Queryable, personId: number, classId: number): Promise<z.infer<typeof MyClassDetail>> {
  const row = await db.query<Omit<z.infer<typeof MyClassDetail>, 'sessions' | 'attendance'>>(
    `SELECT ${MY_CLASS_COLUMNS}, c.theme, c.class_hours::float8 AS "classHours" FROM ${myClassFrom('$3')} AND c.id = $2`,
    [personId, classId, await homeProvince(db, personId) ?? null]);
  const cls = row.rows[0];
  if (!cls) throw notFound(`Training class ${classId} among your classes`);
  const sessions = await db.query<z.infer<typeof MyClassDetail>['sessions'][number]>(
    `SELECT ${SESSION_COLUMNS}, a.session_id IS NOT NULL AS attended, a.method, coalesce(lp.seconds, 0) AS "liveSeconds", ${EXPECTED} AS expected
     FROM training_sessions s JOIN training_enrolments e ON e.id = $2
     LEFT JOIN training_attendance a ON a.session_id = s.id AND a.province_id = e.province_id AND a.enrolment_id = e.id
     LEFT JOIN training_live_presence lp ON lp.session_id = s.id AND lp.province_id = e.province_id AND lp.enrolment_id = e.id
     WHERE s.class_id = $1 ORDER BY s.starts_at, s.id`,
    [classId, cls.enrolmentId]);
  const expected = sessions.rows.filter((s) => s.expected);
  const [progress, classRow] = await Promise.all([
    completionOfEnrolment(db, classId, cls.enrolmentId),
    db.query<{ minAttendanceShare: number; minOnlineMinutes: number; minAssessmentScore: number | null; competencyModel: boolean; competency: z.infer<typeof MyClassDetail>['competency'] }>(
      `SELECT c.min_attendance_share::float8 AS "minAttendanceShare", c.min_online_minutes AS "minOnlineMinutes", c.min_assessment_score::float8 AS "minAssessmentScore",
              c.competency_model AS "competencyModel",
              (SELECT json_build_object('scores', a.scores, 'submittedAt', a.submitted_at) FROM training_competency_assessments a WHERE a.enrolment_id = $2) AS competency
       FROM training_classes c WHERE c.id = $1`, [classId, cls.enrolmentId]),
  ]);
  const { competencyModel, competency, ...rules } = classRow.rows[0]!;
  if (!progress) throw notFound(`Training class ${classId} among your classes`);
  return {
    ...cls, sessions: sessions.rows,
    attendance: { expected: expected.length, attended: expected.filter((s) => s.attended).length },
    completion: {
      status: progress.status, attendanceShare: progress.attendanceShare, onlineMinutes: progress.onlineMinutes,
      assessmentScore: progress.assessmentScore, certificateNumber: progress.certificateNumber, ...rules,
    },
    competencyModel, competency,
  };
}
