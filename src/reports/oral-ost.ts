import { cdsQDataset } from '../dataset/index.js';
import type { OstMarker } from '../dataset/index.js';
import { isInterventionOpenOn, isPostDischarge, type Client, type Episode, type SubInterventionReview } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';

/** The oral opioid substitution medication a client was on at a date, and the review that shows it. */
export interface OralOstStatus {
  /** The latest in-treatment review dated on or before the date. */
  review: SubInterventionReview;
  /** Oral OST markers of the review's items whose intervention type was still open on the date. */
  markers: Set<OstMarker>;
}

/**
 * Finds which oral OST medications a client was on at a date.
 *
 * The client's latest in-treatment review (not post-discharge) dated on or before the
 * date decides. Each of its items with an oral methadone or oral buprenorphine marker
 * counts only while an intervention of the item's type in the same episode is open on
 * the date. That way a prescription that has ended is not counted from an old review.
 * Returns undefined when the client has no such review.
 */
export function oralOstStatusOn(client: Client, date: PlainDate): OralOstStatus | undefined {
  const latest = latestInTreatmentReview(client, date);
  if (latest === undefined) return undefined;

  const markers = new Set<OstMarker>();
  for (const code of latest.review.delivered) {
    const item = cdsQDataset.subIntervention(code);
    if (item === undefined || item.ostMarker === null) continue;
    const stillOpen = latest.episode.interventions.some(
      (intervention) => intervention.interventionType === item.interventionType && isInterventionOpenOn(intervention, date),
    );
    if (stillOpen) markers.add(item.ostMarker);
  }
  return { review: latest.review, markers };
}

/** Picks the review with the latest date; of two on the same date, the one listed later. */
function latestInTreatmentReview(client: Client, date: PlainDate): { episode: Episode; review: SubInterventionReview } | undefined {
  let latest: { episode: Episode; review: SubInterventionReview } | undefined;
  for (const episode of client.episodes) {
    for (const review of episode.reviews) {
      const reviewDate = review.reviewDate;
      if (reviewDate === undefined || reviewDate > date || isPostDischarge(episode, review)) continue;
      if (latest === undefined || reviewDate >= (latest.review.reviewDate as PlainDate)) latest = { episode, review };
    }
  }
  return latest;
}

/**
 * Returns the OSTSUP code that means supervised consumption.
 *
 * NOTE: the dataset conventions name the not-applicable code but not the supervised one,
 * so it is found by its label in the field's code list. This throws if the label changes.
 */
export function supervisedConsumptionCode(): string {
  const format = cdsQDataset.field('review', 'ostSupervision').format;
  if (format.kind !== 'code') throw new Error(`${cdsQDataset.name} defines the OST supervision field without a code list`);
  const supervised = cdsQDataset.codeList(format.codeList).codes.find((entry) => entry.label.toLowerCase() === 'supervised');
  if (supervised === undefined) throw new Error(`${cdsQDataset.name} code list ${format.codeList} has no code labelled Supervised`);
  return supervised.code;
}
