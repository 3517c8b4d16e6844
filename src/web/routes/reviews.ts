import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { confirmWarningsOnSave } from '../../month-end/confirmations.js';
import { lookup } from '../../catalogue/lookup.js';
import { cdsQDataset } from '../../dataset/index.js';
import { todayInEngland } from '../../domain/plain-date.js';
import { auditEventRow, staffActor } from '../../db/audit.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import { changeReasonOf, recordRecordView } from '../data/audit-events.js';
import { loadClientRecord } from '../data/client-records.js';
import type { ClientRecord, ReviewRecord } from '../data/client-records.js';
import { partsOf } from '../forms/date-input.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { newReference } from '../forms/references.js';
import { staffOf } from '../request-context.js';
import { allowedItems } from '../review/review-items.js';
import type { ReviewPhase } from '../review/review-items.js';
import { checkReviewForm, invalidReferenceMessage, isSearchOnly, isValidReviewReference, readReviewForm } from '../review/review-form.js';
import type { ReviewFormValues } from '../review/review-form.js';
import { openEpisode } from './client-access.js';
import { gateReview, phaseFrom, renderReviewForm } from './review-form-page.js';
import type { EpisodeRow, ReviewFormFeedback } from './review-form-page.js';
import type { WebDatabase } from '../data/tables.js';
import type { RouteContext } from './route-context.js';

type EpisodeParams = { Params: { id: string } };

export function registerReviewRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db, findings } = context;
  const render = (request: FastifyRequest, reply: FastifyReply, episode: EpisodeRow, values: ReviewFormValues, feedback: ReviewFormFeedback = {}) =>
    renderReviewForm(request, reply, { episode, reviewId: null }, values, feedback);

  app.get<EpisodeParams>('/episodes/:id/reviews/new', { config: { permission: 'client:edit' } }, async (request, reply) => {
    const episode = await openEpisode(context, request, reply, Number(request.params.id), 'edit');
    if (!episode) return reply;
    const phase = phaseFrom(episode, textOf(request.query as FormBody, 'phase'));
    // The form shows the episode's latest review, carried forward, so opening it is a view of the record.
    await recordRecordView(db, request, { entity: 'episode', id: episode.id, clientId: episode.client_id });
    const record = (await loadClientRecord(db, episode.client_id)) as ClientRecord;
    return render(request, reply, episode, carriedForward(record, episode, phase));
  });

  app.get('/catalogue/lookup', { config: { permission: 'client:edit' } }, async (request) => {
    const term = textOf(request.query as FormBody, 'term');
    return lookup(cdsQDataset, term).slice(0, 8).map((match) => ({ code: match.item.code, name: match.item.name, matchedText: match.matchedText }));
  });

  app.post<EpisodeParams>('/episodes/:id/reviews/new', { config: { permission: 'client:edit' } }, async (request, reply) => {
    const staff = staffOf(request);
    const episode = await openEpisode(context, request, reply, Number(request.params.id), 'edit');
    if (!episode) return reply;
    const body = request.body as FormBody;
    const values = readReviewForm(body, phaseFrom(episode, textOf(body, 'phase')));
    if (isSearchOnly(body)) return render(request, reply, episode, values);

    // The reference was made when the form was shown, so a second submission of the same
    // form (a double-click on Save) finds the review the first one saved.
    const saved = await db.selectFrom('reviews').select(['id', 'episode_id']).where('agency_id', '=', episode.agency_id).where('review_ref', '=', values.reviewRef).executeTakeFirst();
    if (saved && saved.episode_id === episode.id) return reply.redirect(`/clients/${episode.client_id}?notice=review-saved`, 303);
    if (String(episode.version) !== values.episodeVersion) {
      const stale = new FormErrors();
      stale.add('reviewDate-day', 'Someone else changed this episode (for example its discharge) since you opened this form. Your answers are below but not saved. Check the episode on the client record, then save again.');
      return render(request, reply, episode, { ...values, episodeVersion: String(episode.version) }, { errors: stale });
    }

    const checked = checkReviewForm(body, values, staff, episode.discharge_date);
    if (!isValidReviewReference(values.reviewRef)) {
      request.log.info({ episodeId: episode.id, staffId: staff.id, referenceLength: values.reviewRef.length }, 'review rejected: the form carried an invalid review reference');
      checked.errors.add('reviewDate-day', invalidReferenceMessage);
    }
    if (saved) checked.errors.add('reviewDate-day', `Review reference ${values.reviewRef} is already used at this agency. Reload the form to get a new one.`);
    if (!checked.review || checked.errors.any) return render(request, reply, episode, values, { errors: checked.errors });
    const review = checked.review;

    const gate = await gateReview(context, episode, review, body);
    if (!gate.passes) return render(request, reply, episode, values, { errors: gate.errors, warnings: gate.warnings, ...(checked.concentrateNote ? { concentrateNote: checked.concentrateNote } : {}) });

    const reason = changeReasonOf(request);
    // Warnings ticked "I have checked this" are stored as month-end confirmations with the
    // review. Only then does the save need a transaction around its one statement.
    const reviewId = gate.confirmed.length === 0
      ? await saveReview(db, episode, review, staff, reason)
      : await db.transaction().execute(async (trx) => {
        const id = await saveReview(trx, episode, review, staff, reason);
        if (id !== undefined) await confirmWarningsOnSave(trx, { agencyId: episode.agency_id, actor: staffActor(staff.id), client: gate.changed, warnings: gate.confirmed });
        return id;
      });
    findings.forget(episode.client_id);
    request.log.info({ episodeId: episode.id, reviewId, staffId: staff.id, items: review.delivered.length, warningsConfirmed: gate.warnings.length }, 'review recorded');
    return reply.redirect(`/clients/${episode.client_id}?notice=review-saved`, 303);
  });

  /**
   * Inserts the review, its items and its audit event in one statement, which PostgreSQL
   * applies atomically, so a failed audit insert leaves no review. One statement costs one
   * round trip in place of five (BEGIN, three inserts, COMMIT), and each round trip to
   * PostgreSQL costs a system call and a wake-up of the database process (see the HTTP
   * section of docs/benchmarks.md). The audit event's `after` is the inserted row with its
   * items, with the doses as text as the pages read them. Returns undefined when an identical
   * submission won the race for the reference, because that submission saved the items with
   * its review.
   */
  async function saveReview(executor: WebDatabase, episode: EpisodeRow, review: NonNullable<ReturnType<typeof checkReviewForm>['review']>, staff: SignedInStaff, reason: string | undefined): Promise<number | undefined> {
    const event = auditEventRow({ actor: staffActor(staff.id), action: 'review.add', entity: 'review', entityId: '', clientId: episode.client_id, ...(reason === undefined ? {} : { reason }) });
    const items = [...review.delivered];
    const result = await sql<{ id: number }>`
      with inserted as (
        insert into reviews (agency_id, episode_id, review_ref, review_date, methadone_dose, buprenorphine_dose, ost_supervision, relapse_prevention_prescribing, delivered_by_staff_id)
        values (${episode.agency_id}, ${episode.id}, ${review.reviewId}, ${review.reviewDate}, ${review.methadoneDose ?? null}, ${review.buprenorphineDose ?? null},
          ${review.ostSupervision ?? null}, ${review.relapsePreventionPrescribing ?? null}, ${staff.id})
        on conflict (agency_id, review_ref) do nothing
        returning *
      ), saved_items as (
        insert into review_items (review_id, sub_intervention_code)
        select inserted.id, code from inserted cross join unnest(${items}::text[]) as code
      ), audit as (
        insert into audit_events (actor, actor_staff_id, action, entity, entity_id, client_id, after, reason)
        select ${event.actor}, ${event.actor_staff_id}, ${event.action}, ${event.entity}, inserted.id::text, ${event.client_id},
          to_jsonb(inserted) || jsonb_build_object('methadone_dose', inserted.methadone_dose::text, 'buprenorphine_dose', inserted.buprenorphine_dose::text, 'items', to_jsonb(${items}::text[])),
          ${event.reason}
        from inserted
      )
      select id from inserted`.execute(executor);
    return result.rows[0]?.id;
  }
}

