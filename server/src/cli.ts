import { parseArgs } from 'node:util';
import { Password, ROLE_PRESETS, Username } from '@workers-home/contract';
import { loadConfig } from './config.ts';
import { seedDemo } from './demo/seed.ts';
import { LocalFileStore } from './files/file-store.ts';
import { hashPassword } from './modules/auth/service.ts';
import { recordAudit } from './modules/audit/service.ts';
import { inTransaction } from './db/pool.ts';
import { backup, restore } from './backup.ts';
import { migrate } from './db/migrate.ts';
import { checkKeyFingerprint, prepare, rotateKey } from './startup.ts';
import { exportMembersCommand, importMembersCommand } from './modules/people/import-cli.ts';

const HELP = `workers-home <command> [options]

Commands:
  migrate                          apply database migrations
  seed-demo                        load the demo federation into an empty database
  create-admin --username NAME --password PASSWORD [--org ORG_ID]
                                   create an admin account on an organization
                                   (default: the root of the tree)
  backup FILE                      write the whole database to FILE (pg_dump custom format)
  restore FILE                     replace the whole database with FILE, in one transaction
                                   (stop the server first)
  rotate-key                       re-encrypt every national ID number under a new key
                                   (stop the servers first; with SECRET_KEY, give the new
                                   key in NEW_SECRET_KEY)
  import members FILE --into ORG_ID [--accept-valid] [--report FILE]
                                   import a member roster (.xlsx or .csv); all or
                                   nothing unless --accept-valid; rejected rows and
                                   their reasons go to FILE.rejects.csv
  export members --org ORG_ID --out FILE [--status active|transferred_out|left|all]
                                   export a subtree's members (.csv or .xlsx by name)
  help                             show this text

The database is DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (default ./data).`;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(HELP + '\n');
    return command ? 0 : 1;
  }
  if (!['migrate', 'seed-demo', 'create-admin', 'backup', 'restore', 'rotate-key', 'import', 'export'].includes(command)) {
    log(`Unknown command "${command}".\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' }, password: { type: 'string' }, org: { type: 'string' },
      into: { type: 'string' }, 'accept-valid': { type: 'boolean' }, report: { type: 'string' }, out: { type: 'string' }, status: { type: 'string' },
    },
    allowPositionals: ['import', 'export', 'backup', 'restore'].includes(command),
    strict: true,
  });
  if ((command === 'import' || command === 'export') && positionals[0] !== 'members') {
    log(`Only "${command} members" exists.\n\n${HELP}`);
    return 2;
  }
  if ((command === 'backup' || command === 'restore') && positionals.length !== 1) throw new Error(`usage: workers-home ${command} FILE`);
  const config = loadConfig();
  const { db, secrets, applied } = await prepare(config, 'cli', log);
  try {
    if (command === 'rotate-key') {
      if (db.serverRunning) throw new Error('A Workers\' Home server is running on this DATA_DIR; stop it before rotating the key');
      await rotateKey(db.pool, secrets, config, process.env.NEW_SECRET_KEY, log);
    } else if (command === 'backup') {
      await backup(db.pool, db.url, positionals[0]!, log);
    } else if (command === 'restore') {
      if (db.serverRunning) throw new Error('A Workers\' Home server is running on this DATA_DIR; stop it before restoring');
      await restore(db.url, positionals[0]!, log);
      const applied = await migrate(db.pool);
      if (applied.length) log(`Brought the restored database up to date: ${applied.join(', ')}`);
      await checkKeyFingerprint(db.pool, secrets).catch(() => {
        throw new Error('Restored, but this backup was encrypted with another ID-number key: put its SECRET_KEY (or DATA_DIR/secret.key) back before starting the server');
      });
    } else if (command === 'migrate') {
      log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    } else if (command === 'import') {
      return await importMembersCommand({ pool: db.pool, secrets }, positionals[1], { into: values.into, acceptValid: values['accept-valid'], report: values.report }, log);
    } else if (command === 'export') {
      return await exportMembersCommand({ pool: db.pool, secrets }, { org: values.org, out: values.out, status: values.status }, log);
    } else if (command === 'seed-demo') {
      const summary = await seedDemo(db.pool, secrets, new LocalFileStore(config.filesDir));
      log(`Loaded ${summary.organizations} organizations, ${summary.persons} members, ${summary.cadrePositions} cadre positions.`);
      for (const a of summary.accounts) log(`  ${a.username.padEnd(18)} ${a.password}   ${a.role} of ${a.org}`);
    } else {
      const username = Username.safeParse(values.username ?? '');
      if (!username.success) throw new Error(`--username ${username.error.issues[0]!.message}`);
      const password = Password.safeParse(values.password ?? '');
      if (!password.success) throw new Error(`--password ${password.error.issues[0]!.message}`);
      const orgId = values.org === undefined ? undefined : Number(values.org);
      if (orgId !== undefined && !Number.isInteger(orgId)) throw new Error('--org must be an organization id');
      const passwordHash = await hashPassword(password.data);
      await inTransaction(db.pool, async (client) => {
        const org = await client.query<{ id: number; path: string; name: string }>(
          orgId === undefined ? `SELECT id, path::text, name FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1` : `SELECT id, path::text, name FROM orgs WHERE id = $1`,
          orgId === undefined ? [] : [orgId],
        );
        const target = org.rows[0];
        if (!target) throw new Error(orgId === undefined ? 'The organization tree is empty: create its root first (or run seed-demo)' : `--org: organization ${orgId} does not exist`);
        const taken = await client.query('SELECT 1 FROM accounts WHERE username = $1', [username.data]);
        if (taken.rowCount) throw new Error(`--username: "${username.data}" is taken`);
        const account = await client.query<{ id: number }>(
          `INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, $1, $2) RETURNING id`,
          [username.data, passwordHash],
        );
        // Every module's managing role: the federation's first administrator sets up the rest.
        await client.query(`INSERT INTO role_grants (account_id, role, org_id) SELECT $1, unnest($2::text[]), $3`, [account.rows[0]!.id, ROLE_PRESETS.admin, target.id]);
        await recordAudit(client, null, { action: 'create-admin', entity: 'account', entityId: account.rows[0]!.id, orgPath: target.path, after: { username: username.data, orgId: target.id } });
        log(`Created admin "${username.data}" on ${target.name} (organization ${target.id}).`);
      });
    }
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
