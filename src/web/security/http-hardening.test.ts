import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createWebTestApp, postForm, seedStaff, signIn } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';
import { stripWebFonts } from './http-hardening.js';

void describe('HTTP hardening', () => {
  let web: WebTestApp;
  let cookie: string;
  before(async () => {
    web = await createWebTestApp();
    await seedStaff(web.database, { roles: ['keyworker'], email: 'kim@example.invalid' });
    cookie = await signIn(web.app, 'kim@example.invalid');
  });
  after(async () => web.close());

  void test('pages send the security headers', async () => {
    const response = await web.app.inject('/sign-in');
    assert.equal(
      response.headers['content-security-policy'],
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self';font-src 'self';connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none';object-src 'none'",
    );
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['x-frame-options'], 'DENY');
    assert.equal(response.headers['referrer-policy'], 'same-origin');
    // HSTS only over HTTPS; these tests run as plain HTTP.
    assert.equal(response.headers['strict-transport-security'], undefined);
  });

  void test('stylesheet served without web fonts', async () => {
    const response = await web.app.inject('/assets/nhsuk/nhsuk-frontend.min.css');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/css; charset=utf-8');
    assert.doesNotMatch(response.body, /@font-face/);
    assert.doesNotMatch(response.body, /assets\.nhs\.uk/);
    assert.match(response.body, /\.nhsuk-button/);
  });

  void test('stripWebFonts keeps other rules', () => {
    assert.equal(stripWebFonts('a{color:red}@font-face{font-family:X;src:url(https://x.invalid/x.woff2)}b{margin:0}'), 'a{color:red}b{margin:0}');
  });

  void test('signed-in pages are not stored', async () => {
    for (const url of ['/', '/clients/new', '/account', '/no-such-page', '/clients/abc']) {
      const response = await web.app.inject({ url, headers: { cookie } });
      assert.equal(response.headers['cache-control'], 'no-store', url);
    }
    const lookup = await web.app.inject({ url: '/catalogue/lookup?term=methadone', headers: { cookie } });
    assert.equal(lookup.headers['cache-control'], 'no-store');
    const saved = await postForm(web.app, '/clients/new', { clientRef: '' }, cookie);
    assert.equal(saved.headers['cache-control'], 'no-store');
  });

  void test('static files keep their caching', async () => {
    const stylesheet = await web.app.inject({ url: '/assets/nhsuk/nhsuk-frontend.min.css', headers: { cookie } });
    assert.equal(stylesheet.headers['cache-control'], 'public, max-age=3600');
    for (const url of ['/static/app.js', '/assets/images/nhsuk-icon-cross.svg']) {
      const response = await web.app.inject({ url, headers: { cookie } });
      assert.equal(response.statusCode, 200, url);
      assert.notEqual(response.headers['cache-control'], 'no-store', url);
    }
  });

  void test('NHS.UK icons are served', async () => {
    const response = await web.app.inject('/assets/images/nhsuk-icon-cross.svg');
    assert.equal(response.statusCode, 200);
  });

  void test('overlong field gives 400 naming it', async () => {
    const response = await postForm(web.app, '/clients/new', { clientRef: 'x'.repeat(1001) }, cookie);
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Nothing was saved\. Client reference has 1001 characters, and the maximum is 1000\. Go back, shorten it to 1000 characters or fewer, and send the form again\./);
    const clients = await web.database.db.selectFrom('clients').select('id').execute();
    assert.equal(clients.length, 0);
  });

  void test('oversized body gives 413', async () => {
    const response = await web.app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: `email=${'a'.repeat(70 * 1024)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(response.statusCode, 413);
    assert.match(response.body, /A form can be at most 64 KB/);
  });

  void test('unreadable body gives 4xx not 500', async () => {
    const response = await web.app.inject({ method: 'POST', url: '/sign-in', payload: '{"email":', headers: { 'content-type': 'application/json' } });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /The request could not be read/);
    const unsupported = await web.app.inject({ method: 'POST', url: '/sign-in', payload: 'x', headers: { 'content-type': 'text/xml' } });
    assert.equal(unsupported.statusCode, 415);
  });
});
