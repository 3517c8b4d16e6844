import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Listen } from '../../db/notices.js';
import { noQueries } from '../testing/no-queries.js';
import { createWebTestApp, postForm, seedClientWithIntervention, seedStaff, signIn, testPassword } from '../testing/web-test-app.js';
import { hashPassword } from './passwords.js';
import type { SeededEpisode, SeededStaff, WebTestApp } from '../testing/web-test-app.js';
import { SessionCache } from './session-cache.js';
import { findSessionStaff, sessionCookieName } from './sessions.js';

const idleMs = 30 * 60_000;

void describe('signed-in sessions kept in memory', () => {
  let web: WebTestApp;
  let staff: SeededStaff;
  let seeded: SeededEpisode;

  before(async () => {
    web = await createWebTestApp();
    staff = await seedStaff(web.database, { roles: ['keyworker'] });
    seeded = await seedClientWithIntervention(web.database, staff, 'C-SESSION');
  });
  after(async () => web.close());

  const page = (cookie: string, url = '/') => web.app.inject({ url, headers: { cookie } });

  /** Adds a keyworker to the team of `staff`, who can sign in with the test password. */
  const addColleague = async (email: string): Promise<{ staffId: number; email: string }> => {
    const { db } = web.database;
    const row = await db
      .insertInto('staff')
      .values({ organisation_id: staff.organisationId, email, display_name: 'Test Colleague', password_hash: await hashPassword(testPassword), roles: ['keyworker'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('staff_teams').values({ staff_id: row.id, team_id: staff.teamId }).execute();
    return { staffId: row.id, email };
  };

  void test('cached session needs no query', async () => {
    const cookie = await signIn(web.app, staff.email);
    const token = cookie.split('=')[1] ?? '';
    const cache = new SessionCache();
    await cache.listen(web.database.listen);
    const now = web.clock.now();
    const found = await findSessionStaff(web.database.db, token, now, idleMs, cache);
    assert.equal(found?.id, staff.staffId);
    assert.deepEqual(await findSessionStaff(noQueries, token, now, idleMs, cache), found);
  });

  void test('nothing is kept without a listener', async () => {
    const cookie = await signIn(web.app, staff.email);
    const token = cookie.split('=')[1] ?? '';
    const cache = new SessionCache();
    const now = web.clock.now();
    assert.equal((await findSessionStaff(web.database.db, token, now, idleMs, cache))?.id, staff.staffId);
    await assert.rejects(findSessionStaff(noQueries, token, now, idleMs, cache), /a query ran where none was expected/);
  });

  void test('row read before a notice is not kept', async () => {
    let notice = (): void => undefined;
    const listen: Listen = async (_channel, handlers) => {
      handlers.connected(true);
      notice = handlers.notice;
      return async () => undefined;
    };
    const cache = new SessionCache();
    await cache.listen(listen);
    const now = web.clock.now();
    const session = { staff: { id: 1, organisationId: 1, email: 'a@example.invalid', displayName: 'A', roles: [], competences: [], registrations: [], teamIds: [], hasSecondFactor: false }, expiresAt: now, lastSeenAt: now, readAt: now };

    // The notice comes while the session query is on its way, as when an administrator
    // disables the account at that moment.
    const generation = cache.generation;
    notice();
    cache.set('session-read-before', session, generation);
    assert.equal(cache.get('session-read-before', now), undefined);

    cache.set('session-read-after', session, cache.generation);
    assert.equal(cache.get('session-read-after', now), session);
  });

  void test('disabled account is signed out at once', async () => {
    const member = await addColleague('disabled-now@example.invalid');
    const cookie = await signIn(web.app, member.email);
    assert.equal((await page(cookie)).statusCode, 200);
    await web.database.db.updateTable('staff').set({ disabled_at: web.clock.now() }).where('id', '=', member.staffId).execute();
    const response = await page(cookie);
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/sign-in');
  });

  void test('team change applies to the next request', async () => {
    const member = await addColleague('moved-team@example.invalid');
    const cookie = await signIn(web.app, member.email);
    assert.equal((await page(cookie, `/clients/${seeded.clientId}`)).statusCode, 200);
    await web.database.db.deleteFrom('staff_teams').where('staff_id', '=', member.staffId).execute();
    assert.equal((await page(cookie, `/clients/${seeded.clientId}`)).statusCode, 403);
  });

  void test('sign-out ends the kept session', async () => {
    const cookie = await signIn(web.app, staff.email);
    assert.equal((await page(cookie)).statusCode, 200);
    assert.equal((await postForm(web.app, '/sign-out', {}, cookie)).statusCode, 303);
    const response = await page(`${sessionCookieName}=${cookie.split('=')[1] ?? ''}`);
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/sign-in');
  });

  void test('idle session ends despite the cache', async () => {
    const cookie = await signIn(web.app, staff.email);
    assert.equal((await page(cookie)).statusCode, 200);
    web.clock.advance(idleMs + 60_000);
    const response = await page(cookie);
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/sign-in');
  });
});
