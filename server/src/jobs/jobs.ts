import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import PgBoss from 'pg-boss';
import { inTransaction, type Pool, type Queryable } from '../db/pool.ts';

/**
 * Durable background jobs on PostgreSQL (DESIGN.md in this folder). pg-boss keeps the
 * queues (schema pgboss); each server process records its liveness in job_workers and
 * the jobs it holds in job_runs, and every live server sweeps the jobs of a process
 * whose heartbeat went stale: each kind says whether such a job is retried or failed.
 */

/** What becomes of a job whose server died while holding it. */
export type Interrupted = 'retry' | 'fail';

export interface JobKind<T> {
  /** The queue's name (letters, digits, hyphens): 'member-import'. */
  name: string;
  /** How many jobs of this kind one server process runs at the same time. */
  concurrency: number;
  /**
   * 'any': any live server takes the job. 'enqueuer': only the server that enqueued it
   * (its input lives on that server's disk, like an uploaded file).
   */
  runsOn: 'any' | 'enqueuer';
  /** A job whose server died: enqueued again ('retry', up to maxAttempts runs) or failed. */
  interrupted: Interrupted;
  /** Runs in total for 'retry' (default 3): a job that kills its server each time ends failed. */
  maxAttempts?: number;
  run(data: T): Promise<void>;
  /**
   * Records on the module's own rows that the job was interrupted: 'retry' (it will run
   * again) or 'fail' (it never will). Runs in the sweeper's transaction (db).
   */
  onInterrupted(db: Queryable, data: T, outcome: Interrupted, attempts: number): Promise<void>;
}

export interface JobsOptions {
  /** How often this process renews its heartbeat and sweeps (default 5 s). */
  heartbeatSeconds?: number;
  /** A process whose heartbeat is older than this is dead (default 30 s). */
  staleSeconds?: number;
  /**
   * No other server can be running on this database (the embedded PostgreSQL: one server
   * per DATA_DIR): at start-up every other worker is known dead, without waiting staleSeconds.
   */
  soleServer?: boolean;
  /** How often an idle worker looks for new jobs of other servers (default 1 s). */
  pollingSeconds?: number;
  log?: (error: unknown, message: string) => void;
}

interface Envelope<T> {
  data: T;
  attempt: number;
}

const SCHEMA = 'pgboss';
/** pg-boss's own limit is under 24 hours; liveness, not this, ends a job whose server died. */
const EXPIRE_SECONDS = 23 * 3600;

/** pg-boss running its SQL on a connection of ours (a transaction's client, or the pool). */
const on = (db: Queryable): PgBoss.Db => ({ executeSql: (text, values) => db.query(text, values) });

export class Jobs {
  readonly workerId: string = randomUUID();
  private readonly kinds = new Map<string, JobKind<never>>();
  private readonly boss: PgBoss;
  private readonly running = new Set<Promise<unknown>>();
  private readonly workers = new Map<string, string[]>();
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<unknown> = Promise.resolve();
  private state: 'new' | 'starting' | 'started' | 'stopped' = 'new';
  private readonly heartbeatMs: number;
  private readonly staleSeconds: number;
  private readonly pollingSeconds: number;
  private readonly soleServer: boolean;
  private readonly log: (error: unknown, message: string) => void;

  constructor(private readonly pool: Pool, options: JobsOptions = {}) {
    this.heartbeatMs = (options.heartbeatSeconds ?? 5) * 1000;
    this.staleSeconds = options.staleSeconds ?? 30;
    this.pollingSeconds = Math.max(options.pollingSeconds ?? 1, 0.5);
    this.soleServer = options.soleServer ?? false;
    this.log = options.log ?? (() => undefined);
    this.boss = new PgBoss({ db: on(pool), schema: SCHEMA, schedule: false, supervise: true, migrate: true });
    this.boss.on('error', (error) => this.log(error, 'job queue error'));
  }

  /** Modules register their kinds before the app starts. */
  register<T>(kind: JobKind<T>): void {
    if (this.state !== 'new') throw new Error(`job kind ${kind.name} registered after start`);
    if (this.kinds.has(kind.name)) throw new Error(`job kind ${kind.name} registered twice`);
    if (kind.runsOn === 'enqueuer' && kind.interrupted === 'retry') throw new Error(`job kind ${kind.name}: a job bound to its server cannot be retried elsewhere`);
    this.kinds.set(kind.name, kind);
  }

  private queueOf(kind: JobKind<never>, workerId = this.workerId) {
    return kind.runsOn === 'enqueuer' ? `${kind.name}-on-${workerId}` : kind.name;
  }

  private kind(name: string) {
    const kind = this.kinds.get(name);
    if (!kind) throw new Error(`unknown job kind ${name}`);
    return kind;
  }

