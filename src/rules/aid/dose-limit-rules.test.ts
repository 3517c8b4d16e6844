import { test } from 'node:test';
import { buildRuleContext, clientWithReview } from '../../testing/client-builder.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import { highDoseRule, implausibleDoseRule } from './dose-limit-rules.js';

const onS1 = { line: 4, clientId: 'C0001', record: { entity: 'review', id: 'S1' } } as const;
const context = buildRuleContext();

function methadone(dose: number) {
  return clientWithReview({ methadoneDose: dose });
}

function buprenorphine(dose: number) {
  return clientWithReview({ delivered: ['PHBUPMNT'], methadoneDose: undefined, buprenorphineDose: dose });
}

// Each case gives the findings of A7 and of A8, so the boundary between them is checked both ways.
const cases: { name: string; client: ReturnType<typeof methadone>; a7: ExpectedFinding[]; a8: ExpectedFinding[] }[] = [
  { name: 'methadone 150 ml', client: methadone(150), a7: [], a8: [] },
  {
    name: 'methadone 150.1 ml',
    client: methadone(150.1),
    a7: [{ code: 'A7', severity: 'warning', ...onS1, field: 'METHDOSE', value: '150.1', mentions: ['150 ml'] }],
    a8: [],
  },
  {
    name: 'methadone 500 ml',
    client: methadone(500),
    a7: [{ code: 'A7', severity: 'warning', ...onS1, field: 'METHDOSE', value: '500' }],
    a8: [],
  },
  {
    name: 'methadone 500.1 ml',
    client: methadone(500.1),
    a7: [],
    a8: [{ code: 'A8', severity: 'error', ...onS1, field: 'METHDOSE', value: '500.1', mentions: ['500 ml', 'concentrate'] }],
  },
  { name: 'buprenorphine 24 mg', client: buprenorphine(24), a7: [], a8: [] },
  {
    name: 'buprenorphine 24.1 mg',
    client: buprenorphine(24.1),
    a7: [{ code: 'A7', severity: 'warning', ...onS1, field: 'BUPDOSE', value: '24.1', mentions: ['24 mg'] }],
    a8: [],
  },
  {
    name: 'buprenorphine 64 mg',
    client: buprenorphine(64),
    a7: [{ code: 'A7', severity: 'warning', ...onS1, field: 'BUPDOSE', value: '64' }],
    a8: [],
  },
  {
    name: 'buprenorphine 64.1 mg',
    client: buprenorphine(64.1),
    a7: [],
    a8: [{ code: 'A8', severity: 'error', ...onS1, field: 'BUPDOSE', value: '64.1', mentions: ['64 mg'] }],
  },
];

for (const { name, client, a7, a8 } of cases) {
  void test(`A7 on ${name}`, () => {
    assertFindings(runCheck(highDoseRule, client, context), a7);
  });
  void test(`A8 on ${name}`, () => {
    assertFindings(runCheck(implausibleDoseRule, client, context), a8);
  });
}

void test('A7 follows a changed warning threshold', () => {
  const lowered = buildRuleContext({ methadoneDoseWarningMl: 100 });
  assertFindings(runCheck(highDoseRule, methadone(120), lowered), [
    { code: 'A7', severity: 'warning', ...onS1, field: 'METHDOSE', value: '120', mentions: ['100 ml'] },
  ]);
});
