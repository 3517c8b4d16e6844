import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { ensureAgency, type AgencyRecord } from './agencies-repository.js';
import { saveClient } from './clients-repository.js';
import { sampleClient } from './testing/sample-clients.js';
import { describeEachDatabase, type TestDatabase } from './testing/test-databases.js';

describeEachDatabase('client change stamps', (target) => {
  let database: TestDatabase;
  let agency: AgencyRecord;
  let clientId: number;
  let otherClientId: number;

  const stampOf = async (id: number): Promise<number | undefined> =>
    (await database.db.selectFrom('clients').select('change_stamp').where('id', '=', id).executeTakeFirst())?.change_stamp;
  const listCounter = async (): Promise<number | undefined> =>
    (await database.db.selectFrom('change_counters').select('value').where('name', '=', 'client-lists').executeTakeFirst())?.value;

  const firstReviewOf = (id: number): Promise<{ id: number }> =>
    database.db.selectFrom('reviews').innerJoin('episodes', 'episodes.id', 'reviews.episode_id').select('reviews.id').where('episodes.client_id', '=', id).executeTakeFirstOrThrow();

  /** Runs a change and returns how much it raised the client's stamp, the other client's stamp and the list counter. */
  async function raisedBy(change: () => Promise<unknown>): Promise<{ client: number; otherClient: number; lists: number }> {
    const before = { client: await stampOf(clientId), otherClient: await stampOf(otherClientId), lists: await listCounter() };
    await change();
    return {
      client: ((await stampOf(clientId)) ?? 0) - (before.client ?? 0),
      otherClient: ((await stampOf(otherClientId)) ?? 0) - (before.otherClient ?? 0),
      lists: ((await listCounter()) ?? 0) - (before.lists ?? 0),
    };
  }

  before(async () => {
    database = await target.create();
    agency = await ensureAgency(database.db, 'TST01');
    await database.db.transaction().execute((trx) => saveClient(trx, agency, sampleClient('0042'), { actor: 'import' }));
    await database.db.transaction().execute((trx) => saveClient(trx, agency, sampleClient('0043'), { actor: 'import' }));
    const rows = await database.db.selectFrom('clients').select(['id', 'client_ref']).orderBy('client_ref').execute();
    clientId = rows[0]?.id ?? 0;
    otherClientId = rows[1]?.id ?? 0;
  });
  after(async () => {
    await database.dispose();
  });

  void it('raises only the client whose review items change', async () => {
    const review = await firstReviewOf(clientId);
    const raised = await raisedBy(() => database.db.insertInto('review_items').values({ review_id: review.id, sub_intervention_code: 'RECPEER' }).execute());
    assert.ok(raised.client > 0, 'the client’s stamp goes up');
    assert.equal(raised.otherClient, 0);
    assert.equal(raised.lists, 0);
  });

  void it('raises the client for episode, intervention and review updates', async () => {
    const episodes = database.db.selectFrom('episodes').select('id').where('client_id', '=', clientId);
    for (const table of ['episodes', 'interventions', 'reviews'] as const) {
      const change = table === 'episodes'
        ? () => database.db.updateTable('episodes').set({ episode_ref: sql`episode_ref` }).where('client_id', '=', clientId).execute()
        : () => database.db.updateTable(table).set({ agency_id: sql`agency_id` }).where('episode_id', 'in', episodes).execute();
      const raised = await raisedBy(change);
      assert.ok(raised.client > 0, `an update of ${table} raises the stamp`);
      assert.equal(raised.otherClient, 0, `an update of ${table} leaves other clients`);
    }
  });

  void it('raises the client when a review is deleted', async () => {
    const review = await firstReviewOf(clientId);
    const raised = await raisedBy(() => database.db.deleteFrom('reviews').where('id', '=', review.id).execute());
    assert.ok(raised.client > 0);
    assert.equal(raised.otherClient, 0);
  });

  void it('raises the stamp but not the list counter on a client detail', async () => {
    const raised = await raisedBy(() => database.db.updateTable('clients').set({ sex: sql`sex` }).where('id', '=', clientId).execute());
    assert.equal(raised.client, 1);
    assert.equal(raised.lists, 0);
  });

  void it('raises the list counter on a renamed client', async () => {
    const raised = await raisedBy(() => database.db.updateTable('clients').set({ client_ref: '0042A' }).where('id', '=', clientId).execute());
    assert.equal(raised.lists, 1);
  });

  void it('raises the list counter on added and deleted clients', async () => {
    const added = await raisedBy(() => database.db.transaction().execute((trx) => saveClient(trx, agency, sampleClient('0044'), { actor: 'import' })));
    assert.ok(added.lists > 0);
    const deleted = await raisedBy(() => database.db.deleteFrom('clients').where('client_ref', '=', '0044').execute());
    assert.ok(deleted.lists > 0);
  });
});
