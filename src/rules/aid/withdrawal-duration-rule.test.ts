import { test } from 'node:test';
import type { Client } from '../../domain/model.js';
import { addDays } from '../../domain/plain-date.js';
import { buildPharmacologicalIntervention, buildRecoveryIntervention, buildReview, buildRuleContext, clientWithEpisode, isoDate } from '../../testing/client-builder.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import { withdrawalDurationRule } from './withdrawal-duration-rule.js';

const context = buildRuleContext();
const runStart = isoDate('2024-02-01');

/** Builds a methadone withdrawal SIR `days` after the start of the run, on row 10 + `index`. */
function withdrawalReview(index: number, days: number, delivered = ['PHMETHWTH']) {
  return buildReview({ reviewId: `S${index}`, reviewDate: addDays(runStart, days), delivered, line: 10 + index });
}

function clientWith(setting: string, ...reviews: ReturnType<typeof buildReview>[]): Client {
  return clientWithEpisode({
    interventions: [buildPharmacologicalIntervention({ setting }), buildRecoveryIntervention()],
    reviews,
  });
}

function warningOn(index: number, mentions: string[]): ExpectedFinding {
  return {
    code: 'A9',
    severity: 'warning',
    line: 10 + index,
    clientId: 'C0001',
    record: { entity: 'review', id: `S${index}` },
    field: 'PHMETHWTH',
    value: 'Y',
    mentions,
  };
}

const community = '1';
const inpatient = '2';

const cases: { name: string; client: Client; expected: ExpectedFinding[] }[] = [
  { name: 'community run of exactly 84 days', client: clientWith(community, withdrawalReview(1, 0), withdrawalReview(2, 42), withdrawalReview(3, 84)), expected: [] },
  {
    name: 'community run of 85 days',
    client: clientWith(community, withdrawalReview(1, 0), withdrawalReview(2, 42), withdrawalReview(3, 85)),
    expected: [warningOn(3, ['85 days', '84 days', 'in the community', 'S1'])],
  },
  {
    name: 'warning once, where the limit is first exceeded',
    client: clientWith(community, withdrawalReview(1, 0), withdrawalReview(2, 90), withdrawalReview(3, 120)),
    expected: [warningOn(2, ['90 days'])],
  },
  { name: 'inpatient run of exactly 28 days', client: clientWith(inpatient, withdrawalReview(1, 0), withdrawalReview(2, 28)), expected: [] },
  {
    name: 'inpatient run of 29 days',
    client: clientWith(inpatient, withdrawalReview(1, 0), withdrawalReview(2, 29)),
    expected: [warningOn(2, ['29 days', '28 days', 'inpatient'])],
  },
  {
    name: 'a SIR without the item breaks the run',
    client: clientWith(community, withdrawalReview(1, 0), withdrawalReview(2, 50, ['PHMETHMNT']), withdrawalReview(3, 100)),
    expected: [],
  },
  {
    name: 'SIRs out of order are walked by date',
    client: clientWith(community, withdrawalReview(3, 85), withdrawalReview(1, 0), withdrawalReview(2, 40)),
    expected: [warningOn(3, ['85 days'])],
  },
  {
    name: 'undated SIRs are skipped',
    client: clientWith(community, withdrawalReview(1, 0), buildReview({ reviewId: 'S2', reviewDate: undefined, delivered: ['PHMETHWTH'] })),
    expected: [],
  },
];

for (const { name, client, expected } of cases) {
  void test(`A9 ${name}`, () => {
    assertFindings(runCheck(withdrawalDurationRule, client, context), expected);
  });
}

void test('A9 community limit follows a changed threshold', () => {
  const client = clientWith(community, withdrawalReview(1, 0), withdrawalReview(2, 57));
  assertFindings(runCheck(withdrawalDurationRule, client, buildRuleContext({ withdrawalCommunityDays: 56 })), [warningOn(2, ['57 days', '56 days'])]);
});
