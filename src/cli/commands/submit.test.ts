import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { pino } from 'pino';
import { todayInEngland } from '../../domain/plain-date.js';
import { formatReportingPeriod, periodOf, previousPeriod } from '../../domain/reporting-period.js';
import { temporaryFolder } from '../../db/testing/export-helpers.js';
import { describeEachDatabase, type TestDatabase } from '../../db/testing/test-databases.js';
import { hashPassword } from '../../web/accounts/passwords.js';
import { buildServer } from '../../web/server.js';
import { signIn, testPassword } from '../../web/testing/web-test-app.js';
import { hasStackTrace, linesOf, repositoryRoot } from '../testing/run-waymark.js';

const binPath = join(repositoryRoot, 'bin', 'waymark.js');
// The demonstration histories end with the last complete month.
const lastCompleteMonth = formatReportingPeriod(previousPeriod(periodOf(todayInEngland())));
const currentMonth = formatReportingPeriod(periodOf(todayInEngland()));
const dataOfficer = 'kim.dataofficer@demo.invalid';

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

describeEachDatabase('submit and submissions commands', (target) => {
  let clean: TestDatabase;
  let planted: TestDatabase;
  let plantedClients: string[];
  let folder: { path: string; remove(): Promise<void> };
  let output = '';

  before(async () => {
    folder = await temporaryFolder();
    output = join(folder.path, 'submission.csv');
    clean = await target.create();
    planted = await target.create();
    // The commands open the databases themselves, and PGlite allows one process at a time.
    await clean.close();
    await planted.close();
    const cleanDemo = waymark(clean, ['demo', '--clients', '40', '--clean']);
    assert.equal(cleanDemo.status, 0, cleanDemo.stderr);
    const plantedDemo = waymark(planted, ['demo', '--clients', '40']);
    assert.equal(plantedDemo.status, 0, plantedDemo.stderr);
    plantedClients = [...plantedDemo.stdout.matchAll(/^ {2}client (\S+) +[AD]\d+ /gm)].map((match) => match[1] as string);
  });
  after(async () => {
    await clean.dispose();
    await planted.dispose();
    await folder.remove();
  });

  void it('submit rejects a month with findings', async () => {
    const run = waymark(planted, ['submit', '--agency', 'DEMO1', '--period', lastCompleteMonth, '--out', output]);
    assert.equal(run.status, 1, run.stderr);
    const lines = linesOf(run.stdout);
    assert.match(lines[0] ?? '', new RegExp(`^Submission rejected for DEMO1 ${lastCompleteMonth}: \\d+ errors? remains? .*\\. Nothing was stored\\.$`));
    assert.ok(lines.some((line) => /^ {2}[AD]\d+ +error +\d+$/.test(line)), `no error count by rule in:\n${run.stdout}`);
    assert.ok(lines.includes(`Fix the errors in the records: waymark check --agency DEMO1 --period ${lastCompleteMonth} lists each one.`));
    if (lines.some((line) => / warning +\d+ +not confirmed$/.test(line))) {
      assert.ok(lines.includes('Warnings can be confirmed only in the web app: open Month end, check the month, and confirm each warning whose record is right.'));
    }
    assert.ok(plantedClients.length > 0, 'the demonstration loader planted no problem');
    for (const clientRef of plantedClients) assert.ok(!run.stdout.includes(clientRef), `client ${clientRef} appears in the output`);
    assert.equal(hasStackTrace(run.stderr), false);
    await assert.rejects(access(output));

    const listed = waymark(planted, ['submissions', '--agency', 'DEMO1']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(listed.stdout, 'No submission of DEMO1 is stored. Run waymark submit, or use Month end in the web app.\n');
  });

  void it('submit rejects an incomplete month', () => {
    const run = waymark(clean, ['submit', '--agency', 'DEMO1', '--period', currentMonth]);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`^waymark: --period ${currentMonth}: ${currentMonth} is the current month and is not complete until its last day has passed\\.`, 'm'));
    assert.equal(hasStackTrace(run.stderr), false);
  });

  void it('submit rejects a future month', () => {
    const run = waymark(clean, ['submit', '--agency', 'DEMO1', '--period', '2999-01']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--period 2999-01 is in the future/);
  });

  void it('submit rejects a month before episodes', async () => {
    const run = waymark(clean, ['submit', '--agency', 'DEMO1', '--period', '1900-01', '--out', output]);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^waymark: --period 1900-01: 1900-01 ends before DEMO1's earliest episode referral\. The earliest month that can be submitted is \d{4}-\d{2}\.$/m);
    assert.equal(hasStackTrace(run.stderr), false);
    await assert.rejects(access(output));
  });

  void it('submit stores and writes the file', async () => {
    const run = waymark(clean, ['submit', '--agency', 'DEMO1', '--period', lastCompleteMonth, '--out', output]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, 'Acting as system:cli (the default: give --as EMAIL to act as a member of staff)\n');
    const lines = linesOf(run.stdout);
    const id = Number(new RegExp(`^Stored submission (\\d+) for DEMO1 ${lastCompleteMonth}: generated\\.$`).exec(lines[0] ?? '')?.[1]);
    assert.ok(Number.isSafeInteger(id), `unexpected first line ${lines[0]}`);
    assert.match(lines[1] ?? '', /^Check: 0 errors, 0 warnings, 0 confirmed, 40 clients\.$/);
    assert.match(lines[2] ?? '', /^Rows: \d+ \(\d+ intervention, \d+ review, \d+ episode-only, \d+ no-consent\)\.$/);
    assert.deepEqual(lines.slice(4), [`Wrote ${output}`, `Manifest: ${output}.manifest.json`]);

    const file = await readFile(output);
    const manifest = await readFile(`${output}.manifest.json`, 'utf8');
    const sha256 = createHash('sha256').update(file).digest('hex');
    assert.equal(lines[3], `SHA-256: ${sha256}`);
    assert.equal((JSON.parse(manifest) as { sha256: string }).sha256, sha256);

    // The web app serves the stored submission, so its download must be the same bytes.
    await clean.reopen();
    const app = await buildServer({ db: clean.db, logger: pino({ level: 'silent' }), setupToken: 'unused-setup-token' });
    try {
      const stored = await clean.db.selectFrom('submissions').select(['status', 'created_by', 'checked_by', 'generated_by']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { status: 'generated', created_by: 'system:cli', checked_by: 'system:cli', generated_by: 'system:cli' });
      const events = await clean.db.selectFrom('audit_events').select(['actor', 'entity_id']).where('action', '=', 'submission.generate').execute();
      assert.deepEqual(events, [{ actor: 'system:cli', entity_id: String(id) }]);

      await clean.db.updateTable('staff').set({ password_hash: await hashPassword(testPassword) }).where('email', '=', dataOfficer).execute();
      const cookie = await signIn(app, dataOfficer);
      const download = await app.inject({ url: `/month-end/submissions/${id}/file`, headers: { cookie } });
      assert.equal(download.statusCode, 200);
      assert.deepEqual(download.rawPayload, file);
      const manifestDownload = await app.inject({ url: `/month-end/submissions/${id}/manifest`, headers: { cookie } });
      assert.equal(manifestDownload.body, manifest);
    } finally {
      await app.close();
      await clean.close();
    }
  });

  void it('submit again supersedes the first', async () => {
    const run = waymark(clean, ['submit', '--agency', 'DEMO1', '--period', lastCompleteMonth, '--out', output, '--as', dataOfficer]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /^Acting as Kim Data Officer <kim\.dataofficer@demo\.invalid> \(staff:\d+\)\n$/);

    const listed = waymark(clean, ['submissions', '--agency', 'DEMO1', '--period', lastCompleteMonth]);
    assert.equal(listed.status, 0, listed.stderr);
    const lines = linesOf(listed.stdout);
    assert.equal(lines[0], `Submissions of DEMO1 for ${lastCompleteMonth}, latest month first:`);
    const headings = lines.filter((line) => line.startsWith('Submission '));
    assert.equal(headings.length, 2);
    assert.match(headings[0] ?? '', new RegExp(`^Submission \\d+ {2}${lastCompleteMonth} {2}generated {2}DEMO1_\\d{6}_CDSQ\\.csv$`));
    assert.match(headings[1] ?? '', new RegExp(`^Submission \\d+ {2}${lastCompleteMonth} {2}superseded {2}DEMO1_\\d{6}_CDSQ\\.csv$`));
    assert.ok(lines.some((line) => /^ {2}checked {5}\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC by Kim Data Officer \(staff:\d+\): 0 errors, 0 warnings, 0 confirmed, 40 clients$/.test(line)));
    assert.ok(lines.some((line) => /^ {2}generated {3}.* by system:cli: \d+ rows, SHA-256 [0-9a-f]{64}$/.test(line)));
    assert.ok(lines.some((line) => /^ {2}superseded {2}.* by Kim Data Officer \(staff:\d+\)$/.test(line)));
  });

  void it('submissions prints JSON', () => {
    const run = waymark(clean, ['submissions', '--agency', 'DEMO1', '--format', 'json', '--system']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, 'Acting as system:cli (--system)\n');
    const submissions = JSON.parse(run.stdout) as { status: string; period: string; sha256: string; checkCounts: { errors: number } }[];
    assert.deepEqual(submissions.map((item) => item.status), ['generated', 'superseded']);
    assert.ok(submissions.every((item) => item.period === lastCompleteMonth && /^[0-9a-f]{64}$/.test(item.sha256) && item.checkCounts.errors === 0));
  });

  void it('submissions is audited', async () => {
    await clean.reopen();
    try {
      const events = await clean.db.selectFrom('audit_events').select(['actor', 'entity', 'entity_id', 'after']).where('action', '=', 'submission.list').orderBy('id').execute();
      assert.deepEqual(events.at(-1), { actor: 'system:cli', entity: 'agency', entity_id: 'DEMO1', after: { period: null, submissions: 2 } });
    } finally {
      await clean.close();
    }
  });

  void it('submissions rejects a malformed period', () => {
    const run = waymark(clean, ['submissions', '--agency', 'DEMO1', '--period', '2024-13']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--period "2024-13" is not a reporting month: give it as YYYY-MM/);
  });
});
