import { cdsQDataset } from '../../dataset/index.js';
import type { Dataset } from '../../dataset/index.js';
import { wasRejected, type Client, type SubInterventionReview } from '../../domain/model.js';
import { atReview, codeWithLabel, deliveredItems, listWithOr } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { aidDoseQuestions } from '../rule-sources.js';
import { itemsWithMarker, oralOstMedications } from './ost-medication.js';

const supervisionColumn = cdsQDataset.columnOf('review', 'ostSupervision');

/** OSTSUP codes that answer the question for a client on oral OST: every code but not applicable. */
function answerCodes(dataset: Dataset): string[] {
  const format = dataset.field('review', 'ostSupervision').format;
  if (format.kind !== 'code') return [];
  const notApplicable = dataset.conventions.ostNotApplicableCode;
  return dataset.codeList(format.codeList).codes.map((entry) => entry.code).filter((code) => code !== notApplicable);
}

/** Codes of the oral OST items delivered on a SIR, methadone items before buprenorphine ones. */
function deliveredOstCodes(dataset: Dataset, review: SubInterventionReview): string[] {
  const items = deliveredItems(dataset, review);
  const codes: string[] = [];
  for (const ost of oralOstMedications) {
    for (const item of items) if (item.ostMarker === ost.marker) codes.push(item.code);
  }
  return codes;
}

/**
 * Checks one SIR's OSTSUP against its oral OST items. An empty OSTSUP is an error both ways;
 * a value that failed its code-list check is left to D2.
 */
function checkReview(client: Client, review: SubInterventionReview, context: RuleContext): Finding | undefined {
  const { dataset } = context;
  const notApplicable = dataset.conventions.ostNotApplicableCode;
  const recorded = review.ostSupervision;
  if (recorded === undefined && wasRejected(review, 'ostSupervision')) return undefined;

  // Most SIRs pass, so the check runs before any message text is built.
  const ostCodes = deliveredOstCodes(dataset, review);
  const onOralOst = ostCodes.length > 0;
  if (onOralOst && recorded !== undefined && recorded !== notApplicable) return undefined;
  if (!onOralOst && recorded === notApplicable) return undefined;

  const column = dataset.columnOf('review', 'ostSupervision');
  const recordedText = recorded === undefined ? 'empty' : codeWithLabel(dataset, 'review', 'ostSupervision', recorded);
  const location = { ...atReview(client, review), field: column, value: recorded ?? '' };
  if (onOralOst) {
    const answers = listWithOr(answerCodes(dataset).map((code) => codeWithLabel(dataset, 'review', 'ostSupervision', code)));
    return makeFinding(ostSupervisionRule, {
      ...location,
      message:
        `${column} is ${recordedText} on SIR ${review.reviewId} but ${ostCodes.join(' and ')} ${ostCodes.length > 1 ? 'are' : 'is'} marked ${dataset.conventions.deliveredCode}, ` +
        `so the client is prescribed oral OST. Record ${answers}.`,
    });
  }

  return makeFinding(ostSupervisionRule, {
    ...location,
    message:
      `${column} is ${recordedText} on SIR ${review.reviewId} but no oral methadone (*) or oral buprenorphine (#) item is marked ` +
      `${dataset.conventions.deliveredCode}. Record ${codeWithLabel(dataset, 'review', 'ostSupervision', notApplicable)}, ` +
      'or mark the oral OST item the client receives.',
  });
}

export const ostSupervisionRule: RuleDefinition = {
  code: 'A5',
  severity: 'error',
  title: `${supervisionColumn} must say whether oral OST is supervised when an oral methadone (*) or buprenorphine (#) item is delivered, and be not applicable when none is`,
  fields: [supervisionColumn, ...oralOstMedications.flatMap((ost) => itemsWithMarker(cdsQDataset, ost.marker).map((item) => item.code))],
  fix: `With an oral methadone or oral buprenorphine item, record whether consumption is supervised at every or most dispenses; without one, record ${cdsQDataset.conventions.ostNotApplicableCode} (not applicable).`,
  source: aidDoseQuestions,
  scope: 'client',
  check: (client, context) => {
    const findings: Finding[] = [];
    for (const episode of client.episodes) {
      for (const review of episode.reviews) {
        const finding = checkReview(client, review, context);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
};
