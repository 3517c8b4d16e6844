import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cdsQDataset } from '../dataset/index.js';
import type { PlainDate } from '../domain/plain-date.js';
import { defaultThresholds } from '../rules/thresholds.js';
import { csvFile, interventionRow, reviewRow } from './testing/csv-fixture.js';
import type { FixtureRow } from './testing/csv-fixture.js';
import { assertFinding, streamOf } from './testing/read-fixture.js';
import { UnreadableFileError } from './unreadable-file-error.js';
import { validateFile } from './validate-file.js';
import type { FileValidation } from './validate-file.js';

const endOfPeriod = '2024-12-31' as PlainDate;

function validate(content: string | Buffer, onProgress?: (bytesRead: number) => void, chunkSize?: number): Promise<FileValidation> {
  const options = { dataset: cdsQDataset, thresholds: defaultThresholds, latestAllowedDate: endOfPeriod };
  return validateFile(streamOf(content, chunkSize), onProgress ? { ...options, onProgress } : options);
}

void describe('validateFile', () => {
  void it('passes a clean file', async () => {
    const result = await validate(csvFile([interventionRow(), reviewRow(), interventionRow({ CLIENTID: '008', EPISODID: 'E2', MODID: 'M2' })]));

    assert.deepEqual(result, { rows: 3, clients: 2, errors: 0, warnings: 0, findings: [] });
  });

  void it('runs client rules and sorts by line', async () => {
    const text = csvFile([interventionRow(), reviewRow({ METHDOSE: '200' }), reviewRow({ SUBMID: 'S2', SUBMODDT: '06/04/2024', SEX: 'X' })]);
    const result = await validate(text);

    assert.deepEqual(
      result.findings.map((finding) => [finding.line, finding.code, finding.severity]),
      [
        [3, 'A7', 'warning'],
        [4, 'D2', 'error'],
        [4, 'D7', 'error'],
      ],
    );
    assert.equal(result.errors, 2);
    assert.equal(result.warnings, 1);
    assertFinding(result.findings[0], { code: 'A7', severity: 'warning', line: 3, field: 'METHDOSE', value: '200' }, /METHDOSE/);
  });

  void it('reports fields filled without consent', async () => {
    const result = await validate(csvFile([{ AGNCY: 'AB123', CLIENTID: '0099', CONSENT: 'N', FINITIAL: 'J' }]));

    assert.equal(result.findings.length, 1);
    assertFinding(result.findings[0], { code: 'D8', severity: 'error', line: 2, field: 'FINITIAL', value: 'J' }, /CONSENT is N/);
  });

  void it('counts a returning client once', async () => {
    const result = await validate(csvFile([interventionRow(), interventionRow({ CLIENTID: '008', EPISODID: 'E2', MODID: 'M2' }), reviewRow()]));

    assert.equal(result.clients, 2);
    assert.equal(result.rows, 3);
    assert.ok(
      result.findings.some((finding) => finding.code === 'D12' && finding.line === 4),
      'D12 on the returning row',
    );
  });

  void it('stops at a bad header', async () => {
    const result = await validate(csvFile([{ CLIENTID: '007', DOB: 'not checked' }], { header: cdsQDataset.header.slice(1) }));

    assert.equal(result.rows, 0);
    assert.equal(result.clients, 0);
    assert.equal(result.errors, 1);
    assert.deepEqual(
      result.findings.map((finding) => [finding.code, finding.line, finding.field]),
      [['D11', 1, 'AGNCY']],
    );
  });

  void it('reports progress up to the file size', async () => {
    const text = csvFile(Array.from({ length: 50 }, (_, index) => interventionRow({ MODID: `M${index}` })));
    const progress: number[] = [];
    await validate(text, (bytesRead) => progress.push(bytesRead), 1000);

    assert.ok(progress.length > 1, 'several progress calls');
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
    );
    assert.equal(progress.at(-1), Buffer.byteLength(text));
  });
});

/** Values a CDS-Q system might plausibly put in a column: valid codes and dates, typing errors, CSV specials. */
function plausibleValue(name: string): fc.Arbitrary<string> {
  const field = cdsQDataset.fieldNamed(name);
  const awkward = fc.constantFrom('', ' ', 'N', 'Y', '0', '-1', '12.55', '31/02/2024', '2024-13-01', 'a,b', 'say "hi"', 'two\nlines', '£', '=1+1');
  const format = field?.format;
  if (!format) return awkward;

  switch (format.kind) {
    case 'code':
      return fc.oneof(fc.constantFrom(...cdsQDataset.codeList(format.codeList).codes.map((code) => code.code)), awkward);
    case 'date':
      return fc.oneof(fc.date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)), awkward);
    case 'dose':
      return fc.oneof(fc.integer({ min: 1, max: 9999 }).map((tenths) => String(tenths / 10)), awkward);
    case 'delivered':
      return fc.constantFrom('', '', 'Y', 'N', 'y');
    case 'identifier':
      return fc.oneof(fc.constantFrom('007', '008', 'E1', 'E2', 'M1', 'S1', 'S2'), fc.stringMatching(/^[A-Za-z0-9-]{1,22}$/), awkward);
    case 'agency':
      return fc.oneof(fc.constant('AB123'), awkward);
    case 'initial':
      return fc.oneof(fc.constantFrom('J', 'S'), awkward);
  }
}

const plausibleRow: fc.Arbitrary<FixtureRow> = fc.record(Object.fromEntries(cdsQDataset.header.map((name) => [name, plausibleValue(name)])));

void describe('validateFile properties', () => {
  void it('raises only UnreadableFileError on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 300 }), async (bytes, chunkSize) => {
        try {
          const result = await validate(Buffer.from(bytes), undefined, chunkSize);
          assert.ok(Array.isArray(result.findings));
        } catch (error) {
          assert.ok(error instanceof UnreadableFileError, `unexpected ${String(error)}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  void it('raises only UnreadableFileError on random text', async () => {
    const header = csvFile([]);
    const text = fc.string({ unit: fc.constantFrom(',', '"', '\n', '\r', 'Y', 'N', '0', '1', '/', '-', 'A', ' ', '\ufeff', 'é'), maxLength: 400 });
    await fc.assert(
      fc.asyncProperty(text, async (body) => {
        try {
          const result = await validate(header + body);
          assert.ok(Array.isArray(result.findings));
        } catch (error) {
          assert.ok(error instanceof UnreadableFileError, `unexpected ${String(error)}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  void it('checks random plausible rows without raising', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(plausibleRow, { minLength: 1, maxLength: 12 }), fc.boolean(), async (rows, crlf) => {
        const result = await validate(csvFile(rows, { lineEnding: crlf ? '\r\n' : '\n' }));

        assert.ok(Array.isArray(result.findings));
        assert.equal(result.rows, rows.length);
        assert.equal(result.errors + result.warnings, result.findings.length);
        for (const finding of result.findings) assert.ok(finding.message.length > 0, `${finding.code} has a message`);
      }),
      { numRuns: 150 },
    );
  });
});
