import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { PlainDate } from '../domain/plain-date.js';
import { ensureAgency, type AgencyRecord } from './agencies-repository.js';
import { loadClient, loadClientBatches, saveClient, type SaveOptions } from './clients-repository.js';
import { ConflictError } from './conflict-error.js';
import type { Database } from './schema.js';
import { clientWithoutConsent, copyOf, review, sampleClient } from './testing/sample-clients.js';
import { describeEachDatabase, type TestDatabase } from './testing/test-databases.js';

const asImport: SaveOptions = { actor: 'import' };

function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}

describeEachDatabase('clients repository', (target) => {
  let database: TestDatabase;
  let agency: AgencyRecord;

  before(async () => {
    database = await target.create();
    agency = await ensureAgency(database.db, 'TST01');
  });
  after(async () => {
    await database.dispose();
  });

  void it('saves and loads a client unchanged', async () => {
    const client = sampleClient('0042');
    const outcome = await inTransaction(database.db, (trx) => saveClient(trx, agency, client, asImport));
    assert.equal(outcome, 'added');

    const loaded = await loadClient(database.db, agency, '0042');
    assert.deepEqual(loaded?.client, client);
    assert.equal(loaded?.client.episodes[0]?.reviews[2]?.methadoneDose, 12.5);
    assert.equal(loaded?.client.dateOfBirth, '1969-11-15');
  });

  void it('reports a second save as unchanged', async () => {
    const outcome = await inTransaction(database.db, (trx) => saveClient(trx, agency, sampleClient('0042'), asImport));
    assert.equal(outcome, 'unchanged');
  });

  void it('updates changed and new records', async () => {
    const client = sampleClient('0042');
    const episode = client.episodes[0];
    assert.ok(episode);
    episode.reviews[2] = review('S-0042-3', '2023-11-20', ['PHMETHMNT', 'RECPEER'], { methadoneDose: 40, ostSupervision: '2' });
    episode.reviews.push(review('S-0042-4', '2024-01-10', ['PHMETHMNT'], { methadoneDose: 45.5, ostSupervision: '2' }));

    const outcome = await inTransaction(database.db, (trx) => saveClient(trx, agency, client, asImport));
    assert.equal(outcome, 'updated');

    const loaded = await loadClient(database.db, agency, '0042');
    assert.deepEqual(loaded?.client, client);
    assert.equal(loaded?.versions.reviews['S-0042-3'], 2);
    assert.equal(loaded?.versions.reviews['S-0042-4'], 1);
    assert.equal(loaded?.versions.client, 1);
  });

  void it('round-trips a client without consent', async () => {
    const client = clientWithoutConsent('0099');
    const outcome = await inTransaction(database.db, (trx) => saveClient(trx, agency, client, asImport));
    assert.equal(outcome, 'added');

    const loaded = await loadClient(database.db, agency, '0099');
    assert.deepEqual(loaded?.client, client);
  });

  void it('records additions and updates in the audit trail', async () => {
    const events = await database.db.selectFrom('audit_events').select(['actor', 'action', 'entity']).where('entity', '=', 'client').orderBy('id').execute();
    assert.deepEqual(events, [
      { actor: 'import', action: 'client.add', entity: 'client' },
      { actor: 'import', action: 'client.update', entity: 'client' },
      { actor: 'import', action: 'client.add', entity: 'client' },
    ]);
  });

  void it('rejects the second of two writers', async () => {
    const first = await loadClient(database.db, agency, '0042');
    const second = await loadClient(database.db, agency, '0042');
    assert.ok(first);
    assert.ok(second);

    const firstChange = copyOf(first.client);
    firstChange.dateOfBirth = '1969-11-16' as PlainDate;
    await inTransaction(database.db, (trx) => saveClient(trx, agency, firstChange, { actor: 'staff:1', expectedVersions: first.versions }));

    const secondChange = copyOf(second.client);
    secondChange.sex = 'M';
    await assert.rejects(
      inTransaction(database.db, (trx) => saveClient(trx, agency, secondChange, { actor: 'staff:2', expectedVersions: second.versions })),
      (error: unknown) => {
        assert.ok(error instanceof ConflictError);
        assert.equal(error.entity, 'client');
        assert.equal(error.ref, '0042');
        assert.equal(error.expectedVersion, 1);
        assert.match(error.message, /client 0042 was changed by someone else/);
        return true;
      },
    );

    const stored = await loadClient(database.db, agency, '0042');
    assert.equal(stored?.client.dateOfBirth, '1969-11-16');
    assert.equal(stored?.client.sex, 'F');
    assert.equal(stored?.versions.client, 2);
  });

  void it('rejects a stale review update', async () => {
    const first = await loadClient(database.db, agency, '0042');
    const second = await loadClient(database.db, agency, '0042');
    assert.ok(first);
    assert.ok(second);

    const firstChange = copyOf(first.client);
    const firstReview = firstChange.episodes[0]?.reviews[0];
    assert.ok(firstReview);
    firstReview.methadoneDose = 35;
    await inTransaction(database.db, (trx) => saveClient(trx, agency, firstChange, { actor: 'staff:1', expectedVersions: first.versions }));

    const secondChange = copyOf(second.client);
    const secondReview = secondChange.episodes[0]?.reviews[0];
    assert.ok(secondReview);
    secondReview.methadoneDose = 25;
    await assert.rejects(
      inTransaction(database.db, (trx) => saveClient(trx, agency, secondChange, { actor: 'staff:2', expectedVersions: second.versions })),
      (error: unknown) => error instanceof ConflictError && error.entity === 'review' && error.ref === 'S-0042-1',
    );

    const stored = await loadClient(database.db, agency, '0042');
    assert.equal(stored?.client.episodes[0]?.reviews[0]?.methadoneDose, 35);
  });

  void it('rejects an identifier of another client', async () => {
    const intruder = sampleClient('0077');
    const episode = intruder.episodes[0];
    assert.ok(episode);
    episode.episodeId = 'E-0042';

    await assert.rejects(
      inTransaction(database.db, (trx) => saveClient(trx, agency, intruder, asImport)),
      /Client 0077 uses an identifier that another client at this agency already has/,
    );
    assert.equal(await loadClient(database.db, agency, '0077'), undefined);
  });

  void it('loads clients in keyset batches', async () => {
    for (const clientId of ['0101', '0102', '0103']) {
      await inTransaction(database.db, (trx) => saveClient(trx, agency, sampleClient(clientId), asImport));
    }

    const batches: string[][] = [];
    for await (const batch of loadClientBatches(database.db, agency, { batchSize: 2 })) {
      batches.push(batch.map((stored) => stored.client.clientId));
    }
    assert.deepEqual(batches, [
      ['0042', '0099'],
      ['0101', '0102'],
      ['0103'],
    ]);
  });
});
