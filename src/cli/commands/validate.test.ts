import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { cdsQDataset } from '../../dataset/index.js';
import { progressThresholdBytes, shouldShowProgress } from '../progress.js';
import { hasStackTrace, linesOf, runWaymark } from '../testing/run-waymark.js';

const folder = mkdtempSync(join(tmpdir(), 'waymark-validate-'));

// Synthetic client 0042: one episode with a pharmacological intervention and one review.
const client = { AGNCY: 'DEMO1', CLIENTID: '0042', FINITIAL: 'J', SINITIAL: 'S', DOB: '05/03/1980', SEX: 'M', CONSENT: 'Y' };
const episode = { EPISODID: 'E1', REFLD: '01/01/2024', TRIAGED: '08/01/2024' };
const interventionRow = { ...client, ...episode, MODID: 'I1', MODAL: '94', MODSET: '1', REFMODDT: '08/01/2024', FAOMODDT: '10/01/2024', MODST: '15/01/2024' };
const reviewRow = { ...client, ...episode, SUBMID: 'S1', SUBMODDT: '15/01/2024', PHMETHMNT: 'Y', METHDOSE: '60', OSTSUP: '1' };

/** Builds CDS-Q text with the dataset's header. Columns a row leaves out are empty. */
function cdsQText(rows: Record<string, string>[]): string {
  const header = cdsQDataset.header;
  return stringify([header, ...rows.map((row) => header.map((column) => row[column] ?? ''))], { record_delimiter: 'windows' });
}

function writeCdsQ(name: string, rows: Record<string, string>[]): string {
  const path = join(folder, name);
  writeFileSync(path, cdsQText(rows));
  return path;
}

interface ReportJson {
  file: string;
  rows: number;
  errors: number;
  warnings: number;
  findings: Record<string, unknown>[];
}

const validFile = writeCdsQ('valid.csv', [interventionRow, reviewRow]);
const missingDoseFile = writeCdsQ('missing-dose.csv', [interventionRow, { ...reviewRow, METHDOSE: '' }]);
const highDoseFile = writeCdsQ('high-dose.csv', [interventionRow, { ...reviewRow, METHDOSE: '200' }]);

await test('validate valid file exits 0', () => {
  const run = runWaymark(['validate', validFile, '--period', '2024-03']);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.deepEqual(linesOf(run.stdout), [`${validFile}: 2 rows, 0 errors, 0 warnings`]);
  assert.equal(run.stderr, '');
});

await test('validate error gives a finding line', () => {
  const run = runWaymark(['validate', missingDoseFile, '--period', '2024-03']);
  assert.equal(run.status, 1);
  const lines = linesOf(run.stdout);
  const finding = lines.find((line) => line.startsWith('line 3  A2 error'));
  assert.ok(finding, `an A2 line in:\n${run.stdout}`);
  assert.match(finding, /^line 3 {2}A2 error {2}METHDOSE "" {2}client 0042: \S.+$/);
  assert.equal(lines.at(-1), `${missingDoseFile}: 2 rows, ${lines.length - 1} errors, 0 warnings`);
});

await test('validate warning only exits 0', () => {
  const run = runWaymark(['validate', highDoseFile, '--period', '2024-03']);
  assert.equal(run.status, 0, run.stdout);
  const lines = linesOf(run.stdout);
  assert.match(lines[0] ?? '', /^line 3 {2}A7 warning {2}METHDOSE "200" {2}client 0042: \S/);
  assert.equal(lines.at(-1), `${highDoseFile}: 2 rows, 0 errors, 1 warnings`);
});

await test('validate json has the fixed shape', () => {
  const run = runWaymark(['validate', missingDoseFile, '--period', '2024-03', '--format', 'json']);
  assert.equal(run.status, 1);
  const report = JSON.parse(run.stdout) as ReportJson;
  assert.deepEqual(Object.keys(report), ['file', 'rows', 'errors', 'warnings', 'findings']);
  assert.equal(report.file, missingDoseFile);
  assert.equal(report.rows, 2);
  assert.equal(report.errors, report.findings.length);
  assert.equal(report.warnings, 0);
  const finding = report.findings.find((item) => item.code === 'A2');
  assert.ok(finding, 'an A2 finding');
  assert.deepEqual(Object.keys(finding), ['code', 'severity', 'line', 'field', 'value', 'clientId', 'message']);
  assert.equal(finding.severity, 'error');
  assert.equal(finding.line, 3);
  assert.equal(finding.field, cdsQDataset.columnOf('review', 'methadoneDose'));
  assert.equal(finding.value, '');
  assert.equal(finding.clientId, '0042');
  assert.match(String(finding.message), /\S/);
});

