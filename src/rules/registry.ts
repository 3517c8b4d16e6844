import type { RuleDefinition } from './rule.js';

// TODO: filled in by the rule catalogue work: every A and D rule.
export const ruleRegistry: RuleDefinition[] = [];

const byCode = new Map(ruleRegistry.map((rule) => [rule.code, rule]));

/** The rule with a code; throws for an unknown code, which is a programming error. */
export function ruleFor(code: string): RuleDefinition {
  const rule = byCode.get(code);
  if (!rule) throw new Error(`No rule has code ${code}`);
  return rule;
}
