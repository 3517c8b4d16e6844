import type { FastifyInstance } from 'fastify';
import { recordAuditEvent } from '../../db/audit.js';
import type { Client, SubInterventionReview } from '../../domain/model.js';
import { confirmWarningsOnSave } from '../../month-end/confirmations.js';
import type { Finding } from '../../rules/finding.js';
import { actorOf, changeReasonOf, recordRecordView } from '../data/audit-events.js';
import type { ClientRecord } from '../data/client-records.js';
import type { WebDatabase } from '../data/tables.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import { checkReviewForm, isSearchOnly, isUnchanged, readReviewForm, savedReviewFormValues } from '../review/review-form.js';
import type { SavedReview } from '../review/review-form.js';
import type { ReviewPhase } from '../review/review-items.js';
import { openEpisode, openEpisodeWithVersion } from './client-access.js';
import { correctablePermission } from './correction-grants.js';
import { gateReview, phaseFrom, renderReviewForm } from './review-form-page.js';
import type { EpisodeRow } from './review-form-page.js';
import type { RouteContext } from './route-context.js';

type ReviewParams = { Params: { id: string } };

const staleMessage =
  'Someone else saved a change to this review after you opened this form. Your answers are below but not saved. Check their change on the client record: saving this form again replaces it with your answers.';

/** Registers the form that corrects a saved sub-intervention review. */
export function registerReviewEditRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  app.get<ReviewParams>('/reviews/:id/edit', { config: { permission: correctablePermission } }, async (request, reply) => {
    const saved = await findReview(db, Number(request.params.id));
    if (!saved) return reply.callNotFound();
    const episode = await openEpisode(context, request, reply, saved.row.episode_id, 'edit');
    if (!episode) return reply;
    await recordRecordView(db, request, { entity: 'review', id: saved.row.id, clientId: episode.client_id });

    const phase = phaseFrom(episode, textOf(request.query as FormBody, 'phase') || savedPhaseOf(episode, saved));
    const target = { episode, reviewId: saved.row.id };
    return renderReviewForm(request, reply, target, savedReviewFormValues(saved, episode.version, phase, staffOf(request)));
  });

  app.post<ReviewParams>('/reviews/:id/edit', { config: { permission: correctablePermission } }, async (request, reply) => {
    const staff = staffOf(request);
    const saved = await findReview(db, Number(request.params.id));
    if (!saved) return reply.callNotFound();
    const opened = await openEpisodeWithVersion(context, request, reply, saved.row.episode_id, 'edit');
    if (!opened) return reply;
    const { episode } = opened;
    const body = request.body as FormBody;
    // The reference names the review in the file and in confirmed warnings, so it never changes.
    const values = { ...readReviewForm(body, phaseFrom(episode, textOf(body, 'phase'))), reviewRef: saved.row.review_ref };
    const target = { episode, reviewId: saved.row.id };
    if (isSearchOnly(body)) return renderReviewForm(request, reply, target, values);
    const clientUrl = `/clients/${episode.client_id}?notice=review-saved#episode-${episode.id}`;

    // Shows the typed values again with the version now stored, so the person can check the
    // other change and then replace it on purpose, as the message says.
    const renderStale = async () => {
      request.log.info({ reviewId: saved.row.id, staffId: staff.id, openedVersion: values.version }, 'review change rejected: the review changed after the form was opened');
      const current = await findReview(db, saved.row.id);
      const stale = new FormErrors();
      stale.add('reviewDate-day', staleMessage);
      return renderReviewForm(request, reply, target, { ...values, version: String(current?.row.version ?? values.version) }, { errors: stale });
    };

    const checked = checkReviewForm(body, values, staff, episode.discharge_date);
    if (!checked.review || checked.errors.any) return renderReviewForm(request, reply, target, values, { errors: checked.errors });
    const review = checked.review;

    if (String(saved.row.version) !== values.version) {
      // A second submission of the same form (a double-click on Save) finds its values saved.
      if (isUnchanged(saved, review)) return reply.redirect(clientUrl, 303);
      return renderStale();
    }

    const record = (await context.records.load(db, episode.client_id, opened.clientVersion)) as ClientRecord;
    const gate = gateReview(context, record, episode, review, body);
    const feedback = { warnings: gate.warnings, ...(checked.concentrateNote ? { concentrateNote: checked.concentrateNote } : {}) };
    if (!gate.passes) return renderReviewForm(request, reply, target, values, { errors: gate.errors, ...feedback });

    const confirmations = { agencyId: episode.agency_id, client: gate.changed, warnings: gate.confirmed };
    const outcome = await updateReview(db, saved.row.id, values.version, review, { actor: actorOf(request), clientId: episode.client_id, reason: changeReasonOf(request) }, confirmations);
    if (outcome === 'stale') return renderStale();
    if (outcome === 'updated') context.findings.forget(episode.client_id);
    request.log.info({ episodeId: episode.id, reviewId: saved.row.id, staffId: staff.id, outcome, items: review.delivered.length, warningsConfirmed: gate.warnings.length }, 'review corrected');
    return reply.redirect(clientUrl, 303);
  });
}

