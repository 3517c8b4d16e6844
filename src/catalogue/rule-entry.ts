import type { RuleDefinition, RuleScope } from '../rules/rule.js';
import type { RuleThresholds } from '../rules/thresholds.js';
import type { Severity } from '../rules/finding.js';

/** One rule as the rule catalogue shows it, with the current value of each threshold it reads. */
export interface RuleEntry {
  code: string;
  severity: Severity;
  scope: RuleScope;
  fields: string[];
  title: string;
  fix: string;
  source: string;
  thresholds: Record<string, number>;
}

export function ruleEntry(rule: RuleDefinition, thresholds: RuleThresholds): RuleEntry {
  const values: Record<string, number> = {};
  for (const name of rule.thresholds ?? []) values[name] = thresholds[name];
  return {
    code: rule.code,
    severity: rule.severity,
    scope: rule.scope,
    fields: [...rule.fields],
    title: rule.title,
    fix: rule.fix,
    source: rule.source,
    thresholds: values,
  };
}

/** Builds the catalogue entry of every rule, in registry order. */
export function ruleEntries(rules: readonly RuleDefinition[], thresholds: RuleThresholds): RuleEntry[] {
  return rules.map((rule) => ruleEntry(rule, thresholds));
}

/** Describes a rule scope for people reading the catalogue. */
export function scopeDescription(scope: RuleScope): string {
  switch (scope) {
    case 'field':
      return 'one value, checked as the record is read';
    case 'file':
      return 'the shape of the file';
    case 'client':
      return 'all records of one client';
  }
}
