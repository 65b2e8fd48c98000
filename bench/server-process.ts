import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BENCH_DIR } from './database.ts';

/** Starts bench/servers.ts in a process of its own (`baseline` or the real `app`) and resolves once it listens. */
export function startServer(mode: 'baseline' | 'app', port: number, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'servers.ts'), mode, String(port), url], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}
