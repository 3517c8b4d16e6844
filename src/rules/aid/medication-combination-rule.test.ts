import { test } from 'node:test';
import { buildRuleContext, clientWithReview } from '../../testing/client-builder.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import { medicationCombinationRule } from './medication-combination-rule.js';

const onS1 = { line: 4, clientId: 'C0001', record: { entity: 'review', id: 'S1' } } as const;
const context = buildRuleContext();

const cases: { name: string; delivered: string[]; expected: ExpectedFinding[] }[] = [
  { name: 'one methadone purpose', delivered: ['PHMETHMNT', 'RECPEER'], expected: [] },
  { name: 'methadone with a depot', delivered: ['PHMETHMNT', 'PHBUDIMNT'], expected: [] },
  { name: 'oral and injected methadone', delivered: ['PHMETHMNT', 'PHMETHINJ'], expected: [] },
  { name: 'two alcohol medications', delivered: ['PHCHLDWTH', 'PHVITBC'], expected: [] },
  {
    name: 'two methadone purposes',
    delivered: ['PHMETHWTH', 'PHMETHMNT'],
    expected: [{ code: 'A10', severity: 'warning', ...onS1, field: 'PHMETHMNT', value: 'Y', mentions: ['PHMETHWTH', 'two purposes'] }],
  },
  {
    name: 'two naltrexone purposes',
    delivered: ['PHNALTOPI', 'PHNALTALC'],
    expected: [{ code: 'A10', severity: 'warning', ...onS1, field: 'PHNALTALC', value: 'Y', mentions: ['PHNALTOPI'] }],
  },
  {
    name: 'oral methadone with oral buprenorphine',
    delivered: ['PHMETHMNT', 'PHBUPMNT'],
    expected: [{ code: 'A10', severity: 'warning', ...onS1, field: 'PHBUPMNT', value: 'Y', mentions: ['PHMETHMNT', 'oral methadone together with oral buprenorphine'] }],
  },
  {
    name: 'mono buprenorphine with naloxone combination',
    delivered: ['PHBUPSTB', 'PHBNXSTB'],
    expected: [{ code: 'A10', severity: 'warning', ...onS1, field: 'PHBNXSTB', value: 'Y', mentions: ['PHBUPSTB', 'buprenorphine with naloxone'] }],
  },
  {
    name: 'one finding per conflicting pair',
    delivered: ['PHMETHSTB', 'PHMETHWTH', 'PHMETHMNT'],
    expected: [
      { code: 'A10', severity: 'warning', ...onS1, field: 'PHMETHWTH', value: 'Y', mentions: ['PHMETHSTB'] },
      { code: 'A10', severity: 'warning', ...onS1, field: 'PHMETHMNT', value: 'Y', mentions: ['PHMETHSTB'] },
      { code: 'A10', severity: 'warning', ...onS1, field: 'PHMETHMNT', value: 'Y', mentions: ['PHMETHWTH'] },
    ],
  },
];

for (const { name, delivered, expected } of cases) {
  void test(`A10 ${name}`, () => {
    assertFindings(runCheck(medicationCombinationRule, clientWithReview({ delivered }), context), expected);
  });
}
