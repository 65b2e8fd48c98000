import { createJob } from '../server/src/modules/people/import-jobs.ts';
import { importMembers } from '../server/src/modules/people/import.ts';
import { createPool } from '../server/src/db/pool.ts';
import { benchSecrets } from './database.ts';

/**
 * One member import in a fresh process, so its peak memory (maxRSS) is the import's
 * own. Prints {seconds, maxRssMb, outcome} as JSON.
 */
const [file, orgId, databaseUrl] = process.argv.slice(2);
const pool = createPool(databaseUrl!, 4);
const org = (await pool.query<{ id: number; path: string; name: string; level: string }>('SELECT id, path::text, name, level FROM orgs WHERE id = $1', [Number(orgId)])).rows[0]!;
const roots = await pool.query<{ path: string }>('SELECT path::text AS path FROM orgs WHERE parent_id IS NULL');
const jobId = await createJob(pool, null, org, file!, false, 0);
const started = performance.now();
const outcome = await importMembers({ pool, secrets: benchSecrets }, { ctx: null, writeScope: roots.rows.map((r) => r.path) }, {
  jobId, orgId: org.id, orgPath: org.path, orgName: org.name, orgLevel: org.level, acceptValid: false,
}, file!);
const seconds = (performance.now() - started) / 1000;
await pool.end();
process.stdout.write(JSON.stringify({ seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), outcome }) + '\n');