  /**
   * Queues a job of a registered kind; returns its id. With `db` (a client in the caller's
   * transaction) the job exists only if that transaction commits: call wake(name) after it.
   * `startAfter`: the job waits until then (a publication set for a time).
   */
  async enqueue<T>(name: string, data: T, db?: Queryable, { startAfter }: { startAfter?: Date } = {}): Promise<string> {
    if (this.state !== 'started') throw new Error('the job queue is not running');
    const kind = this.kind(name);
    if (!db) {
      const id = await inTransaction(this.pool, (client) => this.enqueue(name, data, client, { ...(startAfter ? { startAfter } : {}) }));
      this.wake(name);
      return id;
    }
    const queue = this.queueOf(kind);
    const envelope: Envelope<T> = { data, attempt: 1 };
    const id = (await this.boss.send(queue, envelope as object, { retryLimit: 0, expireInSeconds: EXPIRE_SECONDS, db: on(db), ...(startAfter ? { startAfter } : {}) }))!;
    // A job only this server may run is held by it from the start: if it dies first, the sweeper ends the job.
    if (kind.runsOn === 'enqueuer') {
      await db.query('INSERT INTO job_runs (job_id, kind, queue, worker_id, data) VALUES ($1, $2, $3, $4, $5)', [id, kind.name, queue, this.workerId, envelope]);
    }
    return id;
  }

