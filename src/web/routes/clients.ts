import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Client } from '../../domain/model.js';
import { recordAuditEvent } from '../../db/audit.js';
import { decideClientAccess, findAccessibleClient, teamsFor } from '../data/access.js';
import { openClient } from './client-access.js';
import { actorOf, changeReasonOf, recordRecordView } from '../data/audit-events.js';
import { loadClientRecord, toDomainClient } from '../data/client-records.js';
import { checkClient, newFindings } from '../data/rule-checks.js';
import { gateFindings } from '../forms/finding-gate.js';
import { confirmWarningsOnSave } from '../../month-end/confirmations.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors } from '../forms/form-errors.js';
import { newReference } from '../forms/references.js';
import { staffOf } from '../request-context.js';
import { hasPermission } from '../security/permissions.js';
import { formatDateTime } from './break-glass.js';
import { checkClientForm, clientFormFromRow, clientFormView, clientRuleInputOf, readClientForm } from './client-form.js';
import type { CheckedClient, ClientFormValues } from './client-form.js';
import { clientRecordView } from './client-record-view.js';
import type { RouteContext } from './route-context.js';
import { correctablePermission } from './correction-grants.js';

type ClientParams = { Params: { id: string } };

export function registerClientRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  /**
   * Teams a client may be placed in: the staff member's own, plus the client's current
   * team, so someone editing through break-glass is not forced to move the client.
   */
  async function teamChoices(request: FastifyRequest, currentTeamId: number | null) {
    const teams = await teamsFor(db, staffOf(request));
    if (currentTeamId === null || teams.some((team) => team.id === currentTeamId)) return teams;
    const current = await db
      .selectFrom('teams')
      .innerJoin('agencies', 'agencies.id', 'teams.agency_id')
      .select(['teams.id', 'teams.name', 'teams.agency_id', 'agencies.code as agencyCode'])
      .where('teams.id', '=', currentTeamId)
      .executeTakeFirst();
    return current ? [...teams, current] : teams;
  }

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    clientId: number | null,
    values: ClientFormValues,
    errors?: FormErrors,
    extra: { duplicates?: DuplicateView[]; currentTeamId?: number | null; warnings?: { code: string; message: string }[] } = {},
  ): Promise<FastifyReply> {
    const teams = await teamChoices(request, extra.currentTeamId ?? null);
    return reply.code(errors?.any ? 400 : 200).view('client-form.njk', {
      pageTitle: clientId === null ? 'Add a client' : 'Change client details',
      clientId,
      teams: teams.map((team) => ({ value: String(team.id), text: `${team.name} (${team.agencyCode})`, selected: String(team.id) === values.teamId })),
      duplicates: extra.duplicates ?? [],
      warnings: extra.warnings ?? [],
      ...clientFormView(values, errors),
    }, request);
  }

  app.get('/clients/new', { config: { permission: 'client:edit' } }, async (request, reply) => {
    const teams = await teamsFor(db, staffOf(request));
    const values: ClientFormValues = { clientRef: newReference('C'), teamId: teams.length === 1 ? String(teams[0]?.id) : '', firstInitial: '', surnameInitial: '', dob: { day: '', month: '', year: '' }, sex: '', consent: '', version: '', confirmDuplicate: false };
    return renderForm(request, reply, null, values);
  });

  app.post('/clients/new', { config: { permission: 'client:edit' } }, async (request, reply) => {
    const staff = staffOf(request);
    const body = request.body as FormBody;
    const values = readClientForm(body);
    const teams = await teamsFor(db, staff);
    const { errors, client } = checkClientForm(body, values, teams.map((team) => team.id));
    if (!client) return renderForm(request, reply, null, values, errors);
    const agencyId = teams.find((team) => team.id === client.teamId)?.agency_id ?? -1;

    const existing = await db.selectFrom('clients').selectAll().where('agency_id', '=', agencyId).where('client_ref', '=', client.clientRef).executeTakeFirst();
    if (existing) {
      // The same form sent twice (a double-click) carries the same generated reference and
      // the same answers: show the client the first request saved rather than an error.
      const sameAnswers = existing.first_initial === client.firstInitial && existing.surname_initial === client.surnameInitial && existing.date_of_birth === client.dateOfBirth && existing.sex === client.sex;
      if (sameAnswers && (await findAccessibleClient(db, staff, existing.id, 'view'))) return reply.redirect(`/clients/${existing.id}`, 303);
      errors.add('clientRef', `Client reference ${client.clientRef} is already used at this agency. Enter another reference.`);
      return renderForm(request, reply, null, values, errors);
    }

    const duplicates = await findPossibleDuplicates(agencyId, client, null);
    if (duplicates.length > 0 && !values.confirmDuplicate) {
      const warning = new FormErrors();
      warning.add('confirmDuplicate', `A client with initials ${client.firstInitial}${client.surnameInitial}, this date of birth and sex is already recorded at this agency. Open that record instead, or confirm this is a different person.`);
      return renderForm(request, reply, null, values, warning, { duplicates });
    }

    // A new client has no earlier findings, so every finding the rules raise is new.
    const agencyCode = teams.find((team) => team.id === client.teamId)?.agencyCode;
    const newDomainClient = clientOf(agencyCode, client, []);
    const gate = gateFindings(checkClient(newDomainClient), body, clientRuleInputOf);
    if (!gate.passes) return renderForm(request, reply, null, values, gate.errors, { duplicates, warnings: gate.warnings });

    const created = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('clients')
        .values({
          agency_id: agencyId,
          client_ref: client.clientRef,
          first_initial: client.firstInitial,
          surname_initial: client.surnameInitial,
          date_of_birth: client.dateOfBirth,
          sex: client.sex,
          consent: client.consent,
          team_id: client.teamId,
          keyworker_id: staff.id,
        })
        .onConflict((conflict) => conflict.columns(['agency_id', 'client_ref']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) {
        await recordAuditEvent(trx, { actor: actorOf(request), action: 'client.add', entity: 'client', entityId: row.id, clientId: row.id, after: row });
        await confirmWarningsOnSave(trx, { agencyId, actor: actorOf(request), client: newDomainClient, warnings: gate.confirmed });
      }
      return row;
    });
    if (!created) {
      // Lost a race with an identical request: show the record it saved.
      const saved = await db.selectFrom('clients').select('id').where('agency_id', '=', agencyId).where('client_ref', '=', client.clientRef).executeTakeFirstOrThrow();
      return reply.redirect(`/clients/${saved.id}`, 303);
    }
    request.log.info({ clientId: created.id, staffId: staff.id }, 'client added');
    return reply.redirect(`/clients/${created.id}?notice=client-added`, 303);
  });

  app.get<ClientParams>('/clients/:id', { config: { permission: 'client:view' } }, async (request, reply) => {
    const access = await openClient(context, request, reply, Number(request.params.id), 'view');
    if (!access) return reply;
    const record = await loadClientRecord(db, access.id);
    if (!record) return reply.callNotFound();
    await recordRecordView(db, request, { entity: 'client', id: access.id, clientId: access.id });
    const findings = context.findings.findingsOf(record);
    const notice = noticeText((request.query as Record<string, string | undefined>)['notice']);
    return reply.view('client-record.njk', { pageTitle: `Client ${record.client_ref}`, notice, ...(await changeLinksOf(request, access.id)), ...clientRecordView(record, findings) }, request);
  });

  app.get<ClientParams>('/clients/:id/edit', { config: { permission: correctablePermission } }, async (request, reply) => {
    const access = await openClient(context, request, reply, Number(request.params.id), 'edit');
    if (!access) return reply;
    const row = await db.selectFrom('clients').selectAll().where('id', '=', access.id).executeTakeFirstOrThrow();
    await recordRecordView(db, request, { entity: 'client', id: access.id, clientId: access.id });
    return renderForm(request, reply, access.id, clientFormFromRow(row), undefined, { currentTeamId: row.team_id });
  });

  app.post<ClientParams>('/clients/:id/edit', { config: { permission: correctablePermission } }, async (request, reply) => {
    const staff = staffOf(request);
    const access = await openClient(context, request, reply, Number(request.params.id), 'edit');
    if (!access) return reply;
    const body = request.body as FormBody;
    const values = readClientForm(body);
    const current = await db.selectFrom('clients').selectAll().where('id', '=', access.id).executeTakeFirstOrThrow();
    // The reference is the client's identity in every past submission, so it cannot change here.
    values.clientRef = current.client_ref;
    const teams = await teamChoices(request, current.team_id);
    const { errors, client } = checkClientForm(body, values, teams.filter((team) => team.agency_id === current.agency_id).map((team) => team.id));
    if (!client) return renderForm(request, reply, access.id, values, errors, { currentTeamId: current.team_id });

    const duplicates = await findPossibleDuplicates(current.agency_id, client, current.id);
    if (duplicates.length > 0 && !values.confirmDuplicate) {
      const warning = new FormErrors();
      warning.add('confirmDuplicate', `Another client with initials ${client.firstInitial}${client.surnameInitial}, this date of birth and sex is recorded at this agency. Check it is a different person, then confirm.`);
      return renderForm(request, reply, access.id, values, warning, { duplicates, currentTeamId: current.team_id });
    }

    // The whole record is checked, because a new date of birth can break an age rule on an episode or review.
    const record = await loadClientRecord(db, access.id);
    if (!record) return reply.callNotFound();
    const stored = toDomainClient(record);
    const changed = clientOf(record.agencyCode, client, stored.episodes);
    const gate = gateFindings(newFindings(checkClient(stored), checkClient(changed)), body, clientRuleInputOf);
    if (!gate.passes) return renderForm(request, reply, access.id, values, gate.errors, { duplicates, warnings: gate.warnings, currentTeamId: current.team_id });

    const saved = await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('clients').selectAll().where('id', '=', access.id).forUpdate().executeTakeFirstOrThrow();
      if (String(before.version) !== values.version) return false;
      const after = await trx
        .updateTable('clients')
        .set({ first_initial: client.firstInitial, surname_initial: client.surnameInitial, date_of_birth: client.dateOfBirth, sex: client.sex, consent: client.consent, team_id: client.teamId, version: before.version + 1, updated_at: new Date() })
        .where('id', '=', access.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, { actor: actorOf(request), action: 'client.update', entity: 'client', entityId: access.id, clientId: access.id, before, after, reason: changeReasonOf(request) });
      await confirmWarningsOnSave(trx, { agencyId: current.agency_id, actor: actorOf(request), client: changed, warnings: gate.confirmed });
      return true;
    });
    if (!saved) {
      const stale = new FormErrors();
      stale.add('firstInitial', 'Someone else changed this client while you were editing. Your answers are below but not saved. Open the record again to see their change, then make yours again.');
      return renderForm(request, reply, access.id, values, stale, { currentTeamId: current.team_id });
    }
    request.log.info({ clientId: access.id, staffId: staff.id }, 'client changed');
    return reply.redirect(`/clients/${access.id}?notice=client-changed`, 303);
  });

  /**
   * Decides which change links the client record shows. Read-only viewers, such as data
   * officers, get none, but a data officer may ask for a correction grant. Under a live
   * grant a data officer changes existing records only, because the pages that add
   * episodes, interventions and reviews need `client:edit`.
   */
  async function changeLinksOf(request: FastifyRequest, clientId: number) {
    const staff = staffOf(request);
    const edit = await decideClientAccess(db, staff, clientId, 'edit');
    const canEdit = edit.outcome === 'granted';
    return {
      canEdit,
      canAdd: canEdit && hasPermission(staff.roles, 'client:edit'),
      correctionUntil: edit.outcome === 'granted' && edit.via === 'correction' ? formatDateTime(edit.grantExpiresAt) : undefined,
      canAskCorrection: edit.outcome === 'outside-scope' && edit.viewable && hasPermission(staff.roles, 'record:correct'),
    };
  }

  async function findPossibleDuplicates(agencyId: number, client: CheckedClient, exceptId: number | null): Promise<DuplicateView[]> {
    let query = db
      .selectFrom('clients')
      .select(['id', 'client_ref'])
      .where('agency_id', '=', agencyId)
      .where('first_initial', '=', client.firstInitial)
      .where('surname_initial', '=', client.surnameInitial)
      .where('date_of_birth', '=', client.dateOfBirth)
      .where('sex', '=', client.sex);
    if (exceptId !== null) query = query.where('id', '!=', exceptId);
    const rows = await query.limit(10).execute();
    return rows.map((row) => ({ id: row.id, clientRef: row.client_ref }));
  }
}

/** Builds the domain client that the rules check from the form's values and the client's stored episodes. */
function clientOf(agencyCode: string | undefined, client: CheckedClient, episodes: Client['episodes']): Client {
  return {
    agency: agencyCode,
    clientId: client.clientRef,
    firstInitial: client.firstInitial,
    surnameInitial: client.surnameInitial,
    dateOfBirth: client.dateOfBirth,
    sex: client.sex,
    consent: client.consent,
    episodes,
  };
}

interface DuplicateView {
  id: number;
  clientRef: string;
}

const notices: Record<string, string> = {
  'client-added': 'Client added. Add their treatment episode next.',
  'client-changed': 'Client details saved.',
  'episode-saved': 'Episode saved.',
  'intervention-saved': 'Intervention saved.',
  'review-saved': 'Review saved.',
};

function noticeText(key: string | undefined): string | undefined {
  return key ? notices[key] : undefined;
}

