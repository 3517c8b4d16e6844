import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { cdsQDataset } from '../../dataset/index.js';
import { linesOf, runWaymark } from '../testing/run-waymark.js';

const itemCount = cdsQDataset.subInterventions.length;

await test('catalogue json lists every sub-intervention', () => {
  const run = runWaymark(['catalogue', '--format', 'json']);
  assert.equal(run.status, 0);
  const entries = JSON.parse(run.stdout) as Record<string, unknown>[];
  assert.equal(entries.length, itemCount);
  assert.deepEqual(
    entries.map((entry) => entry.code),
    cdsQDataset.subInterventions.map((item) => item.code),
  );
});

await test('catalogue json carries markers and flags', () => {
  const entries = JSON.parse(runWaymark(['catalogue', '--format', 'json']).stdout) as Record<string, unknown>[];
  const byCode = new Map(entries.map((entry) => [entry.code, entry]));
  assert.deepEqual(byCode.get('PHMETHWTH'), {
    code: 'PHMETHWTH',
    name: 'Methadone (oral solution) – opioid withdrawal',
    group: 'structured-pharmacological',
    groupLabel: 'Structured pharmacological',
    interventionType: '94',
    interventionTypeLabel: 'Pharmacological',
    ostMarker: '*',
    medication: 'methadone (oral solution)',
    purpose: 'opioid withdrawal',
    withdrawal: true,
    postStructuredOnly: false,
    requires: [],
    confirmPurpose: null,
    provisional: true,
  });
  assert.equal(byCode.get('PHBNXMNT')?.ostMarker, '#');
  assert.equal(byCode.get('PHBUDIMNT')?.ostMarker, '');
  assert.equal(byCode.get('RECCHKP')?.postStructuredOnly, true);
  assert.deepEqual(byCode.get('PSYCOUN')?.requires, ['bacp-accreditation']);
  assert.equal(byCode.get('PSYMOTI')?.provisional, false);
});

await test('catalogue text marks provisional items', () => {
  const run = runWaymark(['catalogue']);
  assert.equal(run.status, 0);
  const lines = linesOf(run.stdout);
  const methadoneRow = lines.find((line) => line.trimStart().startsWith('PHMETHMNT '));
  assert.ok(methadoneRow, 'PHMETHMNT has a row');
  assert.match(methadoneRow, /^\s+PHMETHMNT\s+\*\s+PROVISIONAL\s+methadone \(oral solution\)/);
  const motivationalRow = lines.find((line) => line.trimStart().startsWith('PSYMOTI '));
  assert.ok(motivationalRow, 'PSYMOTI has a row');
  assert.doesNotMatch(motivationalRow, /PROVISIONAL/);
  assert.match(run.stdout, /^Legend$/m);
  assert.match(run.stdout, /official CDS-Q technical definitions/);
});

await test('catalogue text aligns the columns', () => {
  const lines = linesOf(runWaymark(['catalogue']).stdout);
  let nameColumn = -1;
  let rowsChecked = 0;
  for (const line of lines) {
    if (line.trimStart().startsWith('CODE ')) {
      nameColumn = line.indexOf('NAME');
      continue;
    }
    const item = cdsQDataset.subIntervention(line.trim().split(/\s+/)[0] ?? '');
    if (!item) continue;
    assert.equal(line.slice(nameColumn), item.name, `${item.code} name starts under NAME`);
    rowsChecked += 1;
  }
  assert.equal(rowsChecked, itemCount);
});

await test('catalogue csv has a header and a row per item', () => {
  const run = runWaymark(['catalogue', '--format', 'csv']);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /\r\n/);
  const records = parse(run.stdout, { columns: true }) as Record<string, string>[];
  assert.equal(records.length, itemCount);
  const chlordiazepoxide = records.find((record) => record.code === 'PHCHLDWTH');
  assert.equal(chlordiazepoxide?.withdrawal, 'true');
  assert.equal(chlordiazepoxide?.provisional, 'true');
  assert.match(chlordiazepoxide?.confirmPurpose ?? '', /alcohol withdrawal/);
});
