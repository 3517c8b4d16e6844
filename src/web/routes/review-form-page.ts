import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Selectable } from 'kysely';
import { lookup } from '../../catalogue/lookup.js';
import { cdsQDataset } from '../../dataset/index.js';
import type { EpisodeTable } from '../../db/schema.js';
import type { Client, SubInterventionReview } from '../../domain/model.js';
import { toDomainClient } from '../data/client-records.js';
import type { ClientRecord } from '../data/client-records.js';
import { checkClient, newFindings } from '../data/rule-checks.js';
import { dateInputItems } from '../forms/date-input.js';
import { codeListItems } from '../forms/field-check.js';
import { gateFindings } from '../forms/finding-gate.js';
import type { FindingGate } from '../forms/finding-gate.js';
import type { FormBody } from '../forms/form-errors.js';
import type { FormErrors } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import { allowedItems, groupedItems } from '../review/review-items.js';
import type { ReviewPhase } from '../review/review-items.js';
import { reviewInputIdOf } from '../review/review-form.js';
import type { ReviewFormValues } from '../review/review-form.js';
import type { RouteContext } from './route-context.js';

export type EpisodeRow = Selectable<EpisodeTable>;

/** Phases a review of this episode may record; the first is the default. */
export function phasesOf(episode: EpisodeRow): ReviewPhase[] {
  if (episode.discharge_date === null) return ['in-treatment'];
  const successful = episode.discharge_reason !== null && cdsQDataset.conventions.successfulDischargeReasons.includes(episode.discharge_reason);
  return successful ? ['post-discharge', 'in-treatment'] : ['in-treatment'];
}

/** Returns the requested phase when the episode allows it, otherwise the episode's default. */
export function phaseFrom(episode: EpisodeRow, requested: string): ReviewPhase {
  const phases = phasesOf(episode);
  return phases.find((phase) => phase === requested) ?? (phases[0] as ReviewPhase);
}

/** The review the form records: a new one on the episode, or the saved review with this id. */
export interface ReviewFormTarget {
  episode: EpisodeRow;
  reviewId: number | null;
}

export interface ReviewFormFeedback {
  errors?: FormErrors;
  warnings?: { code: string; message: string }[];
  concentrateNote?: string;
}

/** URL the form posts to, which also serves the page for the search and phase links. */
function formActionOf(target: ReviewFormTarget): string {
  return target.reviewId === null ? `/episodes/${target.episode.id}/reviews/new` : `/reviews/${target.reviewId}/edit`;
}

function pageTitleOf(target: ReviewFormTarget, phase: ReviewPhase): string {
  const afterDischarge = phase === 'post-discharge' ? ' after discharge' : '';
  return target.reviewId === null ? `Record a review${afterDischarge}` : `Change a review${afterDischarge}`;
}

/** Renders the review form for a new or a saved review, with status 400 when it carries errors. */
export async function renderReviewForm(request: FastifyRequest, reply: FastifyReply, target: ReviewFormTarget, values: ReviewFormValues, feedback: ReviewFormFeedback = {}): Promise<FastifyReply> {
  const { episode } = target;
  const staff = staffOf(request);
  const fieldErrors = feedback.errors?.byField ?? {};
  const allowedCodes = new Set(allowedItems(values.phase).map((item) => item.code));
  const matches = values.term === '' ? [] : lookup(cdsQDataset, values.term).filter((match) => allowedCodes.has(match.item.code)).slice(0, 8);
  // A saved review can hold items its phase does not allow (an imported file, or an episode
  // discharged later). They stay on the form, ticked, so a save never drops them unseen.
  const disallowedItems = values.items.filter((code) => !allowedCodes.has(code)).map((code) => ({ code, name: cdsQDataset.subIntervention(code)?.name ?? code }));
  return reply.code(feedback.errors?.any ? 400 : 200).view('review-form.njk', {
    pageTitle: pageTitleOf(target, values.phase),
    episode: { id: episode.id, ref: episode.episode_ref, clientId: episode.client_id, dischargeDate: episode.discharge_date },
    reviewId: target.reviewId,
    formAction: formActionOf(target),
    values,
    otherPhase: phasesOf(episode).find((phase) => phase !== values.phase),
    groups: groupedItems(values.phase, new Set(values.items), new Set(values.confirmedPurposes), staff),
    disallowedItems,
    matches: matches.map((match) => ({ code: match.item.code, name: match.item.name, matchedText: match.matchedText, confirmPurpose: match.item.confirmPurpose })),
    reviewDateItems: dateInputItems('reviewDate', values.reviewDate, Boolean(fieldErrors['reviewDate-day'])),
    supervisionItems: codeListItems('ost-supervision', values.ostSupervision, [cdsQDataset.conventions.ostNotApplicableCode]),
    relapsePreventionItems: codeListItems('relapse-prevention-prescribing', values.relapsePreventionPrescribing),
    labels: {
      methadoneDose: cdsQDataset.field('review', 'methadoneDose').label,
      buprenorphineDose: cdsQDataset.field('review', 'buprenorphineDose').label,
      ostSupervision: cdsQDataset.field('review', 'ostSupervision').label,
      relapsePreventionPrescribing: cdsQDataset.field('review', 'relapsePreventionPrescribing').label,
    },
    needsCompetenceConfirmation: Boolean(fieldErrors['confirmCompetence']) || values.confirmCompetence,
    concentrateNote: feedback.concentrateNote,
    warnings: feedback.warnings ?? [],
    errors: feedback.errors?.summary,
    fieldErrors,
  }, request);
}

/**
 * Runs every client rule on `record` with the review added to its episode, or put in place of
 * the saved review of the same reference. Findings the client already had elsewhere do not block the
 * save, but every finding on this review does, as it would on a new review: a correction
 * that leaves an error in place is refused.
 */
export function gateReview(context: RouteContext, record: ClientRecord, episode: EpisodeRow, review: SubInterventionReview, body: FormBody): FindingGate & { changed: Client } {
  const before = context.records.findingsOf(record).filter((finding) => !(finding.record?.entity === 'review' && finding.record.id === review.reviewId));
  const changed = toDomainClient(record);
  const domainEpisode = changed.episodes.find((item) => item.episodeId === episode.episode_ref);
  if (domainEpisode) {
    domainEpisode.reviews = domainEpisode.reviews.filter((item) => item.reviewId !== review.reviewId);
    domainEpisode.reviews.push(review);
  }
  return { ...gateFindings(newFindings(before, checkClient(changed)), body, reviewInputIdOf), changed };
}
