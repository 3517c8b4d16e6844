import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createWebTestApp, postForm, seedStaff, signIn, testPassword, testSetupToken, testTotpSecret } from '../testing/web-test-app.js';
import type { SeededStaff, WebTestApp } from '../testing/web-test-app.js';
import type { WebDatabase } from '../data/tables.js';

interface EventSummary {
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  client_id: number | null;
}

/** Reads the events after `afterId`, in the order they were written. */
async function eventsAfter(db: WebDatabase, afterId: number): Promise<EventSummary[]> {
  return db.selectFrom('audit_events').select(['actor', 'action', 'entity', 'entity_id', 'client_id']).where('id', '>', afterId).orderBy('id').execute();
}

async function lastEventId(db: WebDatabase): Promise<number> {
  const row = await db.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Makes every insert into audit_events fail, as a full disk or a revoked grant would. */
async function breakAuditWrites(db: WebDatabase): Promise<void> {
  await sql`create or replace function audit_events_fail_insert() returns trigger language plpgsql as $$ begin raise exception 'audit write failed in test'; end $$`.execute(db);
  await sql`create trigger audit_events_fail_insert before insert on audit_events for each row execute function audit_events_fail_insert()`.execute(db);
}

async function repairAuditWrites(db: WebDatabase): Promise<void> {
  await sql`drop trigger audit_events_fail_insert on audit_events`.execute(db);
}

const dateFields = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year ?? '' };
};

