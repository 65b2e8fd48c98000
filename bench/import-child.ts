import { existsSync, readFileSync } from 'node:fs';
import { createJob } from '../server/src/modules/people/import-jobs.ts';
import { importMembers } from '../server/src/modules/people/import.ts';
import { createPool } from '../server/src/db/pool.ts';
import { benchSecrets } from './database.ts';

/**
 * One member import in a fresh process, so its peak memory (VmHWM) is the import's
 * own. Prints {seconds, maxRssMb, peaks, outcome} as JSON.
 */
const [file, orgId, databaseUrl] = process.argv.slice(2);
const pool = createPool(databaseUrl!, 4);
const org = (await pool.query<{ id: number; path: string; name: string; level: string }>('SELECT id, path::text, name, level FROM orgs WHERE id = $1', [Number(orgId)])).rows[0]!;
const roots = await pool.query<{ path: string }>('SELECT path::text AS path FROM orgs WHERE parent_id IS NULL');
const jobId = await createJob(pool, null, org, file!, false, 0);
/**
 * This process's own peak RSS: VmHWM of /proc/self/status. Not getrusage's maxRSS: Linux
 * carries that across fork and exec, so a child spawned by a parent holding 600 MB reports
 * at least 600 MB (the bench's own process holds its load-test results and data files).
 */
function peakRssMb(): number {
  const hwm = existsSync('/proc/self/status') ? /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] : undefined;
  return Math.round((hwm ? Number(hwm) : process.resourceUsage().maxRSS) / 1024);
}

// Where the peak comes from: the largest of each part of process.memoryUsage() (MB), sampled.
const peaks: Record<string, number> = {};
const sampler = setInterval(() => {
  for (const [part, bytes] of Object.entries(process.memoryUsage())) peaks[part] = Math.max(peaks[part] ?? 0, Math.round(bytes / 2 ** 20));
}, 200);
const started = performance.now();
const outcome = await importMembers({ pool, secrets: benchSecrets }, { ctx: null, writeScope: roots.rows.map((r) => r.path) }, {
  jobId, orgId: org.id, orgPath: org.path, orgName: org.name, orgLevel: org.level, acceptValid: false,
}, file!);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
await pool.end();
process.stdout.write(JSON.stringify({ seconds, maxRssMb: peakRssMb(), peaks, outcome }) + '\n');
