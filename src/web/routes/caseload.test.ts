import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PlainDate } from '../../domain/plain-date.js';
import { createWebTestApp, errorSummaryOf, seedClientWithIntervention, seedStaff, signIn, searchCaseload } from '../testing/web-test-app.js';
import type { SeededStaff, WebTestApp } from '../testing/web-test-app.js';
import { caseloadPageSize } from '../data/caseload-listing.js';
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

  void test('reference with identity is rejected', async () => {
    const fields = { ref: 'C-OLD', finitial: 'J', sinitial: 'S', 'dob-day': '15', 'dob-month': '7', 'dob-year': '1990' };
    const { response } = await searchCaseload(web.app, fields, cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), [
      '#ref Search by client reference, or by initials and date of birth, not both. Clear the client reference, or clear the initials and date of birth.',
    ]);
    assert.doesNotMatch(response.body, />C-OLD<\/a>/);
    // The typed values stay in the form, so the person can clear the ones they do not want.
    assert.match(response.body, /id="ref" name="ref" type="text"[^>]* value="C-OLD"/);
  });

  void test('reference with one initial is rejected', async () => {
    const { response } = await searchCaseload(web.app, { ref: 'C-OLD', finitial: 'J' }, cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), [
      '#ref Search by client reference, or by initials and date of birth, not both. Clear the client reference, or clear the initials and date of birth.',
    ]);
  });

  void test('half-filled identity search shows errors', async () => {
    const { response } = await searchCaseload(web.app, { finitial: 'J' }, cookie);
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#sinitial"/);
    assert.match(response.body, /href="#dob-day"/);
    assert.doesNotMatch(response.body, />C-OLD<\/a>/);
  });
});

void describe('caseload pages', () => {
  let web: WebTestApp;
  let cookie: string;
  const rowsOf = (html: string): string[] => [...html.matchAll(/<a href="\/clients\/\d+">(C-P\d+)<\/a>/g)].map((match) => match[1] ?? '');
  before(async () => {
    web = await createWebTestApp();
    const staff = await seedStaff(web.database, { roles: ['keyworker'] });
    cookie = await signIn(web.app, staff.email);
    // References sort as text, so C-P00 to C-P54 keep their numeric order.
    for (let index = 0; index < caseloadPageSize + 5; index += 1) {
      await seedClientWithIntervention(web.database, staff, `C-P${String(index).padStart(2, '0')}`);
    }
  });
  after(async () => web.close());

  void test('first page lists one page of clients and links to the next', async () => {
    const response = await web.app.inject({ url: '/', headers: { cookie } });
    assert.equal(response.statusCode, 200);
    const refs = rowsOf(response.body);
    assert.equal(refs.length, caseloadPageSize);
    assert.equal(refs[0], 'C-P00');
    assert.match(response.body, /55 clients, page 1 of 2/);
    assert.match(response.body, /href="\/\?page=2"/);
    assert.doesNotMatch(response.body, /href="\/\?page=0"/);
  });

  void test('second page lists the rest and links back', async () => {
    const response = await web.app.inject({ url: '/?page=2', headers: { cookie } });
    assert.deepEqual(rowsOf(response.body), ['C-P50', 'C-P51', 'C-P52', 'C-P53', 'C-P54']);
    assert.match(response.body, /href="\/\?page=1"/);
    assert.doesNotMatch(response.body, /href="\/\?page=3"/);
  });

  void test('page past the end shows the last page', async () => {
    const response = await web.app.inject({ url: '/?page=99', headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.equal(rowsOf(response.body).length, 5);
  });

  void test('page links keep the search', async () => {
    const { response, url } = await searchCaseload(web.app, { ref: 'C-P' }, cookie);
    const sealed = new URL(url, 'http://localhost').searchParams.get('search') ?? '';
    assert.ok(sealed.length > 0);
    assert.match(response.body, new RegExp(`href="/\\?search=${sealed}&amp;page=2"`));
    const second = await web.app.inject({ url: `/?search=${sealed}&page=2`, headers: { cookie } });
    assert.equal(rowsOf(second.body).length, 5);
  });

  void test('search URL holds no reference', async () => {
    const { url } = await searchCaseload(web.app, { ref: 'C-P1' }, cookie);
    assert.match(url, /^\/\?search=[A-Za-z0-9_-]+$/);
    assert.doesNotMatch(url, /C-P1/i);
  });

  void test('altered search token is refused', async () => {
    const { url } = await searchCaseload(web.app, { ref: 'C-P1' }, cookie);
    const response = await web.app.inject({ url: `${url}x`, headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /That search has expired/);
  });
});

void describe('caseload after changes made elsewhere', () => {
  let web: WebTestApp;
  let cookie: string;
  let staff: SeededStaff;
  let episodeId: number;
  const rowOf = (html: string, ref: string): string => new RegExp(`<tr class="nhsuk-table__row">(?:(?!</tr>)[\\s\\S])*?>${ref}</a>[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
  const caseload = async (): Promise<string> => (await web.app.inject({ url: '/', headers: { cookie } })).body;

  before(async () => {
    web = await createWebTestApp();
    staff = await seedStaff(web.database, { roles: ['keyworker'] });
    cookie = await signIn(web.app, staff.email);
    episodeId = (await seedClientWithIntervention(web.database, staff, 'C-KEEP')).episodeId;
  });
  after(async () => web.close());

  // Each change goes straight to the database, as an import or another web process would make
  // it, so only the change stamps can tell the page that its kept rows are out of date.
  void test('review saved elsewhere shows on the next visit', async () => {
    assert.match(rowOf(await caseload(), 'C-KEEP'), /None yet/);
    await web.database.db
      .insertInto('reviews')
      .values({ agency_id: staff.agencyId, episode_id: episodeId, review_ref: 'R-ELSEWHERE', review_date: '2024-03-12', ost_supervision: '99' })
      .execute();
    const row = rowOf(await caseload(), 'C-KEEP');
    assert.match(row, /12 March 2024/);
    assert.doesNotMatch(row, /None yet/);
  });

  void test('client added elsewhere is listed', async () => {
    assert.equal(rowOf(await caseload(), 'C-ADDED'), '');
    await seedClientWithIntervention(web.database, staff, 'C-ADDED');
    const body = await caseload();
    assert.notEqual(rowOf(body, 'C-ADDED'), '');
    assert.match(body, /2 clients/);
  });

  void test('client moved to another team leaves the list', async () => {
    const other = await seedStaff(web.database, { roles: ['keyworker'], email: 'mover@example.invalid', agencyCode: 'MOVE1' });
    assert.notEqual(rowOf(await caseload(), 'C-ADDED'), '');
    await web.database.db.updateTable('clients').set({ team_id: other.teamId }).where('client_ref', '=', 'C-ADDED').execute();
    const body = await caseload();
    assert.equal(rowOf(body, 'C-ADDED'), '');
    assert.match(body, /1 client\b/);
  });
});
