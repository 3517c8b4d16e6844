import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { findSessionStaff, lastSeenPrecisionMs, sessionIdOf, sessionLifetimeMs, startSession } from './sessions.js';
import { createWebTestApp, errorSummaryOf, postForm, seedStaff, signIn, testPassword, testSetupToken } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';

void describe('first start set-up', () => {
  let web: WebTestApp;
  before(async () => {
    web = await createWebTestApp();
  });
  after(async () => web.close());

  void test('every page redirects to set-up', async () => {
    for (const url of ['/', '/clients/new', '/sign-in']) {
      const response = await web.app.inject(url);
      assert.equal(response.statusCode, 302, url);
      assert.equal(response.headers.location, '/setup', url);
    }
  });

  void test('wrong token is rejected with the summary', async () => {
    const response = await postForm(web.app, '/setup', { token: 'guess', organisationName: 'Org', agencyCode: 'ABC12', agencyName: 'Agency', teamName: 'Team', displayName: 'Ada', email: 'ada@example.invalid', password: testPassword });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#token Enter the set-up token printed in the server log when Waymark started']);
    const staff = await web.database.db.selectFrom('staff').select('id').execute();
    assert.equal(staff.length, 0);
  });

  void test('right token creates the administrator once', async () => {
    const response = await postForm(web.app, '/setup', { token: testSetupToken, organisationName: 'Org', agencyCode: 'abc12', agencyName: 'Agency', teamName: 'Team', displayName: 'Ada', email: 'Ada@Example.invalid', password: testPassword });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/account/second-factor');
    const staff = await web.database.db.selectFrom('staff').select(['email', 'roles']).execute();
    assert.deepEqual(staff, [{ email: 'ada@example.invalid', roles: ['team-leader', 'administrator'] }]);
    const agency = await web.database.db.selectFrom('agencies').select('code').executeTakeFirstOrThrow();
    assert.equal(agency.code, 'ABC12');

    const again = await web.app.inject('/setup');
    assert.equal(again.statusCode, 302);
    assert.equal(again.headers.location, '/sign-in');
  });
});

void describe('sign-in and sessions', () => {
  let web: WebTestApp;
  before(async () => {
    web = await createWebTestApp();
    await seedStaff(web.database, { roles: ['keyworker'], email: 'kim@example.invalid' });
  });
  after(async () => web.close());

  void test('signed-out request goes to sign-in', async () => {
    const response = await web.app.inject('/');
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/sign-in');
  });

  void test('wrong password gives one message', async () => {
    const response = await postForm(web.app, '/sign-in', { email: 'kim@example.invalid', password: 'not the password' });
    assert.equal(response.statusCode, 401);
    assert.deepEqual(errorSummaryOf(response.body), ['#email Enter a correct email address and password. Ask an administrator if your account is disabled.']);
    assert.match(response.body, /value="kim@example.invalid"/);
  });

  void test('sign-in sets a hardened cookie', async () => {
    const response = await postForm(web.app, '/sign-in', { email: 'KIM@example.invalid', password: testPassword });
    assert.equal(response.statusCode, 303);
    const cookie = String(response.headers['set-cookie']);
    assert.match(cookie, /^waymark_session=[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
  });

  void test('session stores only the token hash', async () => {
    const cookie = await signIn(web.app, 'kim@example.invalid');
    const token = cookie.split('=')[1] ?? '';
    const rows = await web.database.db.selectFrom('sessions').select('id').execute();
    assert.ok(rows.some((row) => row.id === sessionIdOf(token)));
    assert.ok(rows.every((row) => row.id !== token));
  });

  void test('sign-in renews the session id', async () => {
    const first = await signIn(web.app, 'kim@example.invalid');
    const response = await postForm(web.app, '/sign-in', { email: 'kim@example.invalid', password: testPassword }, first);
    const second = String(response.headers['set-cookie']).split(';')[0];
    assert.notEqual(second, first);
    const old = await web.app.inject({ url: '/', headers: { cookie: first } });
    assert.equal(old.statusCode, 302);
  });

  void test('sign-out ends the session', async () => {
    const cookie = await signIn(web.app, 'kim@example.invalid');
    const signedIn = await web.app.inject({ url: '/', headers: { cookie } });
    assert.equal(signedIn.statusCode, 200);
    const out = await postForm(web.app, '/sign-out', {}, cookie);
    assert.equal(out.statusCode, 303);
    const after = await web.app.inject({ url: '/', headers: { cookie } });
    assert.equal(after.statusCode, 302);
    assert.equal(after.headers.location, '/sign-in');
  });
});

void describe('session lookup', () => {
  let web: WebTestApp;
  let staffId: number;
  let secondTeamId: number;
  before(async () => {
    web = await createWebTestApp();
    const seeded = await seedStaff(web.database, { roles: ['keyworker'], email: 'lee@example.invalid' });
    staffId = seeded.staffId;
    const team = await web.database.db.insertInto('teams').values({ agency_id: seeded.agencyId, name: 'South team' }).returning('id').executeTakeFirstOrThrow();
    secondTeamId = team.id;
    await web.database.db.insertInto('staff_teams').values({ staff_id: staffId, team_id: secondTeamId }).execute();
  });
  after(async () => web.close());

  // Long enough that no test here runs into the idle timeout.
  const idleMs = sessionLifetimeMs;

  void test('live session gives staff and teams', async () => {
    const started = new Date('2026-01-05T09:00:00Z');
    const token = await startSession(web.database.db, staffId, started);
    const staff = await findSessionStaff(web.database.db, token, started, idleMs);
    assert.equal(staff?.id, staffId);
    assert.equal(staff?.email, 'lee@example.invalid');
    assert.deepEqual(staff?.roles, ['keyworker']);
    assert.equal(staff?.teamIds.length, 2);
    assert.ok(staff?.teamIds.includes(secondTeamId));
  });

  void test('last seen is written once a minute', async () => {
    const started = new Date('2026-01-05T09:00:00Z');
    const token = await startSession(web.database.db, staffId, started);
    const lastSeen = async (): Promise<number> => {
      const row = await web.database.db.selectFrom('sessions').select('last_seen_at').where('id', '=', sessionIdOf(token)).executeTakeFirstOrThrow();
      return new Date(row.last_seen_at).getTime();
    };
    await findSessionStaff(web.database.db, token, new Date(started.getTime() + lastSeenPrecisionMs - 1), idleMs);
    assert.equal(await lastSeen(), started.getTime());
    const later = new Date(started.getTime() + lastSeenPrecisionMs);
    await findSessionStaff(web.database.db, token, later, idleMs);
    assert.equal(await lastSeen(), later.getTime());
  });

  void test('expired session finds nobody', async () => {
    const started = new Date('2026-01-05T09:00:00Z');
    const token = await startSession(web.database.db, staffId, started);
    assert.equal(await findSessionStaff(web.database.db, token, new Date(started.getTime() + sessionLifetimeMs), idleMs), undefined);
  });

  void test('disabled account ends its sessions', async () => {
    const started = new Date('2026-01-05T09:00:00Z');
    const token = await startSession(web.database.db, staffId, started);
    await web.database.db.updateTable('staff').set({ disabled_at: started }).where('id', '=', staffId).execute();
    try {
      assert.equal(await findSessionStaff(web.database.db, token, started, idleMs), undefined);
    } finally {
      await web.database.db.updateTable('staff').set({ disabled_at: null }).where('id', '=', staffId).execute();
    }
  });
});
