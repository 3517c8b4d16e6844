import { test } from 'node:test';
import type { Client, SubInterventionReview } from '../../domain/model.js';
import {
  buildClient,
  buildDischargedEpisode,
  buildPostDischargeReview,
  buildReview,
  buildRuleContext,
  clientWithReview,
  isoDate,
} from '../../testing/client-builder.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import type { RuleDefinition } from '../rule.js';
import { postStructuredOnlyRule, repeatedRelapsePreventionRule, structuredAfterDischargeRule } from './post-structured-rules.js';

const context = buildRuleContext();

/** Builds a client discharged successfully on 2024-04-01 with the given post-discharge SIRs. */
function dischargedWith(postDischarge: Partial<SubInterventionReview>[], episode: { dischargeReason?: string } = {}): Client {
  const reviews = [buildReview(), ...postDischarge.map((overrides) => buildPostDischargeReview(overrides))];
  return buildClient({ episodes: [buildDischargedEpisode({ ...episode, reviews })] });
}

function on(review: string, line: number) {
  return { line, clientId: 'C0001', record: { entity: 'review', id: review } } as const;
}

const cases: { name: string; rule: RuleDefinition; client: Client; expected: ExpectedFinding[] }[] = [
  { name: 'A11 recovery check-up after successful discharge', rule: postStructuredOnlyRule, client: dischargedWith([{}]), expected: [] },
  {
    name: 'A11 relapse-prevention answer after successful discharge',
    rule: postStructuredOnlyRule,
    client: dischargedWith([{ delivered: ['RECMNTH'], relapsePreventionPrescribing: '2' }]),
    expected: [],
  },
  {
    name: 'A11 recovery check-up during treatment',
    rule: postStructuredOnlyRule,
    client: clientWithReview({ delivered: ['PHMETHMNT', 'RECCHKP'] }),
    expected: [{ code: 'A11', severity: 'error', ...on('S1', 4), field: 'RECCHKP', value: 'Y', mentions: ['01/02/2024', 'DISD is empty'] }],
  },
  {
    name: 'A11 relapse-prevention answer during treatment',
    rule: postStructuredOnlyRule,
    client: clientWithReview({ relapsePreventionPrescribing: '4' }),
    expected: [{ code: 'A11', severity: 'error', ...on('S1', 4), field: 'RPPRESC', value: '4', mentions: ['4 (None)'] }],
  },
  {
    name: 'A11 SIR on the discharge date is not after it',
    rule: postStructuredOnlyRule,
    client: dischargedWith([{ reviewDate: isoDate('2024-04-01'), delivered: ['RECRLPP'] }]),
    expected: [{ code: 'A11', severity: 'error', ...on('S9', 9), field: 'RECRLPP', value: 'Y', mentions: ['DISD is 01/04/2024'] }],
  },
  {
    name: 'A11 after a discharge that was not a completion',
    rule: postStructuredOnlyRule,
    client: dischargedWith([{ delivered: ['RECCHKP'], relapsePreventionPrescribing: '1' }], { dischargeReason: '85' }),
    expected: [
      { code: 'A11', severity: 'error', ...on('S9', 9), field: 'RECCHKP', value: 'Y', mentions: ['DISRSN 85', '80, 81 or 82'] },
      { code: 'A11', severity: 'error', ...on('S9', 9), field: 'RPPRESC', value: '1', mentions: ['DISRSN 85'] },
    ],
  },
  {
    name: 'A11 skips an undated SIR',
    rule: postStructuredOnlyRule,
    client: clientWithReview({ reviewDate: undefined, delivered: ['RECCHKP'] }),
    expected: [],
  },
  { name: 'A12 recovery support after discharge', rule: structuredAfterDischargeRule, client: dischargedWith([{ delivered: ['RECPEER', 'RECCHKP'] }]), expected: [] },
  {
    name: 'A12 methadone after discharge',
    rule: structuredAfterDischargeRule,
    client: dischargedWith([{ delivered: ['PHMETHMNT'] }]),
    expected: [{ code: 'A12', severity: 'error', ...on('S9', 9), field: 'PHMETHMNT', value: 'Y', mentions: ['01/05/2024', '01/04/2024'] }],
  },
  {
    name: 'A12 one finding per structured item',
    rule: structuredAfterDischargeRule,
    client: dischargedWith([{ delivered: ['PSYMOTI', 'PHACAMPRP', 'RECCHKP'] }]),
    expected: [
      { code: 'A12', severity: 'error', ...on('S9', 9), field: 'PSYMOTI', value: 'Y' },
      { code: 'A12', severity: 'error', ...on('S9', 9), field: 'PHACAMPRP', value: 'Y' },
    ],
  },
  { name: 'A13 one final script', rule: repeatedRelapsePreventionRule, client: dischargedWith([{ relapsePreventionPrescribing: '2' }]), expected: [] },
  {
    name: 'A13 answer of none does not count',
    rule: repeatedRelapsePreventionRule,
    client: dischargedWith([
      { relapsePreventionPrescribing: '2' },
      { reviewId: 'S10', reviewDate: isoDate('2024-06-01'), relapsePreventionPrescribing: '4', line: 10 },
    ]),
    expected: [],
  },
  {
    name: 'A13 second and later scripts',
    rule: repeatedRelapsePreventionRule,
    client: dischargedWith([
      { relapsePreventionPrescribing: '1' },
      { reviewId: 'S10', reviewDate: isoDate('2024-06-01'), relapsePreventionPrescribing: '2', line: 10 },
      { reviewId: 'S11', reviewDate: isoDate('2024-07-01'), relapsePreventionPrescribing: '3', line: 11 },
    ]),
    expected: [
      { code: 'A13', severity: 'warning', ...on('S10', 10), field: 'RPPRESC', value: '2', mentions: ['S9', '01/05/2024'] },
      { code: 'A13', severity: 'warning', ...on('S11', 11), field: 'RPPRESC', value: '3', mentions: ['S9'] },
    ],
  },
  {
    name: 'A13 orders SIRs by date',
    rule: repeatedRelapsePreventionRule,
    client: dischargedWith([
      { relapsePreventionPrescribing: '1' },
      { reviewId: 'S8', reviewDate: isoDate('2024-04-15'), relapsePreventionPrescribing: '2', line: 8 },
    ]),
    expected: [{ code: 'A13', severity: 'warning', ...on('S9', 9), field: 'RPPRESC', value: '1', mentions: ['S8', '15/04/2024'] }],
  },
];

for (const { name, rule, client, expected } of cases) {
  void test(name, () => {
    assertFindings(runCheck(rule, client, context), expected);
  });
}
