import { PROBLEM_TYPES } from '@workers-home/contract';
import type { Pool, Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { AppError, conflict } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';

/**
 * A person's identity is national: a union that meets an ID number held by an active member
 * of any union outside its subtree learns only that, in these words, whether the holder is in
 * the next county or across the country, and asks for a transfer (会员关系转接).
 */
export const HELD_ELSEWHERE = 'is held by a member of another union; ask that union for a transfer (会员关系转接)';

/** Answers of HELD_ELSEWHERE an account may receive in 24 hours (every route and import together). */
export const HELD_ELSEWHERE_PER_DAY = 20;

const DISCLOSURE = 'id-number-held-elsewhere';

/** Thrown inside a write's transaction; the route's wrapper records the disclosure once the write is undone. */
export class HeldElsewhere extends Error {
  constructor(readonly field: string, readonly orgPath: string | null, readonly idNumberMasked: string) {
    super(HELD_ELSEWHERE);
  }
}

/** How many held-elsewhere answers the caller received in the last 24 hours (read from the audit log). */
export async function disclosedToday(db: Queryable, accountId: number): Promise<number> {
  const row = await db.query<{ n: number }>(
    `SELECT coalesce(sum(coalesce((after->>'count')::int, 1)), 0)::int AS n FROM audit_log
     WHERE actor_id = $1 AND action = $2 AND at > now() - interval '24 hours'`,
    [accountId, DISCLOSURE],
  );
  return row.rows[0]!.n;
}

const tooManyLookups = (field: string) => new AppError(429, PROBLEM_TYPES.rateLimited, 'Too many requests',
  `${field}: your account has been told of ${HELD_ELSEWHERE_PER_DAY} ID numbers held by other unions in the last 24 hours, the most allowed; try again tomorrow or ask an admin above you`,
  [{ field, message: `${HELD_ELSEWHERE_PER_DAY} ID numbers held by other unions were looked up in 24 hours, the most allowed` }]);

/**
 * Before an ID number is looked up for someone who may be told it is held elsewhere: an
 * account past its daily allowance is refused whatever the answer would have been (a refusal
 * only for held numbers would itself be the answer).
 */
export async function assertLookupsLeft(db: Queryable, accountId: number, field: string, wanted = 1): Promise<number> {
  const left = HELD_ELSEWHERE_PER_DAY - (await disclosedToday(db, accountId));
  if (left < wanted) throw tooManyLookups(field);
  return left;
}

/** Records that the caller was told of `count` ID numbers held elsewhere (it counts against the allowance). */
export async function recordDisclosure(db: Queryable, ctx: WriteContext, orgPath: string | null, count: number, idNumbersMasked: string[]): Promise<void> {
  await recordAudit(db, ctx, { action: DISCLOSURE, entity: 'person', entityId: null, orgPath, after: { count, idNumbersMasked } });
}

/**
 * Runs a write that may meet an ID number held elsewhere: the write is undone (its
 * transaction threw), the disclosure is recorded on its own, and the caller gets the 409.
 */
export async function disclosingWrite<T>(pool: Pool, ctx: WriteContext, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof HeldElsewhere)) throw error;
    await recordDisclosure(pool, ctx, error.orgPath, 1, [error.idNumberMasked]);
    throw conflict(error.field, HELD_ELSEWHERE);
  }
}
