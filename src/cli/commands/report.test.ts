import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { todayInEngland, type PlainDate } from '../../domain/plain-date.js';
import { formatReportingPeriod, periodOf, previousPeriod } from '../../domain/reporting-period.js';
import { ensureAgency } from '../../db/agencies-repository.js';
import { saveClient } from '../../db/clients-repository.js';
import { sampleClient } from '../../db/testing/sample-clients.js';
import { describeEachDatabase } from '../../db/testing/test-databases.js';
import { reportNames } from '../../reports/catalogue.js';
import { hasStackTrace, repositoryRoot, type WaymarkRun } from '../testing/run-waymark.js';
import { extractionPeriods, loadReportClients, shareableNote } from './report.js';

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

function csvRows(text: string): string[][] {
  return parse(text, { bom: true }) as string[][];
}

/** Lists the counts of a table, every cell but the first of each row, that are from 1 to 4. */
function smallCounts(rows: string[][]): string[] {
  return rows.slice(1).flatMap((row) => row.slice(1)).filter((cell) => /^[1-4]$/.test(cell));
}

void describe('waymark report', () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'waymark-report-'));
    const loaded = waymark(dataDir, ['demo', '--clients', '50']);
    assert.equal(loaded.status, 0, loaded.stderr);
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  void it('prints every report as exact CSV', () => {
    const small: string[] = [];
    for (const name of reportNames) {
      const run = waymark(dataDir, ['report', name, '--agency', 'DEMO1', '--period', demoPeriod]);
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
      const rows = csvRows(run.stdout);
      assert.ok(rows.length >= 2, `${name} printed no data rows`);
      small.push(...smallCounts(rows));
    }
    // Exact counts from a 50-client service include small ones, so the shareable test below can fail.
    assert.ok(small.length > 0, 'no exact count from 1 to 4 in any report');
  });

  void it('shareable CSV shows no count from 1 to 4', () => {
    for (const name of reportNames) {
      const run = waymark(dataDir, ['report', name, '--agency', 'DEMO1', '--period', demoPeriod, '--shareable']);
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
      assert.deepEqual(smallCounts(csvRows(run.stdout)), [], `${name} shows a small count`);
      for (const cell of csvRows(run.stdout).slice(1).flatMap((row) => row.slice(1))) {
        assert.ok(cell === '*' || Number(cell) % 5 === 0, `${name} shows ${cell}, which is not rounded to 5`);
      }
    }
  });

  void it('clients in treatment covers 12 months', () => {
    const run = waymark(dataDir, ['report', 'clients-in-treatment', '--agency', 'DEMO1', '--period', demoPeriod]);
    const rows = csvRows(run.stdout);

    assert.deepEqual(rows[0], ['Month', 'In treatment', 'Pharmacological (94)', 'Psychosocial (95)', 'Recovery support (96)']);
    assert.equal(rows.length, 13);
    assert.equal(rows.at(-1)?.[0], demoPeriod);
    // The demonstration histories start years back, so the oldest month of the span has clients too.
    assert.ok(Number(rows[1]?.[1]) > 0, `no client in treatment in ${rows[1]?.[0]}`);
  });

  void it('prints JSON with the explanation', () => {
    const run = waymark(dataDir, ['report', 'waiting-times', '--agency', 'DEMO1', '--period', demoPeriod, '--format', 'json']);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;

    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(Object.keys(result), ['report', 'title', 'agency', 'period', 'shareable', 'explanation', 'header', 'rows', 'suppressed', 'details']);
    assert.equal(result['report'], 'waiting-times');
    assert.equal(result['period'], demoPeriod);
    assert.equal(result['shareable'], false);
    assert.match(String(result['explanation']), /counts the days from the date the client was referred/);
  });

  void it('shareable JSON leaves out the details', () => {
    const run = waymark(dataDir, ['report', 'ost-doses', '--agency', 'DEMO1', '--period', demoPeriod, '--format', 'json', '--shareable']);
    const result = JSON.parse(run.stdout) as { shareable: boolean; explanation: string; rows: unknown[][]; details?: unknown };

    assert.equal(run.status, 0, run.stderr);
    assert.equal(result.shareable, true);
    assert.equal(result.details, undefined);
    assert.ok(result.explanation.endsWith(shareableNote));
    const cells = result.rows.flatMap((row) => row.slice(1));
    assert.deepEqual(cells.filter((cell) => typeof cell === 'number' && cell >= 1 && cell <= 4), []);
  });

  void it('rejects an unknown report name', () => {
    const run = waymark(dataDir, ['report', 'caseloads', '--agency', 'DEMO1', '--period', demoPeriod]);

    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /unknown report "caseloads"\. Give one of: clients-in-treatment, sub-interventions, ost-doses, recovery-support, waiting-times\./);
    assert.equal(hasStackTrace(run.stderr), false);
  });

  void it('rejects an unknown agency', () => {
    const run = waymark(dataDir, ['report', 'ost-doses', '--agency', 'ZZZ99', '--period', demoPeriod]);

    assert.equal(run.status, 2);
    assert.match(run.stderr, /agency ZZZ99 is not in the database/);
  });
});

void describe('extractionPeriods', () => {
  void it('reads one year ending in March', () => {
    assert.deepEqual(extractionPeriods({ year: 2024, month: 3 }, 12), [{ year: 2024, month: 3 }]);
  });

  void it('reads the March before a later month', () => {
    assert.deepEqual(extractionPeriods({ year: 2024, month: 5 }, 12), [
      { year: 2024, month: 3 },
      { year: 2024, month: 5 },
    ]);
  });

  void it('reads one month alone', () => {
    assert.deepEqual(extractionPeriods({ year: 2024, month: 4 }, 1), [{ year: 2024, month: 4 }]);
  });
});

describeEachDatabase('loadReportClients', (target) => {
  void it('reaches back across 1 April', async () => {
    const database = await target.create();
    try {
      const agency = await ensureAgency(database.db, 'TST01');
      // 0042's episode stays open; 0043's ended on 20 February 2024, before the May window starts.
      const discharged = sampleClient('0043');
      const episode = discharged.episodes[0];
      assert.ok(episode);
      episode.dischargeDate = '2024-02-20' as PlainDate;
      episode.dischargeReason = '80';
      for (const intervention of episode.interventions) {
        intervention.endDate ??= '2024-02-20' as PlainDate;
        intervention.exitStatus ??= 'A';
      }
      await saveClient(database.db, agency, sampleClient('0042'), { actor: 'test' });
      await saveClient(database.db, agency, discharged, { actor: 'test' });

      const twelveMonths = await loadReportClients(database.db, agency, { year: 2024, month: 5 }, 12);
      const oneMonth = await loadReportClients(database.db, agency, { year: 2024, month: 5 }, 1);

      assert.deepEqual(twelveMonths.map((client) => client.clientId).sort(), ['0042', '0043']);
      assert.equal(twelveMonths.find((client) => client.clientId === '0043')?.episodes[0]?.dischargeDate, '2024-02-20');
      assert.deepEqual(oneMonth.map((client) => client.clientId), ['0042']);
      assert.equal(twelveMonths.find((client) => client.clientId === '0042')?.episodes.length, 1);
    } finally {
      await database.dispose();
    }
  });
});
