import { test } from 'node:test';
import type { Client, Intervention, SubInterventionReview } from '../../domain/model.js';
import {
  buildClient,
  buildDischargedEpisode,
  buildPharmacologicalIntervention,
  buildPostDischargeReview,
  buildPsychosocialIntervention,
  buildRecoveryIntervention,
  buildReview,
  buildRuleContext,
  clientWithEpisode,
  isoDate,
} from '../../testing/client-builder.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import type { RuleDefinition } from '../rule.js';
import { recoveryWithoutInterventionRule, structuredWithoutInterventionRule } from './open-intervention-rules.js';

const onS1 = { line: 4, clientId: 'C0001', record: { entity: 'review', id: 'S1' } } as const;
const context = buildRuleContext();

function clientWith(interventions: Intervention[], review: Partial<SubInterventionReview>): Client {
  return clientWithEpisode({ interventions, reviews: [buildReview(review)] });
}

const pharmacological = buildPharmacologicalIntervention();
const recovery = buildRecoveryIntervention();
const endedPharmacological = buildPharmacologicalIntervention({ endDate: isoDate('2024-01-31'), exitStatus: 'A' });

const cases: { name: string; rule: RuleDefinition; client: Client; expected: ExpectedFinding[] }[] = [
  { name: 'A14 methadone with an open pharmacological intervention', rule: structuredWithoutInterventionRule, client: clientWith([pharmacological, recovery], {}), expected: [] },
  {
    name: 'A14 SIR on the start date',
    rule: structuredWithoutInterventionRule,
    client: clientWith([pharmacological, recovery], { reviewDate: isoDate('2024-01-22') }),
    expected: [],
  },
  {
    name: 'A14 SIR on the end date',
    rule: structuredWithoutInterventionRule,
    client: clientWith([endedPharmacological, recovery], { reviewDate: isoDate('2024-01-31') }),
    expected: [],
  },
  {
    name: 'A14 psychosocial item with its intervention',
    rule: structuredWithoutInterventionRule,
    client: clientWith([pharmacological, buildPsychosocialIntervention(), recovery], { delivered: ['PHMETHMNT', 'PSYMOTI'] }),
    expected: [],
  },
  {
    name: 'A14 psychosocial item without its intervention',
    rule: structuredWithoutInterventionRule,
    client: clientWith([pharmacological, recovery], { delivered: ['PHMETHMNT', 'PSYMOTI'] }),
    expected: [{ code: 'A14', severity: 'error', ...onS1, field: 'PSYMOTI', value: 'Y', mentions: ['MODAL 95 (Psychosocial)', '01/02/2024'] }],
  },
  {
    name: 'A14 SIR before the intervention starts',
    rule: structuredWithoutInterventionRule,
    client: clientWith([pharmacological, recovery], { reviewDate: isoDate('2024-01-21') }),
    expected: [{ code: 'A14', severity: 'error', ...onS1, field: 'PHMETHMNT', value: 'Y', mentions: ['MODAL 94 (Pharmacological)'] }],
  },
  {
    name: 'A14 SIR after the intervention ends',
    rule: structuredWithoutInterventionRule,
    client: clientWith([endedPharmacological, recovery], {}),
    expected: [{ code: 'A14', severity: 'error', ...onS1, field: 'PHMETHMNT', value: 'Y' }],
  },
  {
    name: 'A14 intervention still waiting to start',
    rule: structuredWithoutInterventionRule,
    client: clientWith([buildPharmacologicalIntervention({ startDate: undefined }), recovery], {}),
    expected: [{ code: 'A14', severity: 'error', ...onS1, field: 'PHMETHMNT', value: 'Y' }],
  },
  {
    name: 'A14 one finding per item',
    rule: structuredWithoutInterventionRule,
    client: clientWith([recovery], { delivered: ['PSYCNMG', 'PHMETHMNT', 'RECPEER'] }),
    expected: [
      { code: 'A14', severity: 'error', ...onS1, field: 'PSYCNMG', value: 'Y' },
      { code: 'A14', severity: 'error', ...onS1, field: 'PHMETHMNT', value: 'Y' },
    ],
  },
  {
    name: 'A14 leaves post-discharge SIRs to A12',
    rule: structuredWithoutInterventionRule,
    client: buildClient({ episodes: [buildDischargedEpisode({ reviews: [buildReview(), buildPostDischargeReview({ delivered: ['PHMETHMNT'] })] })] }),
    expected: [],
  },
  { name: 'A15 peer support with an open recovery intervention', rule: recoveryWithoutInterventionRule, client: clientWith([pharmacological, recovery], {}), expected: [] },
  {
    name: 'A15 peer support without a recovery intervention',
    rule: recoveryWithoutInterventionRule,
    client: clientWith([pharmacological], {}),
    expected: [{ code: 'A15', severity: 'warning', ...onS1, field: 'RECPEER', value: 'Y', mentions: ['MODAL 96 (Recovery support)'] }],
  },
  {
    name: 'A15 recovery intervention ended before the SIR',
    rule: recoveryWithoutInterventionRule,
    client: clientWith([pharmacological, buildRecoveryIntervention({ endDate: isoDate('2024-01-25'), exitStatus: 'A' })], { delivered: ['PHMETHMNT', 'RECHSE'] }),
    expected: [{ code: 'A15', severity: 'warning', ...onS1, field: 'RECHSE', value: 'Y' }],
  },
  {
    name: 'A15 skips an undated SIR',
    rule: recoveryWithoutInterventionRule,
    client: clientWith([pharmacological], { reviewDate: undefined }),
    expected: [],
  },
];

for (const { name, rule, client, expected } of cases) {
  void test(name, () => {
    assertFindings(runCheck(rule, client, context), expected);
  });
}
