import type { Writable } from 'node:stream';
import { cdsQDataset } from '../dataset/index.js';
import type { Client } from '../domain/model.js';
import { writeCdsQFile } from '../file/writer.js';
import { exampleAlcoholClients, exampleNonOpiateClients } from './example-other-clients.js';
import { exampleOpiateClients } from './example-opiate-clients.js';
import { buildClient, buildClientWithoutConsent, choices } from './example-records.js';

/** Agency and reporting period of the example file `examples/DEMO1_202403_CDSQ.csv`. */
export const exampleAgency = 'DEMO1';
export const examplePeriod = '2024-03';

/**
 * Builds the clients of the example file: opiate, alcohol and non-opiate clients. One more
 * client is triaged but has no intervention yet, so the file has an episode-only row. The
 * last has not consented, so the file has a row with only agency, client reference and consent.
 */
export function buildExampleClients(): Client[] {
  const treated = [...exampleOpiateClients, ...exampleAlcoholClients, ...exampleNonOpiateClients].map((spec) => buildClient(exampleAgency, spec));
  const waiting = buildClient(exampleAgency, {
    clientId: '1016',
    initials: 'EW',
    dateOfBirth: '2001-04-02',
    sex: choices.sex.female,
    episodes: [{ referral: '2024-03-18', triage: '2024-03-25' }],
  });
  return [...treated, waiting, buildClientWithoutConsent(exampleAgency, '00000123')];
}

/** Writes the example file through the CDS-Q writer, as `waymark generate` writes its files. */
export async function writeExampleFile(output: Writable): Promise<void> {
  await writeCdsQFile(buildExampleClients(), output, cdsQDataset);
}
