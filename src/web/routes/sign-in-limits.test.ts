import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cookieOf, createWebTestApp, errorSummaryOf, postForm, seedStaff, signIn, testPassword } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';

const wrongPasswordMessage = '#email Enter a correct email address and password. Ask an administrator if your account is disabled.';

void describe('account lock after failed sign-ins', () => {
  let web: WebTestApp;
  before(async () => {
    web = await createWebTestApp({ settings: { failedSignInsBeforeLock: 3, accountLockMinutes: 15 } });
    await seedStaff(web.database, { roles: ['keyworker'], email: 'kim@example.invalid' });
  });
  after(async () => web.close());

  void test('failures below the limit give 401', async () => {
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const response = await postForm(web.app, '/sign-in', { email: 'kim@example.invalid', password: 'wrong password here' });
      assert.equal(response.statusCode, 401, `attempt ${attempt}`);
      assert.deepEqual(errorSummaryOf(response.body), [wrongPasswordMessage]);
    }
  });

  void test('third failure locks with 429', async () => {
    const response = await postForm(web.app, '/sign-in', { email: 'kim@example.invalid', password: 'wrong password here' });
    assert.equal(response.statusCode, 429);
    assert.equal(response.headers['retry-after'], '900');
    assert.match(response.body, /<h1 class="nhsuk-heading-l">Too many failed sign-ins<\/h1>/);
    assert.match(response.body, /This account is locked for 15 minutes after too many failed sign-ins/);
  });

  void test('locked account rejects right password', async () => {
    web.clock.advance(5 * 60_000);
    const response = await postForm(web.app, '/sign-in', { email: 'kim@example.invalid', password: testPassword });
    assert.equal(response.statusCode, 429);
    assert.equal(response.headers['retry-after'], '600');
    assert.equal(cookieOf(response, 'waymark_session'), '');
  });

  void test('lock ends after its period', async () => {
    web.clock.advance(10 * 60_000);
    const cookie = await signIn(web.app, 'kim@example.invalid');
    const home = await web.app.inject({ url: '/', headers: { cookie } });
    assert.equal(home.statusCode, 200);
    const row = await web.database.db.selectFrom('staff').select(['failed_sign_ins', 'locked_until']).where('email', '=', 'kim@example.invalid').executeTakeFirstOrThrow();
    assert.deepEqual(row, { failed_sign_ins: 0, locked_until: null });
  });

  void test('success resets the failure count', async () => {
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      await postForm(web.app, '/sign-in', { email: 'kim@example.invalid', password: 'wrong password here' });
    }
    await signIn(web.app, 'kim@example.invalid');
    const response = await postForm(web.app, '/sign-in', { email: 'kim@example.invalid', password: 'wrong password here' });
    assert.equal(response.statusCode, 401);
  });

  void test('disabled account cannot sign in', async () => {
    await web.database.db.updateTable('staff').set({ disabled_at: new Date() }).where('email', '=', 'kim@example.invalid').execute();
    const response = await postForm(web.app, '/sign-in', { email: 'kim@example.invalid', password: testPassword });
    assert.equal(response.statusCode, 401);
    assert.deepEqual(errorSummaryOf(response.body), [wrongPasswordMessage]);
  });
});

void describe('sign-in limit per address', () => {
  let web: WebTestApp;
  before(async () => {
    web = await createWebTestApp({ settings: { signInPostsPerAddress: 3, signInAddressWindowMinutes: 10 } });
    await seedStaff(web.database, { roles: ['keyworker'], email: 'kim@example.invalid' });
  });
  after(async () => web.close());

  void test('posts past the limit give 429', async () => {
    // Different unknown accounts, so only the address limit can stop them.
    for (const email of ['a@example.invalid', 'b@example.invalid', 'c@example.invalid']) {
      const response = await postForm(web.app, '/sign-in', { email, password: 'wrong password here' });
      assert.equal(response.statusCode, 401, email);
    }
    const response = await postForm(web.app, '/sign-in', { email: 'kim@example.invalid', password: testPassword });
    assert.equal(response.statusCode, 429);
    assert.equal(response.headers['retry-after'], '600');
    assert.match(response.body, /<h1 class="nhsuk-heading-l">Too many sign-in attempts<\/h1>/);
    assert.match(response.body, /Wait 600 seconds, then try again/);
    assert.equal(cookieOf(response, 'waymark_session'), '');
  });

  void test('other pages are not limited', async () => {
    const response = await web.app.inject('/sign-in');
    assert.equal(response.statusCode, 200);
  });
});
