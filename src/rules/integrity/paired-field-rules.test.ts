import { test } from 'node:test';
import type { Client } from '../../domain/model.js';
import {
  buildClient,
  buildDischargedEpisode,
  buildPharmacologicalIntervention,
  buildRecoveryIntervention,
  buildRuleContext,
  clientWithEpisode,
  isoDate,
} from '../../testing/client-builder.js';
import { assertFindings, runCheck, type ExpectedFinding } from '../expect-findings.js';
import { pairedFieldRule } from './paired-field-rules.js';

const context = buildRuleContext();
const onEpisode = { line: 2, clientId: 'C0001', record: { entity: 'episode', id: 'E1' } } as const;
const onM1 = { line: 2, clientId: 'C0001', record: { entity: 'intervention', id: 'M1' } } as const;

function withPharmacological(overrides: Parameters<typeof buildPharmacologicalIntervention>[0]): Client {
  return clientWithEpisode({ interventions: [buildPharmacologicalIntervention(overrides), buildRecoveryIntervention()] });
}

const cases: { name: string; client: Client; expected: ExpectedFinding[] }[] = [
  { name: 'open episode and interventions', client: buildClient(), expected: [] },
  { name: 'discharged episode with ended interventions', client: buildClient({ episodes: [buildDischargedEpisode()] }), expected: [] },
  {
    name: 'end date without exit status',
    client: withPharmacological({ endDate: isoDate('2024-03-01') }),
    expected: [{ code: 'D5', severity: 'error', ...onM1, field: 'MODEXIT', value: '', mentions: ['MODEND', '01/03/2024'] }],
  },
  {
    name: 'exit status without end date',
    client: withPharmacological({ exitStatus: 'B' }),
    expected: [{ code: 'D5', severity: 'error', ...onM1, field: 'MODEND', value: '', mentions: ['MODEXIT', "B (Client's unilateral unplanned exit)"] }],
  },
  {
    name: 'discharge date without reason',
    client: buildClient({ episodes: [buildDischargedEpisode({ dischargeReason: undefined })] }),
    expected: [{ code: 'D5', severity: 'error', ...onEpisode, field: 'DISRSN', value: '', mentions: ['DISD', '01/04/2024'] }],
  },
  {
    name: 'discharge reason without date',
    client: clientWithEpisode({ dischargeReason: '85' }),
    expected: [{ code: 'D5', severity: 'error', ...onEpisode, field: 'DISD', value: '', mentions: ['DISRSN', '85 (Incomplete, dropped out)'] }],
  },
];

for (const { name, client, expected } of cases) {
  void test(`D5 ${name}`, () => {
    assertFindings(runCheck(pairedFieldRule, client, context), expected);
  });
}
