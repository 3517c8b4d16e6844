import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createWebTestApp, seedClientWithIntervention, seedStaff } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';
import { loadClientRecord, toDomainClient } from './client-records.js';
import type { ClientRecord } from './client-records.js';
import type { PlainDate } from '../../domain/plain-date.js';
import { FindingsCache } from './findings-cache.js';
import { checkClient } from './rule-checks.js';

void describe('findings cache', () => {
  let web: WebTestApp;
  let record: ClientRecord;
  before(async () => {
    web = await createWebTestApp();
    const staff = await seedStaff(web.database, { roles: ['keyworker'] });
    const seeded = await seedClientWithIntervention(web.database, staff, 'C-CACHE');
    record = (await loadClientRecord(web.database.db, seeded.clientId)) as ClientRecord;
  });
  after(async () => web.close());

  void test('unchanged client reuses its findings', () => {
    const cache = new FindingsCache();
    const first = cache.findingsOf(record);
    const again = cache.findingsOf(structuredClone(record));
    assert.equal(again, first);
    assert.deepEqual(first, checkClient(toDomainClient(record)));
  });

  void test('changed episode is checked again', () => {
    const cache = new FindingsCache();
    const first = cache.findingsOf(record);
    const changed = structuredClone(record);
    const [episode] = changed.episodes;
    assert.ok(episode);
    // A triage before referral is an error, so the new findings must differ from the cached ones.
    episode.triage_date = '2024-02-01' as PlainDate;
    const after = cache.findingsOf(changed);
    assert.notEqual(after, first);
    assert.deepEqual(after, checkClient(toDomainClient(changed)));
    assert.ok(after.length > first.length);
  });

  void test('forgotten client is checked again', () => {
    const cache = new FindingsCache();
    const first = cache.findingsOf(record);
    cache.forget(record.id);
    assert.equal(cache.size, 0);
    assert.notEqual(cache.findingsOf(record), first);
  });

  void test('oldest client goes when the cache is full', () => {
    const cache = new FindingsCache(2);
    const first = cache.findingsOf({ ...record, id: 1 });
    cache.findingsOf({ ...record, id: 2 });
    cache.findingsOf({ ...record, id: 3 });
    assert.equal(cache.size, 2);
    assert.notEqual(cache.findingsOf({ ...record, id: 1 }), first);
  });
});
