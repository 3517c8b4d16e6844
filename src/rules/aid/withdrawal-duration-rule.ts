import type { SubInterventionDefinition } from '../../dataset/index.js';
import { cdsQDataset } from '../../dataset/index.js';
import { isInterventionOpenOn, type Client, type Episode } from '../../domain/model.js';
import { daysBetween } from '../../domain/plain-date.js';
import { atReview, dateText, datedReviewsInOrder, type DatedEpisodeReview } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { aidWithdrawal } from '../rule-sources.js';

/** Splits an episode's dated SIRs, oldest first, into runs of consecutive SIRs that carry the item. */
function runsOf(reviews: DatedEpisodeReview[], code: string): DatedEpisodeReview[][] {
  const runs: DatedEpisodeReview[][] = [];
  let current: DatedEpisodeReview[] = [];
  for (const entry of reviews) {
    if (entry.review.delivered.includes(code)) {
      current.push(entry);
      continue;
    }
    if (current.length > 0) runs.push(current);
    current = [];
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/** Returns true when an intervention of the item's type, open on the run's first date, is in an inpatient setting. */
function isInpatientRun(episode: Episode, item: SubInterventionDefinition, first: DatedEpisodeReview, context: RuleContext): boolean {
  const inpatient = context.dataset.conventions.inpatientSettings;
  return episode.interventions.some(
    (intervention) =>
      intervention.interventionType === item.interventionType &&
      intervention.setting !== undefined &&
      inpatient.includes(intervention.setting) &&
      isInterventionOpenOn(intervention, first.date),
  );
}

/** Warns once per run, on the first SIR whose distance from the start of the run exceeds the limit. */
function checkRun(client: Client, item: SubInterventionDefinition, run: DatedEpisodeReview[], context: RuleContext): Finding | undefined {
  const first = run[0];
  if (!first) return undefined;
  const inpatient = isInpatientRun(first.episode, item, first, context);
  const limit = inpatient ? context.thresholds.withdrawalInpatientDays : context.thresholds.withdrawalCommunityDays;
  const over = run.find((entry) => daysBetween(first.date, entry.date) > limit);
  if (!over) return undefined;

  const days = daysBetween(first.date, over.date);
  const place = inpatient ? 'in an inpatient unit' : 'in the community';
  return makeFinding(withdrawalDurationRule, {
    ...atReview(client, over.review),
    field: item.code,
    value: context.dataset.conventions.deliveredCode,
    message:
      `${item.code} (${item.name}) is marked ${context.dataset.conventions.deliveredCode} on every SIR from ${dateText(first.date)} ` +
      `(SIR ${first.review.reviewId}) to ${dateText(over.date)} (SIR ${over.review.reviewId}), ${days} days, ` +
      `longer than the ${limit} days withdrawal usually takes ${place}. ` +
      'Check whether the withdrawal has ended or the client moved to another purpose such as maintenance, and record the item that applies; confirm it if the withdrawal really is continuing.',
  });
}

function checkEpisode(client: Client, episode: Episode, context: RuleContext): Finding[] {
  const reviews = datedReviewsInOrder(episode);
  const findings: Finding[] = [];
  for (const item of context.dataset.subInterventions) {
    if (!item.withdrawal) continue;
    for (const run of runsOf(reviews, item.code)) {
      const finding = checkRun(client, item, run, context);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

export const withdrawalDurationRule: RuleDefinition = {
  code: 'A9',
  severity: 'warning',
  title: 'A withdrawal sub-intervention stays on consecutive SIRs for longer than withdrawal usually takes',
  fields: cdsQDataset.subInterventions.filter((item) => item.withdrawal).map((item) => item.code),
  fix: 'When the withdrawal has ended or changed purpose, record the item that applies on the next SIR; otherwise confirm the long withdrawal.',
  source: aidWithdrawal,
  scope: 'client',
  thresholds: ['withdrawalCommunityDays', 'withdrawalInpatientDays'],
  check: (client, context) => client.episodes.flatMap((episode) => checkEpisode(client, episode, context)),
};
