import type { Finding } from '../../rules/finding.js';
import type { FormBody } from './form-errors.js';
import { FormErrors, textOf } from './form-errors.js';
import { presentFindingMessage } from './finding-messages.js';

/** Name of the checkbox that confirms the warnings shown on a form. */
export const confirmWarningsField = 'confirmWarnings';

export interface FindingGate {
  /** Errors, each against the input of its field; a form with any is not saved. */
  errors: FormErrors;
  /** Warnings shown above the confirmation tick. */
  warnings: { code: string; message: string }[];
  /** True when the form may be saved: no errors, and any warnings confirmed. */
  passes: boolean;
  /** Warnings the person ticked "I have checked this" for, empty unless the form passes. */
  confirmed: Finding[];
}

/**
 * Turns rule findings into form feedback, worded with field labels and item names (see
 * `presentFindingMessage`). Errors block the save; warnings block it until the person ticks
 * "I have checked this". `inputIdOf` maps a column name to the id of the input that holds
 * it, so the error summary links to the right box.
 */
export function gateFindings(findings: Finding[], body: FormBody, inputIdOf: (column: string) => string, errors = new FormErrors()): FindingGate {
  for (const finding of findings) {
    if (finding.severity === 'error') errors.add(inputIdOf(finding.field), presentFindingMessage(finding.message));
  }
  const warnings = findings.filter((finding) => finding.severity === 'warning').map((finding) => ({ code: finding.code, message: presentFindingMessage(finding.message) }));
  const confirmed = textOf(body, confirmWarningsField) === 'yes';
  if (!errors.any && warnings.length > 0 && !confirmed) {
    errors.add(confirmWarningsField, 'Check the warnings, then tick "I have checked this" to save, or change your answers');
  }
  const passes = !errors.any;
  return { errors, warnings, passes, confirmed: passes ? findings.filter((finding) => finding.severity === 'warning') : [] };
}
