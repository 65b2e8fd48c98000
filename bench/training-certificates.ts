import type { Pool } from '../server/src/db/pool.ts';
import { runJob } from '../server/src/modules/training/certificates.ts';
import { dropBenchClass, makeBenchClass } from './training-progress.ts';

/**
 * A certificate batch for `trainees` completed trainees, the job's own code path (runJob:
 * the completion query, a PDF per trainee with the CJK font subset and the QR code, rows
 * with their PDFs written in batches, progress on the job row). Seconds for the batch.
 */
export async function benchTrainingCertificates(pool: Pool, trainees: number) {
  const classId = await makeBenchClass(pool, { trainees, sessions: 5, materials: 1, title: `bench certificates ${Date.now()}` });
  try {
    // Everyone completes: all sessions of their mode attended, no online minutes asked.
    await pool.query('UPDATE training_classes SET min_attendance_share = 0, min_online_minutes = 0 WHERE id = $1', [classId]);
    const job = await pool.query<{ id: number }>('INSERT INTO training_certificate_jobs (class_id) VALUES ($1) RETURNING id', [classId]);
    const started = performance.now();
    const outcome = await runJob(pool, job.rows[0]!.id, 'https://workers-home.example.org');
    const seconds = (performance.now() - started) / 1000;
    if (outcome.issued !== trainees) throw new Error(`certificates: ${outcome.issued} issued, expected ${trainees}`);
    const size = await pool.query<{ avg: number }>(
      `SELECT avg(length(tc.pdf))::int AS avg FROM training_certificates tc JOIN training_enrolments e ON e.province_id = tc.province_id AND e.id = tc.enrolment_id WHERE e.class_id = $1`, [classId]);
    return { seconds, issued: outcome.issued, averagePdfBytes: size.rows[0]!.avg };
  } finally {
    await dropBenchClass(pool, classId);
  }
}
