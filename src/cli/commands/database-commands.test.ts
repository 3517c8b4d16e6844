import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { formatReportingPeriod, periodOf, previousPeriod } from '../../domain/reporting-period.js';
import { todayInEngland } from '../../domain/plain-date.js';
import { temporaryFolder } from '../../db/testing/export-helpers.js';
import { describeEachDatabase, type TestDatabase } from '../../db/testing/test-databases.js';
import { hasStackTrace, linesOf, repositoryRoot } from '../testing/run-waymark.js';

const binPath = join(repositoryRoot, 'bin', 'waymark.js');
const lastCompleteMonth = formatReportingPeriod(previousPeriod(periodOf(todayInEngland())));

/** Runs `waymark` against one test database, as a user with DATABASE_URL or WAYMARK_DATA_DIR would. */
function waymark(database: TestDatabase, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['DATABASE_URL'];
  delete env['WAYMARK_DATA_DIR'];
  if (database.options.databaseUrl) env['DATABASE_URL'] = database.options.databaseUrl;
  if (database.options.dataDir) env['WAYMARK_DATA_DIR'] = database.options.dataDir;
  const result = spawnSync(process.execPath, [binPath, ...args], { env, encoding: 'utf8', timeout: 300_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describeEachDatabase('import, export and demo commands', (target) => {
  let demo: TestDatabase;
  let empty: TestDatabase;
  let folder: { path: string; remove(): Promise<void> };
  let exported = '';

  before(async () => {
    folder = await temporaryFolder();
    demo = await target.create();
    empty = await target.create();
    // The commands open the databases themselves; PGlite allows one process at a time.
    await demo.close();
    await empty.close();
    exported = join(folder.path, 'demo.csv');
  });
  after(async () => {
    await demo.dispose();
    await empty.dispose();
    await folder.remove();
  });

  void it('demo lists what it loaded', () => {
    const run = waymark(demo, ['demo', '--clients', '60']);
    assert.equal(run.status, 0, run.stderr);
    const lines = linesOf(run.stdout);
    assert.match(lines[0] ?? '', /^Loaded the demonstration service into /);
    assert.ok(lines.includes('Agency DEMO1 with 3 teams: North team, South team, Alcohol team.'));
    assert.ok(lines.some((line) => /^ {2}ana\.keyworker@demo\.invalid +[a-z0-9]{4}(-[a-z0-9]{4}){3} +keyworker +North team$/.test(line)));
    assert.ok(lines.some((line) => /^60 clients with \d+ episodes/.test(line)));
    // Which problems fit depends on the month the histories end on, so any planted one will do.
    assert.ok(lines.some((line) => /^Planted data-quality problems, for practice/.test(line)));
    assert.ok(lines.some((line) => /^ {2}client \S+ +[AD]\d+ +\S/.test(line)));
    assert.equal(run.stderr, 'Acting as system:cli (the default: give --as EMAIL to act as a member of staff)\n');
  });

  void it('demo rejects a second load', () => {
    const run = waymark(demo, ['demo', '--clients', '1']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^waymark: The database already contains the demonstration agency DEMO1\./m);
    assert.equal(hasStackTrace(run.stderr), false);
  });

  void it('export refuses a month with errors', async () => {
    const run = waymark(demo, ['export', '--agency', 'DEMO1', '--period', lastCompleteMonth, '-o', exported]);
    assert.equal(run.status, 1, run.stderr);
    const lines = linesOf(run.stdout);
    assert.ok(lines.some((line) => /^client \S+ {2}[AD]\d+ error {2}[A-Z]+ "[^"]*" {2}\w+ \S+: /.test(line)));
    assert.match(lines.at(-1) ?? '', /^Export refused: the .* data of DEMO1 has \d+ errors and \d+ warnings\. Fix the errors, or use --allow-errors/);
    await assert.rejects(access(exported));
  });

  void it('export writes with --allow-errors', async () => {
    const run = waymark(demo, ['export', '--agency', 'DEMO1', '--period', lastCompleteMonth, '-o', exported, '--allow-errors']);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, new RegExp(`^Wrote ${exported.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ rows for \\d+ clients`, 'm'));
    const manifest = JSON.parse(await readFile(`${exported}.manifest.json`, 'utf8')) as { agency: string; period: string };
    assert.equal(manifest.agency, 'DEMO1');
    assert.equal(manifest.period, lastCompleteMonth);
  });

  void it('export as a data officer is audited', async () => {
    const run = waymark(demo, ['export', '--agency', 'DEMO1', '--period', lastCompleteMonth, '-o', exported, '--allow-errors', '--as', 'Kim.DataOfficer@demo.invalid']);
    assert.equal(run.status, 1, run.stderr);
    await demo.reopen();
    try {
      const kim = await demo.db.selectFrom('staff').select('id').where('email', '=', 'kim.dataofficer@demo.invalid').executeTakeFirstOrThrow();
      assert.equal(run.stderr, `Acting as Kim Data Officer <kim.dataofficer@demo.invalid> (staff:${kim.id})\n`);
      const events = await demo.db.selectFrom('audit_events').select(['actor', 'actor_staff_id', 'entity_id']).where('action', '=', 'submission.export').orderBy('id').execute();
      assert.deepEqual(events.at(-1), { actor: `staff:${kim.id}`, actor_staff_id: kim.id, entity_id: 'DEMO1' });
    } finally {
      await demo.close();
    }
  });

  void it('rejects --as without the role', () => {
    const run = waymark(demo, ['export', '--agency', 'DEMO1', '--period', lastCompleteMonth, '-o', exported, '--as', 'ana.keyworker@demo.invalid']);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'waymark: --as ana.keyworker@demo.invalid: Ana Keyworker has the roles keyworker, but this command needs data-officer. Act as someone with that role, or use --system.\n');
  });

  void it('rejects --as of an unknown email', () => {
    const run = waymark(demo, ['check', '--agency', 'DEMO1', '--period', lastCompleteMonth, '--as', 'nobody@demo.invalid']);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'waymark: --as nobody@demo.invalid: no staff account has this email address. Check the address, or use --system to act as the system identity.\n');
  });

  void it('rejects --as together with --system', () => {
    const run = waymark(demo, ['report', 'ost-doses', '--agency', 'DEMO1', '--period', lastCompleteMonth, '--as', 'kim.dataofficer@demo.invalid', '--system']);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'waymark: give either --as EMAIL or --system, not both.\n');
  });

  void it('check and report are audited', async () => {
    const check = waymark(demo, ['check', '--agency', 'DEMO1', '--period', lastCompleteMonth, '--system']);
    assert.equal(check.stderr, 'Acting as system:cli (--system)\n');
    const report = waymark(demo, ['report', 'ost-doses', '--agency', 'DEMO1', '--period', lastCompleteMonth, '--as', 'ivy.teamleader@demo.invalid']);
    assert.equal(report.status, 0, report.stderr);
    await demo.reopen();
    try {
      const ivy = await demo.db.selectFrom('staff').select('id').where('email', '=', 'ivy.teamleader@demo.invalid').executeTakeFirstOrThrow();
      const events = await demo.db.selectFrom('audit_events').select(['actor', 'action', 'entity', 'entity_id', 'after']).where('action', 'in', ['month-end.check', 'report.compute']).orderBy('id').execute();
      assert.equal(events.length, 2);
      assert.deepEqual(events[0]?.actor, 'system:cli');
      assert.deepEqual(events[0]?.action, 'month-end.check');
      assert.deepEqual(events[0]?.entity_id, 'DEMO1');
      assert.deepEqual(events[1]?.actor, `staff:${ivy.id}`);
      assert.deepEqual(events[1]?.action, 'report.compute');
      assert.equal((events[1]?.after as { report: string }).report, 'ost-doses');
    } finally {
      await demo.close();
    }
  });

  void it('import refuses a file with errors', () => {
    const run = waymark(empty, ['import', exported]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(linesOf(run.stdout).at(-1) ?? '', /^Nothing imported: .* has \d+ errors\./);
  });

  void it('import accepts the valid clients', () => {
    const run = waymark(empty, ['import', exported, '--accept-valid-clients']);
    assert.equal(run.status, 1, run.stderr);
    const lines = linesOf(run.stdout);
    assert.ok(lines.some((line) => /^client \S+ not imported: \d+ errors?$/.test(line)));
    assert.ok(lines.includes('Agency DEMO1 was not in the database and has been created.'));
    assert.match(lines.at(-1) ?? '', /^\d+ added, 0 updated, 0 unchanged$/);
  });

  void it('import records the system actor', async () => {
    await empty.reopen();
    try {
      const actors = await empty.db.selectFrom('audit_events').select('actor').distinct().where('action', '=', 'client.add').execute();
      assert.deepEqual(actors, [{ actor: 'system:cli' }]);
    } finally {
      await empty.close();
    }
  });

  void it('import of the same file changes nothing', () => {
    const run = waymark(empty, ['import', exported, '--accept-valid-clients']);
    assert.match(linesOf(run.stdout).at(-1) ?? '', /^0 added, 0 updated, \d+ unchanged$/);
  });

  void it('rejects an invalid agency code', () => {
    const run = waymark(empty, ['export', '--agency', 'demo1', '--period', '2024-03']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^waymark: --agency "demo1" is not an agency code/);
  });

  void it('rejects an unknown agency', () => {
    const run = waymark(empty, ['export', '--agency', 'NONE1', '--period', '2024-03']);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'waymark: agency NONE1 is not in the database. Check the code, or import a file for that agency first.\n');
    assert.equal(hasStackTrace(run.stderr), false);
  });
});
