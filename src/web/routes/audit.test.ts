import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordAuditEvent } from '../../db/audit.js';
import { hashPassword } from '../accounts/passwords.js';
import { createWebTestApp, decodeEntities, errorSummaryOf, postForm, seedStaff, signIn, testPassword, testTotpSecret } from '../testing/web-test-app.js';
import type { SeededStaff, WebTestApp } from '../testing/web-test-app.js';

/** Rows of the events table: the text of each cell, tags removed. */
function tableRowsOf(html: string): string[][] {
  const body = /<tbody class="nhsuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr class="nhsuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) =>
      decodeEntities((cell[1] ?? '').replace(/<span class="nhsuk-table-responsive__heading"[^>]*>[^<]*<\/span>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()),
    ),
  );
}

const actionsOf = (html: string): string[] => tableRowsOf(html).map((row) => row[2] ?? '');

void describe('audit trail pages', () => {
  let web: WebTestApp;
  let keyworker: SeededStaff;
  let keyworkerCookie: string;
  let adminCookie: string;
  let clientId: number;

  before(async () => {
    web = await createWebTestApp();
    keyworker = await seedStaff(web.database, { roles: ['keyworker'] });
    const db = web.database.db;
    await db
      .insertInto('staff')
      .values({ organisation_id: keyworker.organisationId, email: 'admin@example.invalid', display_name: 'Audit Admin', password_hash: await hashPassword(testPassword), roles: ['administrator'], totp_secret: testTotpSecret })
      .execute();
    keyworkerCookie = await signIn(web.app, keyworker.email);
    adminCookie = await signIn(web.app, 'admin@example.invalid');

    const created = await postForm(web.app, '/clients/new', { clientRef: 'C-HIST', teamId: String(keyworker.teamId), firstInitial: 'Q', surnameInitial: 'Z', 'dob-day': '23', 'dob-month': '11', 'dob-year': '1961', sex: 'F', consent: 'Y', version: '' }, keyworkerCookie);
    clientId = Number(/^\/clients\/(\d+)/.exec(String(created.headers.location))?.[1]);
    await web.app.inject({ url: `/clients/${clientId}`, headers: { cookie: keyworkerCookie } });
  });
  after(async () => web.close());

  void test('keyworker cannot open the audit trail', async () => {
    const response = await web.app.inject({ url: '/admin/audit', headers: { cookie: keyworkerCookie } });
    assert.equal(response.statusCode, 403);
  });

  void test('search lists events without values', async () => {
    const response = await web.app.inject({ url: '/admin/audit', headers: { cookie: adminCookie } });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(actionsOf(response.body), ['client.view', 'client.add', 'session.sign-in', 'session.sign-in']);
    const [view, add] = tableRowsOf(response.body);
    assert.equal(view?.[1], `Test Worker (staff ${keyworker.staffId})`);
    assert.equal(view?.[3], `client ${clientId}`);
    assert.equal(view?.[4], String(clientId));
    assert.equal(view?.[5], 'Page /clients/:id');
    assert.match(add?.[5] ?? '', /^Fields set: agency_id, change_stamp, client_ref, consent, created_at, date_of_birth, first_initial, id, keyworker_id, sex, surname_initial, team_id, updated_at, version$/);
    assert.doesNotMatch(response.body, /1961/);
    assert.match(response.body, /<a href="\/admin\/audit\/clients\/\d+">/);
  });

  void test('search filters by action', async () => {
    const response = await web.app.inject({ url: '/admin/audit?action=client.view', headers: { cookie: adminCookie } });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(actionsOf(response.body), ['client.view']);
  });

  void test('client reference finds access history', async () => {
    const found = await postForm(web.app, '/admin/audit/find-client', { ref: 'C-HIST' }, adminCookie);
    assert.equal(found.statusCode, 303);
    assert.match(String(found.headers.location), /^\/admin\/audit\/clients\/\d+$/);
    const none = await postForm(web.app, '/admin/audit/find-client', { ref: 'C-NONE' }, adminCookie);
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /No client of your organisation has the reference C-NONE/);
  });

  void test('search filters by staff member', async () => {
    const response = await web.app.inject({ url: `/admin/audit?staff=${keyworker.staffId}`, headers: { cookie: adminCookie } });
    assert.deepEqual(actionsOf(response.body), ['client.view', 'client.add', 'session.sign-in']);
  });

  void test('search filters by date range', async () => {
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
    const [year, month, day] = today.split('-').map(Number);
    const dateQuery = (name: string) => `${name}-day=${day}&${name}-month=${month}&${name}-year=${year}`;
    const within = await web.app.inject({ url: `/admin/audit?action=client.add&${dateQuery('from')}&${dateQuery('to')}`, headers: { cookie: adminCookie } });
    assert.deepEqual(actionsOf(within.body), ['client.add']);
    const earlier = await web.app.inject({ url: `/admin/audit?action=client.add&from-day=1&from-month=1&from-year=2000&to-day=31&to-month=12&to-year=2000`, headers: { cookie: adminCookie } });
    assert.deepEqual(actionsOf(earlier.body), []);
  });

  void test('reversed date range names both dates', async () => {
    const response = await web.app.inject({ url: '/admin/audit?from-day=5&from-month=12&from-year=2026&to-day=1&to-month=3&to-year=2024', headers: { cookie: adminCookie } });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#to-day To date 1 March 2024 is before from date 5 December 2026. Swap the dates or change one of them.']);
  });

  void test('control characters are not echoed', async () => {
    const response = await web.app.inject({ url: '/admin/audit?client=4%002&staff=%1B&action=client.add%00&from-day=1%00&from-month=3&from-year=2024', headers: { cookie: adminCookie } });
    assert.equal(response.statusCode, 400);
    assert.ok(!response.body.includes('\u0000'));
    assert.ok(!response.body.includes('\u001B'));
    assert.deepEqual(errorSummaryOf(response.body), [
      '#staff The staff member you entered is not a staff id. Choose a member of staff from the list.',
      "#client The client id you entered is not a whole number. Enter the number from the client's web address, such as 42, or search by client reference.",
      '#from-day From date must be a real date, with the day and month as numbers, for example 27 3 2024',
    ]);
    // The form shows what could be shown of each typed value.
    assert.match(response.body, /id="client" name="client" type="text"[^>]* value="42"/);
    assert.match(response.body, /id="action" name="action" type="text"[^>]* value="client.add"/);
    assert.match(response.body, /id="from-day" name="from-day" type="text"[^>]* value="1"/);
  });

  void test('client access history lists views', async () => {
    const response = await web.app.inject({ url: `/admin/audit/clients/${clientId}`, headers: { cookie: adminCookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Access history of client C-HIST/);
    const actions = actionsOf(response.body);
    assert.equal(actions[0], 'audit.client-history');
    assert.deepEqual(actions.slice(-2), ['client.view', 'client.add']);
    assert.doesNotMatch(response.body, /1961/);
  });

  void test('invalid client id is reported', async () => {
    const response = await web.app.inject({ url: '/admin/audit?client=abc', headers: { cookie: adminCookie } });
    assert.equal(response.statusCode, 400);
    assert.match(decodeEntities(response.body), /Client id abc is not a whole number/);
  });

  void test('search pages by 50 events', async () => {
    const db = web.database.db;
    for (let index = 0; index < 55; index++) {
      await recordAuditEvent(db, { actor: `staff:${keyworker.staffId}`, action: 'client.bulk-test', entity: 'client', entityId: clientId, clientId });
    }
    const first = await web.app.inject({ url: '/admin/audit?action=client.bulk-test', headers: { cookie: adminCookie } });
    assert.equal(tableRowsOf(first.body).length, 50);
    assert.match(first.body, /href="\/admin\/audit\?action=client\.bulk-test&amp;page=2"/);
    const second = await web.app.inject({ url: '/admin/audit?action=client.bulk-test&page=2', headers: { cookie: adminCookie } });
    assert.equal(tableRowsOf(second.body).length, 5);
    assert.doesNotMatch(second.body, /page=3/);
  });

  void test('CSV export escapes formulas', async () => {
    await recordAuditEvent(web.database.db, { actor: `staff:${keyworker.staffId}`, action: 'client.formula-test', entity: 'client', entityId: clientId, clientId, reason: '=HYPERLINK("http://example.invalid")' });
    const response = await web.app.inject({ url: '/admin/audit/export.csv?action=client.formula-test', headers: { cookie: adminCookie } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
    const lines = response.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    assert.equal(lines[0], 'Event id,When (UTC),Actor,Staff id,Staff name,Action,Record,Record id,Client id,Reason,Details');
    assert.equal(lines.length, 2);
    assert.match(lines[1] ?? '', new RegExp(`^\\d+,\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z,staff:${keyworker.staffId},${keyworker.staffId},Test Worker,client.formula-test,client,${clientId},${clientId},"'=HYPERLINK\\(""http://example.invalid""\\)",$`));
  });

  void test('CSV export is itself audited', async () => {
    const event = await web.database.db.selectFrom('audit_events').select(['actor', 'entity', 'after']).where('action', '=', 'audit.export').executeTakeFirstOrThrow();
    assert.equal(event.entity, 'audit_events');
    assert.deepEqual(event.after, { filters: { action: 'client.formula-test' }, events: 1 });
  });

  void test('other organisations stay hidden', async () => {
    const other = await seedStaff(web.database, { roles: ['keyworker'], email: 'elsewhere@example.invalid', agencyCode: 'ELSE1' });
    const otherClient = await web.database.db.insertInto('clients').values({ agency_id: other.agencyId, client_ref: 'C-ELSE', consent: 'Y', team_id: other.teamId }).returning('id').executeTakeFirstOrThrow();
    await recordAuditEvent(web.database.db, { actor: `staff:${other.staffId}`, action: 'client.view', entity: 'client', entityId: otherClient.id, clientId: otherClient.id });

    const search = await web.app.inject({ url: `/admin/audit?client=${otherClient.id}`, headers: { cookie: adminCookie } });
    assert.deepEqual(actionsOf(search.body), []);
    const history = await web.app.inject({ url: `/admin/audit/clients/${otherClient.id}`, headers: { cookie: adminCookie } });
    assert.equal(history.statusCode, 404);
  });

  void test('no route changes audit events', () => {
    for (const url of ['/admin/audit', '/admin/audit/export.csv', '/admin/audit/clients/:id']) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) assert.equal(web.app.hasRoute({ method, url }), false, `${method} ${url}`);
      assert.equal(web.app.hasRoute({ method: 'GET', url }), true, `GET ${url}`);
    }
  });
});
