import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { createWebTestApp, fetchCsrf, postForm, postFormWithoutCsrf, seedStaff, signIn, testPassword } from '../testing/web-test-app.js';
import type { SeededStaff, WebTestApp } from '../testing/web-test-app.js';

const newClientFields = (teamId: number): Record<string, string> => ({
  clientRef: 'C-CSRF-1',
  teamId: String(teamId),
  firstInitial: 'A',
  surnameInitial: 'B',
  'dob-day': '15',
  'dob-month': '7',
  'dob-year': '1990',
  sex: 'F',
  consent: 'Y',
  version: '',
});

void describe('CSRF and permission guards', () => {
  let web: WebTestApp;
  let keyworker: SeededStaff;
  let cookie: string;

  before(async () => {
    web = await createWebTestApp();
    keyworker = await seedStaff(web.database, { roles: ['keyworker'], email: 'kw@example.invalid' });
    cookie = await signIn(web.app, keyworker.email);
  });
  after(async () => web.close());

  async function clientCount(): Promise<number> {
    const row = await web.database.db.selectFrom('clients').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  void test('form without a token is refused', async () => {
    const response = await postFormWithoutCsrf(web.app, '/clients/new', newClientFields(keyworker.teamId), cookie);
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /This form has expired/);
    assert.equal(await clientCount(), 0);
  });

  void test('form with a forged token is refused', async () => {
    const csrf = await fetchCsrf(web.app, ['/clients/new'], cookie);
    const response = await postFormWithoutCsrf(web.app, '/clients/new', { ...newClientFields(keyworker.teamId), _csrf: `${csrf.token}x` }, `${cookie}; ${csrf.cookie}`);
    assert.equal(response.statusCode, 403);
    assert.equal(await clientCount(), 0);
  });

  void test('token from another secret is refused', async () => {
    const mine = await fetchCsrf(web.app, ['/clients/new'], cookie);
    const theirs = await fetchCsrf(web.app, ['/sign-in']);
    const response = await postFormWithoutCsrf(web.app, '/clients/new', { ...newClientFields(keyworker.teamId), _csrf: theirs.token }, `${cookie}; ${mine.cookie}`);
    assert.equal(response.statusCode, 403);
    assert.equal(await clientCount(), 0);
  });

  void test('sign-in without a token is refused', async () => {
    const response = await postFormWithoutCsrf(web.app, '/sign-in', { email: keyworker.email, password: testPassword });
    assert.equal(response.statusCode, 403);
    assert.equal(response.headers['set-cookie']?.toString().includes('waymark_session='), false);
  });

  void test('form with a valid token is saved', async () => {
    const response = await postForm(web.app, '/clients/new', newClientFields(keyworker.teamId), cookie);
    assert.equal(response.statusCode, 303);
    assert.equal(await clientCount(), 1);
  });

  void test('role without the permission gets 403', async () => {
    const officer = await seedStaff(web.database, { roles: ['data-officer'], email: 'do@example.invalid', agencyCode: 'DOAG1' });
    const officerCookie = await signIn(web.app, officer.email);
    const page = await web.app.inject({ url: '/clients/new', headers: { cookie: officerCookie } });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /You do not have access to this page/);
  });

  void test('administrator lands on staff page', async () => {
    const admin = await seedStaff(web.database, { roles: ['administrator'], email: 'admin@example.invalid', agencyCode: 'ADAG1', totpSecret: null });
    const csrf = await fetchCsrf(web.app, ['/sign-in']);
    const response = await postFormWithoutCsrf(web.app, '/sign-in', { email: admin.email, password: testPassword, _csrf: csrf.token }, csrf.cookie);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/admin/staff');
  });

  void test('malformed record ids get 404', async () => {
    for (const id of ['abc', '1.5', '-1', '99999999999', '1e3']) {
      const response = await web.app.inject({ url: `/clients/${id}`, headers: { cookie } });
      assert.equal(response.statusCode, 404, `/clients/${id}`);
    }
  });

  void test('malformed ids get the not-found page', async () => {
    const logLines: string[] = [];
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logLines.push(chunk.toString('utf8'));
        callback();
      },
    });
    const logged = await createWebTestApp({ logger: pino({ level: 'warn' }, logStream) });
    try {
      const staff = await seedStaff(logged.database, { roles: ['keyworker'], email: 'kw404@example.invalid' });
      const staffCookie = await signIn(logged.app, staff.email);
      const paths = ['/reviews/abc/edit', '/reviews/-1/edit', '/clients/abc', '/reviews/99999999999999999999/edit', '/reviews/0/edit'];
      for (const path of paths) {
        const response = await logged.app.inject({ url: path, headers: { cookie: staffCookie } });
        assert.equal(response.statusCode, 404, path);
        assert.equal(response.headers['content-type'], 'text/html; charset=utf-8', path);
        assert.match(response.body, /<h1[^>]*>Page not found<\/h1>/, path);
      }
      assert.deepEqual(logLines, []);
    } finally {
      await logged.close();
    }
  });

  void test('null character in a field is refused', async () => {
    const response = await postForm(web.app, '/clients/new', { ...newClientFields(keyworker.teamId), clientRef: 'C-\u0000' }, cookie);
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Nothing was saved\. Client reference contains a null character, which cannot be stored\. Go back, delete the value, type it again rather than pasting it, and send the form again\./);
  });
});
