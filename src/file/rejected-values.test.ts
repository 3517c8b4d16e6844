import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cdsQDataset } from '../dataset/index.js';
import type { PlainDate } from '../domain/plain-date.js';
import { defaultThresholds } from '../rules/thresholds.js';
import { csvFile, interventionRow, reviewRow } from './testing/csv-fixture.js';
import { streamOf } from './testing/read-fixture.js';
import { validateFile } from './validate-file.js';

// A value that fails its field check is reported once, by the field check, and not again
// by a client rule as if the field were empty.

async function findingsOf(text: string): Promise<[string, string, string][]> {
  const options = { dataset: cdsQDataset, thresholds: defaultThresholds, latestAllowedDate: '2024-12-31' as PlainDate };
  const result = await validateFile(streamOf(text), options);
  return result.findings.map((finding) => [finding.code, finding.field, finding.value]);
}

void describe('rejected values', () => {
  const cases: { name: string; rows: Record<string, string>[]; expected: [string, string, string][] }[] = [
    {
      name: 'methadone dose with a unit',
      rows: [interventionRow(), reviewRow({ METHDOSE: '60ml' })],
      expected: [['A6', 'METHDOSE', '60ml']],
    },
    {
      name: 'supervision code not in the list',
      rows: [interventionRow(), reviewRow({ OSTSUP: '3' })],
      expected: [['D2', 'OSTSUP', '3']],
    },
    {
      name: 'month-first end date with exit status',
      rows: [interventionRow({ MODEND: '04/30/2024', MODEXIT: 'A' }), reviewRow()],
      expected: [['D2', 'MODEND', '04/30/2024']],
    },
    {
      name: 'empty methadone dose',
      rows: [interventionRow(), reviewRow({ METHDOSE: '' })],
      expected: [['A2', 'METHDOSE', '']],
    },
  ];

  for (const testCase of cases) {
    void it(testCase.name, async () => {
      assert.deepEqual(await findingsOf(csvFile(testCase.rows)), testCase.expected);
    });
  }
});
