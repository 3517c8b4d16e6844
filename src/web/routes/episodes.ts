import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cdsQDataset } from '../../dataset/index.js';
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
import { openClient, openEpisode } from './client-access.js';
import type { RouteContext } from './route-context.js';
import { correctablePermission } from './correction-grants.js';

interface EpisodeForm {
  episodeRef: string;
  version: string;
  referral: DateParts;
  triage: DateParts;
  discharge: DateParts;
  dischargeReason: string;
  endOpenInterventions: boolean;
  exitStatus: string;
}

interface CheckedEpisode {
  referralDate: PlainDate;
  triageDate: PlainDate;
  dischargeDate: PlainDate | null;
  dischargeReason: string | null;
}

const columnInputs = (): Record<string, string> => ({
  [cdsQDataset.columnOf('episode', 'referralDate')]: 'referral-day',
  [cdsQDataset.columnOf('episode', 'triageDate')]: 'triage-day',
  [cdsQDataset.columnOf('episode', 'dischargeDate')]: 'discharge-day',
  [cdsQDataset.columnOf('episode', 'dischargeReason')]: 'dischargeReason',
});

export function registerEpisodeRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  async function render(request: FastifyRequest, reply: FastifyReply, target: { clientId: number; episodeId: number | null; openInterventions: string[] }, values: EpisodeForm, errors?: FormErrors, warnings: { code: string; message: string }[] = []): Promise<FastifyReply> {
    const fieldErrors = errors?.byField ?? {};
    return reply.code(errors?.any ? 400 : 200).view('episode-form.njk', {
      pageTitle: target.episodeId === null ? 'Add an episode' : 'Change or discharge an episode',
      ...target,
      values,
      referralItems: dateInputItems('referral', values.referral, Boolean(fieldErrors['referral-day'])),
      triageItems: dateInputItems('triage', values.triage, Boolean(fieldErrors['triage-day'])),
      dischargeItems: dateInputItems('discharge', values.discharge, Boolean(fieldErrors['discharge-day'])),
      reasonItems: codeListItems('discharge-reason', values.dischargeReason),
      exitItems: codeListItems('exit-status', values.exitStatus),
      warnings,
      errors: errors?.summary,
      fieldErrors,
    }, request);
  }

  app.get<{ Params: { id: string } }>('/clients/:id/episodes/new', { config: { permission: 'client:edit' } }, async (request, reply) => {
    const client = await openClient(context, request, reply, Number(request.params.id), 'edit');
    if (!client) return reply;
    const empty = { day: '', month: '', year: '' };
    return render(request, reply, { clientId: client.id, episodeId: null, openInterventions: [] }, { episodeRef: newReference('E'), version: '', referral: empty, triage: empty, discharge: empty, dischargeReason: '', endOpenInterventions: false, exitStatus: '' });
  });

  app.post<{ Params: { id: string } }>('/clients/:id/episodes/new', { config: { permission: 'client:edit' } }, async (request, reply) => {
    const staff = staffOf(request);
    const client = await openClient(context, request, reply, Number(request.params.id), 'edit');
    if (!client) return reply;
    const body = request.body as FormBody;
    const values = readEpisodeForm(body);
    const target = { clientId: client.id, episodeId: null, openInterventions: [] };

    // A second submission of the same form (double-click) finds the episode the first saved.
    const saved = await db.selectFrom('episodes').select(['id', 'client_id']).where('agency_id', '=', client.agency_id).where('episode_ref', '=', values.episodeRef).executeTakeFirst();
    if (saved && saved.client_id === client.id) return reply.redirect(`/clients/${client.id}?notice=episode-saved`, 303);

    const errors = new FormErrors();
    checkDatasetField(errors, 'episodeRef', 'episode', 'episodeId', values.episodeRef, { required: true, label: 'Episode reference' });
    if (saved) errors.add('episodeRef', `Episode reference ${values.episodeRef} is already used at this agency. Reload the page to get a new one.`);
    const episode = checkEpisodeDates(body, errors, false);
    if (!episode) return render(request, reply, target, values, errors);

    const record = (await loadClientRecord(db, client.id)) as ClientRecord;
    const before = checkClient(toDomainClient(record));
    const changed = toDomainClient(record);
    changed.episodes.push({ episodeId: values.episodeRef, referralDate: episode.referralDate, triageDate: episode.triageDate, dischargeDate: undefined, dischargeReason: undefined, interventions: [], reviews: [] });
    const gate = gateFindings(newFindings(before, checkClient(changed)), body, (column) => columnInputs()[column] ?? 'referral-day');
    if (!gate.passes) return render(request, reply, target, values, gate.errors, gate.warnings);

    const created = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('episodes')
        .values({ agency_id: client.agency_id, client_id: client.id, episode_ref: values.episodeRef, referral_date: episode.referralDate, triage_date: episode.triageDate })
        .onConflict((conflict) => conflict.columns(['agency_id', 'episode_ref']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) {
        await recordAuditEvent(trx, { actor: actorOf(request), action: 'episode.add', entity: 'episode', entityId: row.id, clientId: client.id, after: row, reason: changeReasonOf(request) });
        await confirmWarningsOnSave(trx, { agencyId: client.agency_id, actor: actorOf(request), client: changed, warnings: gate.confirmed });
      }
      return row;
    });
    request.log.info({ clientId: client.id, episodeId: created?.id, staffId: staff.id }, 'episode added');
    return reply.redirect(`/clients/${client.id}?notice=episode-saved`, 303);
  });

  app.get<{ Params: { id: string } }>('/episodes/:id/edit', { config: { permission: correctablePermission } }, async (request, reply) => {
    const episode = await openEpisode(context, request, reply, Number(request.params.id), 'edit');
    if (!episode) return reply;
    const open = await openInterventionsOf(episode.id);
    await recordRecordView(db, request, { entity: 'episode', id: episode.id, clientId: episode.client_id });
    return render(request, reply, { clientId: episode.client_id, episodeId: episode.id, openInterventions: open.map((row) => row.label) }, {
      episodeRef: episode.episode_ref,
      version: String(episode.version),
      referral: partsOf(episode.referral_date),
      triage: partsOf(episode.triage_date),
      discharge: partsOf(episode.discharge_date),
      dischargeReason: episode.discharge_reason ?? '',
      endOpenInterventions: false,
      exitStatus: '',
    });
  });

  app.post<{ Params: { id: string } }>('/episodes/:id/edit', { config: { permission: correctablePermission } }, async (request, reply) => {
    const staff = staffOf(request);
    const episode = await openEpisode(context, request, reply, Number(request.params.id), 'edit');
    if (!episode) return reply;
    const body = request.body as FormBody;
    const values = { ...readEpisodeForm(body), episodeRef: episode.episode_ref };
    const open = await openInterventionsOf(episode.id);
    const target = { clientId: episode.client_id, episodeId: episode.id, openInterventions: open.map((row) => row.label) };

    const errors = new FormErrors();
    const checked = checkEpisodeDates(body, errors, true);
    if (checked?.dischargeDate && open.length > 0) {
      if (!values.endOpenInterventions) {
        errors.add('endOpenInterventions', `${open.length} intervention${open.length === 1 ? ' is' : 's are'} still open. An episode cannot be discharged while interventions are open: tick to end them on the discharge date, or end each one first.`);
      } else {
        checkDatasetField(errors, 'exitStatus', 'intervention', 'exitStatus', values.exitStatus, { required: true, label: 'Exit status for the open interventions' });
      }
    }
    if (!checked || errors.any) return render(request, reply, target, values, errors);

    const record = (await loadClientRecord(db, episode.client_id)) as ClientRecord;
    const before = checkClient(toDomainClient(record));
    const changed = toDomainClient(record);
    const domainEpisode = changed.episodes.find((item) => item.episodeId === episode.episode_ref);
    if (domainEpisode) {
      domainEpisode.referralDate = checked.referralDate;
      domainEpisode.triageDate = checked.triageDate;
      domainEpisode.dischargeDate = checked.dischargeDate ?? undefined;
      domainEpisode.dischargeReason = checked.dischargeReason ?? undefined;
      if (checked.dischargeDate && values.endOpenInterventions) {
        for (const intervention of domainEpisode.interventions) {
          if (intervention.endDate === undefined) {
            intervention.endDate = checked.dischargeDate;
            intervention.exitStatus = values.exitStatus;
          }
        }
      }
    }
    const gate = gateFindings(newFindings(before, checkClient(changed)), body, (column) => columnInputs()[column] ?? 'discharge-day');
    if (!gate.passes) return render(request, reply, target, values, gate.errors, gate.warnings);

    const actor = actorOf(request);
    const saved = await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('episodes').selectAll().where('id', '=', episode.id).forUpdate().executeTakeFirstOrThrow();
      if (String(before.version) !== values.version) return false;
      const after = await trx
        .updateTable('episodes')
        .set({ referral_date: checked.referralDate, triage_date: checked.triageDate, discharge_date: checked.dischargeDate, discharge_reason: checked.dischargeReason, version: before.version + 1 })
        .where('id', '=', episode.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const action = before.discharge_date === null && after.discharge_date !== null ? 'episode.discharge' : 'episode.update';
      await recordAuditEvent(trx, { actor, action, entity: 'episode', entityId: episode.id, clientId: episode.client_id, before, after, reason: changeReasonOf(request) });
      await confirmWarningsOnSave(trx, { agencyId: episode.agency_id, actor, client: changed, warnings: gate.confirmed });
      if (checked.dischargeDate && values.endOpenInterventions) {
        const openBefore = await trx.selectFrom('interventions').selectAll().where('episode_id', '=', episode.id).where('end_date', 'is', null).orderBy('id').forUpdate().execute();
        for (const intervention of openBefore) {
          const ended = await trx
            .updateTable('interventions')
            .set({ end_date: checked.dischargeDate, exit_status: values.exitStatus, version: intervention.version + 1 })
            .where('id', '=', intervention.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordAuditEvent(trx, { actor, action: 'intervention.end', entity: 'intervention', entityId: intervention.id, clientId: episode.client_id, before: intervention, after: ended, reason: changeReasonOf(request, 'Ended with the discharge of its episode') });
        }
      }
      return true;
    });
    if (!saved) {
      const stale = new FormErrors();
      stale.add('referral-day', 'Someone else changed this episode while you were editing. Your answers are below but not saved. Open the client again to see their change, then make yours again.');
      return render(request, reply, target, values, stale);
    }
    request.log.info({ episodeId: episode.id, staffId: staff.id }, 'episode changed');
    return reply.redirect(`/clients/${episode.client_id}?notice=episode-saved`, 303);
  });

  async function openInterventionsOf(episodeId: number): Promise<{ id: number; label: string }[]> {
    const rows = await db.selectFrom('interventions').select(['id', 'intervention_ref', 'intervention_type']).where('episode_id', '=', episodeId).where('end_date', 'is', null).orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, label: `${cdsQDataset.codeLabel('intervention-type', row.intervention_type) ?? row.intervention_type} (${row.intervention_ref})` }));
  }
}

