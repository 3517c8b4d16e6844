import type { Client } from '../domain/model.js';
import type { Finding } from './finding.js';
import { ruleRegistry } from './registry.js';
import type { RuleContext } from './rule.js';

/** Runs every client rule of the registry on one client and returns all findings. */
export function validateClient(client: Client, context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const rule of ruleRegistry) {
    if (rule.check) findings.push(...rule.check(client, context));
  }
  return findings;
}
