import type { Dataset } from '../../dataset/index.js';
import { isInterventionOpenOn, isPostDischarge, type Client, type Episode, type SubInterventionReview } from '../../domain/model.js';
import { addDays, ageOn, daysBetween, type PlainDate } from '../../domain/plain-date.js';
import { inColumnOrder } from '../client-rows.js';

/** A data-quality problem planted in the demonstration data, for people to find and fix. */
export interface PlantedProblem {
  clientId: string;
  /** The rule that should report it. */
  rule: string;
  description: string;
}

interface Planter {
  rule: string;
  /** Changes the client in place and describes the problem, or returns undefined when the client does not suit. */
  plant(client: Client, dataset: Dataset, periodEnd: PlainDate): string | undefined;
}

/**
 * Plants one problem of each kind, each in a different client, in the first clients that
 * suit it. Mistakes of kinds real services make: a missing methadone dose, an intervention
 * left open after discharge, a withdrawal run past 12 weeks and a date-of-birth typo.
 */
export class ProblemPlanter {
  readonly planted: PlantedProblem[] = [];
  private readonly waiting: Planter[] = [missingMethadoneDose, openAfterDischarge, longWithdrawal, childDateOfBirth];

  constructor(
    private readonly dataset: Dataset,
    private readonly periodEnd: PlainDate,
  ) {}

  /** Tries each problem not yet planted on this client; plants at most one. */
  visit(client: Client): void {
    if (client.consent === this.dataset.conventions.noConsentCode) return;
    for (const [index, planter] of this.waiting.entries()) {
      const description = planter.plant(client, this.dataset, this.periodEnd);
      if (description === undefined) continue;
      this.planted.push({ clientId: client.clientId, rule: planter.rule, description });
      this.waiting.splice(index, 1);
      return;
    }
  }
}

const missingMethadoneDose: Planter = {
  rule: 'A2',
  plant(client, dataset) {
    for (const review of allReviews(client)) {
      const methadone = review.delivered.some((code) => dataset.subIntervention(code)?.ostMarker === 'oral-methadone');
      if (!methadone || review.methadoneDose === undefined) continue;
      review.methadoneDose = undefined;
      return `review ${review.reviewId} marks oral methadone but has no daily dose`;
    }
    return undefined;
  },
};

const openAfterDischarge: Planter = {
  rule: 'D6',
  plant(client) {
    for (const episode of client.episodes) {
      if (episode.dischargeDate === undefined) continue;
      const ended = episode.interventions.find((intervention) => intervention.endDate !== undefined);
      if (!ended) continue;
      ended.endDate = undefined;
      ended.exitStatus = undefined;
      return `intervention ${ended.interventionId} was left open after episode ${episode.episodeId} was discharged`;
    }
    return undefined;
  },
};

const longWithdrawal: Planter = {
  rule: 'A9',
  plant(client, dataset) {
    for (const episode of client.episodes) {
      const description = extendWithdrawal(episode, dataset);
      if (description !== undefined) return description;
    }
    return undefined;
  },
};

const childDateOfBirth: Planter = {
  rule: 'D9',
  plant(client) {
    const triage = client.episodes[0]?.triageDate;
    if (triage === undefined || client.dateOfBirth === undefined) return undefined;
    // About fifteen and a quarter years before triage: a typed year one or two decades off.
    client.dateOfBirth = addDays(triage, -(15 * 365 + 100));
    return `date of birth typed wrongly, making the client ${ageOn(client.dateOfBirth, triage)} at triage`;
  },
};

/**
 * Adds an alcohol withdrawal item to every in-treatment review during a community
 * pharmacological intervention whose reviews span more than 84 days: the item was ticked
 * once and never taken off.
 */
function extendWithdrawal(episode: Episode, dataset: Dataset): string | undefined {
  const item = dataset.subInterventions.find((candidate) => candidate.withdrawal && candidate.ostMarker === null && candidate.purpose === 'alcohol withdrawal');
  if (!item) return undefined;
  const inTreatment = episode.reviews.filter((review) => review.reviewDate !== undefined && !isPostDischarge(episode, review));

  for (const intervention of episode.interventions) {
    if (intervention.interventionType !== item.interventionType) continue;
    if (dataset.conventions.inpatientSettings.includes(intervention.setting ?? '')) continue;

    const covered = inTreatment.filter((review) => isInterventionOpenOn(intervention, review.reviewDate as PlainDate));
    const first = covered[0]?.reviewDate;
    const last = covered.at(-1)?.reviewDate;
    if (first === undefined || last === undefined || daysBetween(first, last) <= 84) continue;
    if (covered.some((review) => review.delivered.includes(item.code))) continue;

    for (const review of covered) review.delivered = inColumnOrder([...review.delivered, item.code]);
    return `${item.code} stays on ${covered.length} reviews from ${covered[0]?.reviewId} to ${covered.at(-1)?.reviewId}, beyond 12 weeks in the community`;
  }
  return undefined;
}

function allReviews(client: Client): SubInterventionReview[] {
  return client.episodes.flatMap((episode) => episode.reviews);
}
