import type { Entity } from '../domain/model.js';
import type { Finding } from './finding.js';
import type { RuleDefinition } from './rule.js';

/** Location, value and message of a finding. The rule supplies the code and severity. */
export interface FindingDetails {
  line?: number | undefined;
  field: string;
  value: string;
  clientId?: string | undefined;
  message: string;
  record?: { entity: Entity; id: string } | undefined;
}

/**
 * Builds a finding for a rule, taking the code and severity from the rule so that no
 * caller can report a rule at the wrong severity. Optional details left undefined are
 * omitted from the finding rather than set to undefined.
 */
export function makeFinding(rule: RuleDefinition, details: FindingDetails): Finding {
  const finding: Finding = {
    code: rule.code,
    severity: rule.severity,
    field: details.field,
    value: details.value,
    message: details.message,
  };
  if (details.line !== undefined) finding.line = details.line;
  if (details.clientId !== undefined) finding.clientId = details.clientId;
  if (details.record !== undefined) finding.record = { ...details.record };
  return finding;
}
