import type { SubInterventionDefinition } from '../../dataset/index.js';
import { cdsQDataset } from '../../dataset/index.js';
import { isPostDischarge, type Client, type Episode } from '../../domain/model.js';
import { atReview, codeWithLabel, dateText, datedReviewsInOrder, deliveredItems, listWithOr, type DatedEpisodeReview } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { aidPostStructured } from '../rule-sources.js';

// Post-discharge SIRs record recovery support after structured treatment has ended.
// SIRs without a date cannot be placed before or after discharge, so these rules skip them.

const relapsePrevention = cdsQDataset.columnOf('review', 'relapsePreventionPrescribing');
const dischargeReason = cdsQDataset.columnOf('episode', 'dischargeReason');

export function isStructured(item: SubInterventionDefinition): boolean {
  return item.group === 'structured-psychosocial' || item.group === 'structured-pharmacological';
}

/** A value a finding points at on a SIR: a delivered item or the RPPRESC code. */
interface PostStructuredValue {
  field: string;
  value: string;
  /** The value as a message states it, such as "RECCHKP is marked Y". */
  stated: string;
}

function postStructuredValues(entry: DatedEpisodeReview, context: RuleContext): PostStructuredValue[] {
  const { dataset } = context;
  const delivered = dataset.conventions.deliveredCode;
  const values: PostStructuredValue[] = deliveredItems(dataset, entry.review)
    .filter((item) => item.postStructuredOnly)
    .map((item) => ({ field: item.code, value: delivered, stated: `${item.code} is marked ${delivered}` }));
  const prescribing = entry.review.relapsePreventionPrescribing;
  if (prescribing !== undefined) {
    const column = dataset.columnOf('review', 'relapsePreventionPrescribing');
    values.push({ field: column, value: prescribing, stated: `${column} is ${codeWithLabel(dataset, 'review', 'relapsePreventionPrescribing', prescribing)}` });
  }
  return values;
}

/** Returns why a SIR may not carry post-structured values, or undefined when it may. */
function reasonNotAllowed(entry: DatedEpisodeReview, context: RuleContext): string | undefined {
  const { dataset } = context;
  const { episode, review } = entry;
  const dischargeColumn = dataset.columnOf('episode', 'dischargeDate');
  const reasonColumn = dataset.columnOf('episode', 'dischargeReason');
  if (!isPostDischarge(episode, review)) {
    const discharge = episode.dischargeDate === undefined ? `${dischargeColumn} is empty` : `${dischargeColumn} is ${dateText(episode.dischargeDate)}`;
    return `the SIR is dated ${dateText(entry.date)}, which is not after the discharge of episode ${episode.episodeId} (${discharge})`;
  }
  const successful = dataset.conventions.successfulDischargeReasons;
  if (episode.dischargeReason !== undefined && successful.includes(episode.dischargeReason)) return undefined;
  const reason =
    episode.dischargeReason === undefined ? `no ${reasonColumn}` : `${reasonColumn} ${codeWithLabel(dataset, 'episode', 'dischargeReason', episode.dischargeReason)}`;
  return `episode ${episode.episodeId} was discharged with ${reason}, which is not a successful completion (${listWithOr(successful)})`;
}

function checkPostStructuredOnly(client: Client, entry: DatedEpisodeReview, context: RuleContext): Finding[] {
  const values = postStructuredValues(entry, context);
  if (values.length === 0) return [];
  const reason = reasonNotAllowed(entry, context);
  if (reason === undefined) return [];
  return values.map((value) =>
    makeFinding(postStructuredOnlyRule, {
      ...atReview(client, entry.review),
      field: value.field,
      value: value.value,
      message:
        `${value.stated} on SIR ${entry.review.reviewId} but ${reason}. ` +
        `${value.field} is recorded only on SIRs after a successful discharge: remove it, or correct the SIR date or the discharge.`,
    }),
  );
}

