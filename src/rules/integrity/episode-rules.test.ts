import { test } from 'node:test';
import type { Client } from '../../domain/model.js';
import {
  buildClient,
  buildDischargedEpisode,
  buildEpisode,
  buildPharmacologicalIntervention,
  buildRecoveryIntervention,
  buildRuleContext,
  isoDate,
} from '../../testing/client-builder.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import { openInterventionAfterDischargeRule, overlappingEpisodesRule } from './episode-rules.js';

const context = buildRuleContext();

const openCases: { name: string; client: Client; expected: ExpectedFinding[] }[] = [
  { name: 'open episode with open interventions', client: buildClient(), expected: [] },
  { name: 'discharged episode with ended interventions', client: buildClient({ episodes: [buildDischargedEpisode()] }), expected: [] },
  {
    name: 'discharged episode with an open intervention',
    client: buildClient({
      episodes: [buildDischargedEpisode({ interventions: [buildPharmacologicalIntervention(), buildRecoveryIntervention({ endDate: isoDate('2024-04-01'), exitStatus: 'A' })] })],
    }),
    expected: [
      { code: 'D6', severity: 'error', line: 2, clientId: 'C0001', record: { entity: 'intervention', id: 'M1' }, field: 'MODEND', value: '', mentions: ['M1', 'E1', 'DISD 01/04/2024'] },
    ],
  },
];

for (const { name, client, expected } of openCases) {
  void test(`D6 ${name}`, () => {
    assertFindings(runCheck(openInterventionAfterDischargeRule, client, context), expected);
  });
}

/** Builds a second episode referred on `referral`, on row 6. */
function secondEpisode(referral: string, discharge?: string) {
  return buildEpisode({
    episodeId: 'E2',
    referralDate: isoDate(referral),
    triageDate: isoDate(referral),
    dischargeDate: discharge === undefined ? undefined : isoDate(discharge),
    dischargeReason: discharge === undefined ? undefined : '80',
    interventions: [],
    reviews: [],
    line: 6,
  });
}

const onE2 = { line: 6, clientId: 'C0001', record: { entity: 'episode', id: 'E2' } } as const;
const discharged = buildDischargedEpisode();

const overlapCases: { name: string; client: Client; expected: ExpectedFinding[] }[] = [
  { name: 'one episode', client: buildClient(), expected: [] },
  { name: 'next episode after discharge', client: buildClient({ episodes: [discharged, secondEpisode('2024-06-01')] }), expected: [] },
  { name: 'handover on the discharge day', client: buildClient({ episodes: [discharged, secondEpisode('2024-04-01')] }), expected: [] },
  { name: 'episode without a referral date', client: buildClient({ episodes: [buildEpisode(), buildEpisode({ episodeId: 'E2', referralDate: undefined })] }), expected: [] },
  {
    name: 'next episode before discharge',
    client: buildClient({ episodes: [discharged, secondEpisode('2024-03-31')] }),
    expected: [{ code: 'D13', severity: 'error', ...onE2, field: 'REFLD', value: '31/03/2024', mentions: ['E1', 'DISD 01/04/2024'] }],
  },
  {
    name: 'next episode while the first is open',
    client: buildClient({ episodes: [buildEpisode(), secondEpisode('2024-09-01', '2024-10-01')] }),
    expected: [{ code: 'D13', severity: 'error', ...onE2, field: 'REFLD', value: '01/09/2024', mentions: ['E1', 'no DISD'] }],
  },
  {
    name: 'episodes listed out of date order',
    client: buildClient({ episodes: [secondEpisode('2024-03-31'), discharged] }),
    expected: [{ code: 'D13', severity: 'error', ...onE2, field: 'REFLD', value: '31/03/2024' }],
  },
];

for (const { name, client, expected } of overlapCases) {
  void test(`D13 ${name}`, () => {
    assertFindings(runCheck(overlappingEpisodesRule, client, context), expected);
  });
}
