import { certificateCheckCharacter } from '@workers-home/contract';
import type { Pool } from '../src/db/pool.ts';
import type { OrgRef } from './helpers.ts';

/**
 * Classes, sessions, enrolments and attendance written straight into the tables (the
 * training-core routes that make them are tested on their own), for the study-side tests.
 */
export interface ClassOptions {
  status?: 'draft' | 'open' | 'running' | 'closed';
  title?: string;
  startsOn?: string;
  endsOn?: string;
  audienceOrgIds?: number[];
  minAttendanceShare?: number;
  minOnlineMinutes?: number;
  minAssessmentScore?: number | null;
  competencyModel?: boolean;
  classHours?: number | null;
}

export async function makeClass(pool: Pool, org: OrgRef, options: ClassOptions = {}): Promise<number> {
  const row = await pool.query<{ id: number }>(
    `INSERT INTO training_classes (org_id, title, venue, starts_on, ends_on, capacity_onsite, capacity_live, audience_org_ids, status,
       min_attendance_share, min_online_minutes, min_assessment_score, competency_model, class_hours)
     VALUES ($1, $2, '北京', $3, $4, 100, 1000, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [org.id, options.title ?? '新任省级工会领导班子成员专题培训班', options.startsOn ?? '2024-05-20', options.endsOn ?? '2024-05-24',
      options.audienceOrgIds ?? [], options.status ?? 'running', options.minAttendanceShare ?? 0.8, options.minOnlineMinutes ?? 0,
      options.minAssessmentScore ?? null, options.competencyModel ?? false, options.classHours === undefined ? 32 : options.classHours],
  );
  return row.rows[0]!.id;
}

let sessionCounter = 0;
/** A session on the class's first day, an hour apart: a place (on site), a stream (live) or both. */
export async function makeSession(pool: Pool, classId: number, where: { place?: boolean; stream?: boolean; kind?: string } = { place: true }): Promise<number> {
  const n = sessionCounter++;
  const row = await pool.query<{ id: number }>(
    `INSERT INTO training_sessions (class_id, kind, topic, starts_at, ends_at, place, stream_url)
     SELECT $1, $2, $3, c.starts_on + make_interval(hours => 8 + ($6::int % 10)), c.starts_on + make_interval(hours => 9 + ($6::int % 10)), $4, $5
     FROM training_classes c WHERE c.id = $1 RETURNING id`,
    [classId, where.kind ?? 'lecture', `专题讲座 ${n}`, where.place === false ? null : '中国劳动关系学院报告厅', where.stream ? 'https://live.example.org/s' : null, n],
  );
  return row.rows[0]!.id;
}

export async function enrol(pool: Pool, classId: number, personId: number, org: OrgRef, mode: 'onsite' | 'live' = 'onsite'): Promise<number> {
  const row = await pool.query<{ id: number }>(
    `INSERT INTO training_enrolments (class_id, person_id, province_id, org_id, mode) SELECT $1, id, province_id, $3, $4 FROM persons WHERE id = $2 RETURNING id`,
    [classId, personId, org.id, mode]);
  return row.rows[0]!.id;
}

export async function attend(pool: Pool, sessionId: number, enrolmentId: number, method: 'qr' | 'manual' | 'live' = 'qr'): Promise<void> {
  await pool.query(
    `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method) SELECT $1, id, province_id, $3 FROM training_enrolments WHERE id = $2`,
    [sessionId, enrolmentId, method]);
}

export async function makeCourse(pool: Pool, classId: number | null, org: OrgRef, minutes: number[] = [10]): Promise<{ courseId: number; materialIds: number[] }> {
  const course = await pool.query<{ id: number }>(`INSERT INTO training_courses (org_id, class_id, title) VALUES ($1, $2, '配套在线课程') RETURNING id`, [org.id, classId]);
  const materialIds: number[] = [];
  for (const [i, m] of minutes.entries()) {
    const row = await pool.query<{ id: number }>(
      `INSERT INTO training_materials (course_id, position, kind, title, url, required_minutes) VALUES ($1, $2, 'video', $3, 'https://video.example.org/v', $4) RETURNING id`,
      [course.rows[0]!.id, i, `第${i + 1}讲`, m]);
    materialIds.push(row.rows[0]!.id);
  }
  return { courseId: course.rows[0]!.id, materialIds };
}

/** Study time as if heartbeats had come in. */
export async function studied(pool: Pool, materialId: number, personId: number, seconds: number): Promise<void> {
  await pool.query(
    `INSERT INTO training_study (material_id, person_id, province_id, seconds) SELECT $1, id, province_id, $3 FROM persons WHERE id = $2
     ON CONFLICT (material_id, person_id, province_id) DO UPDATE SET seconds = excluded.seconds`, [materialId, personId, seconds]);
}

/**
 * One of everything the study routes act on, in a class run by `org` with a trainee of
 * `union`: for the route tables of scope.test.ts and access-matrix.test.ts.
 */
export async function studyTargets(pool: Pool, org: OrgRef, union: OrgRef, personId: number) {
  const classId = await makeClass(pool, org, { competencyModel: true, status: 'closed' });
  const sessionId = await makeSession(pool, classId);
  const { courseId, materialIds } = await makeCourse(pool, classId, org, [5]);
  const enrolmentId = await enrol(pool, classId, personId, union);
  await attend(pool, sessionId, enrolmentId);
  const digits = '2024' + String(enrolmentId).padStart(10, '0');
  const certificateNumber = `WH${digits}${certificateCheckCharacter(digits)}`;
  const certificate = await pool.query<{ id: number }>(
    `INSERT INTO training_certificates (number, enrolment_id, province_id, person_name, class_title, org_name, starts_on, ends_on, hours, pdf)
     SELECT $1, id, province_id, '张三', '培训班', $3, '2024-05-20', '2024-05-24', 32, '\\x255044462d' FROM training_enrolments WHERE id = $2 RETURNING id`,
    [certificateNumber, enrolmentId, org.name]);
  const job = await pool.query<{ id: number }>(`INSERT INTO training_certificate_jobs (class_id, status) VALUES ($1, 'succeeded') RETURNING id`, [classId]);
  return { classId, courseId, materialId: materialIds[0]!, enrolmentId, certificateId: certificate.rows[0]!.id, jobId: job.rows[0]!.id, certificateNumber };
}
