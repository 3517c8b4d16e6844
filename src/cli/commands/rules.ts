import { Option, type Command } from 'commander';
import { ruleEntries, scopeDescription, type RuleEntry } from '../../catalogue/rule-entry.js';
import { ruleRegistry } from '../../rules/registry.js';
import { exitCodes } from '../cli-error.js';
import { thresholdsFromOption } from '../thresholds-option.js';

type RulesFormat = 'text' | 'json';

export function register(program: Command): void {
  program
    .command('rules')
    .description('List every validation rule with its severity, fields, fix, source and thresholds')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--thresholds <file>', 'JSON file of rule thresholds to show in place of the defaults')
    .action(async (options: { format: RulesFormat; thresholds?: string }) => {
      const thresholds = await thresholdsFromOption(options.thresholds);
      const entries = ruleEntries(ruleRegistry, thresholds);
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(entries, null, 2)}\n` : rulesText(entries));
      process.exitCode = exitCodes.ok;
    });
}

/** Renders each rule as a short block: code, severity and title, then fields, scope, fix, source and thresholds. */
export function rulesText(entries: readonly RuleEntry[]): string {
  if (entries.length === 0) return 'No rules are registered.\n';

  const blocks = entries.map((entry) => {
    const lines = [
      `${entry.code}  ${entry.severity}  ${entry.title}`,
      `    Fields:  ${entry.fields.join(', ') || '(none)'}`,
      `    Checks:  ${scopeDescription(entry.scope)} (${entry.scope} rule)`,
      `    Fix:     ${entry.fix}`,
      `    Source:  ${entry.source}`,
    ];
    const thresholds = Object.entries(entry.thresholds);
    if (thresholds.length > 0) {
      lines.push(`    Limits:  ${thresholds.map(([name, value]) => `${name} = ${value}`).join(', ')}`);
    }
    return lines.join('\n');
  });
  const errors = entries.filter((entry) => entry.severity === 'error').length;
  const summary = `${entries.length} rules: ${errors} errors block a submission, ${entries.length - errors} warnings must be confirmed.`;
  return `${blocks.join('\n\n')}\n\n${summary}\n`;
}
