import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { confirmWarningsOnSave } from '../../month-end/confirmations.js';
import { lookup } from '../../catalogue/lookup.js';
import { cdsQDataset } from '../../dataset/index.js';
import { todayInEngland } from '../../domain/plain-date.js';
import { auditEventRow, staffActor } from '../../db/audit.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import { changeReasonOf, recordRecordView } from '../data/audit-events.js';
import type { ClientRecord, ReviewRecord } from '../data/client-records.js';
import { partsOf } from '../forms/date-input.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { newReference } from '../forms/references.js';
import { formatUkDate } from '../render.js';
import { staffOf } from '../request-context.js';
import { allowedItems } from '../review/review-items.js';
import type { ReviewPhase } from '../review/review-items.js';
import { checkReviewForm, invalidReferenceMessage, isSearchOnly, isUnchanged, isValidReviewReference, readReviewForm } from '../review/review-form.js';
import type { ReviewFormValues } from '../review/review-form.js';
import { openEpisodeWithVersion } from './client-access.js';
import { gateReview, phaseFrom, renderReviewForm } from './review-form-page.js';
import type { EpisodeRow, ReviewFormFeedback } from './review-form-page.js';
import type { WebDatabase } from '../data/tables.js';
import type { RouteContext } from './route-context.js';

type EpisodeParams = { Params: { id: string } };

