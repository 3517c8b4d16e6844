import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase, type TestDatabase } from '../../db/testing/test-databases.js';
import { noQueries } from '../testing/no-queries.js';
import { seedClientWithIntervention, seedStaff } from '../testing/web-test-app.js';
import type { SeededEpisode, SeededStaff } from '../testing/web-test-app.js';
import { ClientRecordCache, clientVersionColumns } from './client-record-cache.js';
import type { ClientVersion } from './client-record-cache.js';
import { loadClientRecord, toDomainClient } from './client-records.js';
import type { ClientRecord, ReviewRecord } from './client-records.js';
import { checkClient } from './rule-checks.js';
import type { WebDatabase } from './tables.js';

describeEachDatabase('client record cache', (target) => {
  let database: TestDatabase;
  let staff: SeededStaff;
  let seeded: SeededEpisode;
  let nextRef = 1;

  before(async () => {
    database = await target.create();
    staff = await seedStaff(database, { roles: ['keyworker'] });
    seeded = await seedClientWithIntervention(database, staff, 'C-CACHE');
  });
  after(async () => {
    await database.dispose();
  });

  const versionNow = async (): Promise<ClientVersion> =>
    database.db
      .selectFrom('clients')
      .select([clientVersionColumns.stamp.as('stamp'), clientVersionColumns.writerXid.as('writerXid')])
      .where('id', '=', seeded.clientId)
      .executeTakeFirstOrThrow();

  /** Inserts a review with one item through `db`, and returns its id and the id of the transaction that inserted it. */
  const insertReview = async (db: WebDatabase, reviewDate = '2024-04-01'): Promise<{ id: number; writerXid: string }> => {
    const row = await db
      .insertInto('reviews')
      .values({ agency_id: staff.agencyId, episode_id: seeded.episodeId, review_ref: `R-CACHE${nextRef++}`, review_date: reviewDate, delivered_by_staff_id: staff.staffId })
      .returning(['id', sql<string>`xmin::text`.as('writerXid')])
      .executeTakeFirstOrThrow();
    await db.insertInto('review_items').values({ review_id: row.id, sub_intervention_code: 'PSYBRIEF' }).execute();
    return row;
  };

  const reviewOf = (record: ClientRecord | undefined, id: number): ReviewRecord => {
    const review = record?.episodes.flatMap((episode) => episode.reviews).find((item) => item.id === id);
    assert.ok(review, `review ${id} is on the record`);
    return review;
  };

  void it('reuses a record at the same version', async () => {
    const cache = new ClientRecordCache();
    const version = await versionNow();
    const loaded = await cache.load(database.db, seeded.clientId, version);
    assert.deepEqual(loaded, await loadClientRecord(database.db, seeded.clientId));
    assert.equal(await cache.load(noQueries, seeded.clientId, version), loaded);
  });

  void it('loads again after a change below the client', async () => {
    const cache = new ClientRecordCache();
    const first = await cache.load(database.db, seeded.clientId, await versionNow());
    const inserted = await insertReview(database.db);

    const version = await versionNow();
    assert.notEqual(version.stamp, first?.change_stamp);
    const second = await cache.load(database.db, seeded.clientId, version);
    assert.notEqual(second, first);
    assert.deepEqual(second, await loadClientRecord(database.db, seeded.clientId));
    assert.equal(reviewOf(second, inserted.id).review_ref, `R-CACHE${nextRef - 1}`);
  });

  void it('uses a remembered save once its transaction committed', async () => {
    const cache = new ClientRecordCache();
    const before = await cache.load(database.db, seeded.clientId, await versionNow());
    assert.ok(before);
    const inserted = await database.db.transaction().execute((trx) => insertReview(trx, '2024-03-20'));
    const expected = await loadClientRecord(database.db, seeded.clientId);
    cache.rememberSave(before, reviewOf(expected, inserted.id), inserted.writerXid);

    const remembered = await cache.load(noQueries, seeded.clientId, await versionNow());
    // The same rows as a load, with the review in date order and the change stamp now stored.
    assert.deepEqual(remembered, expected);
  });

  void it('ignores a remembered save after a later change', async () => {
    const cache = new ClientRecordCache();
    const before = await cache.load(database.db, seeded.clientId, await versionNow());
    assert.ok(before);
    const saved = await insertReview(database.db);
    cache.rememberSave(before, reviewOf(await loadClientRecord(database.db, seeded.clientId), saved.id), saved.writerXid);
    const later = await insertReview(database.db);

    const current = await cache.load(database.db, seeded.clientId, await versionNow());
    assert.deepEqual(current, await loadClientRecord(database.db, seeded.clientId));
    assert.equal(reviewOf(current, later.id).id, later.id);
  });

  void it('ignores a remembered save that rolled back', async () => {
    const cache = new ClientRecordCache();
    const before = await cache.load(database.db, seeded.clientId, await versionNow());
    assert.ok(before);
    const rolledBack = new Error('roll back');
    let remembered = false;
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        const inserted = await insertReview(trx);
        const review = { ...reviewOf(before, before.episodes[0]?.reviews[0]?.id ?? -1), id: inserted.id, review_ref: 'R-ROLLED-BACK' };
        cache.rememberSave(before, review, inserted.writerXid);
        remembered = true;
        throw rolledBack;
      }),
      rolledBack,
    );
    assert.equal(remembered, true);

    const current = await cache.load(database.db, seeded.clientId, await versionNow());
    assert.deepEqual(current, before);
  });

  void it('keeps the findings of a record', async () => {
    const cache = new ClientRecordCache();
    const record = await cache.load(database.db, seeded.clientId, await versionNow());
    assert.ok(record);
    const findings = cache.findingsOf(record);
    assert.deepEqual(findings, checkClient(toDomainClient(record)));
    assert.equal(cache.findingsOf(record), findings);
    // Another object with the same rows gets its own findings.
    assert.notEqual(cache.findingsOf({ ...record }), findings);
  });
});
