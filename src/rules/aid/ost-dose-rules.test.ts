import { test } from 'node:test';
import { buildRuleContext, clientWithReview } from '../../testing/client-builder.js';
import type { Client } from '../../domain/model.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import type { RuleDefinition } from '../rule.js';
import { buprenorphineDoseWithoutItem, buprenorphineItemWithoutDose, methadoneDoseWithoutItem, methadoneItemWithoutDose } from './ost-dose-rules.js';

const onS1 = { line: 4, clientId: 'C0001', record: { entity: 'review', id: 'S1' } } as const;
const context = buildRuleContext();

interface Case {
  name: string;
  rule: RuleDefinition;
  client: Client;
  expected: ExpectedFinding[];
}

const doseRules = [methadoneDoseWithoutItem, methadoneItemWithoutDose, buprenorphineDoseWithoutItem, buprenorphineItemWithoutDose];

const validClients: { name: string; client: Client }[] = [
  { name: 'methadone item with its dose', client: clientWithReview({}) },
  { name: 'buprenorphine item with its dose', client: clientWithReview({ delivered: ['PHBUPMNT'], methadoneDose: undefined, buprenorphineDose: 12 }) },
  { name: 'depot buprenorphine without a dose', client: clientWithReview({ delivered: ['PHBUDIMNT'], methadoneDose: undefined, ostSupervision: '99' }) },
  { name: 'methadone injection without a dose', client: clientWithReview({ delivered: ['PHMETHINJ'], methadoneDose: undefined, ostSupervision: '99' }) },
  { name: 'methadone and buprenorphine with both doses', client: clientWithReview({ delivered: ['PHMETHWTH', 'PHBNXSTB'], buprenorphineDose: 8 }) },
];

for (const { name, client } of validClients) {
  for (const rule of doseRules) {
    void test(`${rule.code} passes ${name}`, () => {
      assertFindings(runCheck(rule, client, context), []);
    });
  }
}

const invalidCases: Case[] = [
  {
    name: 'A1 methadone dose with no methadone item',
    rule: methadoneDoseWithoutItem,
    client: clientWithReview({ delivered: ['RECPEER'], methadoneDose: 60 }),
    expected: [{ code: 'A1', severity: 'error', ...onS1, field: 'METHDOSE', value: '60', mentions: ['PHMETHMNT', 'S1'] }],
  },
  {
    name: 'A1 methadone dose with only methadone injection',
    rule: methadoneDoseWithoutItem,
    client: clientWithReview({ delivered: ['PHMETHINJ'], methadoneDose: 42.5 }),
    expected: [{ code: 'A1', severity: 'error', ...onS1, field: 'METHDOSE', value: '42.5' }],
  },
  {
    name: 'A2 methadone withdrawal with no dose',
    rule: methadoneItemWithoutDose,
    client: clientWithReview({ delivered: ['PHMETHWTH'], methadoneDose: undefined }),
    expected: [{ code: 'A2', severity: 'error', ...onS1, field: 'METHDOSE', value: '', mentions: ['PHMETHWTH'] }],
  },
  {
    name: 'A3 buprenorphine dose with only a depot',
    rule: buprenorphineDoseWithoutItem,
    client: clientWithReview({ delivered: ['PHMETHMNT', 'PHBUDIMNT'], buprenorphineDose: 8 }),
    expected: [{ code: 'A3', severity: 'error', ...onS1, field: 'BUPDOSE', value: '8', mentions: ['PHBUPMNT', 'PHBNXMNT'] }],
  },
  {
    name: 'A4 buprenorphine with naloxone and no dose',
    rule: buprenorphineItemWithoutDose,
    client: clientWithReview({ delivered: ['PHBNXMNT'], methadoneDose: undefined }),
    expected: [{ code: 'A4', severity: 'error', ...onS1, field: 'BUPDOSE', value: '', mentions: ['PHBNXMNT', 'mg'] }],
  },
];

for (const { name, rule, client, expected } of invalidCases) {
  void test(name, () => {
    assertFindings(runCheck(rule, client, context), expected);
  });
}
