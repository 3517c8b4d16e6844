import { test } from 'node:test';
import type { Client } from '../../domain/model.js';
import {
  buildClient,
  buildDischargedEpisode,
  buildEpisode,
  buildPharmacologicalIntervention,
  buildRecoveryIntervention,
  buildReview,
  buildRuleContext,
  clientWithEpisode,
  clientWithReview,
  isoDate,
} from '../../testing/client-builder.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import { dateOrderRule, futureDateRule } from './date-order-rules.js';

const context = buildRuleContext();
const onClient = { line: 2, clientId: 'C0001', record: { entity: 'client', id: 'C0001' } } as const;
const onEpisode = { line: 2, clientId: 'C0001', record: { entity: 'episode', id: 'E1' } } as const;
const onM1 = { line: 2, clientId: 'C0001', record: { entity: 'intervention', id: 'M1' } } as const;
const onS1 = { line: 4, clientId: 'C0001', record: { entity: 'review', id: 'S1' } } as const;

function withPharmacological(overrides: Parameters<typeof buildPharmacologicalIntervention>[0]): Client {
  return clientWithEpisode({ interventions: [buildPharmacologicalIntervention(overrides), buildRecoveryIntervention()] });
}

const orderCases: { name: string; client: Client; expected: ExpectedFinding[] }[] = [
  { name: 'valid client', client: buildClient(), expected: [] },
  { name: 'triage on the referral date', client: clientWithEpisode({ triageDate: isoDate('2024-01-10') }), expected: [] },
  { name: 'intervention ending the day it starts', client: withPharmacological({ endDate: isoDate('2024-01-22'), exitStatus: 'A' }), expected: [] },
  { name: 'missing dates are skipped', client: clientWithEpisode({ referralDate: undefined, triageDate: undefined }), expected: [] },
  {
    name: 'birth on the referral date',
    client: buildClient({ dateOfBirth: isoDate('2024-01-10') }),
    expected: [{ code: 'D3', severity: 'error', ...onClient, field: 'DOB', value: '10/01/2024', mentions: ['REFLD', '10/01/2024', 'E1'] }],
  },
  {
    name: 'triage before referral',
    client: clientWithEpisode({ triageDate: isoDate('2024-01-09') }),
    expected: [{ code: 'D3', severity: 'error', ...onEpisode, field: 'TRIAGED', value: '09/01/2024', mentions: ['REFLD', '10/01/2024'] }],
  },
  {
    name: 'first appointment before intervention referral',
    client: withPharmacological({ firstAppointmentOfferedDate: isoDate('2024-01-14') }),
    expected: [{ code: 'D3', severity: 'error', ...onM1, field: 'FAOMODDT', value: '14/01/2024', mentions: ['REFMODDT', '15/01/2024'] }],
  },
  {
    name: 'start before intervention referral',
    client: withPharmacological({ firstAppointmentOfferedDate: undefined, startDate: isoDate('2024-01-14') }),
    expected: [{ code: 'D3', severity: 'error', ...onM1, field: 'MODST', value: '14/01/2024', mentions: ['REFMODDT'] }],
  },
  {
    name: 'end before start',
    client: withPharmacological({ endDate: isoDate('2024-01-21'), exitStatus: 'A' }),
    expected: [{ code: 'D3', severity: 'error', ...onM1, field: 'MODEND', value: '21/01/2024', mentions: ['MODST', '22/01/2024'] }],
  },
  {
    name: 'intervention ending after discharge',
    client: buildClient({
      episodes: [buildDischargedEpisode({ interventions: [buildPharmacologicalIntervention({ endDate: isoDate('2024-04-02'), exitStatus: 'A' })] })],
    }),
    expected: [{ code: 'D3', severity: 'error', ...onM1, field: 'MODEND', value: '02/04/2024', mentions: ['DISD', '01/04/2024'] }],
  },
  {
    name: 'SIR before triage',
    client: clientWithReview({ reviewDate: isoDate('2024-01-14') }),
    expected: [{ code: 'D3', severity: 'error', ...onS1, field: 'SUBMODDT', value: '14/01/2024', mentions: ['TRIAGED', '15/01/2024'] }],
  },
];

for (const { name, client, expected } of orderCases) {
  void test(`D3 ${name}`, () => {
    assertFindings(runCheck(dateOrderRule, client, context), expected);
  });
}

const futureCases: { name: string; client: Client; expected: ExpectedFinding[] }[] = [
  { name: 'valid client', client: buildClient(), expected: [] },
  { name: 'date on the last allowed day', client: clientWithReview({ reviewDate: isoDate('2024-12-31') }), expected: [] },
  {
    name: 'SIR after the last allowed day',
    client: clientWithReview({ reviewDate: isoDate('2025-01-01') }),
    expected: [{ code: 'D4', severity: 'error', ...onS1, field: 'SUBMODDT', value: '01/01/2025', mentions: ['31/12/2024'] }],
  },
  {
    name: 'discharge after the last allowed day',
    client: buildClient({ episodes: [buildDischargedEpisode({ dischargeDate: isoDate('2025-01-05') })] }),
    expected: [{ code: 'D4', severity: 'error', ...onEpisode, field: 'DISD', value: '05/01/2025', mentions: ['episode E1', '31/12/2024'] }],
  },
  {
    name: 'one finding per future field',
    client: buildClient({
      dateOfBirth: isoDate('2025-02-01'),
      episodes: [buildEpisode({ interventions: [buildPharmacologicalIntervention({ startDate: isoDate('2025-03-01'), endDate: isoDate('2025-04-01') })] })],
    }),
    expected: [
      { code: 'D4', severity: 'error', ...onClient, field: 'DOB', value: '01/02/2025' },
      { code: 'D4', severity: 'error', ...onM1, field: 'MODST', value: '01/03/2025' },
      { code: 'D4', severity: 'error', ...onM1, field: 'MODEND', value: '01/04/2025' },
    ],
  },
];

for (const { name, client, expected } of futureCases) {
  void test(`D4 ${name}`, () => {
    assertFindings(runCheck(futureDateRule, client, context), expected);
  });
}

void test('D4 follows the latest allowed date', () => {
  const client = clientWithReview({ reviewDate: isoDate('2024-02-01') });
  const endOfJanuary = buildRuleContext({}, isoDate('2024-01-31'));
  assertFindings(runCheck(futureDateRule, client, endOfJanuary), [{ code: 'D4', severity: 'error', ...onS1, field: 'SUBMODDT', value: '01/02/2024', mentions: ['31/01/2024'] }]);
});

void test('D3 checks every episode', () => {
  const second = buildEpisode({ episodeId: 'E2', referralDate: isoDate('2024-06-10'), triageDate: isoDate('2024-06-01'), interventions: [], reviews: [buildReview({ reviewId: 'S2', reviewDate: isoDate('2024-06-20') })], line: 5 });
  const client = buildClient({ episodes: [buildEpisode(), second] });
  assertFindings(runCheck(dateOrderRule, client, context), [
    { code: 'D3', severity: 'error', line: 5, clientId: 'C0001', record: { entity: 'episode', id: 'E2' }, field: 'TRIAGED', value: '01/06/2024', mentions: ['E2'] },
  ]);
});
