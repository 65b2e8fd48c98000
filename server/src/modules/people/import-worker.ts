import { workerData } from 'node:worker_threads';
import { createPool } from '../../db/pool.ts';
import { secretsFromMasterKey } from '../../plugins/secrets.ts';
import { runJob } from './import-jobs.ts';
import type { ImportActor } from './import.ts';

/** What the server hands an import's worker thread (see ImportQueue). */
export interface ImportWorkerData {
  module: string;
  databaseUrl: string;
  masterKey: Uint8Array;
  jobId: number;
  actor: ImportActor;
  path: string;
}

// One import, then the thread ends. Its own two connections: the import's transaction and
// the progress written beside it, which a poll must see before the commit.
const data = workerData as ImportWorkerData;
const pool = createPool(data.databaseUrl, 2);
try {
  const caller = data.actor.ctx && { ...data.actor.ctx.caller, sessionTokenHash: Buffer.from(data.actor.ctx.caller.sessionTokenHash) };
  const actor: ImportActor = { ...data.actor, ctx: data.actor.ctx && caller && { ...data.actor.ctx, caller } };
  // runJob records the outcome on the job's row, which is what the server reads.
  await runJob({ pool, secrets: secretsFromMasterKey(Buffer.from(data.masterKey)) }, data.jobId, actor, data.path);
} finally {
  await pool.end();
}
