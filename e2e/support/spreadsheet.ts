import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real .xlsx made by a spreadsheet program (LibreOffice Calc, headless) from CSV text, so the
 * import is tested on a file our own exporter did not write.
 */
export async function xlsxFromCsv(csv: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wh-e2e-xlsx-'));
  try {
    const source = path.join(dir, 'trainees.csv');
    await writeFile(source, csv, 'utf8');
    // Its own profile folder: a second LibreOffice (or a developer's) must not hold the lock.
    await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', '--outdir', dir, source], { timeout: 90_000 });
    return await readFile(path.join(dir, 'trainees.xlsx'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
