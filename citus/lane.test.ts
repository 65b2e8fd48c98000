import { writeFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { runFlows, type FlowAnswers } from './flows.ts';
import { placementOf, type Placement } from './placement.ts';
import { citusCluster, oneNode, startApp, type Target } from './targets.ts';

// Members imported by the flows; the issue asks for 100,000 (use a few hundred while developing).
const IMPORT_ROWS = Number(process.env.CITUS_IMPORT_ROWS ?? 100_000);
// A folder to keep each target's answers in (to diff them when they differ).
const ANSWERS_DIR = process.env.CITUS_LANE_ANSWERS;
const log = (line: string) => process.stderr.write(`[citus-lane] ${line}\n`);

/** Makes a target ready, runs the flows against it, and stops it, whatever happens. */
async function flowsOn(start: () => Promise<Target>, inspect?: (url: string) => Promise<void>): Promise<FlowAnswers> {
  const started = performance.now();
  const target = await start();
  try {
    const app = await startApp(target, log);
    try {
      log(`${target.name}: serving at ${app.baseUrl} after ${seconds(started)}; running the flows (${IMPORT_ROWS} rows imported)`);
      const answers = await runFlows(app.baseUrl, { importRows: IMPORT_ROWS, log });
      log(`${target.name}: done in ${seconds(started)}`);
      await inspect?.(target.url);
      if (ANSWERS_DIR) await writeFile(`${ANSWERS_DIR}/${target.name.replaceAll(/\W+/g, '-')}.json`, JSON.stringify(answers, null, 2) + '\n');
      return answers;
    } finally {
      await app.close();
    }
  } finally {
    await target.stop();
  }
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

test('the flows answer on a Citus cluster as on one node', async () => {
  const first = await flowsOn(() => oneNode());
  let placement: Placement | undefined;
  const second = await flowsOn(() => citusCluster(), async (url) => {
    placement = await placementOf(url, { county: '中牟县总工会', province: '河南省总工会' });
  });
  expect(second).toEqual(first);
  log(`placement: ${JSON.stringify(placement)}`);
  // Every table where server/src/db/distribution.ts puts it, the roster's rows on both workers.
  expect(placement!.misplaced).toEqual([]);
  for (const [table, nodes] of Object.entries(placement!.nodesWithRows)) expect(nodes, `nodes holding rows of ${table}`).toBe(2);
  // A county's and a province's list and search run on one shard; the national list on all.
  const { nationalList, ...withinProvince } = placement!.tasks;
  for (const [statement, tasks] of Object.entries(withinProvince)) {
    expect(tasks.length, `${statement}: a distributed plan`).toBeGreaterThan(0);
    expect(tasks.every((n) => n === 1), `${statement}: tasks ${tasks.join(', ')}`).toBe(true);
  }
  expect(Math.max(...nationalList!), 'the national list: tasks').toBeGreaterThan(1);
});
