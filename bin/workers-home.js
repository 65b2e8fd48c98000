#!/usr/bin/env node
// The `workers-home` command: runs the TypeScript CLI through tsx, no build step needed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// A bounded heap: imports and exports stream, so their live data is small, but left to its
// defaults V8 let a 1M-row xlsx import reach 424 MB before collecting (299 MB with these
// flags; bench/README.md, "Memory"). The bench runs its imports with the same flags.
const nodeFlags = JSON.parse(readFileSync(path.join(root, 'bin/cli-node-flags.json'), 'utf8'));
const result = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(root, 'server/src/cli.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
