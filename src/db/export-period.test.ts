import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { loadDemo } from './demo/load-demo.js';
import { exportMonth, importMonth, temporaryFolder } from './testing/export-helpers.js';
import { describeEachDatabase, type TestDatabase } from './testing/test-databases.js';

const period = { year: 2024, month: 3 };

describeEachDatabase('exportPeriod', (target) => {
  let source: TestDatabase;
  let copy: TestDatabase;
  let withProblems: TestDatabase;
  let folder: { path: string; remove(): Promise<void> };

  before(async () => {
    folder = await temporaryFolder();
    source = await target.create();
    copy = await target.create();
    withProblems = await target.create();
    await loadDemo(source.db, { clients: 120, period, clean: true });
    await loadDemo(withProblems.db, { clients: 120, period });
  });
  after(async () => {
    await source.dispose();
    await copy.dispose();
    await withProblems.dispose();
    await folder.remove();
  });

  void it('writes the file and its manifest', async () => {
    const outputPath = join(folder.path, 'DEMO1_202403_CDSQ.csv');
    const result = await exportMonth(source.db, 'DEMO1', period, outputPath);
    assert.equal(result.written, true);
    assert.equal(result.manifest.errors, 0);

    const manifest = JSON.parse(await readFile(`${outputPath}.manifest.json`, 'utf8')) as typeof result.manifest;
    assert.equal(manifest.agency, 'DEMO1');
    assert.equal(manifest.period, '2024-03');
    assert.equal(manifest.dataset, 'CDS-Q');
    assert.deepEqual(manifest.extraction, { from: '2023-04-01', to: '2024-03-31' });
    assert.equal(manifest.software.name, 'waymark');

    const bytes = await readFile(outputPath);
    const lines = bytes.toString('utf8').split('\r\n').filter((line) => line !== '');
    assert.equal(manifest.rowCounts.total, lines.length - 1);
    assert.equal(manifest.rowCounts.total, manifest.rowCounts.intervention + manifest.rowCounts.review + manifest.rowCounts.episodeOnly + manifest.rowCounts.noConsent);
    assert.equal(manifest.bytes, bytes.length);
    assert.equal(manifest.sha256, createHash('sha256').update(bytes).digest('hex'));
  });

  void it('round-trips byte for byte', async () => {
    const first = join(folder.path, 'first.csv');
    const second = join(folder.path, 'second.csv');
    const exported = await exportMonth(source.db, 'DEMO1', period, first);

    const imported = await importMonth(copy.db, first, period);
    assert.equal(imported.imported, true);
    assert.equal(imported.validation.errors, 0);
    assert.deepEqual(imported.counts, { added: exported.manifest.clients, updated: 0, unchanged: 0 });

    await exportMonth(copy.db, 'DEMO1', period, second);
    assert.deepEqual(await readFile(second), await readFile(first));
  });

  void it('imports the same file as unchanged', async () => {
    const first = join(folder.path, 'first.csv');
    const again = await importMonth(copy.db, first, period);
    assert.equal(again.counts.added, 0);
    assert.equal(again.counts.updated, 0);
    assert.ok(again.counts.unchanged > 0);
  });

  void it('refuses a month with errors', async () => {
    const outputPath = join(folder.path, 'refused.csv');
    const result = await exportMonth(withProblems.db, 'DEMO1', period, outputPath);
    assert.equal(result.written, false);
    assert.ok(result.manifest.errors > 0);
    assert.ok(result.findings.some((finding) => finding.code === 'A2' && finding.severity === 'error'));
    await assert.rejects(access(outputPath));
    await assert.rejects(access(`${outputPath}.partial`));
    await assert.rejects(access(`${outputPath}.manifest.json`));
  });

  void it('writes errors when allowed', async () => {
    const outputPath = join(folder.path, 'allowed.csv');
    const result = await exportMonth(withProblems.db, 'DEMO1', period, outputPath, true);
    assert.equal(result.written, true);
    assert.ok((result.manifest.findingsByRule['A2'] ?? 0) >= 1);
    await access(outputPath);
  });
});
