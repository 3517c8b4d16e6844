import { test } from 'node:test';
import type { Client } from '../../domain/model.js';
import { buildRuleContext, clientWithReview } from '../../testing/client-builder.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import { ostSupervisionRule } from './ost-supervision-rule.js';

const onS1 = { line: 4, clientId: 'C0001', record: { entity: 'review', id: 'S1' } } as const;
const context = buildRuleContext();

const cases: { name: string; client: Client; expected: ExpectedFinding[] }[] = [
  { name: 'supervised methadone passes', client: clientWithReview({ ostSupervision: '1' }), expected: [] },
  { name: 'unsupervised buprenorphine passes', client: clientWithReview({ delivered: ['PHBUPWTH'], methadoneDose: undefined, buprenorphineDose: 8, ostSupervision: '2' }), expected: [] },
  { name: 'no OST with 99 passes', client: clientWithReview({ delivered: ['RECPEER'], methadoneDose: undefined, ostSupervision: '99' }), expected: [] },
  { name: 'depot only with 99 passes', client: clientWithReview({ delivered: ['PHBUDIWTH'], methadoneDose: undefined, ostSupervision: '99' }), expected: [] },
  {
    name: 'methadone with 99 fails',
    client: clientWithReview({ ostSupervision: '99' }),
    expected: [{ code: 'A5', severity: 'error', ...onS1, field: 'OSTSUP', value: '99', mentions: ['PHMETHMNT', '1 (Supervised)', '2 (Unsupervised)'] }],
  },
  {
    name: 'buprenorphine with empty OSTSUP fails',
    client: clientWithReview({ delivered: ['PHBNXMNT'], methadoneDose: undefined, buprenorphineDose: 16, ostSupervision: undefined }),
    expected: [{ code: 'A5', severity: 'error', ...onS1, field: 'OSTSUP', value: '', mentions: ['PHBNXMNT', 'empty'] }],
  },
  {
    name: 'no OST with supervised fails',
    client: clientWithReview({ delivered: ['RECPEER'], methadoneDose: undefined, ostSupervision: '1' }),
    expected: [{ code: 'A5', severity: 'error', ...onS1, field: 'OSTSUP', value: '1', mentions: ['99'] }],
  },
  {
    name: 'no OST with empty OSTSUP fails',
    client: clientWithReview({ delivered: ['PHBUDIMNT'], methadoneDose: undefined, ostSupervision: undefined }),
    expected: [{ code: 'A5', severity: 'error', ...onS1, field: 'OSTSUP', value: '', mentions: ['99'] }],
  },
];

for (const { name, client, expected } of cases) {
  void test(`A5 ${name}`, () => {
    assertFindings(runCheck(ostSupervisionRule, client, context), expected);
  });
}
