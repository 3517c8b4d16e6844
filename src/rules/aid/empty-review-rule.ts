import { cdsQDataset } from '../../dataset/index.js';
import type { Client } from '../../domain/model.js';
import { atReview, reviewsOf } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { aidReviewContent } from '../rule-sources.js';

const reviewIdColumn = cdsQDataset.columnOf('review', 'reviewId');
const prescribingColumn = cdsQDataset.columnOf('review', 'relapsePreventionPrescribing');

/** Reports SIRs that record nothing: no item marked delivered and no RPPRESC code. */
function checkClient(client: Client, context: RuleContext): Finding[] {
  const { dataset } = context;
  const column = dataset.columnOf('review', 'reviewId');
  const prescribing = dataset.columnOf('review', 'relapsePreventionPrescribing');
  const delivered = dataset.conventions.deliveredCode;
  return reviewsOf(client)
    .filter(({ review }) => review.delivered.length === 0 && review.relapsePreventionPrescribing === undefined)
    .map(({ review }) =>
      makeFinding(emptyReviewRule, {
        ...atReview(client, review),
        field: column,
        value: review.reviewId,
        message:
          `The SIR with ${column} ${review.reviewId} has no sub-intervention marked ${delivered} and no ${prescribing} answer, so it records nothing. ` +
          `Mark the sub-interventions the client received on that date, or delete the SIR.`,
      }),
    );
}

export const emptyReviewRule: RuleDefinition = {
  code: 'A16',
  severity: 'error',
  title: `A SIR with no sub-intervention delivered and no ${prescribingColumn} answer`,
  fields: [reviewIdColumn, prescribingColumn],
  fix: 'Mark at least one sub-intervention the client received on the SIR date, or delete the SIR.',
  source: aidReviewContent,
  scope: 'client',
  check: checkClient,
};