  /** Has this server's idle workers of a kind look for jobs now instead of at their next poll. */
  wake(name: string): void {
    for (const worker of this.workers.get(name) ?? []) this.boss.notifyWorker(worker);
  }

  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'starting';
    await this.boss.start();
    await this.heartbeat();
    if (this.soleServer) await this.pool.query(`UPDATE job_workers SET heartbeat_at = '-infinity' WHERE id <> $1`, [this.workerId]);
    for (const kind of this.kinds.values()) await this.createQueue(this.queueOf(kind));
    await this.sweep();
    for (const kind of this.kinds.values()) {
      const ids: string[] = [];
      for (let i = 0; i < kind.concurrency; i++) {
        ids.push(await this.boss.work<Envelope<never>>(this.queueOf(kind), { batchSize: 1, pollingIntervalSeconds: this.pollingSeconds },
          ([job]) => this.runJob(kind, job!)));
      }
      this.workers.set(kind.name, ids);
    }
    this.state = 'started';
    this.timer = setInterval(() => {
      this.tick = this.tick.then(() => this.heartbeat().then(() => this.sweep())).catch((error: unknown) => this.log(error, 'job heartbeat or sweep failed'));
    }, this.heartbeatMs);
    this.timer.unref();
  }

  /** Stops taking jobs, waits for the running ones (a graceful drain), and leaves. */
  async stop(): Promise<void> {
    if (this.state === 'new') { this.state = 'stopped'; return; }
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    // What waits in this server's own queues can run nowhere else: it runs before the workers stop.
    for (const kind of this.kinds.values()) {
      if (kind.runsOn !== 'enqueuer') continue;
      while ((await this.boss.getQueueSize(this.queueOf(kind))) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const kind of this.kinds.values()) await this.boss.offWork(this.queueOf(kind));
    while (this.running.size) await Promise.allSettled([...this.running]);
    // The heartbeat went on while draining (a long import must not look dead to the other servers).
    clearInterval(this.timer);
    await this.tick;
    // Leaving: whatever still waits in this server's own queues is ended by the sweep, as for a dead server.
    await this.pool.query(`UPDATE job_workers SET heartbeat_at = '-infinity' WHERE id = $1`, [this.workerId]);
    await this.sweep().catch((error: unknown) => this.log(error, 'job sweep on stop failed'));
    await this.boss.stop({ graceful: true, close: false, wait: true, timeout: 1000 });
  }

  private async createQueue(name: string) {
    if (await this.boss.getQueue(name)) return;
    await this.boss.createQueue(name, { name, retryLimit: 0, expireInSeconds: EXPIRE_SECONDS }).catch(async (error: unknown) => {
      if (!(await this.boss.getQueue(name))) throw error; // another server created it meanwhile
    });
  }

  private async runJob(kind: JobKind<never>, job: PgBoss.Job<Envelope<never>>): Promise<void> {
    const queue = this.queueOf(kind);
    const work = (async () => {
      await this.pool.query(
        `INSERT INTO job_runs (job_id, kind, queue, worker_id, data, started_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (job_id) DO UPDATE SET worker_id = excluded.worker_id, started_at = excluded.started_at`,
        [job.id, kind.name, queue, this.workerId, job.data],
      );
      let failure: unknown = null;
      try {
        await kind.run(job.data.data);
      } catch (error) {
        failure = error;
        this.log(error, `job ${kind.name} failed`);
      }
      // The job's end and its release in one transaction: no window in which a sweeper sees it held by no one.
      await inTransaction(this.pool, async (db) => {
        if (failure) await this.boss.fail(queue, job.id, { message: failure instanceof Error ? failure.message : 'the job failed' }, { db: on(db) });
        else await this.boss.complete(queue, job.id, {}, { db: on(db) });
        await db.query('DELETE FROM job_runs WHERE job_id = $1', [job.id]);
      });
    })();
    this.running.add(work);
    try {
      await work;
    } finally {
      this.running.delete(work);
    }
  }

  private async heartbeat() {
    await this.pool.query(
      `INSERT INTO job_workers (id, host, pid, heartbeat_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at WHERE job_workers.heartbeat_at > '-infinity'`,
      [this.workerId, hostname(), process.pid],
    );
  }

  /**
   * Ends or re-queues the jobs held by server processes whose heartbeat is stale (run by
   * every live server, at start-up and with each heartbeat): returns how many it handled.
   */
  async sweep(): Promise<number> {
    const stale = `now() - make_interval(secs => ${Number(this.staleSeconds)})`;
    let handled = 0;
    for (;;) {
      const done = await inTransaction(this.pool, async (db) => {
        // Held by a dead process; or taken (pg-boss 'active') but never recorded as held, the
        // process having died between the two (a shared kind only).
        const rows = await db.query<{ job_id: string; kind: string; queue: string; data: Envelope<never> }>(
          `SELECT job_id, kind, queue, data FROM job_runs r
           WHERE NOT EXISTS (SELECT 1 FROM job_workers w WHERE w.id = r.worker_id AND w.heartbeat_at > ${stale})
           ORDER BY job_id LIMIT 20 FOR UPDATE SKIP LOCKED`,
        );
        const shared = [...this.kinds.values()].filter((k) => k.runsOn === 'any').map((k) => k.name);
        const orphans = await db.query<{ job_id: string; kind: string; queue: string; data: Envelope<never> }>(
          `SELECT j.id AS job_id, j.name AS kind, j.name AS queue, j.data FROM ${SCHEMA}.job j
           WHERE j.name = ANY($1::text[]) AND j.state = 'active' AND j.started_on < ${stale}
             AND NOT EXISTS (SELECT 1 FROM job_runs r WHERE r.job_id = j.id)
           LIMIT 20 FOR UPDATE SKIP LOCKED`, [shared],
        );
        for (const row of [...rows.rows, ...orphans.rows]) {
          const kind = this.kinds.get(row.kind);
          if (!kind) continue;
          const attempts = row.data.attempt;
          const outcome: Interrupted = kind.interrupted === 'retry' && attempts < (kind.maxAttempts ?? 3) ? 'retry' : 'fail';
          await this.boss.fail(row.queue, row.job_id, { message: 'interrupted: the server running this job stopped' }, { db: on(db) });
          if (outcome === 'retry') {
            const envelope: Envelope<never> = { data: row.data.data, attempt: attempts + 1 };
            await this.boss.send(kind.name, envelope as object, { retryLimit: 0, expireInSeconds: EXPIRE_SECONDS, db: on(db) });
          }
          await kind.onInterrupted(db, row.data.data, outcome, attempts);
          await db.query('DELETE FROM job_runs WHERE job_id = $1', [row.job_id]);
        }
        return rows.rows.length + orphans.rows.length;
      });
      handled += done;
      if (done === 0) break;
    }
    if (handled) for (const kind of this.kinds.values()) this.wake(kind.name);
    // Dead processes holding nothing more are forgotten, with their own queues.
    const gone = await this.pool.query<{ id: string }>(
      `DELETE FROM job_workers w WHERE w.heartbeat_at <= ${stale} AND NOT EXISTS (SELECT 1 FROM job_runs r WHERE r.worker_id = w.id) RETURNING id`,
    );
    for (const { id } of gone.rows) {
      for (const kind of this.kinds.values()) {
        if (kind.runsOn === 'enqueuer') await this.boss.deleteQueue(this.queueOf(kind, id)).catch((error: unknown) => this.log(error, 'deleting a dead server\'s queue failed'));
      }
    }
    return handled;
  }
}

/** Creates (or upgrades) pg-boss's schema without running anything: for a database template. */
export async function installJobSchema(pool: Pool): Promise<void> {
  const boss = new PgBoss({ db: on(pool), schema: SCHEMA, schedule: false, supervise: false, migrate: true });
  await boss.start();
  await boss.stop({ graceful: false, close: false });
}
