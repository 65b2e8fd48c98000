import { createHash } from 'node:crypto';
import pg from 'pg';

// DATE columns come back as 'YYYY-MM-DD' strings, not as JS Dates shifted by the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// bigint ids fit in a JS number far beyond any federation's size; keep them numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Pool = pg.Pool;
export type Client = pg.PoolClient;
/** Anything that can run a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export function createPool(connectionString: string, max = 20): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'workers-home' });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `work` in one transaction; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A prepared statement's name: the same text always gets the same name. */
export const statementName = (prefix: string, text: string) => `${prefix}-${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;

export interface PageRequest {
  page: number;
  pageSize: number;
}

/**
 * One page of `SELECT select FROM from ORDER BY orderBy` and the total, queried side by side. `from` holds the joins and the WHERE clause, with $1..$n bound to `params`.
 */
export async function paged<T extends pg.QueryResultRow>(
  db: Queryable,
  sql: {
    select: string; from: string; orderBy: string;
    /**
     * Prepare the statements (named after this and a hash of their text) once per
     * connection, for a hot list whose planning would cost more than its execution.
     */
    prepare?: string;
  },
  params: unknown[],
  { page, pageSize }: PageRequest,
  /** A cheaper way to the total than counting, when the caller has one (e.g. maintained figures). */
  count?: () => Promise<number>,
): Promise<{ items: T[]; total: number; page: number; pageSize: number }> {
  const statement = (text: string, values: unknown[]) => (sql.prepare ? { name: statementName(sql.prepare, text), text, values } : { text, values });
  const [total, rows] = await Promise.all([
    count ? count() : db.query<{ n: number }>(statement(`SELECT count(*)::int AS n FROM ${sql.from}`, params)).then((r) => r.rows[0]!.n),
    db.query<T>(statement(
      `SELECT ${sql.select} FROM ${sql.from} ORDER BY ${sql.orderBy} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    )),
  ]);
  return { items: rows.rows, total, page, pageSize };
}
