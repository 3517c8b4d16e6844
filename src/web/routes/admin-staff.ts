import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Selectable } from 'kysely';
import { recordAuditEvent } from '../../db/audit.js';
import type { StaffTable } from '../../db/schema.js';
import { hashPassword, passwordProblem } from '../accounts/passwords.js';
import { actorOf } from '../data/audit-events.js';
import type { WebDatabase } from '../data/tables.js';
import { isStaffRole, staffCompetences, staffRegistrations, staffRoles } from '../accounts/roles.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, listOf, textOf } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import type { RouteContext } from './route-context.js';

interface StaffForm {
  displayName: string;
  email: string;
  password: string;
  roles: string[];
  competences: string[];
  registrations: string[];
  teamIds: string[];
  version: string;
}

/** Administrator pages: list staff, add (invite) staff, change roles, teams and competences, disable and enable. */
export function registerAdminRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  async function teamsOf(organisationId: number): Promise<{ id: number; name: string }[]> {
    return db
      .selectFrom('teams')
      .innerJoin('agencies', 'agencies.id', 'teams.agency_id')
      .select(['teams.id', 'teams.name'])
      .where('agencies.organisation_id', '=', organisationId)
      .orderBy('teams.name')
      .execute();
  }

  async function renderForm(request: FastifyRequest, reply: FastifyReply, staffId: number | null, values: StaffForm, errors?: FormErrors): Promise<FastifyReply> {
    const teams = await teamsOf(staffOf(request).organisationId);
    return reply.code(errors?.any ? 400 : 200).view('staff-form.njk', {
      pageTitle: staffId === null ? 'Add a member of staff' : 'Change a member of staff',
      staffId,
      values,
      teams,
      roles: staffRoles,
      competences: staffCompetences,
      registrations: staffRegistrations,
      errors: errors?.summary,
      fieldErrors: errors?.byField ?? {},
    }, request);
  }

  app.get('/admin/staff', { config: { permission: 'staff:manage' } }, async (request, reply) => {
    const staff = await db
      .selectFrom('staff')
      .select(['id', 'display_name', 'email', 'roles', 'disabled_at'])
      .where('organisation_id', '=', staffOf(request).organisationId)
      .orderBy('display_name')
      .execute();
    const roleLabels = new Map<string, string>(staffRoles.map((role) => [role.value, role.label]));
    const rows = staff.map((member) => ({ ...member, roleNames: member.roles.map((role) => roleLabels.get(role) ?? role).join(', ') }));
    return reply.view('staff-list.njk', { pageTitle: 'Staff', staff: rows, notice: noticeFrom(request) }, request);
  });

  app.get('/admin/staff/new', { config: { permission: 'staff:manage' } }, async (request, reply) => {
    return renderForm(request, reply, null, emptyForm());
  });

  app.post('/admin/staff/new', { config: { permission: 'staff:manage' } }, async (request, reply) => {
    const values = readStaffForm(request.body as FormBody);
    const errors = checkStaffForm(values, true);
    const existing = await db.selectFrom('staff').select('id').where('email', '=', values.email.toLowerCase()).executeTakeFirst();
    if (existing) errors.add('email', `${values.email} already has an account. Change that account instead.`);
    if (errors.any) return renderForm(request, reply, null, { ...values, password: '' }, errors);

    const organisationId = staffOf(request).organisationId;
    const allowedTeams = new Set((await teamsOf(organisationId)).map((team) => team.id));
    const passwordHash = await hashPassword(values.password);
    const created = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('staff')
        .values({ organisation_id: organisationId, email: values.email.toLowerCase(), display_name: values.displayName, password_hash: passwordHash, roles: values.roles, competences: values.competences, registrations: values.registrations })
        .returningAll()
        .executeTakeFirstOrThrow();
      const teamRows = values.teamIds.map(Number).filter((id) => allowedTeams.has(id)).map((id) => ({ staff_id: row.id, team_id: id }));
      if (teamRows.length > 0) await trx.insertInto('staff_teams').values(teamRows).execute();
      await recordAuditEvent(trx, { actor: actorOf(request), action: 'staff.invite', entity: 'staff', entityId: row.id, after: await staffAuditView(trx, row) });
      return row.id;
    });
    request.log.info({ staffId: created, by: staffOf(request).id }, 'staff member added');
    return reply.redirect('/admin/staff?notice=added', 303);
  });

  app.get<{ Params: { id: string } }>('/admin/staff/:id', { config: { permission: 'staff:manage' } }, async (request, reply) => {
    const member = await findStaff(Number(request.params.id), staffOf(request).organisationId);
    if (!member) return reply.callNotFound();
    const teams = await db.selectFrom('staff_teams').select('team_id').where('staff_id', '=', member.id).execute();
    return renderForm(request, reply, member.id, {
      displayName: member.display_name,
      email: member.email,
      password: '',
      roles: member.roles,
      competences: member.competences,
      registrations: member.registrations,
      teamIds: teams.map((team) => String(team.team_id)),
      version: String(member.version),
    });
  });

  app.post<{ Params: { id: string } }>('/admin/staff/:id', { config: { permission: 'staff:manage' } }, async (request, reply) => {
    const member = await findStaff(Number(request.params.id), staffOf(request).organisationId);
    if (!member) return reply.callNotFound();
    const values = readStaffForm(request.body as FormBody);
    const errors = checkStaffForm(values, false);
    if (errors.any) return renderForm(request, reply, member.id, { ...values, password: '' }, errors);

    const allowedTeams = new Set((await teamsOf(staffOf(request).organisationId)).map((team) => team.id));
    const passwordHash = values.password === '' ? null : await hashPassword(values.password);
    const updated = await db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('staff').selectAll().where('id', '=', member.id).forUpdate().executeTakeFirstOrThrow();
      if (String(current.version) !== values.version) return false;
      const before = await staffAuditView(trx, current);
      const row = await trx
        .updateTable('staff')
        .set({
          display_name: values.displayName,
          roles: values.roles,
          competences: values.competences,
          registrations: values.registrations,
          version: current.version + 1,
          // A new password also lifts a lock from failed sign-ins.
          ...(passwordHash ? { password_hash: passwordHash, failed_sign_ins: 0, locked_until: null } : {}),
        })
        .where('id', '=', member.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      // Whoever knew the old password may hold a session, so a new password ends them all.
      if (passwordHash) await trx.deleteFrom('sessions').where('staff_id', '=', member.id).execute();
      await trx.deleteFrom('staff_teams').where('staff_id', '=', member.id).execute();
      const teamRows = values.teamIds.map(Number).filter((id) => allowedTeams.has(id)).map((id) => ({ staff_id: member.id, team_id: id }));
      if (teamRows.length > 0) await trx.insertInto('staff_teams').values(teamRows).execute();
      // The audit trail records that a new password was set, never the password or its hash.
      const after = { ...(await staffAuditView(trx, row)), ...(passwordHash ? { credentials_reset: true } : {}) };
      await recordAuditEvent(trx, { actor: actorOf(request), action: 'staff.update', entity: 'staff', entityId: member.id, before, after });
      return true;
    });
    if (!updated) {
      const stale = new FormErrors();
      stale.add('displayName', `Someone else changed ${member.display_name}'s account while you were editing it. Your changes are below but not saved. Open the account again to see theirs, then make your changes again.`);
      return renderForm(request, reply, member.id, { ...values, password: '' }, stale);
    }
    request.log.info({ staffId: member.id, by: staffOf(request).id }, 'staff member changed');
    return reply.redirect('/admin/staff?notice=changed', 303);
  });

  app.post<{ Params: { id: string } }>('/admin/staff/:id/disable', { config: { permission: 'staff:manage' } }, async (request, reply) => {
    const member = await findStaff(Number(request.params.id), staffOf(request).organisationId);
    if (!member) return reply.callNotFound();
    const enable = textOf(request.body as FormBody, 'action') === 'enable';
    if (!enable && member.id === staffOf(request).id) {
      return reply.code(400).view('message.njk', { pageTitle: 'You cannot disable your own account', heading: 'You cannot disable your own account', body: 'Ask another administrator to disable it, so the organisation always keeps one.' }, request);
    }
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('staff').select(['disabled_at', 'version']).where('id', '=', member.id).forUpdate().executeTakeFirstOrThrow();
      const after = await trx
        .updateTable('staff')
        .set({ disabled_at: enable ? null : new Date(), version: before.version + 1 })
        .where('id', '=', member.id)
        .returning(['disabled_at', 'version'])
        .executeTakeFirstOrThrow();
      // A disabled account's sessions end at once, not when they expire.
      if (!enable) await trx.deleteFrom('sessions').where('staff_id', '=', member.id).execute();
      await recordAuditEvent(trx, { actor: actorOf(request), action: enable ? 'staff.enable' : 'staff.disable', entity: 'staff', entityId: member.id, before, after });
    });
    request.log.info({ staffId: member.id, by: staffOf(request).id, enabled: enable }, 'staff member access changed');
    return reply.redirect(`/admin/staff?notice=${enable ? 'enabled' : 'disabled'}`, 303);
  });

  async function findStaff(id: number, organisationId: number) {
    if (!Number.isInteger(id)) return undefined;
    return db.selectFrom('staff').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).executeTakeFirst();
  }
}