export function registerReviewRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db, findings, records } = context;
  const render = (request: FastifyRequest, reply: FastifyReply, episode: EpisodeRow, values: ReviewFormValues, feedback: ReviewFormFeedback = {}) =>
    renderReviewForm(request, reply, { episode, reviewId: null }, values, feedback);

  app.get<EpisodeParams>('/episodes/:id/reviews/new', { config: { permission: 'client:edit' } }, async (request, reply) => {
    const opened = await openEpisodeWithVersion(context, request, reply, Number(request.params.id), 'edit');
    if (!opened) return reply;
    const { episode } = opened;
    const phase = phaseFrom(episode, textOf(request.query as FormBody, 'phase'));
    // The form shows the episode's latest review, carried forward, so opening it is a view of the record.
    await recordRecordView(db, request, { entity: 'episode', id: episode.id, clientId: episode.client_id });
    // Loading through the cache keeps the record for the save of this form.
    const record = (await records.load(db, episode.client_id, opened.clientVersion)) as ClientRecord;
    return render(request, reply, episode, carriedForward(record, episode, phase));
  });

  app.get('/catalogue/lookup', { config: { permission: 'client:edit' } }, async (request) => {
    const term = textOf(request.query as FormBody, 'term');
    return lookup(cdsQDataset, term).slice(0, 8).map((match) => ({ code: match.item.code, name: match.item.name, matchedText: match.matchedText }));
  });

  app.post<EpisodeParams>('/episodes/:id/reviews/new', { config: { permission: 'client:edit' } }, async (request, reply) => {
    const opened = await openEpisodeWithVersion(context, request, reply, Number(request.params.id), 'edit');
    if (!opened) return reply;
    const { episode } = opened;
    const body = request.body as FormBody;
    const values = readReviewForm(body, phaseFrom(episode, textOf(body, 'phase')));
    if (isSearchOnly(body)) return render(request, reply, episode, values);

    // The save is made conditional on the client's rows being as the rules saw them. When
    // another change lands in between, the rules run again under a lock on the client's row.
    const record = (await records.load(db, episode.client_id, opened.clientVersion)) as ClientRecord;
    const outcome = await checkAndSave(db, request, reply, episode, values, record);
    if (outcome !== 'client-changed') return outcome;
    request.log.info({ episodeId: episode.id, clientId: episode.client_id }, 'review save found the client changed since its rules ran: checking again under a lock');
    return db.transaction().execute(async (trx) => {
      await trx.selectFrom('clients').select('id').where('id', '=', episode.client_id).forUpdate().execute();
      // The change may have been to this episode, such as its discharge, so it is read again too.
      const current = await trx.selectFrom('episodes').selectAll().where('id', '=', episode.id).executeTakeFirst();
      if (!current) return reply.callNotFound();
      const locked = (await records.load(trx, episode.client_id)) as ClientRecord;
      const lockedOutcome = await checkAndSave(trx, request, reply, current, values, locked);
      if (lockedOutcome === 'client-changed') throw new Error(`Client ${episode.client_id} changed while its row was locked for a review save`);
      return lockedOutcome;
    });
  });

  /**
   * Checks the form and the client's rules on `record`, and saves the review with `executor`
   * when both pass. Returns the reply, or `client-changed` when the client's rows changed after
   * `record` was read, in which case nothing was saved.
   */
  async function checkAndSave(executor: WebDatabase, request: FastifyRequest, reply: FastifyReply, episode: EpisodeRow, values: ReviewFormValues, record: ClientRecord): Promise<FastifyReply | 'client-changed'> {
    const staff = staffOf(request);
    const body = request.body as FormBody;
    // The reference was made when the form was shown, so a second submission of the same
    // form (a double-click on Save) finds the review the first one saved.
    const earlier = reviewWithReference(record, values.reviewRef);
    if (earlier?.episode_id === episode.id) return respondToRepeatedSave(request, reply, episode, values, earlier);
    if (String(episode.version) !== values.episodeVersion) {
      const stale = new FormErrors();
      // A form without a valid version was altered or cut short, so it gives no sign of other people's changes.
      const message = !/^[0-9]+$/.test(values.episodeVersion)
        ? 'This form arrived without a valid episode version, so Waymark cannot check whether the episode changed since you opened it. Your answers are below but not saved. Check the episode on the client record, then save again.'
        : 'Someone else changed this episode (for example its discharge) since you opened this form. Your answers are below but not saved. Check the episode on the client record, then save again.';
      stale.add('reviewDate-day', message);
      return render(request, reply, episode, { ...values, episodeVersion: String(episode.version) }, { errors: stale });
    }

    const checked = checkReviewForm(body, values, staff, episode.discharge_date);
    if (!isValidReviewReference(values.reviewRef)) {
      request.log.info({ episodeId: episode.id, staffId: staff.id, referenceLength: values.reviewRef.length }, 'review rejected: the form carried an invalid review reference');
      checked.errors.add('reviewDate-day', invalidReferenceMessage);
    }
    if (earlier) checked.errors.add('reviewDate-day', referenceTakenMessage(values.reviewRef));
    if (!checked.review || checked.errors.any) return render(request, reply, episode, values, { errors: checked.errors });
    const review = checked.review;

    const gate = gateReview(context, record, episode, review, body);
    if (!gate.passes) return render(request, reply, episode, values, { errors: gate.errors, warnings: gate.warnings, ...(checked.concentrateNote ? { concentrateNote: checked.concentrateNote } : {}) });

    const reason = changeReasonOf(request);
    const expected = { clientId: episode.client_id, stamp: record.change_stamp };
    // Warnings ticked "I have checked this" are stored as month-end confirmations with the
    // review. Only then does the save need a transaction around its one statement.
    const saveWithConfirmations = async (trx: WebDatabase): Promise<SaveOutcome> => {
      const saved = await saveReview(trx, episode, review, staff, reason, expected);
      if (saved.outcome === 'saved') await confirmWarningsOnSave(trx, { agencyId: episode.agency_id, actor: staffActor(staff.id), client: gate.changed, warnings: gate.confirmed });
      return saved;
    };
    const outcome = gate.confirmed.length === 0 ? await saveReview(executor, episode, review, staff, reason, expected)
      : executor.isTransaction ? await saveWithConfirmations(executor)
      : await executor.transaction().execute(saveWithConfirmations);
    if (outcome.outcome === 'client-changed') return 'client-changed';
    if (outcome.outcome === 'reference-taken') {
      // Another client at the agency has a review with this reference, which the client's
      // own record could not show. References are random, so this is close to impossible.
      const errors = new FormErrors();
      errors.add('reviewDate-day', referenceTakenMessage(values.reviewRef));
      return render(request, reply, episode, values, { errors });
    }

    records.rememberSave(record, outcome.review, outcome.writerXid);
    findings.forget(episode.client_id);
    request.log.info({ episodeId: episode.id, reviewId: outcome.review.id, staffId: staff.id, items: review.delivered.length, warningsConfirmed: gate.warnings.length }, 'review recorded');
    return reply.redirect(`/clients/${episode.client_id}?notice=review-saved`, 303);
  }

  /**
   * Responds to a form whose review is already saved. The same answers again are a double-click
   * on Save and get the saved page. Different answers, such as a change made while the first save
   * was on its way, are shown back unsaved, because the saved review is changed on its own form.
   */
  function respondToRepeatedSave(request: FastifyRequest, reply: FastifyReply, episode: EpisodeRow, values: ReviewFormValues, saved: ReviewRecord): Promise<FastifyReply> | FastifyReply {
    const checked = checkReviewForm(request.body as FormBody, values, staffOf(request), episode.discharge_date);
    if (checked.review && isUnchanged({ row: saved, items: saved.items }, checked.review)) return reply.redirect(`/clients/${episode.client_id}?notice=review-saved`, 303);
    request.log.info({ episodeId: episode.id, reviewId: saved.id }, 'review form rejected: already saved with other answers');
    const errors = new FormErrors();
    errors.add('reviewDate-day', `This form was already saved as the review dated ${formatUkDate(saved.review_date)}. The answers below differ from it and are not saved. To change that review, choose "Change" next to it on the client record.`);
    return render(request, reply, episode, values, { errors });
  }

  /**
   * Inserts the review, its items and its audit event in one statement, which PostgreSQL
   * applies atomically, so a failed audit insert leaves no review. One statement costs one
   * round trip in place of five (BEGIN, three inserts, COMMIT), and each round trip to
   * PostgreSQL costs a system call and a wake-up of the database process (see the HTTP
   * section of docs/benchmarks.md).
   *
   * The statement first locks the client's row, and inserts only while the client's change
   * stamp is still `expected.stamp`, the stamp of the record the rules ran on. It returns the
   * saved review as `loadClientRecords` lists it, which the audit event also stores as `after`,
   * and the id of the transaction, which the change stamp triggers leave on the client's row.
   */
  async function saveReview(executor: WebDatabase, episode: EpisodeRow, review: CheckedReview, staff: SignedInStaff, reason: string | undefined, expected: { clientId: number; stamp: number }): Promise<SaveOutcome> {
    const event = auditEventRow({ actor: staffActor(staff.id), action: 'review.add', entity: 'review', entityId: '', clientId: episode.client_id, ...(reason === undefined ? {} : { reason }) });
    const result = await sql<{ locked: boolean; review: ReviewRecord | null; writer_xid: string | null }>`
      with locked as (
        select id from clients where id = ${expected.clientId} and change_stamp = ${expected.stamp} for update
      ), inserted as (
        insert into reviews (agency_id, episode_id, review_ref, review_date, methadone_dose, buprenorphine_dose, ost_supervision, relapse_prevention_prescribing, delivered_by_staff_id)
        select ${episode.agency_id}::integer, ${episode.id}::integer, ${review.reviewId}::text, ${review.reviewDate}::date, ${review.methadoneDose ?? null}::numeric,
          ${review.buprenorphineDose ?? null}::numeric, ${review.ostSupervision ?? null}::text, ${review.relapsePreventionPrescribing ?? null}::text, ${staff.id}::integer
        from locked
        on conflict (agency_id, review_ref) do nothing
        returning *, xmin::text as writer_xid
      ), saved_items as (
        insert into review_items (review_id, sub_intervention_code)
        select inserted.id, code from inserted cross join unnest(${[...review.delivered]}::text[]) as code
      ), saved as (
        select inserted.id, inserted.writer_xid,
          (to_jsonb(inserted) - 'writer_xid') || jsonb_build_object('methadone_dose', inserted.methadone_dose::text, 'buprenorphine_dose', inserted.buprenorphine_dose::text,
            'items', to_jsonb(array(select code from unnest(${[...review.delivered]}::text[]) as code order by code))) as review
        from inserted
      ), audit as (
        insert into audit_events (actor, actor_staff_id, action, entity, entity_id, client_id, after, reason)
        select ${event.actor}, ${event.actor_staff_id}, ${event.action}, ${event.entity}, saved.id::text, ${event.client_id}, saved.review, ${event.reason}
        from saved
      )
      select exists (select 1 from locked) as locked, (select review from saved) as review, (select writer_xid from saved) as writer_xid`.execute(executor);
    const row = result.rows[0];
    if (!row?.locked) return { outcome: 'client-changed' };
    if (!row.review || row.writer_xid === null) return { outcome: 'reference-taken' };
    return { outcome: 'saved', review: row.review, writerXid: row.writer_xid };
  }
}

type CheckedReview = NonNullable<ReturnType<typeof checkReviewForm>['review']>;

type SaveOutcome = { outcome: 'saved'; review: ReviewRecord; writerXid: string } | { outcome: 'client-changed' } | { outcome: 'reference-taken' };

function referenceTakenMessage(reference: string): string {
  return `Review reference ${reference} is already used at this agency. Reload the form to get a new one.`;
}

function reviewWithReference(record: ClientRecord, reference: string): ReviewRecord | undefined {
  for (const episode of record.episodes) {
    const review = episode.reviews.find((item) => item.review_ref === reference);
    if (review) return review;
  }
  return undefined;
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