function checkStructuredAfterDischarge(client: Client, entry: DatedEpisodeReview, context: RuleContext): Finding[] {
  const { episode, review } = entry;
  if (!isPostDischarge(episode, review)) return [];
  const delivered = context.dataset.conventions.deliveredCode;
  return deliveredItems(context.dataset, review)
    .filter(isStructured)
    .map((item) =>
      makeFinding(structuredAfterDischargeRule, {
        ...atReview(client, review),
        field: item.code,
        value: delivered,
        message:
          `${item.code} is marked ${delivered} on SIR ${review.reviewId} dated ${dateText(entry.date)}, after episode ${episode.episodeId} ` +
          `was discharged on ${dateText(episode.dischargeDate)}. A structured sub-intervention needs the client to be in structured treatment: ` +
          'record it in an open episode, or correct the discharge date.',
      }),
    );
}

/** Warns on the second and later post-discharge SIRs of an episode that record relapse-prevention prescribing. */
function checkRepeatedPrescribing(client: Client, episode: Episode, context: RuleContext): Finding[] {
  const { dataset } = context;
  const prescribedCodes = dataset.conventions.relapsePreventionGivenCodes;
  const column = dataset.columnOf('review', 'relapsePreventionPrescribing');
  const prescribed = datedReviewsInOrder(episode).filter(
    ({ review }) => isPostDischarge(episode, review) && review.relapsePreventionPrescribing !== undefined && prescribedCodes.includes(review.relapsePreventionPrescribing),
  );
  const first = prescribed[0];
  if (!first) return [];
  return prescribed.slice(1).map(({ review }) => {
    const value = review.relapsePreventionPrescribing ?? '';
    return makeFinding(repeatedRelapsePreventionRule, {
      ...atReview(client, review),
      field: column,
      value,
      message:
        `${column} is ${codeWithLabel(dataset, 'review', 'relapsePreventionPrescribing', value)} on SIR ${review.reviewId}, but SIR ${first.review.reviewId} ` +
        `on ${dateText(first.date)} already recorded relapse-prevention prescribing after episode ${episode.episodeId} ended. ` +
        'A final script after discharge is a one-off; if prescribing continues, the client should stay in structured treatment. Confirm it if it is correct.',
    });
  });
}

function eachDatedReview(client: Client, check: (entry: DatedEpisodeReview) => Finding[]): Finding[] {
  return client.episodes.flatMap((episode) => datedReviewsInOrder(episode).flatMap(check));
}

export const postStructuredOnlyRule: RuleDefinition = {
  code: 'A11',
  severity: 'error',
  title: `A post-structured-only item or ${relapsePrevention} on a SIR that is not after a successful discharge`,
  fields: [...cdsQDataset.subInterventions.filter((item) => item.postStructuredOnly).map((item) => item.code), relapsePrevention, dischargeReason],
  fix: `Record these items and ${relapsePrevention} only on SIRs dated after a discharge with a successful completion reason; remove them from other SIRs or correct the dates or ${dischargeReason}.`,
  source: aidPostStructured,
  scope: 'client',
  check: (client, context) => eachDatedReview(client, (entry) => checkPostStructuredOnly(client, entry, context)),
};

export const structuredAfterDischargeRule: RuleDefinition = {
  code: 'A12',
  severity: 'error',
  title: 'A structured psychosocial or pharmacological sub-intervention on a post-discharge SIR',
  fields: cdsQDataset.subInterventions.filter(isStructured).map((item) => item.code),
  fix: 'Record structured sub-interventions only while the episode is open; if the client is still in structured treatment, correct the discharge.',
  source: aidPostStructured,
  scope: 'client',
  check: (client, context) => eachDatedReview(client, (entry) => checkStructuredAfterDischarge(client, entry, context)),
};

export const repeatedRelapsePreventionRule: RuleDefinition = {
  code: 'A13',
  severity: 'warning',
  title: `Relapse-prevention prescribing (${relapsePrevention}) on more than one post-discharge SIR of an episode`,
  fields: [relapsePrevention],
  fix: 'Post-discharge relapse-prevention prescribing is a final script; keep a client on ongoing prescribing in structured treatment, or confirm the record.',
  source: aidPostStructured,
  scope: 'client',
  check: (client, context) => client.episodes.flatMap((episode) => checkRepeatedPrescribing(client, episode, context)),
};

export const postStructuredRules: RuleDefinition[] = [postStructuredOnlyRule, structuredAfterDischargeRule, repeatedRelapsePreventionRule];
