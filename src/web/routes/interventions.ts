import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Selectable } from 'kysely';
import { cdsQDataset } from '../../dataset/index.js';
import type { InterventionTable } from '../../db/schema.js';
import type { Intervention } from '../../domain/model.js';
import type { PlainDate } from '../../domain/plain-date.js';
import { recordAuditEvent } from '../../db/audit.js';
import { actorOf, changeReasonOf, recordRecordView } from '../data/audit-events.js';
import { loadClientRecord, toDomainClient } from '../data/client-records.js';
import type { ClientRecord } from '../data/client-records.js';
import { checkClient, newFindings } from '../data/rule-checks.js';
import { dateInputItems, partsOf, readDateInput } from '../forms/date-input.js';
import type { DateParts } from '../forms/date-input.js';
import { checkDatasetField, codeListItems } from '../forms/field-check.js';
import { gateFindings } from '../forms/finding-gate.js';
import { confirmWarningsOnSave } from '../../month-end/confirmations.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { newReference } from '../forms/references.js';
import { staffOf } from '../request-context.js';
import { openEpisode } from './client-access.js';
import type { RouteContext } from './route-context.js';
import { correctablePermission } from './correction-grants.js';

interface InterventionForm {
  interventionRef: string;
  version: string;
  interventionType: string;
  setting: string;
  referral: DateParts;
  offered: DateParts;
  start: DateParts;
  end: DateParts;
  exitStatus: string;
}

type Checked = Omit<Intervention, 'line'> & { interventionType: string; setting: string; referralDate: PlainDate };

const dateInputsByProperty = [
  ['referral', 'referralDate', 'Date referred to the intervention', true],
  ['offered', 'firstAppointmentOfferedDate', 'Date of first appointment offered', false],
  ['start', 'startDate', 'Start date', false],
  ['end', 'endDate', 'End date', false],
] as const;

function inputIdOf(column: string): string {
  const ids: Record<string, string> = {
    [cdsQDataset.columnOf('intervention', 'interventionType')]: 'interventionType',
    [cdsQDataset.columnOf('intervention', 'setting')]: 'setting',
    [cdsQDataset.columnOf('intervention', 'exitStatus')]: 'exitStatus',
  };
  for (const [name, property] of dateInputsByProperty) ids[cdsQDataset.columnOf('intervention', property)] = `${name}-day`;
  return ids[column] ?? 'referral-day';
}

