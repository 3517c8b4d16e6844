import { cdsQDataset } from '../../dataset/index.js';
import type { Client, SubInterventionReview } from '../../domain/model.js';
import { atReview, doseText } from '../client-records.js';
import type { Finding } from '../finding.js';
import { makeFinding } from '../make-finding.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { waymarkDosePlausibility } from '../rule-sources.js';
import type { RuleThresholds } from '../thresholds.js';
import { oralBuprenorphine, oralMethadone, unitOf, type OralOst } from './ost-medication.js';

/** The two limits that apply to one medication's daily dose. */
interface DoseLimits {
  ost: OralOst;
  warning: keyof RuleThresholds;
  maximum: keyof RuleThresholds;
}

const doseLimits: DoseLimits[] = [
  { ost: oralMethadone, warning: 'methadoneDoseWarningMl', maximum: 'methadoneDoseMaximumMl' },
  { ost: oralBuprenorphine, warning: 'buprenorphineDoseWarningMg', maximum: 'buprenorphineDoseMaximumMg' },
];

type Level = 'warning' | 'maximum';

/** Flags doses above one level of limit. A dose above the maximum is left to A8 alone, so A7 does not repeat it. */
function checkDoses(rule: RuleDefinition, level: Level, client: Client, context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const episode of client.episodes) {
    for (const review of episode.reviews) {
      for (const limits of doseLimits) {
        const finding = checkDose(rule, level, limits, client, review, context);
        if (finding) findings.push(finding);
      }
    }
  }
  return findings;
}

function checkDose(
  rule: RuleDefinition,
  level: Level,
  limits: DoseLimits,
  client: Client,
  review: SubInterventionReview,
  context: RuleContext,
): Finding | undefined {
  const dose = review[limits.ost.doseProperty];
  if (dose === undefined) return undefined;
  const warning = context.thresholds[limits.warning];
  const maximum = context.thresholds[limits.maximum];
  const exceeds = level === 'maximum' ? dose > maximum : dose > warning && dose <= maximum;
  if (!exceeds) return undefined;

  const column = context.dataset.columnOf('review', limits.ost.doseProperty);
  const unit = unitOf(context.dataset, limits.ost);
  const message =
    level === 'maximum'
      ? `${column} is ${doseText(dose)} ${unit} on SIR ${review.reviewId}, above ${maximum} ${unit}, which is not a plausible daily dose of ${limits.ost.name}. ` +
        `Check for a unit or concentrate error or a total quantity recorded as the daily dose, and record the daily dose in ${unit}` +
        (limits.ost === oralMethadone ? ' of 1 mg/1 ml solution.' : '.')
      : `${column} is ${doseText(dose)} ${unit} on SIR ${review.reviewId}, above the usual ${warning} ${unit} daily dose of ${limits.ost.name}. ` +
        'Check the dose against the prescription and confirm it if it is correct.';
  return makeFinding(rule, { ...atReview(client, review), field: column, value: doseText(dose), message });
}

const methadoneDose = cdsQDataset.columnOf('review', 'methadoneDose');
const buprenorphineDose = cdsQDataset.columnOf('review', 'buprenorphineDose');

export const highDoseRule: RuleDefinition = {
  code: 'A7',
  severity: 'warning',
  title: `${methadoneDose} or ${buprenorphineDose} is above the usual daily dose`,
  fields: [methadoneDose, buprenorphineDose],
  fix: 'Check the dose against the prescription; confirm it when it is correct.',
  source: `${waymarkDosePlausibility}. The buprenorphine default is the usual licensed daily maximum for sublingual tablets`,
  scope: 'client',
  thresholds: ['methadoneDoseWarningMl', 'buprenorphineDoseWarningMg', 'methadoneDoseMaximumMl', 'buprenorphineDoseMaximumMg'],
  check: (client, context) => checkDoses(highDoseRule, 'warning', client, context),
};

export const implausibleDoseRule: RuleDefinition = {
  code: 'A8',
  severity: 'error',
  title: `${methadoneDose} or ${buprenorphineDose} is above any plausible daily dose`,
  fields: [methadoneDose, buprenorphineDose],
  fix: 'Record the daily dose, not the total quantity; give methadone in ml of 1 mg/1 ml solution (convert a concentrate) and buprenorphine in mg.',
  source: waymarkDosePlausibility,
  scope: 'client',
  thresholds: ['methadoneDoseMaximumMl', 'buprenorphineDoseMaximumMg'],
  check: (client, context) => checkDoses(implausibleDoseRule, 'maximum', client, context),
};

export const doseLimitRules: RuleDefinition[] = [highDoseRule, implausibleDoseRule];
