import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeFinding } from './make-finding.js';
import type { RuleDefinition } from './rule.js';

const warningRule: RuleDefinition = {
  code: 'X1',
  severity: 'warning',
  title: 'Test rule',
  fields: ['METHDOSE'],
  fix: 'Test fix',
  source: 'Test source',
  scope: 'field',
};

void test('makeFinding takes code and severity from the rule', () => {
  const finding = makeFinding(warningRule, {
    line: 3,
    field: 'METHDOSE',
    value: '60',
    clientId: 'C1',
    message: 'METHDOSE is 60.',
    record: { entity: 'review', id: 'S1' },
  });
  assert.deepEqual(finding, {
    code: 'X1',
    severity: 'warning',
    line: 3,
    field: 'METHDOSE',
    value: '60',
    clientId: 'C1',
    message: 'METHDOSE is 60.',
    record: { entity: 'review', id: 'S1' },
  });
});

void test('makeFinding omits missing details', () => {
  const finding = makeFinding(warningRule, { line: undefined, field: 'METHDOSE', value: '', message: 'METHDOSE is empty.' });
  assert.deepEqual(finding, { code: 'X1', severity: 'warning', field: 'METHDOSE', value: '', message: 'METHDOSE is empty.' });
  assert.equal('line' in finding, false);
});
