// `npm run dev`: the API server (port 8080, or PORT) and Vite with hot reload (port 5173),
// which proxies /api to the server. Stops both on Ctrl-C.
import { spawn } from 'node:child_process';
import path from 'node:path';

const repository = path.resolve(import.meta.dirname, '../..');
const apiPort = process.env.PORT ?? '8080';
const children = [
  spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], { cwd: repository, stdio: 'inherit', env: { ...process.env, PORT: apiPort } }),
  spawn('npx', ['vite', '--host', '127.0.0.1'], { cwd: path.join(repository, 'web'), stdio: 'inherit', env: { ...process.env, API_URL: `http://127.0.0.1:${apiPort}` } }),
];
process.stdout.write(`\nDevelop at http://localhost:5173 (console) and http://localhost:5173/app/ (member app); the API runs on port ${apiPort}.\n\n`);
const stop = (code: number) => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
};
for (const child of children) child.once('exit', (code) => stop(code ?? 0));
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
