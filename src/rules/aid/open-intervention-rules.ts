import type { SubInterventionDefinition } from '../../dataset/index.js';
import { cdsQDataset } from '../../dataset/index.js';
import { isInterventionOpenOn, isPostDischarge, type Client } from '../../domain/model.js';
import { atReview, codeWithLabel, dateText, datedReviewsInOrder, deliveredItems, type DatedEpisodeReview } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { aidSubInterventionReview } from '../rule-sources.js';
import { isStructured } from './post-structured-rules.js';

// A sub-intervention delivered during treatment belongs to an intervention of its type
// (MODAL) that is open on the SIR date. Post-discharge SIRs are left to A11 and A12.

function isRecoverySupport(item: SubInterventionDefinition): boolean {
  return item.group === 'recovery-support';
}

/** Reports each delivered item of the rule's kind with no open intervention of the item's type. */
function checkReview(
  rule: RuleDefinition,
  belongs: (item: SubInterventionDefinition) => boolean,
  client: Client,
  entry: DatedEpisodeReview,
  context: RuleContext,
): Finding[] {
  const { dataset } = context;
  const { episode, review, date } = entry;
  if (isPostDischarge(episode, review)) return [];
  const orphans = deliveredItems(dataset, review).filter(
    (item) =>
      belongs(item) &&
      !episode.interventions.some((intervention) => intervention.interventionType === item.interventionType && isInterventionOpenOn(intervention, date)),
  );
  if (orphans.length === 0) return [];

  const delivered = dataset.conventions.deliveredCode;
  const typeColumn = dataset.columnOf('intervention', 'interventionType');
  return orphans.map((item) => {
    const type = codeWithLabel(dataset, 'intervention', 'interventionType', item.interventionType);
    return makeFinding(rule, {
      ...atReview(client, review),
      field: item.code,
      value: delivered,
      message:
        `${item.code} is marked ${delivered} on SIR ${review.reviewId} dated ${dateText(date)}, but episode ${episode.episodeId} has no ` +
        `intervention with ${typeColumn} ${type} open on that date. Record the intervention with its start date, or correct the SIR date.`,
    });
  });
}

function checkClient(rule: RuleDefinition, belongs: (item: SubInterventionDefinition) => boolean, client: Client, context: RuleContext): Finding[] {
  return client.episodes.flatMap((episode) => datedReviewsInOrder(episode).flatMap((entry) => checkReview(rule, belongs, client, entry, context)));
}

const typeColumn = cdsQDataset.columnOf('intervention', 'interventionType');
const startColumn = cdsQDataset.columnOf('intervention', 'startDate');
const endColumn = cdsQDataset.columnOf('intervention', 'endDate');

export const structuredWithoutInterventionRule: RuleDefinition = {
  code: 'A14',
  severity: 'error',
  title: 'A structured sub-intervention on an in-treatment SIR with no open intervention of the matching type',
  fields: [...cdsQDataset.subInterventions.filter(isStructured).map((item) => item.code), typeColumn, startColumn, endColumn],
  fix: `Record the pharmacological or psychosocial intervention with a ${startColumn} on or before the SIR date (and no ${endColumn} before it), or correct the SIR date.`,
  source: aidSubInterventionReview,
  scope: 'client',
  check: (client, context) => checkClient(structuredWithoutInterventionRule, isStructured, client, context),
};

export const recoveryWithoutInterventionRule: RuleDefinition = {
  code: 'A15',
  severity: 'warning',
  title: 'A recovery support item on an in-treatment SIR with no open recovery support intervention',
  fields: [...cdsQDataset.subInterventions.filter(isRecoverySupport).map((item) => item.code), typeColumn, startColumn, endColumn],
  fix: `Record the recovery support intervention with a ${startColumn} on or before the SIR date, or correct the SIR date; confirm if the support came from elsewhere.`,
  source: aidSubInterventionReview,
  scope: 'client',
  check: (client, context) => checkClient(recoveryWithoutInterventionRule, isRecoverySupport, client, context),
};

export const openInterventionRules: RuleDefinition[] = [structuredWithoutInterventionRule, recoveryWithoutInterventionRule];
