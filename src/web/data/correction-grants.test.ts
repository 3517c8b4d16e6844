import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase, type TestDatabase } from '../../db/testing/test-databases.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import { decideClientAccess } from './access.js';
import { grantBreakGlass, grantCorrection } from './break-glass-grants.js';

const reason = 'Month-end error D6: intervention end date missing after discharge';
const minute = 60_000;

describeEachDatabase('correction grants', (target) => {
  let database: TestDatabase;
  let officer: SignedInStaff;
  let keyworker: SignedInStaff;
  let teamClientId: number;
  let otherTeamClientId: number;
  let otherAgencyClientId: number;

  before(async () => {
    database = await target.create();
    const { db } = database;
    const organisation = await db.insertInto('organisations').values({ name: 'Correction organisation' }).returning('id').executeTakeFirstOrThrow();
    const agency = await db.insertInto('agencies').values({ organisation_id: organisation.id, code: 'CORR1', name: 'Correction agency' }).returning('id').executeTakeFirstOrThrow();
    const otherAgency = await db.insertInto('agencies').values({ organisation_id: organisation.id, code: 'CORR2', name: 'Other agency' }).returning('id').executeTakeFirstOrThrow();
    const team = await db.insertInto('teams').values({ agency_id: agency.id, name: 'North team' }).returning('id').executeTakeFirstOrThrow();
    const otherTeam = await db.insertInto('teams').values({ agency_id: agency.id, name: 'South team' }).returning('id').executeTakeFirstOrThrow();
    const otherAgencyTeam = await db.insertInto('teams').values({ agency_id: otherAgency.id, name: 'East team' }).returning('id').executeTakeFirstOrThrow();

    const addStaff = async (email: string, roles: string[]): Promise<SignedInStaff> => {
      const row = await db.insertInto('staff').values({ organisation_id: organisation.id, email, display_name: email, roles }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('staff_teams').values({ staff_id: row.id, team_id: team.id }).execute();
      return { id: row.id, organisationId: organisation.id, email, displayName: email, roles, competences: [], registrations: [], teamIds: [team.id], hasSecondFactor: false };
    };
    officer = await addStaff('officer@example.invalid', ['data-officer']);
    keyworker = await addStaff('keyworker@example.invalid', ['keyworker']);

    const clientIn = async (agencyId: number, teamId: number, ref: string): Promise<number> =>
      (await db.insertInto('clients').values({ agency_id: agencyId, client_ref: ref, first_initial: 'A', surname_initial: 'B', date_of_birth: '1985-01-02', sex: 'F', consent: 'Y', team_id: teamId }).returning('id').executeTakeFirstOrThrow()).id;
    teamClientId = await clientIn(agency.id, team.id, 'C-CORR-1');
    otherTeamClientId = await clientIn(agency.id, otherTeam.id, 'C-CORR-2');
    otherAgencyClientId = await clientIn(otherAgency.id, otherAgencyTeam.id, 'C-CORR-3');
  });
  after(async () => {
    await database.dispose();
  });

  void it('refuses a data officer edit without a grant', async () => {
    const access = await decideClientAccess(database.db, officer, otherTeamClientId, 'edit');
    assert.deepEqual(access, { outcome: 'outside-scope', clientId: otherTeamClientId, viewable: true });
  });

  void it('grants a data officer edit under a grant', async () => {
    const now = new Date();
    const grantId = await grantCorrection(database.db, { staffId: officer.id, clientId: otherTeamClientId, reason, minutes: 30 }, now);
    const access = await decideClientAccess(database.db, officer, otherTeamClientId, 'edit', new Date(now.getTime() + 29 * minute));
    assert.equal(access.outcome, 'granted');
    assert.equal(access.outcome === 'granted' && access.via, 'correction');
    assert.equal(access.outcome === 'granted' && access.via === 'correction' && access.grantId, grantId);
    assert.equal(access.outcome === 'granted' && access.via === 'correction' && access.grantExpiresAt.getTime(), now.getTime() + 30 * minute);
  });

  void it('grant opens only its own client', async () => {
    const access = await decideClientAccess(database.db, officer, teamClientId, 'edit');
    assert.deepEqual(access, { outcome: 'outside-scope', clientId: teamClientId, viewable: true });
  });

  void it('refuses a data officer edit after expiry', async () => {
    const now = new Date();
    await grantCorrection(database.db, { staffId: officer.id, clientId: teamClientId, reason, minutes: 30 }, now);
    const access = await decideClientAccess(database.db, officer, teamClientId, 'edit', new Date(now.getTime() + 30 * minute));
    assert.deepEqual(access, { outcome: 'outside-scope', clientId: teamClientId, viewable: true });
  });

  void it('ignores a grant outside the officer’s agencies', async () => {
    // The route never stores such a grant, but a row written directly must still open nothing.
    await grantCorrection(database.db, { staffId: officer.id, clientId: otherAgencyClientId, reason, minutes: 30 });
    const access = await decideClientAccess(database.db, officer, otherAgencyClientId, 'edit');
    assert.deepEqual(access, { outcome: 'outside-scope', clientId: otherAgencyClientId, viewable: false });
  });

  void it('ignores a correction grant held by a keyworker', async () => {
    await grantCorrection(database.db, { staffId: keyworker.id, clientId: otherTeamClientId, reason, minutes: 30 });
    const access = await decideClientAccess(database.db, keyworker, otherTeamClientId, 'edit');
    assert.deepEqual(access, { outcome: 'outside-scope', clientId: otherTeamClientId, viewable: false });
  });

  void it('keeps correction and break-glass apart', async () => {
    // A keyworker's correction grant opens nothing in view mode, where break-glass would.
    const view = await decideClientAccess(database.db, keyworker, otherTeamClientId, 'view');
    assert.deepEqual(view, { outcome: 'outside-scope', clientId: otherTeamClientId, viewable: false });
    await grantBreakGlass(database.db, { staffId: keyworker.id, clientId: otherTeamClientId, reason, minutes: 30 });
    const edit = await decideClientAccess(database.db, keyworker, otherTeamClientId, 'edit');
    assert.equal(edit.outcome === 'granted' && edit.via, 'break-glass');
  });

  void it('stores the grant with its audit event', async () => {
    const now = new Date();
    const grantId = await grantCorrection(database.db, { staffId: officer.id, clientId: teamClientId, reason, minutes: 30 }, now);
    const grant = await database.db.selectFrom('break_glass_grants').select(['staff_id', 'client_id', 'kind', 'reason']).where('id', '=', grantId).executeTakeFirstOrThrow();
    assert.deepEqual(grant, { staff_id: officer.id, client_id: teamClientId, kind: 'correction', reason });
    const events = await database.db.selectFrom('audit_events').select(['actor', 'action', 'entity', 'entity_id', 'client_id', 'reason', 'after']).where('action', '=', 'correction.grant').where('entity_id', '=', String(teamClientId)).orderBy('id').execute();
    assert.deepEqual(events.at(-1), {
      actor: `staff:${officer.id}`,
      action: 'correction.grant',
      entity: 'client',
      entity_id: String(teamClientId),
      client_id: teamClientId,
      reason,
      after: { grantId, grantedAt: now.toISOString(), expiresAt: new Date(now.getTime() + 30 * minute).toISOString() },
    });
  });

  void it('stores no grant when auditing fails', async () => {
    const { db } = database;
    const count = async (): Promise<number> => Number((await db.selectFrom('break_glass_grants').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow()).count);
    const before = await count();
    // A trigger that rejects the grant's audit event simulates a failed audit write.
    await sql`create function reject_correction_audit() returns trigger language plpgsql as $$ begin raise exception 'audit write failed'; end $$`.execute(db);
    await sql`create trigger reject_correction_audit before insert on audit_events for each row when (new.action = 'correction.grant') execute function reject_correction_audit()`.execute(db);
    try {
      await assert.rejects(grantCorrection(db, { staffId: officer.id, clientId: teamClientId, reason, minutes: 30 }), /audit write failed/);
      assert.equal(await count(), before);
    } finally {
      await sql`drop trigger reject_correction_audit on audit_events`.execute(db);
      await sql`drop function reject_correction_audit()`.execute(db);
    }
  });

  void it('migration marks old grants break-glass', async () => {
    const { db } = database;
    // Rows written before migration 0009 name no kind, so they take the column default.
    const row = await db.insertInto('break_glass_grants').values({ staff_id: keyworker.id, client_id: otherTeamClientId, reason, expires_at: new Date(Date.now() + minute) }).returning('kind').executeTakeFirstOrThrow();
    assert.equal(row.kind, 'break-glass');
    await assert.rejects(sql`insert into break_glass_grants (staff_id, client_id, reason, expires_at, kind) values (${keyworker.id}, ${otherTeamClientId}, ${reason}, now() + interval '1 minute', 'other')`.execute(db), /break_glass_grants_kind/);
  });
});
