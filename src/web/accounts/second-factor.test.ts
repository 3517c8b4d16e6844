import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { acceptTotpCode, totpCodeAt, totpQrCodeSvg, totpUri } from './second-factor.js';
import { cookieOf, createWebTestApp, decodeEntities, errorSummaryOf, postForm, seedStaff, signIn, testPassword, testTotpSecret } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';

const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

void describe('TOTP codes', () => {
  const now = new Date('2026-01-05T10:00:10Z');
  const step = Math.floor(now.getTime() / 30_000);

  void test('current code gives its step', () => {
    assert.equal(acceptTotpCode(secret, totpCodeAt(secret, now), now, null), step);
  });

  void test('previous and next steps accepted', () => {
    assert.equal(acceptTotpCode(secret, totpCodeAt(secret, new Date(now.getTime() - 30_000)), now, null), step - 1);
    assert.equal(acceptTotpCode(secret, totpCodeAt(secret, new Date(now.getTime() + 30_000)), now, null), step + 1);
  });

  void test('code two steps old rejected', () => {
    assert.equal(acceptTotpCode(secret, totpCodeAt(secret, new Date(now.getTime() - 60_000)), now, null), undefined);
  });

  void test('used step rejected', () => {
    assert.equal(acceptTotpCode(secret, totpCodeAt(secret, now), now, step), undefined);
  });

  void test('malformed codes rejected', () => {
    for (const code of ['', '12345', '1234567', 'abcdef']) assert.equal(acceptTotpCode(secret, code, now, null), undefined, code);
  });

  void test('spaces in a code ignored', () => {
    const code = totpCodeAt(secret, now);
    assert.equal(acceptTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null), step);
  });

  void test('URI names issuer and account', () => {
    assert.equal(totpUri(secret, 'kim@example.invalid'), `otpauth://totp/Waymark:kim%40example.invalid?issuer=Waymark&secret=${secret}&algorithm=SHA1&digits=6&period=30`);
  });

  void test('QR code has no inline style', () => {
    const svg = totpQrCodeSvg(totpUri(secret, 'kim@example.invalid'));
    assert.match(svg, /^<svg class="waymark-qr-code" role="img" aria-label="[^"]+" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /style/);
  });
});

void describe('sign-in with a second factor', () => {
  let web: WebTestApp;
  before(async () => {
    web = await createWebTestApp();
    await seedStaff(web.database, { roles: ['keyworker'], email: 'kim@example.invalid', totpSecret: testTotpSecret });
  });
  after(async () => web.close());

  async function passwordStep(): Promise<string> {
    const response = await postForm(web.app, '/sign-in', { email: 'kim@example.invalid', password: testPassword });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/sign-in/code');
    assert.equal(cookieOf(response, 'waymark_session'), '');
    return cookieOf(response, 'waymark_sign_in');
  }

  void test('password alone gives no session', async () => {
    const challenge = await passwordStep();
    const page = await web.app.inject({ url: '/sign-in/code', headers: { cookie: challenge } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Enter the code from your authenticator app/);
    const home = await web.app.inject({ url: '/', headers: { cookie: challenge } });
    assert.equal(home.statusCode, 302);
    assert.equal(home.headers.location, '/sign-in');
  });

  void test('wrong code gives 401 and a message', async () => {
    const challenge = await passwordStep();
    const right = totpCodeAt(testTotpSecret, web.clock.now());
    const wrong = right === '000000' ? '111111' : '000000';
    const response = await postForm(web.app, '/sign-in/code', { code: wrong }, challenge);
    assert.equal(response.statusCode, 401);
    assert.deepEqual(errorSummaryOf(response.body), ['#code Enter the current 6-digit code from your authenticator app. Each code works once.']);
  });

  void test('right code starts a session', async () => {
    const challenge = await passwordStep();
    const response = await postForm(web.app, '/sign-in/code', { code: totpCodeAt(testTotpSecret, web.clock.now()) }, challenge);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/');
    const home = await web.app.inject({ url: '/', headers: { cookie: cookieOf(response, 'waymark_session') } });
    assert.equal(home.statusCode, 200);
  });

  void test('same code rejected a second time', async () => {
    const code = totpCodeAt(testTotpSecret, web.clock.now());
    const response = await postForm(web.app, '/sign-in/code', { code }, await passwordStep());
    assert.equal(response.statusCode, 401);
    web.clock.advance(30_000);
  });

  void test('code step times out', async () => {
    const challenge = await passwordStep();
    web.clock.advance(6 * 60_000);
    const response = await postForm(web.app, '/sign-in/code', { code: totpCodeAt(testTotpSecret, web.clock.now()) }, challenge);
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Your sign-in timed out/);
    assert.equal(cookieOf(response, 'waymark_session'), '');
  });

  void test('code page without a challenge goes to sign-in', async () => {
    const response = await web.app.inject('/sign-in/code');
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/sign-in');
  });
});