void describe('audit events of the client journey', () => {
  let web: WebTestApp;
  let staff: SeededStaff;
  let cookie: string;
  let actor: string;

  before(async () => {
    web = await createWebTestApp();
    staff = await seedStaff(web.database, { roles: ['keyworker', 'prescriber'], registrations: ['gmc'] });
    actor = `staff:${staff.staffId}`;
  });
  after(async () => web.close());

  void test('sign-in writes one event', async () => {
    const start = await lastEventId(web.database.db);
    cookie = await signIn(web.app, staff.email);
    assert.deepEqual(await eventsAfter(web.database.db, start), [{ actor, action: 'session.sign-in', entity: 'staff', entity_id: String(staff.staffId), client_id: null }]);
  });

  void test('journey writes the expected events', async () => {
    const db = web.database.db;
    const start = await lastEventId(db);

    const created = await postForm(web.app, '/clients/new', { clientRef: 'C-AUDIT', teamId: String(staff.teamId), firstInitial: 'A', surnameInitial: 'B', ...dateFields('dob', '1985-04-02'), sex: 'F', consent: 'Y', version: '' }, cookie);
    assert.equal(created.statusCode, 303);
    const clientId = Number(/^\/clients\/(\d+)/.exec(String(created.headers.location))?.[1]);
    assert.ok(clientId > 0);
    assert.equal((await web.app.inject({ url: `/clients/${clientId}`, headers: { cookie } })).statusCode, 200);

    const episodeResponse = await postForm(web.app, `/clients/${clientId}/episodes/new`, { episodeRef: 'E-AUDIT', ...dateFields('referral', '2024-03-01'), ...dateFields('triage', '2024-03-04'), confirmWarnings: 'yes' }, cookie);
    assert.equal(episodeResponse.statusCode, 303);
    const episode = await db.selectFrom('episodes').select(['id', 'version']).where('episode_ref', '=', 'E-AUDIT').executeTakeFirstOrThrow();

    const interventionResponse = await postForm(web.app, `/episodes/${episode.id}/interventions/new`, {
      interventionRef: 'I-AUDIT', interventionType: '94', setting: '1', ...dateFields('referral', '2024-03-04'), ...dateFields('offered', '2024-03-05'), ...dateFields('start', '2024-03-06'), exitStatus: '', confirmWarnings: 'yes',
    }, cookie);
    assert.equal(interventionResponse.statusCode, 303);
    const intervention = await db.selectFrom('interventions').select('id').where('intervention_ref', '=', 'I-AUDIT').executeTakeFirstOrThrow();

    // postForm loads the review form first for its CSRF token, which is a view of the record.
    const reviewResponse = await postForm(web.app, `/episodes/${episode.id}/reviews/new`, {
      reviewRef: 'R-AUDIT', episodeVersion: String(episode.version), phase: 'in-treatment', ...dateFields('reviewDate', '2024-03-20'), items: ['PHMETHMNT'], methadoneDose: '60', ostSupervision: '1', confirmWarnings: 'yes',
    }, cookie);
    assert.equal(reviewResponse.statusCode, 303);
    const review = await db.selectFrom('reviews').select('id').where('review_ref', '=', 'R-AUDIT').executeTakeFirstOrThrow();

    const id = String(clientId);
    assert.deepEqual(await eventsAfter(db, start), [
      { actor, action: 'client.add', entity: 'client', entity_id: id, client_id: clientId },
      { actor, action: 'client.view', entity: 'client', entity_id: id, client_id: clientId },
      { actor, action: 'episode.add', entity: 'episode', entity_id: String(episode.id), client_id: clientId },
      { actor, action: 'intervention.add', entity: 'intervention', entity_id: String(intervention.id), client_id: clientId },
      { actor, action: 'episode.view', entity: 'episode', entity_id: String(episode.id), client_id: clientId },
      { actor, action: 'review.add', entity: 'review', entity_id: String(review.id), client_id: clientId },
    ]);

    const reviewEvent = await db.selectFrom('audit_events').select(['before', 'after']).where('action', '=', 'review.add').executeTakeFirstOrThrow();
    assert.equal(reviewEvent.before, null);
    assert.deepEqual((reviewEvent.after as { items: string[] }).items, ['PHMETHMNT']);
    assert.equal((reviewEvent.after as { methadone_dose: string }).methadone_dose, '60.0');
  });

  void test('edits and discharge write before and after', async () => {
    const db = web.database.db;
    const client = await db.selectFrom('clients').select(['id', 'version']).where('client_ref', '=', 'C-AUDIT').executeTakeFirstOrThrow();
    const episode = await db.selectFrom('episodes').select(['id', 'version']).where('episode_ref', '=', 'E-AUDIT').executeTakeFirstOrThrow();
    const intervention = await db.selectFrom('interventions').select('id').where('intervention_ref', '=', 'I-AUDIT').executeTakeFirstOrThrow();
    const start = await lastEventId(db);

    // Each postForm first loads the edit form, which records a view.
    const edited = await postForm(web.app, `/clients/${client.id}/edit`, { teamId: String(staff.teamId), firstInitial: 'A', surnameInitial: 'C', ...dateFields('dob', '1985-04-02'), sex: 'F', consent: 'Y', version: String(client.version) }, cookie);
    assert.equal(edited.statusCode, 303);
    const discharged = await postForm(web.app, `/episodes/${episode.id}/edit`, {
      version: String(episode.version), ...dateFields('referral', '2024-03-01'), ...dateFields('triage', '2024-03-04'), ...dateFields('discharge', '2024-06-01'), dischargeReason: '80', endOpenInterventions: 'yes', exitStatus: 'A', confirmWarnings: 'yes',
    }, cookie);
    assert.equal(discharged.statusCode, 303);

    const clientId = client.id;
    assert.deepEqual(await eventsAfter(db, start), [
      { actor, action: 'client.view', entity: 'client', entity_id: String(clientId), client_id: clientId },
      { actor, action: 'client.update', entity: 'client', entity_id: String(clientId), client_id: clientId },
      { actor, action: 'episode.view', entity: 'episode', entity_id: String(episode.id), client_id: clientId },
      { actor, action: 'episode.discharge', entity: 'episode', entity_id: String(episode.id), client_id: clientId },
      { actor, action: 'intervention.end', entity: 'intervention', entity_id: String(intervention.id), client_id: clientId },
    ]);

    const update = await db.selectFrom('audit_events').select(['before', 'after']).where('action', '=', 'client.update').executeTakeFirstOrThrow();
    assert.equal((update.before as { surname_initial: string }).surname_initial, 'B');
    assert.equal((update.after as { surname_initial: string }).surname_initial, 'C');
    const ended = await db.selectFrom('audit_events').select(['before', 'after', 'reason']).where('action', '=', 'intervention.end').executeTakeFirstOrThrow();
    assert.equal((ended.before as { end_date: string | null }).end_date, null);
    assert.equal((ended.after as { end_date: string | null }).end_date, '2024-06-01');
    assert.equal(ended.reason, 'Ended with the discharge of its episode');
  });

  void test('view of another team’s client writes nothing', async () => {
    const other = await seedStaff(web.database, { roles: ['keyworker'], email: 'other@example.invalid', agencyCode: 'OTHR1' });
    const otherClient = await web.database.db
      .insertInto('clients')
      .values({ agency_id: other.agencyId, client_ref: 'C-OTHER', team_id: other.teamId, consent: 'Y' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const start = await lastEventId(web.database.db);
    const response = await web.app.inject({ url: `/clients/${otherClient.id}`, headers: { cookie } });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(await eventsAfter(web.database.db, start), []);
  });

  void test('failed audit write saves no client', async () => {
    const db = web.database.db;
    await breakAuditWrites(db);
    try {
      const response = await postForm(web.app, '/clients/new', { clientRef: 'C-UNSAVED', teamId: String(staff.teamId), firstInitial: 'D', surnameInitial: 'E', ...dateFields('dob', '1970-01-01'), sex: 'M', consent: 'Y', version: '' }, cookie);
      assert.equal(response.statusCode, 500);
      assert.match(response.body, /Nothing was saved/);
    } finally {
      await repairAuditWrites(db);
    }
    const rows = await db.selectFrom('clients').select('id').where('client_ref', '=', 'C-UNSAVED').execute();
    assert.deepEqual(rows, []);
  });

  void test('failed audit write hides the record', async () => {
    const db = web.database.db;
    const client = await db.selectFrom('clients').select('id').where('client_ref', '=', 'C-AUDIT').executeTakeFirstOrThrow();
    await breakAuditWrites(db);
    try {
      const response = await web.app.inject({ url: `/clients/${client.id}`, headers: { cookie } });
      assert.equal(response.statusCode, 500);
      assert.doesNotMatch(response.body, /C-AUDIT/);
    } finally {
      await repairAuditWrites(db);
    }
  });

  void test('sign-out writes one event', async () => {
    const start = await lastEventId(web.database.db);
    const response = await postForm(web.app, '/sign-out', {}, cookie);
    assert.equal(response.statusCode, 303);
    assert.deepEqual(await eventsAfter(web.database.db, start), [{ actor, action: 'session.sign-out', entity: 'staff', entity_id: String(staff.staffId), client_id: null }]);
  });
});

void describe('audit events of accounts', () => {
  let web: WebTestApp;

  before(async () => {
    web = await createWebTestApp();
  });
  after(async () => web.close());

  void test('set-up writes one event', async () => {
    const response = await postForm(web.app, '/setup', {
      token: testSetupToken, organisationName: 'Test trust', agencyCode: 'SET01', agencyName: 'Set-up agency', teamName: 'First team', displayName: 'First Admin', email: 'admin@example.invalid', password: testPassword,
    });
    assert.equal(response.statusCode, 303);
    const admin = await web.database.db.selectFrom('staff').select('id').where('email', '=', 'admin@example.invalid').executeTakeFirstOrThrow();
    const organisation = await web.database.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow();
    assert.deepEqual(await eventsAfter(web.database.db, 0), [
      { actor: `staff:${admin.id}`, action: 'setup.complete', entity: 'organisation', entity_id: String(organisation.id), client_id: null },
    ]);
  });

  void test('staff changes write events', async () => {
    const db = web.database.db;
    // An administrator must have a second factor before any staff page opens; set-up leaves it to them.
    await db.updateTable('staff').set({ totp_secret: testTotpSecret }).where('email', '=', 'admin@example.invalid').execute();
    const cookie = await signIn(web.app, 'admin@example.invalid');
    const admin = await db.selectFrom('staff').select('id').where('email', '=', 'admin@example.invalid').executeTakeFirstOrThrow();
    const team = await db.selectFrom('teams').select('id').executeTakeFirstOrThrow();
    const start = await lastEventId(db);

    const invited = await postForm(web.app, '/admin/staff/new', { displayName: 'New Worker', email: 'new@example.invalid', password: 'a new long password', roles: ['keyworker'], teamIds: [String(team.id)] }, cookie);
    assert.equal(invited.statusCode, 303);
    const member = await db.selectFrom('staff').select(['id', 'version']).where('email', '=', 'new@example.invalid').executeTakeFirstOrThrow();
    // The form for the change is loaded first by postForm; staff pages record no view.
    const changed = await postForm(web.app, `/admin/staff/${member.id}`, { displayName: 'New Worker', password: 'another long password', roles: ['keyworker', 'prescriber'], teamIds: [String(team.id)], version: String(member.version) }, cookie);
    assert.equal(changed.statusCode, 303);
    assert.equal((await postForm(web.app, `/admin/staff/${member.id}/disable`, { action: 'disable' }, cookie)).statusCode, 303);
    assert.equal((await postForm(web.app, `/admin/staff/${member.id}/disable`, { action: 'enable' }, cookie)).statusCode, 303);

    const adminActor = `staff:${admin.id}`;
    const memberId = String(member.id);
    assert.deepEqual(await eventsAfter(db, start), [
      { actor: adminActor, action: 'staff.invite', entity: 'staff', entity_id: memberId, client_id: null },
      { actor: adminActor, action: 'staff.update', entity: 'staff', entity_id: memberId, client_id: null },
      { actor: adminActor, action: 'staff.disable', entity: 'staff', entity_id: memberId, client_id: null },
      { actor: adminActor, action: 'staff.enable', entity: 'staff', entity_id: memberId, client_id: null },
    ]);

    const update = await db.selectFrom('audit_events').select(['before', 'after']).where('action', '=', 'staff.update').executeTakeFirstOrThrow();
    assert.deepEqual((update.before as { roles: string[] }).roles, ['keyworker']);
    assert.deepEqual((update.after as { roles: string[] }).roles, ['keyworker', 'prescriber']);
    assert.equal((update.after as { credentials_reset?: boolean }).credentials_reset, true);
  });

  void test('failed sign-ins write events with reasons', async () => {
    const db = web.database.db;
    const member = await db.selectFrom('staff').select('id').where('email', '=', 'new@example.invalid').executeTakeFirstOrThrow();
    const start = await lastEventId(db);
    assert.equal((await postForm(web.app, '/sign-in', { email: 'new@example.invalid', password: 'not the password' })).statusCode, 401);
    assert.equal((await postForm(web.app, '/sign-in', { email: 'nobody@example.invalid', password: 'not the password' })).statusCode, 401);

    const events = await db.selectFrom('audit_events').select(['actor', 'action', 'entity_id', 'reason']).where('id', '>', start).orderBy('id').execute();
    assert.deepEqual(events, [
      { actor: 'anonymous', action: 'session.sign-in-failed', entity_id: String(member.id), reason: 'The password is wrong' },
      { actor: 'anonymous', action: 'session.sign-in-failed', entity_id: 'unknown', reason: 'No account has this email address' },
    ]);
  });

  void test('no event contains a password or hash', async () => {
    const rows = await web.database.db.selectFrom('audit_events').select(['before', 'after', 'reason']).execute();
    const text = JSON.stringify(rows);
    assert.ok(rows.length >= 7);
    assert.doesNotMatch(text, /argon2/);
    assert.doesNotMatch(text, /password_hash|totp_secret/);
    assert.doesNotMatch(text, /another long password|a new long password|correct horse/);
  });
});
