import { homeProvince } from '../../db/home-province.ts';
import type { Queryable } from '../../db/pool.ts';

/** A trainee: the person and their home province, the key of their clock, study and enrolment rows. */
export interface Trainee {
  personId: number;
  provinceId: number;
}

/** The trainee of a person id (their home province read once, so later statements name their shard). */
export async function traineeOf(db: Queryable, personId: number): Promise<Trainee | undefined> {
  const provinceId = await homeProvince(db, personId);
  return provinceId === undefined ? undefined : { personId, provinceId };
}

/**
 * One clock per trainee, shared by study (every material) and live presence (every session):
 * whatever the number of tabs, materials or streams open at once, the time credited to a
 * person over a wall-clock interval is at most that interval.
 *
 * Call inside the beat's transaction before crediting anything: it locks the person's clock
 * row (so their beats are credited one after another), answers the whole seconds since their
 * previous beat anywhere (null on their first beat ever: no bound from the clock) and moves the
 * clock to now. Every credit is then capped by that answer, so the credited intervals never
 * overlap. Take it first in the transaction, before any other row lock, so beats cannot deadlock.
 */
export async function takeClock(db: Queryable, { personId, provinceId }: Trainee): Promise<number | null> {
  const first = await db.query(
    'INSERT INTO training_clock (person_id, province_id, last_beat_at) VALUES ($1, $2, now()) ON CONFLICT (person_id, province_id) DO NOTHING RETURNING 1',
    [personId, provinceId]);
  if (first.rowCount) return null;
  const row = await db.query<{ since: number }>(
    `SELECT greatest(0, floor(extract(epoch FROM now() - last_beat_at)))::int AS since FROM training_clock
     WHERE person_id = $1 AND province_id = $2 FOR UPDATE`, [personId, provinceId]);
  await db.query('UPDATE training_clock SET last_beat_at = greatest(last_beat_at, now()) WHERE person_id = $1 AND province_id = $2', [personId, provinceId]);
  return row.rows[0]!.since;
}
