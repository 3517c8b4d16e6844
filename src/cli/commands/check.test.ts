import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { todayInEngland, type PlainDate } from '../../domain/plain-date.js';
import { formatReportingPeriod, periodOf, previousPeriod } from '../../domain/reporting-period.js';
import { hasStackTrace, repositoryRoot, type WaymarkRun } from '../testing/run-waymark.js';
import { monthEndPeriod } from './check.js';

// The demonstration service's histories end with the last complete month.
const demoPeriod = formatReportingPeriod(previousPeriod(periodOf(todayInEngland())));

/** Runs the built command on the PGlite data folder given, whatever DATABASE_URL the test run has. */
function waymark(dataDir: string, args: string[]): WaymarkRun {
  const env: NodeJS.ProcessEnv = { ...process.env, WAYMARK_DATA_DIR: dataDir };
  delete env['DATABASE_URL'];
  const result = spawnSync(process.execPath, [join(repositoryRoot, 'bin/waymark.js'), ...args], { cwd: repositoryRoot, env, encoding: 'utf8', timeout: 600_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Loads the demonstration service into a new data folder and returns the problems it planted, read from its output. */
async function loadDemo(clean: boolean): Promise<{ dataDir: string; planted: { clientId: string; rule: string }[] }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'waymark-check-'));
  const loaded = waymark(dataDir, ['demo', '--clients', '50', ...(clean ? ['--clean'] : [])]);
  assert.equal(loaded.status, 0, loaded.stderr);
  const planted = [...loaded.stdout.matchAll(/^ {2}client (\S+) +([AD]\d+) /gm)].map((match) => ({ clientId: match[1] as string, rule: match[2] as string }));
  return { dataDir, planted };
}

void describe('waymark check', () => {
  let plantedDir: string;
  let planted: { clientId: string; rule: string }[];
  let cleanDir: string;

  before(async () => {
    ({ dataDir: plantedDir, planted } = await loadDemo(false));
    ({ dataDir: cleanDir } = await loadDemo(true));
  });

  after(async () => {
    await rm(plantedDir, { recursive: true, force: true });
    await rm(cleanDir, { recursive: true, force: true });
  });

  void it('prints JSON with the agreed keys', () => {
    const run = waymark(plantedDir, ['check', '--agency', 'DEMO1', '--period', demoPeriod, '--format', 'json']);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;

    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(Object.keys(result), ['agency', 'period', 'errors', 'warnings', 'findingsByRule', 'comparison', 'findings']);
    assert.equal(result['agency'], 'DEMO1');
    assert.equal(result['period'], demoPeriod);
    assert.equal(typeof result['errors'], 'number');
    assert.ok((result['errors'] as number) > 0);
  });

  void it('reports the planted problems in JSON', () => {
    const run = waymark(plantedDir, ['check', '--agency', 'DEMO1', '--period', demoPeriod, '--format', 'json']);
    const result = JSON.parse(run.stdout) as {
      findingsByRule: { code: string; severity: string; title: string; count: number }[];
      findings: { code: string; clientId: string; field: string; message: string; keyworker?: string }[];
      comparison: { rows: { key: string; flagged: boolean }[]; flagged: unknown[] };
    };

    // Each problem the demonstration loader reports planting is found on its client.
    assert.ok(planted.some((problem) => problem.rule === 'A2'), 'the demonstration loader planted no A2 problem');
    for (const problem of planted) {
      const found = result.findings.filter((finding) => finding.clientId === problem.clientId).map((finding) => finding.code);
      assert.ok(found.includes(problem.rule), `${problem.rule} on client ${problem.clientId} missing; found ${found.join(', ') || 'nothing'}`);
    }
    const a2 = result.findings.find((finding) => finding.code === 'A2');
    assert.equal(a2?.field, 'METHDOSE');
    assert.ok(a2?.message.includes('METHDOSE'));
    // Every demonstration client is assigned a keyworker.
    assert.equal(typeof a2?.keyworker, 'string');
    assert.equal(
      result.findingsByRule.reduce((sum, entry) => sum + entry.count, 0),
      result.findings.length,
    );
    assert.ok(result.comparison.rows.some((row) => row.key === 'new-episodes'));
  });

  void it('prints text by rule, finding and figure', () => {
    const run = waymark(plantedDir, ['check', '--agency', 'DEMO1', '--period', demoPeriod]);

    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, new RegExp(`^Check of DEMO1 for ${demoPeriod}: \\d+ errors, \\d+ warnings\\.`));
    assert.match(run.stdout, /\nFindings by rule:\n {2}A2 +error +1 /);
    assert.match(run.stdout, /\n {2}client \S+ {2}A2 error {2}METHDOSE "" {2}review \S+: .+\(keyworker: [^)]+\)\n/);
    assert.match(run.stdout, /\nComparison with \d{4}-\d{2} \(! marks a change to check\):\n/);
    assert.match(run.stdout, /New episodes \(triaged in the month\)/);
  });

  void it('exits 0 when the month has no errors', () => {
    const run = waymark(cleanDir, ['check', '--agency', 'DEMO1', '--period', demoPeriod, '--format', 'json']);
    const result = JSON.parse(run.stdout) as { errors: number };

    assert.equal(run.status, 0, run.stderr);
    assert.equal(result.errors, 0);
  });

  void it('rejects an unknown agency', () => {
    const run = waymark(cleanDir, ['check', '--agency', 'ZZZ99', '--period', demoPeriod]);

    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /agency ZZZ99 is not in the database/);
    assert.equal(hasStackTrace(run.stderr), false);
  });

  void it('rejects a malformed period', () => {
    const run = waymark(cleanDir, ['check', '--agency', 'DEMO1', '--period', '2024-13']);

    assert.equal(run.status, 2);
    assert.match(run.stderr, /--period "2024-13" is not a reporting month: give it as YYYY-MM/);
    assert.equal(hasStackTrace(run.stderr), false);
  });

  void it('rejects a future month', () => {
    const run = waymark(cleanDir, ['check', '--agency', 'DEMO1', '--period', '2999-01']);

    assert.equal(run.status, 2);
    assert.match(run.stderr, /--period 2999-01 is in the future/);
  });
});

void describe('monthEndPeriod', () => {
  void it('accepts the current month', () => {
    assert.deepEqual(monthEndPeriod('2024-03', '2024-03-31' as PlainDate), { year: 2024, month: 3 });
  });

  void it('rejects the next month', () => {
    assert.throws(() => monthEndPeriod('2024-04', '2024-03-31' as PlainDate), {
      name: 'CliError',
      message: '--period 2024-04 is in the future: the current month is 2024-03. Give this month or an earlier one.',
    });
  });

  void it('rejects a month past December', () => {
    assert.throws(() => monthEndPeriod('2025-01', '2024-12-31' as PlainDate), { name: 'CliError' });
    assert.deepEqual(monthEndPeriod('2024-12', '2024-12-31' as PlainDate), { year: 2024, month: 12 });
  });
});
