import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../rules/finding.js';
import { findingLine, validationJson, validationText } from './validation-report.js';
import { alignedTable } from './table.js';

const doseFinding: Finding = {
  code: 'A2',
  severity: 'error',
  line: 14,
  field: 'METHDOSE',
  value: '',
  clientId: '0042',
  message: 'PHMETHMNT is marked Y but METHDOSE is empty. Record the daily dose.',
};

const headerFinding: Finding = {
  code: 'D11',
  severity: 'error',
  field: 'SEX',
  value: 'Sex "M"',
  message: 'The header lacks SEX.\nAdd it.',
};

await test('finding line has every part', () => {
  assert.equal(findingLine(doseFinding), 'line 14  A2 error  METHDOSE ""  client 0042: PHMETHMNT is marked Y but METHDOSE is empty. Record the daily dose.');
});

await test('finding line without line or client', () => {
  assert.equal(findingLine(headerFinding), 'file  D11 error  SEX "Sex \\"M\\"": The header lacks SEX. Add it.');
});

await test('validation text ends with a summary', () => {
  const text = validationText('DEMO1_202403_CDSQ.csv', { rows: 20, errors: 2, warnings: 0, findings: [doseFinding, headerFinding] });
  assert.deepEqual(text.split('\n'), [findingLine(doseFinding), findingLine(headerFinding), 'DEMO1_202403_CDSQ.csv: 20 rows, 2 errors, 0 warnings', '']);
});

await test('validation json fills missing keys with null', () => {
  const report = validationJson('stdin', { rows: 1, errors: 1, warnings: 0, findings: [headerFinding] });
  assert.deepEqual(report, {
    file: 'stdin',
    rows: 1,
    errors: 1,
    warnings: 0,
    findings: [{ code: 'D11', severity: 'error', line: null, field: 'SEX', value: 'Sex "M"', clientId: null, message: 'The header lacks SEX.\nAdd it.' }],
  });
});

await test('aligned table pads all but the last column', () => {
  assert.deepEqual(
    alignedTable([
      ['CODE', 'OST', 'NAME'],
      ['PHMETHMNT', '*', 'Methadone'],
      ['RECPEER', '', 'Peer support'],
    ]),
    ['CODE       OST  NAME', 'PHMETHMNT  *    Methadone', 'RECPEER         Peer support'],
  );
});
