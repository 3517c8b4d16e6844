import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createWebTestApp, seedClientWithIntervention, seedStaff } from '../testing/web-test-app.js';
import type { SeededStaff, WebTestApp } from '../testing/web-test-app.js';
import { loadClientRecords } from './client-records.js';
import type { ClientRecord } from './client-records.js';

void describe('client records loader', () => {
  let web: WebTestApp;
  let staff: SeededStaff;
  let clientIds: number[];
  before(async () => {
    web = await createWebTestApp();
    staff = await seedStaff(web.database, { roles: ['keyworker'] });
    const first = await seedClientWithIntervention(web.database, staff, 'C-LOAD1');
    const second = await seedClientWithIntervention(web.database, staff, 'C-LOAD2');
    const { db } = web.database;
    // A later episode referred earlier than the first, so date order differs from id order.
    await db
      .insertInto('episodes')
      .values({ agency_id: staff.agencyId, client_id: first.clientId, episode_ref: 'C-LOAD1-E0', referral_date: '2023-01-10', triage_date: '2023-01-12', discharge_date: '2023-06-30', discharge_reason: '80' })
      .execute();
    for (const [ref, date, dose] of [['R-2', '2024-04-20', '60.0'], ['R-1', '2024-03-20', '12.5']] as const) {
      const review = await db
        .insertInto('reviews')
        .values({ agency_id: staff.agencyId, episode_id: first.episodeId, review_ref: ref, review_date: date, methadone_dose: dose, ost_supervision: '1', delivered_by_staff_id: staff.staffId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('review_items').values([{ review_id: review.id, sub_intervention_code: 'PHOTHER' }, { review_id: review.id, sub_intervention_code: 'PHMETH' }]).execute();
    }
    // The last id belongs to no client and loads nothing.
    clientIds = [first.clientId, second.clientId, 999_999];
  });
  after(async () => web.close());

  void test('matches rows read table by table', async () => {
    const loaded = await loadClientRecords(web.database.db, clientIds);
    assert.deepEqual(sortedById(loaded), await expectedRecords(web, clientIds));
  });

  void test('keeps numeric doses as text', async () => {
    const [record] = await loadClientRecords(web.database.db, clientIds.slice(0, 1));
    const reviews = record?.episodes.flatMap((episode) => episode.reviews) ?? [];
    assert.deepEqual(reviews.map((review) => [review.review_ref, review.methadone_dose, review.buprenorphine_dose]), [['R-1', '12.5', null], ['R-2', '60.0', null]]);
    assert.ok(record?.updated_at instanceof Date);
  });

  void test('orders episodes by referral date', async () => {
    const [record] = await loadClientRecords(web.database.db, clientIds.slice(0, 1));
    assert.deepEqual(record?.episodes.map((episode) => episode.episode_ref), ['C-LOAD1-E0', 'C-LOAD1-E']);
    assert.deepEqual(record?.episodes[0]?.interventions, []);
    assert.deepEqual(record?.episodes[0]?.reviews, []);
  });

  void test('no ids gives no records', async () => {
    assert.deepEqual(await loadClientRecords(web.database.db, []), []);
  });
});

function sortedById(records: ClientRecord[]): ClientRecord[] {
  return [...records].sort((a, b) => a.id - b.id);
}

/** Reads the same clients one table at a time, the plain way, as the oracle for the nested query. */
async function expectedRecords(web: WebTestApp, clientIds: number[]): Promise<ClientRecord[]> {
  const { db } = web.database;
  const clients = await db.selectFrom('clients').innerJoin('agencies', 'agencies.id', 'clients.agency_id').selectAll('clients').select('agencies.code as agencyCode').where('clients.id', 'in', clientIds).orderBy('clients.id').execute();
  const records: ClientRecord[] = [];
  for (const client of clients) {
    const episodes = await db.selectFrom('episodes').selectAll().where('client_id', '=', client.id).orderBy('referral_date').orderBy('id').execute();
    const withRows = [];
    for (const episode of episodes) {
      const interventions = await db.selectFrom('interventions').selectAll().where('episode_id', '=', episode.id).orderBy('referral_date').orderBy('id').execute();
      const reviews = await db.selectFrom('reviews').selectAll().where('episode_id', '=', episode.id).orderBy('review_date').orderBy('id').execute();
      const reviewRecords = [];
      for (const review of reviews) {
        const items = await db.selectFrom('review_items').select('sub_intervention_code').where('review_id', '=', review.id).orderBy('sub_intervention_code').execute();
        reviewRecords.push({ ...review, items: items.map((item) => item.sub_intervention_code) });
      }
      withRows.push({ ...episode, interventions, reviews: reviewRecords });
    }
    records.push({ ...client, episodes: withRows });
  }
  return records;
}
