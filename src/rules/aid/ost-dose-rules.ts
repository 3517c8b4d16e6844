import { cdsQDataset } from '../../dataset/index.js';
import { wasRejected, type Client } from '../../domain/model.js';
import { atReview, doseText } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { aidDoseQuestions } from '../rule-sources.js';
import { deliveredWithMarker, itemsWithMarker, markedCodesText, oralBuprenorphine, oralMethadone, unitOf, type OralOst } from './ost-medication.js';

// The aid requires a daily dose exactly when an item with the medication's marker is
// delivered, and a blank dose otherwise, so each direction is a separate rule.

function doseFieldsOf(ost: OralOst): string[] {
  return [cdsQDataset.columnOf('review', ost.doseProperty), ...itemsWithMarker(cdsQDataset, ost.marker).map((item) => item.code)];
}

/** Reports a dose given on a SIR with no item carrying the medication's marker. */
function checkDoseWithoutItem(rule: RuleDefinition, ost: OralOst, client: Client, context: RuleContext): Finding[] {
  const { dataset } = context;
  const doseColumn = dataset.columnOf('review', ost.doseProperty);
  const delivered = dataset.conventions.deliveredCode;
  const findings: Finding[] = [];
  for (const episode of client.episodes) {
    for (const review of episode.reviews) {
      const dose = review[ost.doseProperty];
      if (dose === undefined || deliveredWithMarker(dataset, review, ost.marker).length > 0) continue;
      findings.push(
        makeFinding(rule, {
          ...atReview(client, review),
          field: doseColumn,
          value: doseText(dose),
          message:
            `${doseColumn} is ${doseText(dose)} but no ${ost.name} sub-intervention ` +
            `(${markedCodesText(dataset, ost.marker)}) is marked ${delivered} on SIR ${review.reviewId}. ` +
            `Leave ${doseColumn} blank when the client is not prescribed ${ost.name}, or mark the item they receive.`,
        }),
      );
    }
  }
  return findings;
}

/**
 * Reports an item carrying the medication's marker delivered on a SIR with no dose. A dose
 * that was given but failed its format check is not empty: A6 reports it.
 */
function checkItemWithoutDose(rule: RuleDefinition, ost: OralOst, client: Client, context: RuleContext): Finding[] {
  const { dataset } = context;
  const doseColumn = dataset.columnOf('review', ost.doseProperty);
  const delivered = dataset.conventions.deliveredCode;
  const findings: Finding[] = [];
  for (const episode of client.episodes) {
    for (const review of episode.reviews) {
      const items = deliveredWithMarker(dataset, review, ost.marker);
      if (items.length === 0 || review[ost.doseProperty] !== undefined || wasRejected(review, ost.doseProperty)) continue;
      const codes = items.map((item) => item.code).join(' and ');
      findings.push(
        makeFinding(rule, {
          ...atReview(client, review),
          field: doseColumn,
          value: '',
          message:
            `${codes} ${items.length > 1 ? 'are' : 'is'} marked ${delivered} on SIR ${review.reviewId} but ${doseColumn} is empty. ` +
            `Record the client's current daily dose of ${ost.name} in ${unitOf(dataset, ost)}, or unmark the item if it is not prescribed.`,
        }),
      );
    }
  }
  return findings;
}

const methadoneDose = cdsQDataset.columnOf('review', 'methadoneDose');
const buprenorphineDose = cdsQDataset.columnOf('review', 'buprenorphineDose');

export const methadoneDoseWithoutItem: RuleDefinition = {
  code: 'A1',
  severity: 'error',
  title: `${methadoneDose} is given but no oral methadone (*) sub-intervention is delivered on the SIR`,
  fields: doseFieldsOf(oralMethadone),
  fix: `Leave ${methadoneDose} blank when oral methadone is not prescribed, or mark the oral methadone item the client receives.`,
  source: aidDoseQuestions,
  scope: 'client',
  check: (client, context) => checkDoseWithoutItem(methadoneDoseWithoutItem, oralMethadone, client, context),
};

export const methadoneItemWithoutDose: RuleDefinition = {
  code: 'A2',
  severity: 'error',
  title: `An oral methadone (*) sub-intervention is delivered but ${methadoneDose} is empty`,
  fields: doseFieldsOf(oralMethadone),
  fix: `Record the current daily dose of oral methadone in ml of 1 mg/1 ml solution (convert a concentrate), or unmark the item.`,
  source: aidDoseQuestions,
  scope: 'client',
  check: (client, context) => checkItemWithoutDose(methadoneItemWithoutDose, oralMethadone, client, context),
};

export const buprenorphineDoseWithoutItem: RuleDefinition = {
  code: 'A3',
  severity: 'error',
  title: `${buprenorphineDose} is given but no oral buprenorphine (#) sub-intervention is delivered on the SIR`,
  fields: doseFieldsOf(oralBuprenorphine),
  fix: `Leave ${buprenorphineDose} blank when oral buprenorphine is not prescribed (a depot injection or implant has no oral dose), or mark the oral buprenorphine item the client receives.`,
  source: aidDoseQuestions,
  scope: 'client',
  check: (client, context) => checkDoseWithoutItem(buprenorphineDoseWithoutItem, oralBuprenorphine, client, context),
};

export const buprenorphineItemWithoutDose: RuleDefinition = {
  code: 'A4',
  severity: 'error',
  title: `An oral buprenorphine (#) sub-intervention is delivered but ${buprenorphineDose} is empty`,
  fields: doseFieldsOf(oralBuprenorphine),
  fix: 'Record the current daily dose of oral buprenorphine in mg, or unmark the item.',
  source: aidDoseQuestions,
  scope: 'client',
  check: (client, context) => checkItemWithoutDose(buprenorphineItemWithoutDose, oralBuprenorphine, client, context),
};

/** Reported by the field parser while it reads a dose, so it has no client check. */
export const doseFormat: RuleDefinition = {
  code: 'A6',
  severity: 'error',
  title: `${methadoneDose} or ${buprenorphineDose} is not a number greater than zero with at most one decimal place`,
  fields: [methadoneDose, buprenorphineDose],
  fix: 'Write the daily dose as a number greater than zero with at most one decimal place, such as 60 or 7.5, with no unit.',
  source: aidDoseQuestions,
  scope: 'field',
};

export const ostDoseRules: RuleDefinition[] = [
  methadoneDoseWithoutItem,
  methadoneItemWithoutDose,
  buprenorphineDoseWithoutItem,
  buprenorphineItemWithoutDose,
  doseFormat,
];
