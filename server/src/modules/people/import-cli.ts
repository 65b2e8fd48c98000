import { createWriteStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Services } from '../../context.ts';
import { readSubtreeFigures } from '../../house/figures.ts';
import { memberFigures } from './figures.ts';
import { memberExportRows, toCsv, toXlsx, type ExportStatus } from './roster-export.ts';
import { createJob, importTargetOrg, rejectsCsv, runJob } from './import-jobs.ts';

const progressBar = (format: string) =>
  new cliProgress.SingleBar({ stream: process.stderr, format, hideCursor: true, clearOnComplete: false, barsize: 30, etaBuffer: 50 }, cliProgress.Presets.shades_classic);

const positiveId = (value: string | undefined, flag: string) => {
  const id = Number(value);
  if (!value || !Number.isInteger(id) || id <= 0) throw new Error(`${flag} must be an organization id`);
  return id;
};

/** `import members FILE --into ORG [--accept-valid] [--report FILE]`: returns the exit code. */
export async function importMembersCommand(services: Services, file: string | undefined, options: { into?: string | undefined; acceptValid?: boolean | undefined; report?: string | undefined }, log: (line: string) => void): Promise<number> {
  if (!file) throw new Error('name the file to import: import members FILE --into ORG_ID');
  const size = (await stat(file).catch(() => { throw new Error(`${file}: no such file`); })).size;
  const org = await importTargetOrg(services.pool, null, positiveId(options.into, '--into'), '--into');
  const jobId = await createJob(services.pool, null, org, path.basename(file), options.acceptValid ?? false, size);
  const roots = await services.pool.query<{ path: string }>(`SELECT path::text AS path FROM orgs WHERE parent_id IS NULL`);
  const bar = progressBar(' {bar} {percentage}% | {rows} rows | {phase}');
  bar.start(size, 0, { rows: 0, phase: 'reading' });
  const outcome = await runJob(services, jobId, { ctx: null, writeScope: roots.rows.map((r) => r.path) }, file, (p) => {
    if (p.phase === 'done') return;
    bar.update(p.phase === 'reading' ? p.bytesRead : size, { rows: p.rowsRead, phase: p.phase });
  });
  bar.update(size, { rows: outcome.rowsRead, phase: outcome.status });
  bar.stop();
  if (outcome.status === 'failed') {
    log(`Nothing was imported: ${outcome.error}`);
    return 1;
  }
  if (outcome.rowsRejected > 0) {
    const report = options.report ?? `${file}.rejects.csv`;
    let text = '';
    for await (const chunk of rejectsCsv(services.pool, jobId)) text += chunk;
    await writeFile(report, text);
    log(`${outcome.rowsRejected} of ${outcome.rowsRead} rows were rejected; the reasons are in ${report}`);
  }
  if (outcome.status === 'rejected') {
    log('Nothing was imported (all or nothing). Fix the rows, or run again with --accept-valid to import the valid rows.');
    return 1;
  }
  log(`Imported ${outcome.rowsRead - outcome.rowsRejected} rows into ${org.name} (import ${jobId}): ${outcome.personsCreated} new persons, `
    + `${outcome.personsUpdated} updated, ${outcome.membershipsCreated} new memberships, ${outcome.rowsUnchanged} unchanged.`);
  return 0;
}

/** `export members --org ORG --out FILE [--status active|transferred_out|left|all]`: .csv or .xlsx by the file's name. */
export async function exportMembersCommand(services: Services, options: { org?: string | undefined; out?: string | undefined; status?: string | undefined }, log: (line: string) => void): Promise<number> {
  const org = await importTargetOrg(services.pool, null, positiveId(options.org, '--org'), '--org');
  if (!options.out) throw new Error('--out FILE is required (.csv or .xlsx)');
  const format = options.out.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
  const status = (options.status ?? 'active') as ExportStatus;
  if (!['active', 'transferred_out', 'left', 'all'].includes(status)) throw new Error('--status must be active, transferred_out, left or all');
  const members = (await readSubtreeFigures(services.pool, org.id, [memberFigures], new Date()))!.figures.members;
  const total = status === 'all' ? Object.values(members.byStatus).reduce((a, b) => a + b, 0) : members.byStatus[status];
  const bar = progressBar(' {bar} {percentage}% | {value}/{total} members');
  bar.start(total, 0);
  let rows = 0;
  const tick = () => { if ((++rows & 1023) === 0) bar.update(rows); };
  const source = memberExportRows(services.pool, services.secrets, org.path, status);
  const body = format === 'csv' ? Readable.from(toCsv(source, tick)) : toXlsx(source, tick);
  await pipeline(body, createWriteStream(options.out));
  bar.update(rows);
  bar.stop();
  log(`Exported ${rows} members of ${org.name} to ${options.out}.`);
  return 0;
}