/** Describes a staff account for the audit trail: every column but the password hash and second-factor secret, with the account's teams. */
async function staffAuditView(db: WebDatabase, row: Selectable<StaffTable>) {
  const teams = await db.selectFrom('staff_teams').select('team_id').where('staff_id', '=', row.id).orderBy('team_id').execute();
  return {
    id: row.id,
    organisation_id: row.organisation_id,
    email: row.email,
    display_name: row.display_name,
    roles: row.roles,
    competences: row.competences,
    registrations: row.registrations,
    disabled_at: row.disabled_at,
    version: row.version,
    team_ids: teams.map((team) => team.team_id),
  };
}

const notices: Record<string, string> = {
  added: 'Staff member added. Give them their email address and first password in person.',
  changed: 'Changes saved.',
  disabled: 'Account disabled and signed out everywhere.',
  enabled: 'Account enabled.',
};

function noticeFrom(request: FastifyRequest): string | undefined {
  const key = (request.query as Record<string, string | undefined>)['notice'];
  return key ? notices[key] : undefined;
}

function emptyForm(): StaffForm {
  return { displayName: '', email: '', password: '', roles: ['keyworker'], competences: [], registrations: [], teamIds: [], version: '' };
}

function readStaffForm(body: FormBody): StaffForm {
  return {
    displayName: textOf(body, 'displayName'),
    email: textOf(body, 'email'),
    password: typeof body['password'] === 'string' ? body['password'] : '',
    roles: listOf(body, 'roles').filter(isStaffRole),
    competences: listOf(body, 'competences').filter((value) => staffCompetences.some((item) => item.value === value)),
    registrations: listOf(body, 'registrations').filter((value) => staffRegistrations.some((item) => item.value === value)),
    teamIds: listOf(body, 'teamIds'),
    version: textOf(body, 'version'),
  };
}

function checkStaffForm(values: StaffForm, creating: boolean): FormErrors {
  const errors = new FormErrors();
  if (values.displayName === '') errors.add('displayName', 'Enter the name colleagues will see');
  if (creating && !/^[^\s@]+@[^\s@]+$/.test(values.email)) errors.add('email', 'Enter an email address in the correct format, like name@example.org');
  if (values.roles.length === 0) errors.add('roles', 'Select at least one role');
  if (creating || values.password !== '') {
    const problem = passwordProblem(values.password, values.email);
    if (problem) errors.add('password', problem);
  }
  return errors;
}