async function findReview(db: WebDatabase, id: number): Promise<SavedReview | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const row = await db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const items = await db.selectFrom('review_items').select('sub_intervention_code').where('review_id', '=', id).execute();
  return { row, items: items.map((item) => item.sub_intervention_code) };
}

/** Returns the phase of a saved review: after discharge when it is dated after its episode's discharge. */
function savedPhaseOf(episode: EpisodeRow, saved: SavedReview): ReviewPhase {
  return episode.discharge_date !== null && saved.row.review_date > episode.discharge_date ? 'post-discharge' : 'in-treatment';
}

/**
 * Replaces the review's values and items and records the audit event with both versions,
 * in one transaction. The row is locked and its version compared first. Of two saves from
 * forms opened at the same version, only the first therefore changes anything.
 * Returns `unchanged` when the stored answers already match, as they do for the second
 * request of a double-click once the first save has committed.
 */
async function updateReview(
  db: WebDatabase,
  reviewId: number,
  openedVersion: string,
  review: SubInterventionReview,
  audit: { actor: string; clientId: number; reason: string | undefined },
  confirmations: { agencyId: number; client: Client; warnings: Finding[] },
): Promise<'updated' | 'unchanged' | 'stale'> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('reviews').selectAll().where('id', '=', reviewId).forUpdate().executeTakeFirstOrThrow();
    const items = await trx.selectFrom('review_items').select('sub_intervention_code').where('review_id', '=', reviewId).orderBy('sub_intervention_code').execute();
    const before = { row, items: items.map((item) => item.sub_intervention_code) };
    if (isUnchanged(before, review)) return 'unchanged';
    if (String(row.version) !== openedVersion) return 'stale';

    const after = await trx
      .updateTable('reviews')
      .set({
        review_date: review.reviewDate as string,
        methadone_dose: review.methadoneDose ?? null,
        buprenorphine_dose: review.buprenorphineDose ?? null,
        ost_supervision: review.ostSupervision ?? null,
        relapse_prevention_prescribing: review.relapsePreventionPrescribing ?? null,
        version: row.version + 1,
      })
      .where('id', '=', reviewId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('review_items').where('review_id', '=', reviewId).execute();
    if (review.delivered.length > 0) {
      await trx.insertInto('review_items').values(review.delivered.map((code) => ({ review_id: reviewId, sub_intervention_code: code }))).execute();
    }
    await recordAuditEvent(trx, {
      actor: audit.actor,
      action: 'review.update',
      entity: 'review',
      entityId: reviewId,
      clientId: audit.clientId,
      before: { ...row, items: before.items },
      after: { ...after, items: review.delivered },
      reason: audit.reason,
    });
    // Warnings the worker ticked "I have checked this" for become month-end confirmations.
    await confirmWarningsOnSave(trx, { ...confirmations, actor: audit.actor });
    return 'updated';
  });
}
