import type { Pool } from '../server/src/db/pool.ts';
import { completionPage } from '../server/src/modules/training/completion.ts';

/**
 * A class the size of issue #4's goal: `trainees` enrolled (4 in 5 on site, the rest live),
 * `sessions` timetable sessions (every fifth streamed as well, a few streamed only), a
 * supporting course of `materials` materials, attendance for ~85 % of the expected sessions
 * and study time on every material for most trainees. Written with set-based SQL in seconds.
 */
export async function makeBenchClass(pool: Pool, size: { trainees: number; sessions: number; materials: number; title: string }): Promise<number> {
  const klass = await pool.query<{ id: number; org_id: number }>(
    `INSERT INTO training_classes (org_id, title, venue, starts_on, ends_on, capacity_onsite, capacity_live, status, min_attendance_share, min_online_minutes, class_hours)
     VALUES ((SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1), $1, '北京', '2024-05-20', '2024-05-24', $2, $2, 'closed', 0.8, $3, 32)
     RETURNING id, org_id`,
    [size.title, size.trainees, Math.floor(size.materials * 5 * 0.6)],
  );
  const classId = klass.rows[0]!.id;
  await pool.query(
    `INSERT INTO training_sessions (class_id, kind, topic, starts_at, ends_at, place, stream_url)
     SELECT $1, 'lecture', '专题讲座 ' || n, timestamptz '2024-05-20 08:00+08' + make_interval(hours => n), timestamptz '2024-05-20 09:00+08' + make_interval(hours => n),
            CASE WHEN n % 10 = 9 THEN NULL ELSE '报告厅' END, CASE WHEN n % 5 = 0 OR n % 10 = 9 THEN 'https://live.example.org/' || n END
     FROM generate_series(0, $2 - 1) AS n`,
    [classId, size.sessions],
  );
  const course = await pool.query<{ id: number }>(`INSERT INTO training_courses (org_id, class_id, title) VALUES ($1, $2, '配套在线课程') RETURNING id`, [klass.rows[0]!.org_id, classId]);
  await pool.query(
    `INSERT INTO training_materials (course_id, position, kind, title, url, required_minutes)
     SELECT $1, n, 'video', '第' || n || '讲', 'https://video.example.org/' || n, 5 FROM generate_series(1, $2) AS n`,
    [course.rows[0]!.id, size.materials],
  );
  await pool.query(
    `INSERT INTO training_enrolments (class_id, person_id, province_id, org_id, mode)
     SELECT $1, person_id, province_id, org_id, CASE WHEN row_number() OVER () % 5 = 0 THEN 'live' ELSE 'onsite' END
     FROM (SELECT DISTINCT ON (person_id) person_id, province_id, org_id FROM memberships WHERE status = 'active' ORDER BY person_id LIMIT $2) m`,
    [classId, size.trainees],
  );
  await pool.query(
    `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method)
     SELECT s.id, e.id, e.province_id, CASE e.mode WHEN 'live' THEN 'live' ELSE 'qr' END
     FROM training_enrolments e JOIN training_sessions s ON s.class_id = e.class_id
       AND CASE WHEN e.mode = 'onsite' THEN s.place IS NOT NULL ELSE s.stream_url IS NOT NULL END
     WHERE e.class_id = $1 AND abs(hashint4((e.id * 131 + s.id)::int) % 100) < 85`,
    [classId],
  );
  await pool.query(
    `INSERT INTO training_study (material_id, person_id, province_id, seconds)
     SELECT m.id, e.person_id, e.province_id, abs(hashint4((e.id * 7 + m.id)::int) % 400)
     FROM training_enrolments e JOIN training_materials m ON m.course_id = $2
     WHERE e.class_id = $1 AND e.id % 10 <> 0
     ON CONFLICT DO NOTHING`,
    [classId, course.rows[0]!.id],
  );
  await pool.query('ANALYZE training_enrolments, training_attendance, training_study, training_sessions, training_materials');
  return classId;
}

export async function dropBenchClass(pool: Pool, classId: number): Promise<void> {
  await pool.query('DELETE FROM training_certificates WHERE (province_id, enrolment_id) IN (SELECT province_id, id FROM training_enrolments WHERE class_id = $1)', [classId]);
  await pool.query('DELETE FROM training_courses WHERE class_id = $1', [classId]);
  await pool.query('DELETE FROM training_classes WHERE id = $1', [classId]);
}

/**
 * The class progress overview (GET /training/classes/:id/progress, one SQL statement) for a
 * class of `trainees` × `sessions` sessions and `sessions` materials: first page of 50, and
 * the "not completed" filter; milliseconds per call, `runs` calls each, after one warm-up.
 */
export async function benchTrainingProgress(pool: Pool, trainees: number, sessions: number, runs: number) {
  const classId = await makeBenchClass(pool, { trainees, sessions, materials: sessions, title: `bench progress ${Date.now()}` });
  try {
    const time = async (status?: 'not_completed') => {
      const times: number[] = [];
      await completionPage(pool, classId, null, { page: 1, pageSize: 50, status });
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        const page = await completionPage(pool, classId, null, { page: 1, pageSize: 50, status });
        times.push(performance.now() - started);
        if (!status && page.total !== trainees) throw new Error(`progress: ${page.total} trainees, expected ${trainees}`);
      }
      return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    };
    const all = await time();
    const filtered = await time('not_completed');
    const counts = await pool.query<{ attendance: number; study: number }>(
      `SELECT (SELECT count(*)::int FROM training_attendance a JOIN training_enrolments e ON e.province_id = a.province_id AND e.id = a.enrolment_id WHERE e.class_id = $1) AS attendance,
              (SELECT count(*)::int FROM training_study s JOIN training_materials m ON m.id = s.material_id JOIN training_courses c ON c.id = m.course_id WHERE c.class_id = $1) AS study`,
      [classId]);
    return { all, filtered, ...counts.rows[0]! };
  } finally {
    await dropBenchClass(pool, classId);
  }
}
