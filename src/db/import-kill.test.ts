import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { findAgency } from './agencies-repository.js';
import { loadClientBatches } from './clients-repository.js';
import { importMonth, temporaryFolder } from './testing/export-helpers.js';
import { writeGeneratedFile } from './testing/generated-file.js';
import { describeEachDatabase, type TestDatabase } from './testing/test-databases.js';

const period = { year: 2024, month: 3 };
const binPath = fileURLToPath(new URL('../../../bin/waymark.js', import.meta.url));
const tables = ['organisations', 'agencies', 'clients', 'episodes', 'interventions', 'reviews', 'review_items', 'audit_events'] as const;

/** Everything a reader could see: row counts of every table and every client in full. */
async function snapshot(database: TestDatabase): Promise<unknown> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const result = await sql<{ count: number }>`select count(*)::int as count from ${sql.table(table)}`.execute(database.db);
    counts[table] = result.rows[0]?.count ?? -1;
  }
  const agency = await findAgency(database.db, 'TST01');
  assert.ok(agency);
  const clients: unknown[] = [];
  for await (const batch of loadClientBatches(database.db, agency)) clients.push(...batch);
  return { counts, clients };
}

/** Starts `waymark import` and kills it with SIGKILL once it reports saving its first clients. */
function importAndKill(filePath: string, database: TestDatabase): Promise<{ killed: boolean; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, WAYMARK_LOG_LEVEL: 'info' };
  delete env['DATABASE_URL'];
  delete env['WAYMARK_DATA_DIR'];
  if (database.options.databaseUrl) env['DATABASE_URL'] = database.options.databaseUrl;
  if (database.options.dataDir) env['WAYMARK_DATA_DIR'] = database.options.dataDir;

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, 'import', filePath], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (!killed && stderr.includes('"msg":"import progress"')) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', () => resolve({ killed, stderr }));
  });
}

describeEachDatabase('import killed part-way', (target) => {
  let database: TestDatabase;
  let folder: { path: string; remove(): Promise<void> };

  before(async () => {
    folder = await temporaryFolder();
    database = await target.create();
  });
  after(async () => {
    await database.dispose();
    await folder.remove();
  });

  void it('leaves the database as before', async () => {
    const small = join(folder.path, 'small.csv');
    const large = join(folder.path, 'large.csv');
    await writeGeneratedFile(small, { clients: 30, period: '2024-03', seed: 3 });
    // Same client references as the small file, so the killed import was updating them too.
    await writeGeneratedFile(large, { clients: 4000, period: '2024-03', seed: 7 });
    const baseline = await importMonth(database.db, small, period);
    assert.equal(baseline.imported, true);
    const before = await snapshot(database);

    await database.close();
    const run = await importAndKill(large, database);
    assert.equal(run.killed, true, `the import ended before it could be killed: ${run.stderr.slice(-500)}`);
    await database.reopen();

    assert.deepEqual(await snapshot(database), before);
  });
});
