import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createWebTestApp, decodeEntities, errorSummaryOf, postForm, seedStaff, signIn, testPassword } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';

const newPassword = 'amber kestrel willow tide';

void describe('password change', () => {
  let web: WebTestApp;
  before(async () => {
    web = await createWebTestApp();
    await seedStaff(web.database, { roles: ['keyworker'], email: 'kim@example.invalid' });
  });
  after(async () => web.close());

  void test('account page lists details', async () => {
    const cookie = await signIn(web.app, 'kim@example.invalid');
    const response = await web.app.inject({ url: '/account', headers: { cookie } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /kim@example.invalid/);
    assert.match(response.body, /Keyworker/);
    assert.match(response.body, /href="\/account\/password"/);
  });

  void test('wrong current password rejected', async () => {
    const cookie = await signIn(web.app, 'kim@example.invalid');
    const response = await postForm(web.app, '/account/password', { currentPassword: 'not my password', newPassword }, cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#currentPassword Your current password is not correct. Enter the password you signed in with.']);
  });

  void test('weak new password rejected', async () => {
    const cookie = await signIn(web.app, 'kim@example.invalid');
    const short = await postForm(web.app, '/account/password', { currentPassword: testPassword, newPassword: 'too short' }, cookie);
    assert.equal(short.statusCode, 400);
    assert.deepEqual(errorSummaryOf(short.body), ['#newPassword Enter a password of at least 12 characters. Yours has 9.']);
    const common = await postForm(web.app, '/account/password', { currentPassword: testPassword, newPassword: 'qwerty123456' }, cookie);
    assert.equal(common.statusCode, 400);
    assert.deepEqual(errorSummaryOf(decodeEntities(common.body)), ['#newPassword This password is one of the most common passwords, so it is easy to guess. Choose another, for example three or four unrelated words.']);
  });

  void test('change signs out everywhere else', async () => {
    const otherDevice = await signIn(web.app, 'kim@example.invalid');
    const thisDevice = await signIn(web.app, 'kim@example.invalid');
    const response = await postForm(web.app, '/account/password', { currentPassword: testPassword, newPassword }, thisDevice);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/account?notice=password-changed');

    const other = await web.app.inject({ url: '/', headers: { cookie: otherDevice } });
    assert.equal(other.statusCode, 302);
    assert.equal(other.headers.location, '/sign-in');
    const old = await web.app.inject({ url: '/', headers: { cookie: thisDevice } });
    assert.equal(old.statusCode, 302);
    const renewed = String(response.headers['set-cookie']).split(';')[0] ?? '';
    const current = await web.app.inject({ url: '/account?notice=password-changed', headers: { cookie: renewed } });
    assert.equal(current.statusCode, 200);
    assert.match(current.body, /Password changed. You have been signed out on every other device./);

    await assert.rejects(signIn(web.app, 'kim@example.invalid'), /failed with status 401/);
    await signIn(web.app, 'kim@example.invalid', newPassword);
    const events = await web.database.db.selectFrom('audit_events').select(['action', 'entity']).where('action', '=', 'account.password-change').execute();
    assert.deepEqual(events, [{ action: 'account.password-change', entity: 'staff' }]);
  });
});

void describe('session timeouts', () => {
  let web: WebTestApp;
  before(async () => {
    web = await createWebTestApp();
    await seedStaff(web.database, { roles: ['keyworker'], email: 'kim@example.invalid' });
  });
  after(async () => web.close());

  void test('activity keeps a session alive', async () => {
    const cookie = await signIn(web.app, 'kim@example.invalid');
    for (let step = 0; step < 3; step += 1) {
      web.clock.advance(29 * 60_000);
      const response = await web.app.inject({ url: '/', headers: { cookie } });
      assert.equal(response.statusCode, 200, `after ${(step + 1) * 29} minutes`);
    }
  });

  void test('idle session ends after 30 minutes', async () => {
    const cookie = await signIn(web.app, 'kim@example.invalid');
    web.clock.advance(30 * 60_000);
    const response = await web.app.inject({ url: '/', headers: { cookie } });
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/sign-in');
  });

  void test('session ends after 12 hours', async () => {
    const cookie = await signIn(web.app, 'kim@example.invalid');
    for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
      web.clock.advance(25 * 60_000);
      const response = await web.app.inject({ url: '/', headers: { cookie } });
      assert.equal(response.statusCode, 200, `after ${minutes} minutes`);
    }
    web.clock.advance(25 * 60_000);
    const response = await web.app.inject({ url: '/', headers: { cookie } });
    assert.equal(response.statusCode, 302);
  });
});

void describe('idle timeout setting', () => {
  let web: WebTestApp;
  before(async () => {
    web = await createWebTestApp({ settings: { sessionIdleMinutes: 5 } });
    await seedStaff(web.database, { roles: ['keyworker'], email: 'kim@example.invalid' });
  });
  after(async () => web.close());

  void test('shorter idle timeout applies', async () => {
    const cookie = await signIn(web.app, 'kim@example.invalid');
    web.clock.advance(4 * 60_000);
    assert.equal((await web.app.inject({ url: '/', headers: { cookie } })).statusCode, 200);
    web.clock.advance(5 * 60_000);
    assert.equal((await web.app.inject({ url: '/', headers: { cookie } })).statusCode, 302);
  });
});
