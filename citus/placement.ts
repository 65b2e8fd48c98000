// Where the cluster keeps the federation after the flows, and where the application's hot
// statements run there: every table in its declared place, the roster's rows on both workers,
// and a county's or a province's member list and search on one shard (Task Count 1 in Citus's
// EXPLAIN), the national list on every shard.
import { MemberListQuery } from '@workers-home/contract';
import pg from 'pg';
import { DISTRIBUTION } from '../server/src/db/distribution.ts';
import { createPool } from '../server/src/db/pool.ts';
import { memberPageStatement } from '../server/src/modules/people/service.ts';
import { peoplePolicy } from '../server/src/modules/people/policy.ts';
import type { Caller } from '../server/src/plugins/access.ts';
import { secretsFromMasterKey } from '../server/src/plugins/secrets.ts';

export interface Placement {
  /** Declared tables whose place on the cluster is another (expected: none). */
  misplaced: string[];
  /** How many nodes hold rows of memberships, persons and member_search. */
  nodesWithRows: Record<string, number>;
  /** Each statement's tasks, as Citus's EXPLAIN counts them (one per shard it runs on). */
  tasks: Record<string, number[]>;
}

const ROSTER = ['persons', 'memberships', 'member_search'];

export async function placementOf(url: string, orgs: { county: string; province: string }): Promise<Placement> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pool = createPool(url, 2);
  try {
    const placed = new Map((await client.query<{ name: string; kind: string }>(
      `SELECT logicalrelid::regclass::text AS name,
              CASE WHEN partmethod = 'h' THEN 'distributed' WHEN repmodel = 't' THEN 'reference' ELSE 'coordinator' END AS kind
       FROM pg_dist_partition`)).rows.map((r) => [r.name, r.kind]));
    const misplaced = Object.entries(DISTRIBUTION).filter(([name, p]) => placed.get(name) !== p.kind).map(([name, p]) => `${name}: ${placed.get(name) ?? 'not placed'}, declared ${p.kind}`);

    const nodesWithRows: Record<string, number> = {};
    for (const table of ROSTER) {
      const provinces = (await client.query<{ id: number }>(`SELECT DISTINCT province_id AS id FROM ${table}`)).rows.map((r) => r.id);
      nodesWithRows[table] = (await client.query<{ n: number }>(
        `SELECT count(DISTINCT s.nodeport)::int AS n FROM unnest($1::bigint[]) AS p(id)
         JOIN citus_shards s ON s.table_name = $2::regclass AND s.shardid = get_shard_id_for_distribution_column($2::regclass, p.id)`,
        [provinces, table])).rows[0]!.n;
    }

    const org = async (name: string) => (await client.query<{ id: number; path: string }>('SELECT id, path::text AS path FROM orgs WHERE name = $1', [name])).rows[0]!;
    const [root, province, county] = [
      (await client.query<{ id: number; path: string }>('SELECT id, path::text AS path FROM orgs WHERE parent_id IS NULL')).rows[0]!,
      await org(orgs.province), await org(orgs.county),
    ];
    const caller: Caller = {
      accountId: 0, username: 'citus-lane', personId: null, sessionTokenHash: Buffer.alloc(0),
      grants: [{ role: peoplePolicy.read[0], orgId: root.id, orgPath: root.path }],
    };
    const services = { pool, secrets: secretsFromMasterKey(Buffer.from('citus-lane-placement')) };
    const statements: Record<string, Record<string, unknown>> = {
      countyList: { orgId: county.id },
      provinceList: { orgId: province.id },
      provinceNameSearch: { orgId: province.id, q: '王' },
      provincePhoneSearch: { orgId: province.id, q: '138' },
      nationalList: { orgId: root.id },
    };
    const tasks: Record<string, number[]> = {};
    for (const [name, query] of Object.entries(statements)) {
      const { text, values } = await memberPageStatement(services, caller, MemberListQuery.parse(query));
      const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
      tasks[name] = [...plan.matchAll(/Task Count: (\d+)/g)].map((m) => Number(m[1]));
    }
    return { misplaced, nodesWithRows, tasks };
  } finally {
    await client.end();
    await pool.end();
  }
}
