import { BEGIN, type Client, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { conflict, fieldError, tooManyOnField } from '../../errors.ts';
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

/** Thrown inside a look-up's work; lookupTransaction undoes the work, records the disclosure and answers 409. */
export class HeldElsewhere extends Error {
  constructor(readonly field: string, readonly orgPath: string | null, readonly idNumberMasked: string) {
    super(HELD_ELSEWHERE);
  }
}

/**
 * Serializes one account's look-ups until the end of the transaction, so the allowance is
 * checked and spent atomically (thirty requests at once get twenty answers, not thirty).
 */
export async function lockLookups(db: Queryable, accountId: number): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('workers-home:id-lookups:' || $1::text, 0))`, [accountId]);
}

/** How many held-elsewhere answers the account may still receive today (read from the audit log). */
export async function lookupsLeft(db: Queryable, accountId: number): Promise<number> {
  const row = await db.query<{ n: number }>(
    `SELECT coalesce(sum(coalesce((after->>'count')::int, 1)), 0)::int AS n FROM audit_log
     WHERE actor_id = $1 AND action = $2 AND at > now() - interval '24 hours'`,
    [accountId, DISCLOSURE],
  );
  return HELD_ELSEWHERE_PER_DAY - row.rows[0]!.n;
}

export const tooManyLookups = (field: string) => tooManyOnField(fieldError(field, 'people.id_number.lookups_exhausted', { max: HELD_ELSEWHERE_PER_DAY }),
  `${field}: your account has been told of ${HELD_ELSEWHERE_PER_DAY} ID numbers held by other unions in the last 24 hours, the most allowed; try again tomorrow or ask an admin above you`);

/** Records that the caller was told of `count` ID numbers held elsewhere (it spends the allowance). */
export async function recordDisclosure(db: Queryable, ctx: WriteContext, orgPath: string | null, count: number, idNumbersMasked: string[]): Promise<void> {
  await recordAudit(db, ctx, { action: DISCLOSURE, entity: 'person', entityId: null, orgPath, after: { count, idNumbersMasked } });
}

/**
 * One transaction for a write that looks an ID number up. The account's look-ups are
 * serialized; an account with no allowance left is refused whatever the number (a refusal
 * only for held numbers would itself be the answer). A look-up that tells the caller a number
 * is held elsewhere is recorded, and stays recorded whatever happens next, in one of two ways:
 * - the work throws HeldElsewhere: its writes are undone, the disclosure recorded and
 *   committed, and the caller gets the 409;
 * - the work goes on after telling (a transfer request): it calls `disclosed`, which records
 *   the disclosure at once; a later refusal undoes what came after it, not the record.
 */
export async function lookupTransaction<T>(
  pool: Pool, ctx: WriteContext, field: string,
  work: (db: Client, disclosed: (orgPath: string | null, idNumberMasked: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let keep = false;
  const disclosed = async (orgPath: string | null, idNumberMasked: string) => {
    await recordDisclosure(client, ctx, orgPath, 1, [idNumberMasked]);
    await client.query('SAVEPOINT lookup');
    keep = true;
  };
  try {
    await client.query(BEGIN);
    await lockLookups(client, ctx.caller.accountId);
    if ((await lookupsLeft(client, ctx.caller.accountId)) <= 0) throw tooManyLookups(field);
    await client.query('SAVEPOINT lookup');
    try {
      const result = await work(client, disclosed);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (error instanceof HeldElsewhere) {
        await client.query('ROLLBACK TO SAVEPOINT lookup');
        await recordDisclosure(client, ctx, error.orgPath, 1, [error.idNumberMasked]);
        keep = true;
        throw conflict(error.field, 'people.id_number.held_elsewhere');
      }
      if (keep) await client.query('ROLLBACK TO SAVEPOINT lookup');
      throw error;
    }
  } catch (error) {
    await client.query(keep ? 'COMMIT' : 'ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
