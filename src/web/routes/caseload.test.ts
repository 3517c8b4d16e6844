import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PlainDate } from '../../domain/plain-date.js';
import { createWebTestApp, seedClientWithIntervention, seedStaff, signIn } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';
import { monthsBefore } from './caseload.js';

void test('monthsBefore clamps to month end', () => {
  assert.equal(monthsBefore('2024-08-31' as PlainDate, 6), '2024-02-29');
  assert.equal(monthsBefore('2024-03-15' as PlainDate, 6), '2023-09-15');
  assert.equal(monthsBefore('2024-01-31' as PlainDate, 1), '2023-12-31');
});

void describe('caseload page', () => {
  let web: WebTestApp;
  let cookie: string;
  before(async () => {
    web = await createWebTestApp();
    const staff = await seedStaff(web.database, { roles: ['keyworker'] });
    cookie = await signIn(web.app, staff.email);
    const seeded = await seedClientWithIntervention(web.database, staff, 'C-OLD');
    await web.database.db
      .insertInto('reviews')
      .values({ agency_id: staff.agencyId, episode_id: seeded.episodeId, review_ref: 'R-OLD', review_date: '2024-03-10', ost_supervision: '99' })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((review) => web.database.db.insertInto('review_items').values({ review_id: review.id, sub_intervention_code: 'PHOTHER' }).execute());
    const other = await seedStaff(web.database, { roles: ['keyworker'], email: 'other@example.invalid', agencyCode: 'OTHR1' });
    await seedClientWithIntervention(web.database, other, 'C-THEIRS');
  });
  after(async () => web.close());

  void test('old review is shown overdue', async () => {
    const response = await web.app.inject({ url: '/', headers: { cookie } });
    assert.equal(response.statusCode, 200);
    const row = /<tr class="nhsuk-table__row">[\s\S]*?C-OLD[\s\S]*?<\/tr>/.exec(response.body)?.[0] ?? '';
    assert.match(row, /10 March 2024/);
    assert.match(row, /Review overdue/);
    assert.match(row, /Pharmacological/);
  });

  void test('other team clients are not listed', async () => {
    const response = await web.app.inject({ url: '/', headers: { cookie } });
    assert.doesNotMatch(response.body, /C-THEIRS/);
  });

  void test('half-filled identity search shows errors', async () => {
    const response = await web.app.inject({ url: '/?finitial=J', headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /href="#sinitial"/);
    assert.match(response.body, /href="#dob-day"/);
    assert.doesNotMatch(response.body, />C-OLD<\/a>/);
  });
});
