import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cdsQDataset } from '../../dataset/index.js';
import { sessionCookieName, startSession } from '../accounts/sessions.js';
import { readForm } from '../testing/html-forms.js';
import { createWebTestApp, decodeEntities, errorSummaryOf, postForm } from '../testing/web-test-app.js';
import type { WebTestApp } from '../testing/web-test-app.js';
import { defaultWebSettings } from '../settings.js';
import { recordLinkOf } from './month-end-links.js';

const reason = 'Month-end error D6: intervention end date missing after discharge';

void describe('correction grant pages', () => {
  let web: WebTestApp;
  let officerId: number;
  let officer: string;
  let keyworker: string;
  let clientLeader: string;
  let clientId: number;
  let episodeId: number;
  let interventionId: number;
  let otherAgencyClientId: number;

  before(async () => {
    web = await createWebTestApp();
    const { db } = web.database;
    const organisation = await db.insertInto('organisations').values({ name: 'Correction organisation' }).returning('id').executeTakeFirstOrThrow();
    const agency = await db.insertInto('agencies').values({ organisation_id: organisation.id, code: 'CORR1', name: 'Correction agency' }).returning('id').executeTakeFirstOrThrow();
    const otherAgency = await db.insertInto('agencies').values({ organisation_id: organisation.id, code: 'CORR2', name: 'Other agency' }).returning('id').executeTakeFirstOrThrow();
    const officeTeam = await db.insertInto('teams').values({ agency_id: agency.id, name: 'Data team' }).returning('id').executeTakeFirstOrThrow();
    const clientTeam = await db.insertInto('teams').values({ agency_id: agency.id, name: 'North team' }).returning('id').executeTakeFirstOrThrow();
    const otherAgencyTeam = await db.insertInto('teams').values({ agency_id: otherAgency.id, name: 'East team' }).returning('id').executeTakeFirstOrThrow();

    const signedIn = async (email: string, roles: string[], teamId: number): Promise<{ id: number; cookie: string }> => {
      const staff = await db.insertInto('staff').values({ organisation_id: organisation.id, email, display_name: `Name of ${email}`, roles }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('staff_teams').values({ staff_id: staff.id, team_id: teamId }).execute();
      return { id: staff.id, cookie: `${sessionCookieName}=${await startSession(db, staff.id, new Date())}` };
    };
    const dataOfficer = await signedIn('corr-officer@example.invalid', ['data-officer'], officeTeam.id);
    officerId = dataOfficer.id;
    officer = dataOfficer.cookie;
    keyworker = (await signedIn('corr-kw@example.invalid', ['keyworker'], officeTeam.id)).cookie;
    clientLeader = (await signedIn('corr-tl@example.invalid', ['team-leader'], clientTeam.id)).cookie;

    const client = await db.insertInto('clients').values({ agency_id: agency.id, client_ref: 'C-CORR-1', first_initial: 'A', surname_initial: 'B', date_of_birth: '1985-01-02', sex: 'F', consent: 'Y', team_id: clientTeam.id }).returning('id').executeTakeFirstOrThrow();
    clientId = client.id;
    const episode = await db.insertInto('episodes').values({ agency_id: agency.id, client_id: client.id, episode_ref: 'E-CORR-1', referral_date: '2024-03-01', triage_date: '2024-03-05' }).returning('id').executeTakeFirstOrThrow();
    episodeId = episode.id;
    const intervention = await db.insertInto('interventions').values({ agency_id: agency.id, episode_id: episode.id, intervention_ref: 'I-CORR-1', intervention_type: '94', setting: '1', referral_date: '2024-03-05', start_date: '2024-03-06' }).returning('id').executeTakeFirstOrThrow();
    interventionId = intervention.id;
    otherAgencyClientId = (await db.insertInto('clients').values({ agency_id: otherAgency.id, client_ref: 'C-CORR-2', first_initial: 'C', surname_initial: 'D', date_of_birth: '1980-05-06', sex: 'M', consent: 'Y', team_id: otherAgencyTeam.id }).returning('id').executeTakeFirstOrThrow()).id;
  });
  after(async () => web.close());

  const grantCount = async (): Promise<number> => {
    const row = await web.database.db.selectFrom('break_glass_grants').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  };

  void test('finding link goes through the grant form', () => {
    const link = recordLinkOf('intervention', cdsQDataset.columnOf('intervention', 'endDate'), { id: interventionId, clientId, episodeId }, 'correct');
    assert.deepEqual(link, { href: `/clients/${clientId}/correction?next=${encodeURIComponent(`/interventions/${interventionId}/edit#end-day`)}`, text: 'Correct the intervention' });
  });

  void test('edit form asks a data officer for a reason', async () => {
    const response = await web.app.inject({ url: `/interventions/${interventionId}/edit`, headers: { cookie: officer } });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, new RegExp(`action="/clients/${clientId}/correction"`));
    assert.match(response.body, new RegExp(`name="next" value="/interventions/${interventionId}/edit"`));
    assert.doesNotMatch(response.body, /I-CORR-1/);
  });

  void test('client record offers a correction', async () => {
    const response = await web.app.inject({ url: `/clients/${clientId}`, headers: { cookie: officer } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, new RegExp(`href="/clients/${clientId}/correction">Ask to correct this record`));
    assert.doesNotMatch(response.body, new RegExp(`href="/clients/${clientId}/edit"`));
  });

  void test('short reason is rejected with text kept', async () => {
    const response = await postForm(web.app, `/clients/${clientId}/correction`, { reason: 'fix end date', next: `/interventions/${interventionId}/edit#end-day` }, officer);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(errorSummaryOf(response.body), [`#reason The reason must be at least ${defaultWebSettings.correctionReasonMinLength} characters: say which finding you are correcting`]);
    assert.match(response.body, /<textarea[^>]*id="reason"[^>]*>fix end date<\/textarea>/);
    assert.match(decodeEntities(response.body), new RegExp(`name="next" value="/interventions/${interventionId}/edit#end-day"`));
    assert.equal(await grantCount(), 0);
  });

  void test('keyworker cannot ask for a grant', async () => {
    const response = await postForm(web.app, `/clients/${clientId}/correction`, { reason }, keyworker);
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /You do not have access to this page/);
    assert.equal(await grantCount(), 0);
  });

  void test('client of another agency is not found', async () => {
    const page = await web.app.inject({ url: `/clients/${otherAgencyClientId}/correction`, headers: { cookie: officer } });
    assert.equal(page.statusCode, 404);
    const response = await postForm(web.app, `/clients/${otherAgencyClientId}/correction`, { reason }, officer);
    assert.equal(response.statusCode, 404);
    assert.equal(await grantCount(), 0);
  });

  void test('reason grants edit access and is audited', async () => {
    const response = await postForm(web.app, `/clients/${clientId}/correction`, { reason, next: `/interventions/${interventionId}/edit#end-day` }, officer);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/interventions/${interventionId}/edit#end-day`);

    const grant = await web.database.db.selectFrom('break_glass_grants').selectAll().executeTakeFirstOrThrow();
    assert.equal(grant.staff_id, officerId);
    assert.equal(grant.client_id, clientId);
    assert.equal(grant.kind, 'correction');
    assert.equal(grant.reason, reason);
    assert.equal(new Date(grant.expires_at).getTime() - new Date(grant.granted_at).getTime(), defaultWebSettings.correctionGrantMinutes * 60_000);
    const events = await web.database.db.selectFrom('audit_events').select(['actor', 'action', 'client_id', 'reason', 'after']).where('action', '=', 'correction.grant').execute();
    assert.deepEqual(events, [{
      actor: `staff:${officerId}`,
      action: 'correction.grant',
      client_id: clientId,
      reason,
      after: { grantId: grant.id, grantedAt: new Date(grant.granted_at).toISOString(), expiresAt: new Date(grant.expires_at).toISOString() },
    }]);

    const form = await web.app.inject({ url: `/interventions/${interventionId}/edit`, headers: { cookie: officer } });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /id="end-day"/);
  });

  void test('client record shows the open grant', async () => {
    const response = await web.app.inject({ url: `/clients/${clientId}`, headers: { cookie: officer } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Your correction grant is open until \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}\./);
    assert.match(response.body, new RegExp(`href="/clients/${clientId}/edit"`));
    assert.match(response.body, new RegExp(`href="/episodes/${episodeId}/edit"`));
    // Adding records needs `client:edit`, which a correction grant does not give.
    assert.doesNotMatch(response.body, new RegExp(`href="/clients/${clientId}/episodes/new"`));
    assert.doesNotMatch(response.body, new RegExp(`href="/episodes/${episodeId}/reviews/new"`));
  });

  void test('edit under the grant names it in the audit', async () => {
    const grant = await web.database.db.selectFrom('break_glass_grants').select('id').where('kind', '=', 'correction').executeTakeFirstOrThrow();
    const page = await web.app.inject({ url: `/clients/${clientId}/edit`, headers: { cookie: officer } });
    assert.equal(page.statusCode, 200);
    const fields = readForm(page.body, `/clients/${clientId}/edit`);
    assert.ok(fields, 'no client form on the edit page');
    const response = await postForm(web.app, `/clients/${clientId}/edit`, { ...fields, consent: 'N' }, officer);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/clients/${clientId}?notice=client-changed`);

    const client = await web.database.db.selectFrom('clients').select(['consent', 'version']).where('id', '=', clientId).executeTakeFirstOrThrow();
    assert.deepEqual(client, { consent: 'N', version: 2 });
    const event = await web.database.db.selectFrom('audit_events').select(['actor', 'action', 'client_id', 'reason']).where('action', '=', 'client.update').executeTakeFirstOrThrow();
    assert.deepEqual(event, { actor: `staff:${officerId}`, action: 'client.update', client_id: clientId, reason: `Made under correction grant ${grant.id}` });
  });

  void test('add pages stay closed under the grant', async () => {
    const response = await web.app.inject({ url: `/clients/${clientId}/episodes/new`, headers: { cookie: officer } });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /You do not have access to this page/);
  });

  void test('team leader list shows the correction', async () => {
    const response = await web.app.inject({ url: '/break-glass', headers: { cookie: clientLeader } });
    assert.equal(response.statusCode, 200);
    const rows = [...response.body.matchAll(/<tr class="nhsuk-table__row">\s*<td class="nhsuk-table__cell">([^<]*)<\/td>[\s\S]*?<td class="nhsuk-table__cell">([^<]*)<\/td>\s*<td class="nhsuk-table__cell"><a href="\/clients\/(\d+)">([^<]*)<\/a><\/td>\s*<td class="nhsuk-table__cell">([^<]*)<\/td>/g)];
    assert.deepEqual(rows.map((row) => [row[1], row[2], row[3], row[4], decodeEntities(row[5] ?? '')]), [['Name of corr-officer@example.invalid', 'Correction', String(clientId), 'C-CORR-1', reason]]);
  });

  void test('address off the site is not followed', async () => {
    // With a live grant the form redirects at once, so only `next` decides where to.
    const response = await web.app.inject({ url: `/clients/${clientId}/correction?next=${encodeURIComponent('https://example.com/clients/1/edit')}`, headers: { cookie: officer } });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/clients/${clientId}`);
  });

  void test('expired grant closes the edit forms', async () => {
    await web.database.db.updateTable('break_glass_grants').set({ granted_at: new Date(Date.now() - 2 * 60 * 60 * 1000), expires_at: new Date(Date.now() - 60 * 1000) }).execute();
    const response = await web.app.inject({ url: `/clients/${clientId}/edit`, headers: { cookie: officer } });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, new RegExp(`action="/clients/${clientId}/correction"`));
    const record = await web.app.inject({ url: `/clients/${clientId}`, headers: { cookie: officer } });
    assert.doesNotMatch(record.body, /Your correction grant is open/);
  });
});
