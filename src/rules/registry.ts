import { doseLimitRules } from './aid/dose-limit-rules.js';
import { emptyReviewRule } from './aid/empty-review-rule.js';
import { medicationCombinationRule } from './aid/medication-combination-rule.js';
import { openInterventionRules } from './aid/open-intervention-rules.js';
import { ostDoseRules } from './aid/ost-dose-rules.js';
import { ostSupervisionRule } from './aid/ost-supervision-rule.js';
import { postStructuredRules } from './aid/post-structured-rules.js';
import { withdrawalDurationRule } from './aid/withdrawal-duration-rule.js';
import { clientRules } from './integrity/client-rules.js';
import { dateOrderRule, futureDateRule } from './integrity/date-order-rules.js';
import { episodeRules } from './integrity/episode-rules.js';
import { fieldRules } from './integrity/field-rules.js';
import { fileRules } from './integrity/file-rules.js';
import { pairedFieldRule } from './integrity/paired-field-rules.js';
import type { RuleDefinition } from './rule.js';

/** Every rule, ordered by code: the interventions aid rules (A), then the data integrity rules (D). */
export const ruleRegistry: RuleDefinition[] = [
  ...ostDoseRules,
  ostSupervisionRule,
  ...doseLimitRules,
  withdrawalDurationRule,
  medicationCombinationRule,
  ...postStructuredRules,
  ...openInterventionRules,
  emptyReviewRule,
  ...fieldRules,
  dateOrderRule,
  futureDateRule,
  pairedFieldRule,
  ...episodeRules,
  ...clientRules,
  ...fileRules,
].sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }));

const byCode = new Map(ruleRegistry.map((rule) => [rule.code, rule]));

/** Returns the rule with a code. Throws for an unknown code, because that is a programming error. */
export function ruleFor(code: string): RuleDefinition {
  const rule = byCode.get(code);
  if (!rule) throw new Error(`No rule has code ${code}`);
  return rule;
}
