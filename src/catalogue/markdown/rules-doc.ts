import type { RuleDefinition } from '../../rules/rule.js';
import type { RuleThresholds } from '../../rules/thresholds.js';
import { ruleEntries, scopeDescription, type RuleEntry } from '../rule-entry.js';
import { anchor, code, generatedNotice, table } from './markdown.js';

/** Renders the rule reference: a summary table, then each rule with its fields, fix, source and default thresholds. */
export function renderRules(rules: readonly RuleDefinition[], thresholds: RuleThresholds): string {
  const entries = ruleEntries(rules, thresholds);
  const sections = [
    generatedNotice('the rule registry in src/rules/registry.ts'),
    '# Validation rules',
    'An **error** blocks a submission. A **warning** is shown and must be confirmed before the file is produced. The same rules run when a form is saved, when a reporting month is checked and when `waymark validate` checks a file.',
    'Thresholds are defaults. A service can change them with a JSON file passed as `--thresholds FILE`; `waymark rules --thresholds FILE` shows the values in force.',
    summarySection(entries),
    ...entries.map(ruleSection),
  ];
  return `${sections.join('\n\n')}\n`;
}

function headingOf(entry: RuleEntry): string {
  return `${entry.code}: ${entry.title}`;
}

function summarySection(entries: readonly RuleEntry[]): string {
  if (entries.length === 0) return '## Summary\n\nNo rules are registered yet.';
  const rows = entries.map((entry) => [`[${entry.code}](#${anchor(headingOf(entry))})`, entry.severity, entry.fields.map(code).join(', '), entry.title]);
  return ['## Summary', table(['code', 'severity', 'fields', 'checks'], rows)].join('\n\n');
}

function ruleSection(entry: RuleEntry): string {
  const lines = [
    `## ${headingOf(entry)}`,
    '',
    `- Severity: ${entry.severity}`,
    `- Fields: ${entry.fields.map(code).join(', ') || 'none'}`,
    `- Checks: ${scopeDescription(entry.scope)}`,
    `- Fix: ${entry.fix}`,
    `- Source: ${entry.source}`,
  ];
  const thresholds = Object.entries(entry.thresholds);
  if (thresholds.length > 0) {
    lines.push(`- Thresholds (defaults): ${thresholds.map(([name, value]) => `${code(name)} = ${value}`).join(', ')}`);
  }
  return lines.join('\n');
}
