import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sessionCookieName, startSession } from '../accounts/sessions.js';
import { defaultWebSettings } from '../settings.js';
import { createWebTestApp, decodeEntities, errorSummaryOf, postForm } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';

const reason = 'Client came to the duty clinic and needs a prescription check';

void describe('break-glass access', () => {
  let web: WebTestApp;
  let keyworkerId: number;
  let keyworker: string;
  let otherLeader: string;
  let ownLeader: string;
  let otherTeamClientId: number;
  let foreignClientId: number;

  before(async () => {
    web = await createWebTestApp();
    const { db } = web.database;
    const organisation = await db.insertInto('organisations').values({ name: 'Glass organisation' }).returning('id').executeTakeFirstOrThrow();
    const foreign = await db.insertInto('organisations').values({ name: 'Foreign organisation' }).returning('id').executeTakeFirstOrThrow();
    const agency = await db.insertInto('agencies').values({ organisation_id: organisation.id, code: 'GLAS1', name: 'Glass agency' }).returning('id').executeTakeFirstOrThrow();
    const foreignAgency = await db.insertInto('agencies').values({ organisation_id: foreign.id, code: 'GLAS2', name: 'Foreign agency' }).returning('id').executeTakeFirstOrThrow();
    const ownTeam = await db.insertInto('teams').values({ agency_id: agency.id, name: 'Own team' }).returning('id').executeTakeFirstOrThrow();
    const otherTeam = await db.insertInto('teams').values({ agency_id: agency.id, name: 'Other team' }).returning('id').executeTakeFirstOrThrow();
    const foreignTeam = await db.insertInto('teams').values({ agency_id: foreignAgency.id, name: 'Foreign team' }).returning('id').executeTakeFirstOrThrow();

    const signedIn = async (email: string, roles: string[], teamId: number): Promise<{ id: number; cookie: string }> => {
      const staff = await db.insertInto('staff').values({ organisation_id: organisation.id, email, display_name: `Name of ${email}`, roles }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('staff_teams').values({ staff_id: staff.id, team_id: teamId }).execute();
      return { id: staff.id, cookie: `${sessionCookieName}=${await startSession(db, staff.id, new Date())}` };
    };
    const worker = await signedIn('glass-kw@example.invalid', ['keyworker'], ownTeam.id);
    keyworkerId = worker.id;
    keyworker = worker.cookie;
    otherLeader = (await signedIn('glass-tl-other@example.invalid', ['team-leader'], otherTeam.id)).cookie;
    ownLeader = (await signedIn('glass-tl-own@example.invalid', ['team-leader'], ownTeam.id)).cookie;

    const client = (agencyId: number, teamId: number, ref: string) =>
      db.insertInto('clients').values({ agency_id: agencyId, client_ref: ref, first_initial: 'A', surname_initial: 'B', date_of_birth: '1985-01-02', sex: 'F', consent: 'Y', team_id: teamId }).returning('id').executeTakeFirstOrThrow();
    otherTeamClientId = (await client(agency.id, otherTeam.id, 'C-GLASS-1')).id;
    foreignClientId = (await client(foreignAgency.id, foreignTeam.id, 'C-GLASS-2')).id;
  });
  after(async () => web.close());

  const grantCount = async (): Promise<number> => {
    const row = await web.database.db.selectFrom('break_glass_grants').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  };

  void test('client outside scope asks for a reason', async () => {
    const response = await web.app.inject({ url: `/clients/${otherTeamClientId}`, headers: { cookie: keyworker } });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, new RegExp(`action="/clients/${otherTeamClientId}/break-glass"`));
    assert.doesNotMatch(response.body, /C-GLASS-1/);
  });

  void test('short reason is rejected', async () => {
    const response = await postForm(web.app, `/clients/${otherTeamClientId}/break-glass`, { reason: 'need it' }, keyworker);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), [`#reason The reason must be at least ${defaultWebSettings.breakGlassReasonMinLength} characters: say why you need this record now`]);
    assert.equal(await grantCount(), 0);
  });

  void test('missing reason is rejected', async () => {
    const response = await postForm(web.app, `/clients/${otherTeamClientId}/break-glass`, { reason: '   ' }, keyworker);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), ['#reason Enter why you need to open this client’s record']);
    assert.equal(await grantCount(), 0);
  });

  void test('reason grants time-limited access', async () => {
    const response = await postForm(web.app, `/clients/${otherTeamClientId}/break-glass`, { reason }, keyworker);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/clients/${otherTeamClientId}`);

    const grant = await web.database.db.selectFrom('break_glass_grants').selectAll().executeTakeFirstOrThrow();
    assert.equal(grant.staff_id, keyworkerId);
    assert.equal(grant.client_id, otherTeamClientId);
    assert.equal(grant.reason, reason);
    assert.equal(new Date(grant.expires_at).getTime() - new Date(grant.granted_at).getTime(), defaultWebSettings.breakGlassMinutes * 60_000);

    const events = await web.database.db.selectFrom('audit_events').select(['actor', 'action', 'entity', 'entity_id', 'reason', 'after']).where('action', '=', 'break-glass.grant').execute();
    assert.deepEqual(events, [{
      actor: `staff:${keyworkerId}`,
      action: 'break-glass.grant',
      entity: 'client',
      entity_id: String(otherTeamClientId),
      reason,
      after: { grantId: grant.id, grantedAt: new Date(grant.granted_at).toISOString(), expiresAt: new Date(grant.expires_at).toISOString() },
    }]);

    const record = await web.app.inject({ url: `/clients/${otherTeamClientId}`, headers: { cookie: keyworker } });
    assert.equal(record.statusCode, 200);
    assert.match(record.body, /C-GLASS-1/);
    const edit = await web.app.inject({ url: `/clients/${otherTeamClientId}/edit`, headers: { cookie: keyworker } });
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /<option value="\d+" selected>Other team \(GLAS1\)<\/option>/);
  });

  void test('client team leader reviews the grant', async () => {
    const response = await web.app.inject({ url: '/break-glass', headers: { cookie: otherLeader } });
    assert.equal(response.statusCode, 200);
    const rows = [...response.body.matchAll(/<tr class="nhsuk-table__row">\s*<td class="nhsuk-table__cell">([^<]*)<\/td>[\s\S]*?<a href="\/clients\/(\d+)">([^<]*)<\/a><\/td>\s*<td class="nhsuk-table__cell">([^<]*)<\/td>/g)];
    assert.deepEqual(rows.map((row) => [row[1], row[2], row[3], decodeEntities(row[4] ?? '')]), [['Name of glass-kw@example.invalid', String(otherTeamClientId), 'C-GLASS-1', reason]]);
  });

  void test('other team leader sees no grant', async () => {
    const response = await web.app.inject({ url: '/break-glass', headers: { cookie: ownLeader } });
    assert.equal(response.statusCode, 200);
    assert.doesNotMatch(response.body, /C-GLASS-1/);
    assert.match(response.body, /No one outside your teams has opened or corrected your teams’ clients/);
  });

  void test('keyworker cannot review grants', async () => {
    const response = await web.app.inject({ url: '/break-glass', headers: { cookie: keyworker } });
    assert.equal(response.statusCode, 403);
  });

  void test('expired grant closes the client', async () => {
    await web.database.db.updateTable('break_glass_grants').set({ granted_at: new Date(Date.now() - 2 * 60 * 60 * 1000), expires_at: new Date(Date.now() - 60 * 1000) }).execute();
    const response = await web.app.inject({ url: `/clients/${otherTeamClientId}`, headers: { cookie: keyworker } });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /break-glass/);
  });

  void test('other organisation stays not found', async () => {
    const before = await grantCount();
    const page = await web.app.inject({ url: `/clients/${foreignClientId}`, headers: { cookie: keyworker } });
    assert.equal(page.statusCode, 404);
    const response = await postForm(web.app, `/clients/${foreignClientId}/break-glass`, { reason }, keyworker);
    assert.equal(response.statusCode, 404);
    assert.equal(await grantCount(), before);
  });
});