void describe('second factor set-up', () => {
  let web: WebTestApp;
  before(async () => {
    web = await createWebTestApp();
    await seedStaff(web.database, { roles: ['administrator'], email: 'ada@example.invalid', totpSecret: null, agencyCode: 'ADM01' });
  });
  after(async () => web.close());

  function shownSecret(html: string): string {
    const text = /<code class="waymark-code waymark-secret" id="totp-key">([A-Z2-7 ]+)<\/code>/.exec(html)?.[1];
    assert.ok(text, 'the page shows the key as text');
    return text.replace(/ /g, '');
  }

  void test('administrator without one is sent to set-up', async () => {
    const cookie = await signIn(web.app, 'ada@example.invalid');
    for (const url of ['/admin/staff', '/', '/account']) {
      const response = await web.app.inject({ url, headers: { cookie } });
      assert.equal(response.statusCode, 302, url);
      assert.equal(response.headers.location, '/account/second-factor', url);
    }
    const page = await web.app.inject({ url: '/account/second-factor', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Administrators must use a second factor/);
    assert.match(page.body, /<svg class="waymark-qr-code"/);
  });

  void test('reload keeps the same key', async () => {
    const cookie = await signIn(web.app, 'ada@example.invalid');
    const first = await web.app.inject({ url: '/account/second-factor', headers: { cookie } });
    const second = await web.app.inject({ url: '/account/second-factor', headers: { cookie } });
    assert.equal(shownSecret(second.body), shownSecret(first.body));
  });

  void test('wrong code keeps set-up open', async () => {
    const cookie = await signIn(web.app, 'ada@example.invalid');
    const page = await web.app.inject({ url: '/account/second-factor', headers: { cookie } });
    const key = shownSecret(page.body);
    const right = totpCodeAt(key, web.clock.now());
    const wrong = right === '123456' ? '654321' : '123456';
    const response = await postForm(web.app, '/account/second-factor', { code: wrong }, cookie);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(decodeEntities(response.body)), [`#code ${wrong} is not the current code for this key. Check the app shows Waymark with your email address, then enter the 6-digit code it shows now.`]);
    const row = await web.database.db.selectFrom('staff').select(['totp_secret', 'totp_pending_secret']).where('email', '=', 'ada@example.invalid').executeTakeFirstOrThrow();
    assert.deepEqual(row, { totp_secret: null, totp_pending_secret: key });
  });

  void test('right code confirms and opens pages', async () => {
    const cookie = await signIn(web.app, 'ada@example.invalid');
    const page = await web.app.inject({ url: '/account/second-factor', headers: { cookie } });
    const key = shownSecret(page.body);
    const response = await postForm(web.app, '/account/second-factor', { code: totpCodeAt(key, web.clock.now()) }, cookie);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/account?notice=second-factor-set');
    const staffPage = await web.app.inject({ url: '/admin/staff', headers: { cookie } });
    assert.equal(staffPage.statusCode, 200);

    const row = await web.database.db.selectFrom('staff').select(['id', 'totp_secret', 'totp_pending_secret']).where('email', '=', 'ada@example.invalid').executeTakeFirstOrThrow();
    assert.equal(row.totp_secret, key);
    assert.equal(row.totp_pending_secret, null);
    const events = await web.database.db.selectFrom('audit_events').select(['actor', 'action', 'entity', 'entity_id']).where('action', '=', 'account.second-factor-setup').execute();
    assert.deepEqual(events, [{ actor: `staff:${row.id}`, action: 'account.second-factor-setup', entity: 'staff', entity_id: String(row.id) }]);

    // From now on sign-in asks for a code from the new key.
    web.clock.advance(30_000);
    const again = await signIn(web.app, 'ada@example.invalid', testPassword, key);
    const home = await web.app.inject({ url: '/admin/staff', headers: { cookie: again } });
    assert.equal(home.statusCode, 200);
  });

  void test('keyworker may use pages without one', async () => {
    await seedStaff(web.database, { roles: ['keyworker'], email: 'kim@example.invalid', agencyCode: 'KEY01' });
    const cookie = await signIn(web.app, 'kim@example.invalid');
    const home = await web.app.inject({ url: '/', headers: { cookie } });
    assert.equal(home.statusCode, 200);
    const account = await web.app.inject({ url: '/account', headers: { cookie } });
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Not set up \(optional\)/);
  });
});
