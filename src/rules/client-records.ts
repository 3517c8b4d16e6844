import type { Dataset, SubInterventionDefinition } from '../dataset/index.js';
import type { Client, Entity, EntityProperties, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import { formatDayMonthYear, type PlainDate } from '../domain/plain-date.js';
import type { FindingDetails } from './make-finding.js';

/** The line, record and client a finding about one record points at. */
export type RecordLocation = Pick<FindingDetails, 'line' | 'record' | 'clientId'>;

export function atClient(client: Client): RecordLocation {
  return { line: client.line, clientId: client.clientId, record: { entity: 'client', id: client.clientId } };
}

export function atEpisode(client: Client, episode: Episode): RecordLocation {
  return { line: episode.line, clientId: client.clientId, record: { entity: 'episode', id: episode.episodeId } };
}

export function atIntervention(client: Client, intervention: Intervention): RecordLocation {
  return { line: intervention.line, clientId: client.clientId, record: { entity: 'intervention', id: intervention.interventionId } };
}

export function atReview(client: Client, review: SubInterventionReview): RecordLocation {
  return { line: review.line, clientId: client.clientId, record: { entity: 'review', id: review.reviewId } };
}

/** A SIR together with the episode it belongs to. */
export interface EpisodeReview {
  episode: Episode;
  review: SubInterventionReview;
}

/** A SIR that has a review date, because rules that compare dates skip undated ones. */
export interface DatedEpisodeReview extends EpisodeReview {
  date: PlainDate;
}

export function reviewsOf(client: Client): EpisodeReview[] {
  return client.episodes.flatMap((episode) => episode.reviews.map((review) => ({ episode, review })));
}

export function datedReviewsOf(client: Client): DatedEpisodeReview[] {
  const dated: DatedEpisodeReview[] = [];
  for (const { episode, review } of reviewsOf(client)) {
    if (review.reviewDate !== undefined) dated.push({ episode, review, date: review.reviewDate });
  }
  return dated;
}

/** SIRs of one episode that have a date, oldest first; SIRs on the same date keep their order. */
export function datedReviewsInOrder(episode: Episode): DatedEpisodeReview[] {
  const dated: DatedEpisodeReview[] = [];
  for (const review of episode.reviews) {
    if (review.reviewDate !== undefined) dated.push({ episode, review, date: review.reviewDate });
  }
  return dated.sort((a, b) => compareDates(a.date, b.date));
}

/** Orders two dates, oldest first, for Array.prototype.sort. */
export function compareDates(a: PlainDate, b: PlainDate): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/**
 * Definitions of the sub-interventions marked delivered on a SIR. Codes the dataset does
 * not define are left out, because the field checks report unknown columns.
 */
export function deliveredItems(dataset: Dataset, review: SubInterventionReview): SubInterventionDefinition[] {
  const items: SubInterventionDefinition[] = [];
  for (const code of review.delivered) {
    const item = dataset.subIntervention(code);
    if (item) items.push(item);
  }
  return items;
}

/** Formats a date as findings show it (DD/MM/YYYY), or as empty when it is missing. */
export function dateText(date: PlainDate | undefined): string {
  return date === undefined ? '' : formatDayMonthYear(date);
}

/** Formats a dose as findings show it, or as empty when it is missing. */
export function doseText(dose: number | undefined): string {
  return dose === undefined ? '' : String(dose);
}

/** Lists words as "a, b or c". */
export function listWithOr(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Formats a code with its label from the field's code list, such as "85 (Incomplete, dropped out)". */
export function codeWithLabel<E extends Entity>(dataset: Dataset, entity: E, property: EntityProperties[E], code: string): string {
  const format = dataset.field(entity, property).format;
  const label = format.kind === 'code' ? dataset.codeLabel(format.codeList, code) : undefined;
  return label === undefined ? code : `${code} (${label})`;
}
