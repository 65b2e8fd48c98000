import type { CompletionStatus, TraineeProgress } from '@workers-home/contract';
import type { Queryable } from '../../db/pool.ts';
import type { Caller } from '../../plugins/access.ts';
import { authorizeClass, scopeCondition } from './policy.ts';

/**
 * Completion of every trainee of a class, as CTEs for one statement ($1 = class id,
 * $2 = the enrolment scope as ltree[], or null for the whole class):
 * - sessions expected of the trainee's mode: on site where a session has a place, live where it
 *   has a stream link; attended counts attendance at those sessions only, so the share is ≤ 1
 *   (a class with no session expected of a mode counts as fully attended);
 * - online minutes: over the class's published courses, each material counting at most its
 *   current required minutes (so editing a material re-evaluates everyone at once);
 * - the assessment score, when the class asks for one.
 * Status: completed when all rules pass; otherwise in_progress, or not_completed once the class is closed.
 */
export function completionCtes(): string {
  return `
  klass AS (
    SELECT c.id, c.status, c.min_attendance_share, c.min_online_minutes, c.min_assessment_score,
           count(s.id) FILTER (WHERE s.place IS NOT NULL)::int AS expected_onsite,
           count(s.id) FILTER (WHERE s.stream_url IS NOT NULL)::int AS expected_live
    FROM training_classes c LEFT JOIN training_sessions s ON s.class_id = c.id
    WHERE c.id = $1 GROUP BY c.id),
  materials AS (
    SELECT m.id, m.required_minutes * 60 AS required FROM training_materials m JOIN training_courses tc ON tc.id = m.course_id
    WHERE tc.class_id = $1 AND tc.status = 'published'),
  trainees AS (
    SELECT e.id AS enrolment_id, e.province_id, e.person_id, p.name, e.org_id, e.mode, e.assessment_score,
           CASE WHEN e.mode = 'onsite' THEN k.expected_onsite ELSE k.expected_live END AS expected
    FROM training_enrolments e JOIN persons p ON p.province_id = e.province_id AND p.id = e.person_id
    JOIN orgs eo ON eo.id = e.org_id CROSS JOIN klass k
    WHERE e.class_id = $1 AND e.status = 'enrolled' AND ${scopeCondition(2)}),
  attended AS (
    SELECT a.province_id, a.enrolment_id, count(*)::int AS n
    FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
    JOIN trainees t ON t.province_id = a.province_id AND t.enrolment_id = a.enrolment_id
    WHERE s.class_id = $1 AND CASE WHEN t.mode = 'onsite' THEN s.place IS NOT NULL ELSE s.stream_url IS NOT NULL END
    GROUP BY a.province_id, a.enrolment_id),
  studied AS (
    SELECT st.province_id, st.person_id, sum(least(st.seconds, m.required))::bigint AS seconds
    FROM training_study st JOIN materials m ON m.id = st.material_id JOIN trainees t ON t.province_id = st.province_id AND t.person_id = st.person_id
    GROUP BY st.province_id, st.person_id),
  completion AS (
    SELECT t.*, coalesce(a.n, 0) AS attended,
           CASE WHEN t.expected = 0 THEN 1 ELSE round(coalesce(a.n, 0)::numeric / t.expected, 3) END AS share,
           coalesce(sd.seconds, 0) AS online_seconds,
           CASE WHEN (t.expected = 0 OR coalesce(a.n, 0)::numeric / t.expected >= k.min_attendance_share)
                 AND coalesce(sd.seconds, 0) >= k.min_online_minutes * 60
                 AND (k.min_assessment_score IS NULL OR t.assessment_score >= k.min_assessment_score) THEN 'completed'
                WHEN k.status = 'closed' THEN 'not_completed' ELSE 'in_progress' END AS status
    FROM trainees t CROSS JOIN klass k
    LEFT JOIN attended a ON a.province_id = t.province_id AND a.enrolment_id = t.enrolment_id
    LEFT JOIN studied sd ON sd.province_id = t.province_id AND sd.person_id = t.person_id)`;
}

const ROW = `c.enrolment_id AS "enrolmentId", c.person_id AS "personId", c.name, c.org_id AS "orgId", o.name AS "orgName", c.mode,
  c.expected AS "sessionsExpected", c.attended AS "sessionsAttended", c.share::float8 AS "attendanceShare",
  round(c.online_seconds / 60.0, 1)::float8 AS "onlineMinutes", c.assessment_score::float8 AS "assessmentScore", c.status,
  tc.number AS "certificateNumber"`;
/** The completion rows' organization and valid certificate, joined (Citus plans no subquery from a CTE into the roster). */
const ROW_JOINS = `JOIN orgs o ON o.id = c.org_id
  LEFT JOIN training_certificates tc ON tc.province_id = c.province_id AND tc.enrolment_id = c.enrolment_id AND tc.revoked_at IS NULL`;

interface ProgressPage {
  items: TraineeProgress[];
  total: number;
  rules: {
    minAttendanceShare: number; minOnlineMinutes: number; minAssessmentScore: number | null;
    expectedOnsite: number; expectedLive: number; courseMinutes: number; classStatus: string;
  };
}

/** One page of a class's completion, filtered by status, with the class's rules: one statement. */
export async function completionPage(db: Queryable, classId: number, scope: string[] | null, query: { status?: CompletionStatus | undefined; page: number; pageSize: number }): Promise<ProgressPage> {
  const result = await db.query<ProgressPage>(
    `WITH ${completionCtes()},
     filtered AS (SELECT * FROM completion WHERE $3::text IS NULL OR status = $3)
     SELECT (SELECT count(*)::int FROM filtered) AS total,
            coalesce((SELECT json_agg(page ORDER BY page.name, page."enrolmentId") FROM (
              SELECT ${ROW} FROM filtered c ${ROW_JOINS}
              ORDER BY c.name, c.enrolment_id LIMIT $4 OFFSET $5) page), '[]') AS items,
            (SELECT json_build_object('minAttendanceShare', k.min_attendance_share::float8, 'minOnlineMinutes', k.min_online_minutes,
               'minAssessmentScore', k.min_assessment_score::float8, 'expectedOnsite', k.expected_onsite, 'expectedLive', k.expected_live,
               'courseMinutes', coalesce((SELECT sum(required)::int / 60 FROM materials), 0), 'classStatus', k.status) FROM klass k) AS rules`,
    [classId, scope, query.status ?? null, query.pageSize, (query.page - 1) * query.pageSize],
  );
  return result.rows[0]!;
}

export async function classProgress(db: Queryable, caller: Caller, classId: number, query: { status?: CompletionStatus | undefined; page: number; pageSize: number }) {
  const { scope } = await authorizeClass(db, caller, classId, 'read');
  const { items, total, rules } = await completionPage(db, classId, scope, query);
  return { items, total, page: query.page, pageSize: query.pageSize, rules };
}

/** One trainee's completion (for the trainee's own pages and the certificate job). */
export async function completionOfEnrolment(db: Queryable, classId: number, enrolmentId: number): Promise<TraineeProgress | undefined> {
  const result = await db.query<TraineeProgress>(
    `WITH ${completionCtes()}
     SELECT ${ROW} FROM completion c ${ROW_JOINS}
     WHERE c.enrolment_id = $3`,
    [classId, null, enrolmentId],
  );
  return result.rows[0];
}
