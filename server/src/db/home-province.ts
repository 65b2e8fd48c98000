// A person's rows live together in their home province, the distribution key of the roster on
// Citus (migration 0066, docs/scale-out.md). Before a person gets a membership in a union of
// another province, every row registered in person_rows is copied there and deleted where it
// was: a distribution column is never updated in place.
import type { Queryable } from './pool.ts';

/** Moves the persons (by id) whose home is not the province of `unionPath` to it; returns how many moved. */
export async function moveHome(db: Queryable, personIds: number[], unionPath: string): Promise<number> {
  if (personIds.length === 0) return 0;
  const moved = await db.query<{ n: number }>('SELECT move_persons_to_province($1::bigint[], province_of($2::ltree)) AS n', [personIds, unionPath]);
  return moved.rows[0]!.n;
}

/**
 * Locks one row of a roster table by its id (FOR UPDATE), in its province; returns the province,
 * or undefined when there is no such row. Citus locks rows on one shard only, so the row's
 * province is read first and named in the locking statement.
 */
export async function lockRosterRow(db: Queryable, table: 'transfer_requests' | 'services_claims' | 'training_enrolments' | 'training_certificates', id: number): Promise<number | undefined> {
  const province = (await db.query<{ provinceId: number }>(`SELECT province_id AS "provinceId" FROM ${table} WHERE id = $1`, [id])).rows[0]?.provinceId;
  if (province === undefined) return undefined;
  await db.query(`SELECT 1 FROM ${table} WHERE province_id = $1 AND id = $2 FOR UPDATE`, [province, id]);
  return province;
}

/**
 * A person's home province (undefined for no such person). Statements about one person's rows
 * that name it run on one shard on Citus, where any SQL is planned.
 */
export async function homeProvince(db: Queryable, personId: number): Promise<number | undefined> {
  return (await db.query<{ provinceId: number }>('SELECT province_id AS "provinceId" FROM persons WHERE id = $1', [personId])).rows[0]?.provinceId;
}
