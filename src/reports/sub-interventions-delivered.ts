import { cdsQDataset, type SubInterventionGroup } from '../dataset/index.js';
import type { Client, SubInterventionReview } from '../domain/model.js';
import type { ReportingPeriod } from '../domain/reporting-period.js';
import { isDateInPeriod } from './treatment-activity.js';

export interface SubInterventionCount {
  code: string;
  name: string;
  /** Reviews in the month with the item marked delivered. */
  reviews: number;
  /** Distinct clients with the item on at least one of those reviews. */
  clients: number;
}

export interface GroupCount {
  group: SubInterventionGroup;
  label: string;
  /** Reviews in the month with at least one item of the group. */
  reviews: number;
  /** Distinct clients with at least one item of the group in the month. */
  clients: number;
  /** Items of the group delivered at least once in the month, in dataset column order. */
  items: SubInterventionCount[];
}

export interface SubInterventionsDeliveredReport {
  explanation: string;
  period: ReportingPeriod;
  /** Every review dated in the month. */
  reviews: number;
  /** Distinct clients with a review dated in the month. */
  clients: number;
  groups: GroupCount[];
}

export const subInterventionsDeliveredExplanation =
  'Counts the sub-interventions marked delivered on the sub-intervention reviews dated in the month, the first and last ' +
  'days included, whether the review was during treatment or after discharge. For each item, "reviews" is how many ' +
  'reviews marked it and "clients" is how many different clients those reviews belong to. For each group, a review or ' +
  'a client is counted once however many of its items were marked. Items nobody received in the month are left out.';

/** Counts the sub-interventions delivered on reviews dated in the period, by group and by item. */
export function subInterventionsDeliveredReport(clients: Client[], period: ReportingPeriod): SubInterventionsDeliveredReport {
  const reviewsInMonth = reviewsDatedIn(clients, period);

  const groups = groupsInDatasetOrder().map((group): GroupCount => {
    const items = cdsQDataset.subInterventions
      .filter((item) => item.group === group)
      .map((item): SubInterventionCount => ({
        code: item.code,
        name: item.name,
        ...countMatching(reviewsInMonth, (review) => review.delivered.includes(item.code)),
      }))
      .filter((count) => count.reviews > 0);
    const inGroup = (review: SubInterventionReview): boolean =>
      review.delivered.some((code) => cdsQDataset.subIntervention(code)?.group === group);
    return { group, label: groupLabel(group), ...countMatching(reviewsInMonth, inGroup), items };
  });

  return {
    explanation: subInterventionsDeliveredExplanation,
    period,
    ...countMatching(reviewsInMonth, () => true),
    groups,
  };
}

interface ClientReview {
  client: Client;
  review: SubInterventionReview;
}

function reviewsDatedIn(clients: Client[], period: ReportingPeriod): ClientReview[] {
  const found: ClientReview[] = [];
  for (const client of clients) {
    for (const episode of client.episodes) {
      for (const review of episode.reviews) {
        if (isDateInPeriod(review.reviewDate, period)) found.push({ client, review });
      }
    }
  }
  return found;
}

/** Counts the matching reviews and the distinct clients they belong to. */
function countMatching(
  reviewsInMonth: ClientReview[],
  matches: (review: SubInterventionReview) => boolean,
): { reviews: number; clients: number } {
  const matching = reviewsInMonth.filter((entry) => matches(entry.review));
  return { reviews: matching.length, clients: new Set(matching.map((entry) => entry.client)).size };
}

function groupsInDatasetOrder(): SubInterventionGroup[] {
  return [...new Set(cdsQDataset.subInterventions.map((item) => item.group))];
}

/** Names a sub-intervention group for people reading the report. */
export function groupLabel(group: SubInterventionGroup): string {
  switch (group) {
    case 'structured-psychosocial':
      return 'Structured psychosocial';
    case 'structured-pharmacological':
      return 'Structured pharmacological';
    case 'recovery-support':
      return 'Recovery support';
  }
}