await test('validate json for a valid file', () => {
  const run = runWaymark(['validate', validFile, '--period', '2024-03', '--format', 'json']);
  assert.equal(run.status, 0);
  assert.deepEqual(JSON.parse(run.stdout), { file: validFile, rows: 2, errors: 0, warnings: 0, findings: [] });
});

await test('validate reads standard input', () => {
  const run = runWaymark(['validate', '-', '--period', '2024-03'], { input: cdsQText([interventionRow, reviewRow]) });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.deepEqual(linesOf(run.stdout), ['stdin: 2 rows, 0 errors, 0 warnings']);
});

await test('validate period bounds the dates', () => {
  const run = runWaymark(['validate', validFile, '--period', '2023-12', '--format', 'json']);
  assert.equal(run.status, 1);
  const report = JSON.parse(run.stdout) as ReportJson;
  assert.ok(report.findings.some((finding) => finding.code === 'D4'), 'dates after December 2023 are D4 errors');
});

await test('validate thresholds file lowers a limit', () => {
  const path = join(folder, 'thresholds.json');
  writeFileSync(path, JSON.stringify({ methadoneDoseWarningMl: 50 }));
  const run = runWaymark(['validate', validFile, '--period', '2024-03', '--thresholds', path]);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /^line 3 {2}A7 warning {2}METHDOSE "60"/m);
});

await test('validate header problem is an error', () => {
  const path = join(folder, 'bad-header.csv');
  writeFileSync(path, 'AGNCY,CLIENTID\r\nDEMO1,0042\r\n');
  const run = runWaymark(['validate', path, '--period', '2024-03', '--format', 'json']);
  assert.equal(run.status, 1, run.stderr);
  const report = JSON.parse(run.stdout) as ReportJson;
  assert.equal(report.findings[0]?.code, 'D11');
  assert.equal(report.findings[0]?.line, 1);
});

const unreadableCases: { name: string; args: () => string[]; message: RegExp }[] = [
  { name: 'missing file', args: () => [join(folder, 'absent.csv')], message: /cannot read .*absent\.csv: file not found\./ },
  { name: 'folder', args: () => [folder], message: /it is a folder, not a file/ },
  {
    name: 'empty file',
    args: () => {
      const path = join(folder, 'empty.csv');
      writeFileSync(path, '');
      return [path];
    },
    message: /cannot read .*empty\.csv: /,
  },
  {
    name: 'binary file',
    args: () => {
      const path = join(folder, 'binary.csv');
      writeFileSync(path, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01]));
      return [path];
    },
    message: /cannot read .*binary\.csv: /,
  },
];

for (const unreadable of unreadableCases) {
  await test(`validate ${unreadable.name} exits 2`, () => {
    const run = runWaymark(['validate', ...unreadable.args()]);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.equal(linesOf(run.stderr).length, 1, run.stderr);
    assert.match(run.stderr, unreadable.message);
    assert.match(run.stderr, /^waymark: /);
    assert.equal(hasStackTrace(run.stderr), false);
  });
}

await test('validate bad period exits 2', () => {
  const run = runWaymark(['validate', validFile, '--period', '2024-3']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout, '');
  assert.deepEqual(linesOf(run.stderr), ['waymark: --period "2024-3" is invalid. Give the reporting month as YYYY-MM, for example 2024-03.']);
});

await test('validate bad format exits 2', () => {
  const run = runWaymark(['validate', validFile, '--format', 'xml']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /'xml' is invalid/);
});

await test('progress bar only for large terminal input', () => {
  assert.equal(shouldShowProgress(progressThresholdBytes + 1, true), true);
  assert.equal(shouldShowProgress(progressThresholdBytes + 1, false), false);
  assert.equal(shouldShowProgress(progressThresholdBytes, true), false);
  assert.equal(shouldShowProgress(undefined, true), false);
});

rmSync(folder, { recursive: true, force: true });
