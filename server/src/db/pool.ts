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
  // Tuned for many small requests: no parallel workers (starting them costs more than a page
  // of 50 rows).
  const common = { connectionString, max, application_name: 'workers-home' };
  const noParallel = '-c max_parallel_workers_per_gather=0';
  const pool = new pg.Pool({ ...common, options: noParallel });
  // The statements this app names (the session's lookup, a few hot lookups and the member
  // list's page, see statementName) run on connections of their own that keep one generic
  // plan per statement instead of planning it again for every call (planning the page cost
  // more than running it). Every other statement is planned for its values: a search by
  // name or phone prefix on a generic plan took 1.6 s and 0.4 s among 20M people, against
  // 30 ms and 15 ms planned for its values. plan_cache_mode is a setting of the connection,
  // so the two kinds of statement need two sets of connections. On a Citus coordinator the
  // generic plan of a statement on distributed tables cannot be made ("could not create
  // distributed plan"): there Citus keeps the plans (it caches its router plans) and named
  // statements run on the ordinary connections; asked once, at the first named statement.
  const named = new pg.Pool({ ...common, options: `${noParallel} -c plan_cache_mode=force_generic_plan` });
  type Query = (...args: unknown[]) => Promise<unknown>;
  const query = pool.query.bind(pool) as Query;
  const namedQuery = named.query.bind(named) as Query;
  let generic: Promise<boolean> | undefined;
  const useGeneric = () => generic ??= (query(`SELECT NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS generic`) as Promise<pg.QueryResult<{ generic: boolean }>>)
    .then((result) => result.rows[0]!.generic, () => { generic = undefined; return true; });
  pool.query = ((...args: unknown[]) => {
    const first = args[0] as { name?: string } | string | null;
    if (typeof first === 'object' && first?.name) return useGeneric().then((yes) => (yes ? namedQuery : query)(...args));
    return query(...args);
  }) as typeof pool.query;
  const end = pool.end.bind(pool);
  pool.end = async () => { await Promise.all([end(), named.end()]); };
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);
  named.on('error', () => undefined);
  return pool;
}

/**
 * Begins a transaction. On Citus its statements over many shards use one connection per node
 * (sequential mode): a transaction that has read or written the distributed roster in parallel
 * may not write the coordinator's own tables afterwards (an account following its person's new
 * membership, a job's state), and sequential mode is what Citus allows that with. On one
 * PostgreSQL the setting is an unused placeholder. One round trip.
 */
export const BEGIN = `BEGIN; SELECT set_config('citus.multi_shard_modify_mode', 'sequential', true)`;

/**
 * Runs `work` in one transaction; rolls back on any error. A connection lost while the
 * transaction waits on something else (its server terminated, a failover) is an error of the
 * next statement, not of the process: the broken connection is thrown away, never reused.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => { broken = error; };
  client.on('error', onError);
  try {
    await client.query(BEGIN);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * A prepared statement's name: the same text always gets the same name. Named statements
 * run on a generic plan (see createPool): name only statements whose best plan does not
 * depend on their values.
 */
export const statementName = (prefix: string, text: string) => `${prefix}-${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;

export interface PageRequest {
  page: number;
  pageSize: number;
}

/**
 * One page of `SELECT select FROM from ORDER BY orderBy` and the total. `from` holds the
 * joins and the WHERE clause, with $1..$n bound to `params`.
 *
 * By default the page and the count are two statements side by side: the page can stop
 * after its rows when the order has an index, however many rows match. `total: 'window'`
 * counts in the page's own statement (`count(*) OVER ()`): for searches, whose matches
 * must all be found anyway, so they are found once instead of twice.
 */
export async function paged<T extends pg.QueryResultRow>(
  db: Queryable,
  sql: { select: string; from: string; orderBy: string; total?: 'separate' | 'window' },
  params: unknown[],
  { page, pageSize }: PageRequest,
): Promise<{ items: T[]; total: number; page: number; pageSize: number }> {
  const count = () => db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql.from}`, params).then((r) => r.rows[0]!.n);
  const limit = `LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;
  const values = [...params, pageSize, (page - 1) * pageSize];
  if (sql.total === 'window') {
    const rows = await db.query<T & { __total: string }>(`SELECT ${sql.select}, count(*) OVER () AS __total FROM ${sql.from} ORDER BY ${sql.orderBy} ${limit}`, values);
    // A page past the end has no row to carry the total.
    const total = rows.rows[0] ? Number(rows.rows[0].__total) : page > 1 ? await count() : 0;
    return { items: rows.rows.map(({ __total: _total, ...row }) => row as unknown as T), total, page, pageSize };
  }
  const [total, rows] = await Promise.all([count(), db.query<T>(`SELECT ${sql.select} FROM ${sql.from} ORDER BY ${sql.orderBy} ${limit}`, values)]);
  return { items: rows.rows, total, page, pageSize };
}
