import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { pino } from 'pino';
import { repositoryRoot } from '../../cli/testing/run-waymark.js';
import { openDatabase } from '../../db/database.js';
import { reportCatalogue } from '../../reports/catalogue.js';
import { seedReportFixture } from '../testing/report-seed.js';
import { decodeEntities, seedStaff, signIn } from '../testing/web-test-app.js';
import { buildServer } from '../server.js';

interface PageFigures {
  /** The exact CSV the page offers for download. */
  csv: string;
  /** Cell texts of the page's full-figures table, header first. */
  table: string[][];
}

/** Runs `waymark report` on the PGlite folder, whatever DATABASE_URL the test run has. */
function waymarkReport(dataDir: string, name: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, WAYMARK_DATA_DIR: dataDir };
  delete env['DATABASE_URL'];
  const result = spawnSync(process.execPath, [join(repositoryRoot, 'bin/waymark.js'), 'report', name, '--agency', 'TEST1', '--period', '2024-03'], {
    cwd: repositoryRoot,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function pageTable(html: string): string[][] {
  const table = /<table class="nhsuk-table" id="report-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decodeEntities(cell[1] ?? '').trim()),
  );
}

void describe('report pages and waymark report', () => {
  let dataDir: string;
  const pages = new Map<string, PageFigures>();

  before(async () => {
    // The web app and the command share one PGlite folder, which only one process may
    // open at a time, so the pages are read first and the database closed before the command runs.
    dataDir = await mkdtemp(join(tmpdir(), 'waymark-report-pages-'));
    const database = await openDatabase({ dataDir });
    const app = await buildServer({ db: database.db, logger: pino({ level: 'silent' }) });
    try {
      const officer = await seedStaff(database, { roles: ['data-officer'], email: 'officer@example.invalid' });
      await seedReportFixture(database, officer);
      const cookie = await signIn(app, officer.email);
      for (const entry of reportCatalogue) {
        const query = `agency=${officer.agencyId}&period=2024-03`;
        const page = await app.inject({ url: `/reports/${entry.name}?${query}`, headers: { cookie } });
        const download = await app.inject({ url: `/reports/${entry.name}/download?${query}&version=exact`, headers: { cookie } });
        assert.equal(page.statusCode, 200, entry.name);
        assert.equal(download.statusCode, 200, entry.name);
        pages.set(entry.name, { csv: download.body, table: pageTable(page.body) });
      }
    } finally {
      await app.close();
      await database.close();
    }
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  void test('command prints the page figures', () => {
    for (const entry of reportCatalogue) {
      const run = waymarkReport(dataDir, entry.name);
      const page = pages.get(entry.name);
      assert.equal(run.status, 0, `${entry.name}: ${run.stderr}`);
      assert.ok(page);
      assert.equal(run.stdout, page.csv, `${entry.name}: the command's CSV differs from the page's exact download`);
      assert.deepEqual(parse(run.stdout, { bom: true }), page.table, `${entry.name}: the command's figures differ from the page's table`);
    }
  });
});