/**
 * A new review's starting answers: the ticks, doses and supervision of the episode's latest
 * review, so a worker changes only what changed. Items not valid in the phase are dropped.
 */
function carriedForward(record: ClientRecord, episode: EpisodeRow, phase: ReviewPhase): ReviewFormValues {
  const previous: ReviewRecord | undefined = record.episodes.find((item) => item.id === episode.id)?.reviews.at(-1);
  const allowed = new Set(allowedItems(phase).map((item) => item.code));
  const items = (previous?.items ?? []).filter((code) => allowed.has(code));
  const keepOst = items.some((code) => cdsQDataset.subIntervention(code)?.ostMarker);
  return {
    reviewRef: newReference('R'),
    episodeVersion: String(episode.version),
    version: '',
    phase,
    reviewDate: partsOf(todayInEngland()),
    items,
    methadoneDose: keepOst && previous?.methadone_dose ? String(Number(previous.methadone_dose)) : '',
    concentrateVolume: '',
    concentrateStrength: '',
    buprenorphineDose: keepOst && previous?.buprenorphine_dose ? String(Number(previous.buprenorphine_dose)) : '',
    ostSupervision: keepOst && previous?.ost_supervision !== cdsQDataset.conventions.ostNotApplicableCode ? (previous?.ost_supervision ?? '') : '',
    relapsePreventionPrescribing: '',
    confirmedPurposes: [],
    confirmCompetence: false,
    term: '',
  };
}
