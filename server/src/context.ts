import type { Pool } from './db/pool.ts';
import type { Caller } from './plugins/access.ts';
import type { Secrets } from './plugins/secrets.ts';

/** What services need from the running app. */
export interface Services {
  pool: Pool;
  secrets: Secrets;
}

/** Who is writing, for authorization and the audit log. */
export interface WriteContext {
  caller: Caller;
  requestId: string;
}
