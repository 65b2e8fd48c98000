import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '@workers-home/contract';
import { MIGRATIONS_DIR } from '../src/db/migrate.ts';
import { FIGURES, MODULES } from '../src/modules/index.ts';
import { createTestApp, type TestApp } from './helpers.ts';

const MODULES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/modules');

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(() => t.close());

describe('the module registry', () => {
  it('lists every module folder once, under its folder\'s name', async () => {
    const folders = (await readdir(MODULES_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(MODULES.map((m) => m.name).sort()).toEqual(folders);
  });
});

describe('the web app\'s module registry', () => {
  it('lists every web module folder once; each is a server module of the same name, with a catalogue in both languages', async () => {
    const { WEB_MODULES } = await import('../../web/src/modules/index.ts');
    const { CATALOGUE } = await import('../../web/src/shared/i18n/catalogue.ts');
    for (const role of ROLES) {
      for (const locale of ['zh-CN', 'en'] as const) expect((CATALOGUE[locale] as Record<string, string>)[`role.${role}`], `label of ${role} in ${locale}`).toBeTruthy();
    }
    const webDir = path.resolve(MODULES_DIR, '../../../web/src/modules');
    const folders = (await readdir(webDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(WEB_MODULES.map((m) => m.name).sort()).toEqual(folders);
    const serverModules = new Set(MODULES.map((m) => m.name));
    for (const name of folders) {
      expect(serverModules.has(name), `web module ${name} has a server module`).toBe(true);
      expect((await readdir(path.join(webDir, name, 'i18n'))).sort(), `${name}/i18n`).toEqual(expect.arrayContaining(['en.ts', 'zh-CN.ts']));
    }
  });
});

describe('figures as contributions', () => {
  it('every per-subtree figures table is registered by its module, with its key columns and rebuild function', async () => {
    const tables = await t.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'subtree\\_%\\_figures' ORDER BY 1`);
    const registered = await t.pool.query<{ name: string; columns: string[]; keys: string[] }>(
      `SELECT r.figures_table::text AS name, r.key_columns AS keys,
              array(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = r.figures_table AND a.attnum > 0 AND NOT a.attisdropped
                    AND a.attname NOT IN ('org_id', 'n') ORDER BY a.attnum) AS columns
       FROM subtree_figure_tables r ORDER BY 1`);
    expect(registered.rows.map((r) => r.name)).toEqual(tables.rows.map((r) => r.name));
    for (const row of registered.rows) expect(row.keys, row.name).toEqual(row.columns);
  });

  it('each figure of the contract is contributed by exactly one module', () => {
    const keys = FIGURES.map((f) => f.key).sort();
    expect(keys).toEqual(['members', 'services', 'training', 'unionsByLevel']);
  });

  it('no migration after 0035 replaces a function another migration created', async () => {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    const createdIn = new Map<string, string>();
    for (const file of files) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
      for (const match of sql.matchAll(/CREATE\s+(OR\s+REPLACE\s+)?FUNCTION\s+([a-z_0-9.]+)/gi)) {
        const name = match[2]!.toLowerCase();
        const first = createdIn.get(name);
        if (first === undefined) createdIn.set(name, file);
        else if (file > '0035_figure_contributions.sql' && first !== file) expect.fail(`${file} replaces ${name}, created by ${first}: register a contribution instead`);
      }
    }
  });
});

/** The value imports (not `import type`) of every .ts/.tsx file under a folder, resolved to files. */
async function importGraph(root: string): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const text = await readFile(file, 'utf8');
        const targets = [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^'";]*?from\s+'(\.[^']+)'/gm)]
          .map((m) => path.resolve(path.dirname(file), m[1]!));
        graph.set(file, targets);
      }
    }
  };
  await walk(root);
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('imports', () => {
  it.each(['server/src', 'web/src', 'contract/src'])('form no cycle in %s', async (folder) => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', folder);
    const graph = await importGraph(root);
    expect([...graph.values()].flat().length, 'imports were read').toBeGreaterThan(folder === 'contract/src' ? 10 : 100);
    const cycle = findCycle(graph);
    expect(cycle?.map((f) => path.relative(root, f)).join(' -> ') ?? null).toBeNull();
  });
});
