import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Client } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { ensureAgency, type AgencyRecord } from './agencies-repository.js';
import { saveClient } from './clients-repository.js';
import { extractClients } from './extraction.js';
import { clientWithoutConsent, review, sampleClient } from './testing/sample-clients.js';
import { describeEachDatabase, type TestDatabase } from './testing/test-databases.js';

const march2024 = { year: 2024, month: 3 };

/** Builds a sample client whose single episode runs between the given dates. */
function clientWithEpisode(clientId: string, triage: string, discharge?: string): Client {
  const client = sampleClient(clientId);
  const episode = client.episodes[0];
  assert.ok(episode);
  episode.referralDate = triage as PlainDate;
  episode.triageDate = triage as PlainDate;
  episode.interventions = [];
  episode.reviews = [];
  if (discharge) {
    episode.dischargeDate = discharge as PlainDate;
    episode.dischargeReason = '85';
  }
  return client;
}

async function extract(database: TestDatabase, agency: AgencyRecord, batchSize: number): Promise<Client[]> {
  const clients: Client[] = [];
  for await (const client of extractClients(database.db, agency, march2024, { batchSize })) clients.push(client);
  return clients;
}

describeEachDatabase('extractClients', (target) => {
  let database: TestDatabase;
  let agency: AgencyRecord;

  before(async () => {
    database = await target.create();
    agency = await ensureAgency(database.db, 'TST01');

    const dischargedLater = sampleClient('a1');
    const episode = dischargedLater.episodes[0];
    assert.ok(episode);
    episode.dischargeDate = '2024-05-01' as PlainDate;
    episode.dischargeReason = '80';
    const pharmacological = episode.interventions[0];
    assert.ok(pharmacological);
    pharmacological.endDate = '2024-04-20' as PlainDate;
    pharmacological.exitStatus = 'A';
    episode.interventions.push({ ...pharmacological, interventionId: 'M-a1-late', referralDate: '2024-04-02' as PlainDate, endDate: undefined, exitStatus: undefined });
    episode.reviews.push(review('S-a1-late', '2024-04-10', ['PHMETHMNT'], { methadoneDose: 50, ostSupervision: '1' }));

    const twoEpisodes = clientWithEpisode('B2', '2023-09-01');
    const oldEpisode = clientWithEpisode('B2', '2021-01-04', '2022-02-01').episodes[0];
    assert.ok(oldEpisode);
    oldEpisode.episodeId = 'E-B2-old';
    twoEpisodes.episodes.unshift(oldEpisode);

    const oldWithoutConsent = clientWithEpisode('NC2', '2021-01-04', '2022-02-01');
    oldWithoutConsent.consent = 'N';

    const clients = [
      clientWithEpisode('010', '2023-01-10', '2023-03-15'),
      clientWithEpisode('011', '2024-04-05'),
      dischargedLater,
      twoEpisodes,
      clientWithoutConsent('NC1'),
      oldWithoutConsent,
      clientWithEpisode('012', '2022-06-01', '2023-04-01'),
    ];
    await database.db.transaction().execute(async (trx) => {
      for (const client of clients) await saveClient(trx, agency, client, { actor: 'test' });
    });
  });
  after(async () => {
    await database.dispose();
  });

  void it('selects clients open in the window', async () => {
    const clients = await extract(database, agency, 500);
    assert.deepEqual(
      clients.map((client) => client.clientId),
      ['012', 'B2', 'NC1', 'a1'],
    );
  });

  void it('keeps only episodes in the window', async () => {
    const clients = await extract(database, agency, 500);
    const twoEpisodes = clients.find((client) => client.clientId === 'B2');
    assert.deepEqual(
      twoEpisodes?.episodes.map((episode) => episode.episodeId),
      ['E-B2'],
    );
  });

  void it('shows records as at the month end', async () => {
    const clients = await extract(database, agency, 500);
    const episode = clients.find((client) => client.clientId === 'a1')?.episodes[0];
    assert.ok(episode);
    assert.equal(episode.dischargeDate, undefined);
    assert.equal(episode.dischargeReason, undefined);
    assert.deepEqual(
      episode.interventions.map((intervention) => intervention.interventionId),
      ['M-a1-1', 'M-a1-2'],
    );
    assert.equal(episode.interventions[0]?.endDate, undefined);
    assert.equal(episode.interventions[0]?.exitStatus, undefined);
    assert.equal(episode.interventions[1]?.endDate, '2023-12-01');
    assert.deepEqual(
      episode.reviews.map((item) => item.reviewId),
      ['S-a1-1', 'S-a1-2', 'S-a1-3'],
    );
  });

  void it('gives the same clients in small batches', async () => {
    const inOneBatch = await extract(database, agency, 500);
    const inBatchesOfTwo = await extract(database, agency, 2);
    assert.deepEqual(inBatchesOfTwo, inOneBatch);
  });
});