export function registerInterventionRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  async function render(request: FastifyRequest, reply: FastifyReply, target: { clientId: number; episodeId: number; interventionId: number | null }, values: InterventionForm, errors?: FormErrors, warnings: { code: string; message: string }[] = []): Promise<FastifyReply> {
    const fieldErrors = errors?.byField ?? {};
    return reply.code(errors?.any ? 400 : 200).view('intervention-form.njk', {
      pageTitle: target.interventionId === null ? 'Add an intervention' : 'Change an intervention',
      ...target,
      values,
      typeItems: codeListItems('intervention-type', values.interventionType),
      settingItems: codeListItems('setting', values.setting),
      exitItems: codeListItems('exit-status', values.exitStatus),
      referralItems: dateInputItems('referral', values.referral, Boolean(fieldErrors['referral-day'])),
      offeredItems: dateInputItems('offered', values.offered, Boolean(fieldErrors['offered-day'])),
      startItems: dateInputItems('start', values.start, Boolean(fieldErrors['start-day'])),
      endItems: dateInputItems('end', values.end, Boolean(fieldErrors['end-day'])),
      warnings,
      errors: errors?.summary,
      fieldErrors,
    }, request);
  }

  async function save(request: FastifyRequest, reply: FastifyReply, episodeId: number, existing: Selectable<InterventionTable> | null): Promise<FastifyReply> {
    const staff = staffOf(request);
    const episode = await openEpisode(context, request, reply, episodeId, 'edit');
    if (!episode) return reply;
    const body = request.body as FormBody;
    const values = readForm(body);
    if (existing) values.interventionRef = existing.intervention_ref;
    const target = { clientId: episode.client_id, episodeId: episode.id, interventionId: existing?.id ?? null };

    if (!existing) {
      // A second submission of the same form (double-click) finds the intervention the first saved.
      const saved = await db.selectFrom('interventions').select(['id', 'episode_id']).where('agency_id', '=', episode.agency_id).where('intervention_ref', '=', values.interventionRef).executeTakeFirst();
      if (saved && saved.episode_id === episode.id) return reply.redirect(`/clients/${episode.client_id}?notice=intervention-saved`, 303);
    }

    const errors = new FormErrors();
    checkDatasetField(errors, 'interventionRef', 'intervention', 'interventionId', values.interventionRef, { required: true, label: 'Intervention reference' });
    const checked = checkForm(body, values, errors);
    if (!checked) return render(request, reply, target, values, errors);

    const record = (await loadClientRecord(db, episode.client_id)) as ClientRecord;
    const before = checkClient(toDomainClient(record));
    const changed = toDomainClient(record);
    const domainEpisode = changed.episodes.find((item) => item.episodeId === episode.episode_ref);
    if (domainEpisode) {
      domainEpisode.interventions = domainEpisode.interventions.filter((item) => item.interventionId !== checked.interventionId);
      domainEpisode.interventions.push(checked);
    }
    const gate = gateFindings(newFindings(before, checkClient(changed)), body, inputIdOf);
    if (!gate.passes) return render(request, reply, target, values, gate.errors, gate.warnings);

    const columns = {
      intervention_type: checked.interventionType,
      setting: checked.setting,
      referral_date: checked.referralDate,
      first_appointment_offered_date: checked.firstAppointmentOfferedDate ?? null,
      start_date: checked.startDate ?? null,
      end_date: checked.endDate ?? null,
      exit_status: checked.exitStatus ?? null,
    };
    const actor = actorOf(request);
    const saved = await db.transaction().execute(async (trx) => {
      if (!existing) {
        const row = await trx
          .insertInto('interventions')
          .values({ ...columns, agency_id: episode.agency_id, episode_id: episode.id, intervention_ref: checked.interventionId })
          .onConflict((conflict) => conflict.columns(['agency_id', 'intervention_ref']).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (row) {
          await recordAuditEvent(trx, { actor, action: 'intervention.add', entity: 'intervention', entityId: row.id, clientId: episode.client_id, after: row, reason: changeReasonOf(request) });
          await confirmWarningsOnSave(trx, { agencyId: episode.agency_id, actor, client: changed, warnings: gate.confirmed });
        }
        return true;
      }

      const before = await trx.selectFrom('interventions').selectAll().where('id', '=', existing.id).forUpdate().executeTakeFirstOrThrow();
      if (String(before.version) !== values.version) return false;
      const after = await trx.updateTable('interventions').set({ ...columns, version: before.version + 1 }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
      const action = before.end_date === null && after.end_date !== null ? 'intervention.end' : 'intervention.update';
      await recordAuditEvent(trx, { actor, action, entity: 'intervention', entityId: existing.id, clientId: episode.client_id, before, after, reason: changeReasonOf(request) });
      await confirmWarningsOnSave(trx, { agencyId: episode.agency_id, actor, client: changed, warnings: gate.confirmed });
      return true;
    });
    if (!saved) {
      const stale = new FormErrors();
      stale.add('interventionType', 'Someone else changed this intervention while you were editing. Your answers are below but not saved. Open the client again to see their change, then make yours again.');
      return render(request, reply, target, values, stale);
    }
    request.log.info({ episodeId: episode.id, interventionId: existing?.id, staffId: staff.id }, existing ? 'intervention changed' : 'intervention added');
    return reply.redirect(`/clients/${episode.client_id}?notice=intervention-saved`, 303);
  }

  app.get<{ Params: { id: string } }>('/episodes/:id/interventions/new', { config: { permission: 'client:edit' } }, async (request, reply) => {
    const episode = await openEpisode(context, request, reply, Number(request.params.id), 'edit');
    if (!episode) return reply;
    const empty = { day: '', month: '', year: '' };
    return render(request, reply, { clientId: episode.client_id, episodeId: episode.id, interventionId: null }, {
      interventionRef: newReference('I'), version: '', interventionType: '', setting: '', referral: empty, offered: empty, start: empty, end: empty, exitStatus: '',
    });
  });

  app.post<{ Params: { id: string } }>('/episodes/:id/interventions/new', { config: { permission: 'client:edit' } }, async (request, reply) => save(request, reply, Number(request.params.id), null));

  app.get<{ Params: { id: string } }>('/interventions/:id/edit', { config: { permission: correctablePermission } }, async (request, reply) => {
    const row = await findIntervention(Number(request.params.id));
    if (!row) return reply.callNotFound();
    const episode = await openEpisode(context, request, reply, row.episode_id, 'edit');
    if (!episode) return reply;
    await recordRecordView(db, request, { entity: 'intervention', id: row.id, clientId: episode.client_id });
    return render(request, reply, { clientId: episode.client_id, episodeId: episode.id, interventionId: row.id }, {
      interventionRef: row.intervention_ref,
      version: String(row.version),
      interventionType: row.intervention_type,
      setting: row.setting,
      referral: partsOf(row.referral_date),
      offered: partsOf(row.first_appointment_offered_date),
      start: partsOf(row.start_date),
      end: partsOf(row.end_date),
      exitStatus: row.exit_status ?? '',
    });
  });

  app.post<{ Params: { id: string } }>('/interventions/:id/edit', { config: { permission: correctablePermission } }, async (request, reply) => {
    const row = await findIntervention(Number(request.params.id));
    if (!row) return reply.callNotFound();
    return save(request, reply, row.episode_id, row);
  });

  async function findIntervention(id: number) {
    if (!Number.isSafeInteger(id)) return undefined;
    return db.selectFrom('interventions').selectAll().where('id', '=', id).executeTakeFirst();
  }
}

function readForm(body: FormBody): InterventionForm {
  return {
    interventionRef: textOf(body, 'interventionRef'),
    version: textOf(body, 'version'),
    interventionType: textOf(body, 'interventionType'),
    setting: textOf(body, 'setting'),
    referral: readDateInput(body, 'referral', '').parts,
    offered: readDateInput(body, 'offered', '').parts,
    start: readDateInput(body, 'start', '').parts,
    end: readDateInput(body, 'end', '').parts,
    exitStatus: textOf(body, 'exitStatus'),
  };
}

function checkForm(body: FormBody, values: InterventionForm, errors: FormErrors): Checked | undefined {
  const interventionType = checkDatasetField(errors, 'interventionType', 'intervention', 'interventionType', values.interventionType, { required: true, label: 'Intervention type' });
  const setting = checkDatasetField(errors, 'setting', 'intervention', 'setting', values.setting, { required: true, label: 'Setting' });
  const dates: Partial<Record<(typeof dateInputsByProperty)[number][1], PlainDate>> = {};
  for (const [name, property, label, required] of dateInputsByProperty) {
    const answer = readDateInput(body, name, label);
    if (answer.kind === 'invalid') errors.add(`${name}-day`, answer.problem);
    if (answer.kind === 'empty' && required) errors.add(`${name}-day`, `Enter the ${label.toLowerCase()}`);
    if (answer.kind === 'date') dates[property] = answer.date;
  }
  const exitStatus = checkDatasetField(errors, 'exitStatus', 'intervention', 'exitStatus', values.exitStatus, { required: false, label: 'Exit status' });
  if (dates.endDate && exitStatus === undefined) errors.add('exitStatus', 'Select how the intervention ended, or clear the end date');
  if (!dates.endDate && exitStatus !== undefined) errors.add('end-day', 'Enter the end date, or choose "Not ended"');
  if (dates.endDate && !dates.startDate) errors.add('start-day', 'Enter the start date: an intervention that ended must have started');

  if (errors.any || !dates.referralDate) return undefined;
  return {
    interventionId: values.interventionRef,
    interventionType: String(interventionType),
    setting: String(setting),
    referralDate: dates.referralDate,
    firstAppointmentOfferedDate: dates.firstAppointmentOfferedDate,
    startDate: dates.startDate,
    endDate: dates.endDate,
    exitStatus: exitStatus === undefined ? undefined : String(exitStatus),
  };
}
