import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setDemoPasswords } from '../accounts/demo-passwords.js';
import { passwordProblem } from '../accounts/passwords.js';
import { createWebTestApp, errorSummaryOf, postForm, seedStaff, signIn, testPassword } from '../testing/web-test-app.js';
import type { SeededStaff, WebTestApp } from '../testing/web-test-app.js';

void describe('administrator staff pages', () => {
  let web: WebTestApp;
  let admin: SeededStaff;
  let cookie: string;
  before(async () => {
    web = await createWebTestApp();
    admin = await seedStaff(web.database, { roles: ['administrator'], email: 'admin@example.invalid' });
    cookie = await signIn(web.app, admin.email);
  });
  after(async () => web.close());

  void test('keyworker cannot open staff pages', async () => {
    const keyworker = await seedStaff(web.database, { roles: ['keyworker'], email: 'kw@example.invalid', agencyCode: 'KWAG1' });
    const keyworkerCookie = await signIn(web.app, keyworker.email);
    const response = await web.app.inject({ url: '/admin/staff', headers: { cookie: keyworkerCookie } });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /Your roles do not include this page/);
  });

  void test('administrator adds a prescriber', async () => {
    const response = await postForm(web.app, '/admin/staff/new', { displayName: 'Pat Prescriber', email: 'Pat@Example.invalid', password: testPassword, roles: ['prescriber', 'keyworker'], registrations: ['gmc'], teamIds: [String(admin.teamId)] }, cookie);
    assert.equal(response.statusCode, 303);
    const row = await web.database.db.selectFrom('staff').select(['id', 'email', 'roles', 'registrations']).where('email', '=', 'pat@example.invalid').executeTakeFirstOrThrow();
    assert.deepEqual(row.roles, ['prescriber', 'keyworker']);
    assert.deepEqual(row.registrations, ['gmc']);
    const teams = await web.database.db.selectFrom('staff_teams').select('team_id').where('staff_id', '=', row.id).execute();
    assert.deepEqual(teams, [{ team_id: admin.teamId }]);
    await signIn(web.app, 'pat@example.invalid');
  });

  void test('short password is refused', async () => {
    const response = await postForm(web.app, '/admin/staff/new', { displayName: 'Sam', email: 'sam@example.invalid', password: 'short', roles: ['keyworker'] }, cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#password Enter a password of at least 12 characters. Yours has 5.']);
  });

  void test('disabling ends sessions', async () => {
    const member = await web.database.db.selectFrom('staff').select('id').where('email', '=', 'pat@example.invalid').executeTakeFirstOrThrow();
    const patCookie = await signIn(web.app, 'pat@example.invalid');
    const response = await postForm(web.app, `/admin/staff/${member.id}/disable`, { action: 'disable' }, cookie);
    assert.equal(response.statusCode, 303);
    const page = await web.app.inject({ url: '/', headers: { cookie: patCookie } });
    assert.equal(page.statusCode, 302);
    const again = await postForm(web.app, '/sign-in', { email: 'pat@example.invalid', password: testPassword });
    assert.equal(again.statusCode, 401);
  });

  void test('invite rejects a common password', async () => {
    const response = await postForm(web.app, '/admin/staff/new', { displayName: 'Rob', email: 'rob@example.invalid', password: 'qwertyuiop123', roles: ['keyworker'] }, cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#password This password is one of the most common passwords, so it is easy to guess. Choose another, for example three or four unrelated words.']);
    const row = await web.database.db.selectFrom('staff').select('id').where('email', '=', 'rob@example.invalid').executeTakeFirst();
    assert.equal(row, undefined);
  });

  void test('administrator cannot disable self', async () => {
    const response = await postForm(web.app, `/admin/staff/${admin.staffId}/disable`, { action: 'disable' }, cookie);
    assert.equal(response.statusCode, 400);
  });

  void test('demo passwords sign demo staff in', async () => {
    const demo = await seedStaff(web.database, { roles: ['keyworker'], email: 'ana.keyworker@demo.invalid', agencyCode: 'DEMO1' });
    const signIns = await setDemoPasswords(web.database.db);
    assert.deepEqual(signIns.map((entry) => entry.email), [demo.email]);
    assert.match(signIns[0]?.password ?? '', /^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
    assert.equal(passwordProblem(signIns[0]?.password ?? '', demo.email), undefined);
    await signIn(web.app, demo.email, signIns[0]?.password);
  });

  void test('demo run clears second factors', async () => {
    const demoAdmin = await seedStaff(web.database, { roles: ['administrator'], email: 'lee.administrator@demo.invalid', agencyCode: 'DEMO2' });
    await setDemoPasswords(web.database.db);
    const row = await web.database.db.selectFrom('staff').select(['totp_secret', 'totp_pending_secret', 'failed_sign_ins', 'locked_until']).where('id', '=', demoAdmin.staffId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { totp_secret: null, totp_pending_secret: null, failed_sign_ins: 0, locked_until: null });
  });

  void test('new password ends member sessions', async () => {
    const added = await postForm(web.app, '/admin/staff/new', { displayName: 'Sam', email: 'sam@example.invalid', password: testPassword, roles: ['keyworker'] }, cookie);
    assert.equal(added.statusCode, 303);
    const samCookie = await signIn(web.app, 'sam@example.invalid');
    const row = await web.database.db.selectFrom('staff').select(['id', 'version']).where('email', '=', 'sam@example.invalid').executeTakeFirstOrThrow();
    const response = await postForm(web.app, `/admin/staff/${row.id}`, { displayName: 'Sam', password: 'amber kestrel willow tide', roles: 'keyworker', version: String(row.version) }, cookie);
    assert.equal(response.statusCode, 303);
    const page = await web.app.inject({ url: '/', headers: { cookie: samCookie } });
    assert.equal(page.statusCode, 302);
    assert.equal(page.headers.location, '/sign-in');
  });
});