function readEpisodeForm(body: FormBody): EpisodeForm {
  return {
    episodeRef: textOf(body, 'episodeRef'),
    version: textOf(body, 'version'),
    referral: readDateInput(body, 'referral', 'Referral date').parts,
    triage: readDateInput(body, 'triage', 'Triage date').parts,
    discharge: readDateInput(body, 'discharge', 'Discharge date').parts,
    dischargeReason: textOf(body, 'dischargeReason'),
    endOpenInterventions: textOf(body, 'endOpenInterventions') === 'yes',
    exitStatus: textOf(body, 'exitStatus'),
  };
}

/** Checks the dates and, when discharging, that the date and reason come together. */
function checkEpisodeDates(body: FormBody, errors: FormErrors, allowDischarge: boolean): CheckedEpisode | undefined {
  const referral = readDateInput(body, 'referral', 'Referral date');
  const triage = readDateInput(body, 'triage', 'Triage date');
  if (referral.kind === 'empty') errors.add('referral-day', 'Enter the referral date');
  if (referral.kind === 'invalid') errors.add('referral-day', referral.problem);
  if (triage.kind === 'empty') errors.add('triage-day', 'Enter the triage date');
  if (triage.kind === 'invalid') errors.add('triage-day', triage.problem);

  let dischargeDate: PlainDate | null = null;
  let dischargeReason: string | null = null;
  if (allowDischarge) {
    const discharge = readDateInput(body, 'discharge', 'Discharge date');
    const reason = textOf(body, 'dischargeReason');
    if (discharge.kind === 'invalid') errors.add('discharge-day', discharge.problem);
    if (discharge.kind === 'date') dischargeDate = discharge.date;
    if (discharge.kind === 'date' && reason === '') errors.add('dischargeReason', 'Select the discharge reason, or clear the discharge date');
    if (discharge.kind === 'empty' && reason !== '') errors.add('discharge-day', 'Enter the discharge date, or clear the discharge reason');
    const parsedReason = checkDatasetField(errors, 'dischargeReason', 'episode', 'dischargeReason', reason, { required: false, label: 'Discharge reason' });
    if (parsedReason !== undefined) dischargeReason = String(parsedReason);
  }
  if (errors.any || referral.kind !== 'date' || triage.kind !== 'date') return undefined;
  return { referralDate: referral.date, triageDate: triage.date, dischargeDate, dischargeReason };
}
