import { Option, type Command } from 'commander';
import type { Kysely } from 'kysely';
import { todayInEngland } from '../../domain/plain-date.js';
import { formatReportingPeriod, parseReportingPeriod, periodOf, type ReportingPeriod } from '../../domain/reporting-period.js';
import { findAgency } from '../../db/agencies-repository.js';
import type { AgencyRef } from '../../db/clients-repository.js';
import { agencyCodeProblem, recordFindingLine } from '../../db/command-support.js';
import { openDatabase } from '../../db/database.js';
import { createCommandLogger } from '../../db/logger.js';
import type { Database } from '../../db/schema.js';
import { checkPeriod, type CheckResult } from '../../month-end/check.js';
import { recordAuditEvent } from '../../db/audit.js';
import { addActingOptions, resolveCommandActor, type ActingOptions } from '../acting-as.js';
import { exitCodes, inputError, usageError } from '../cli-error.js';
import { alignedTable, oneLine } from '../format/table.js';
import { thresholdsFromOption } from '../thresholds-option.js';

type CheckFormat = 'text' | 'json';

interface CheckCommandOptions extends ActingOptions {
  agency: string;
  period: string;
  format: CheckFormat;
  thresholds?: string;
}

export function register(program: Command): void {
  const command = program
    .command('check')
    .description("Check a month of an agency's records in the database against every rule, and compare its figures with the month before")
    .addOption(new Option('--agency <code>', 'NDTMS agency code, such as DEMO1').makeOptionMandatory())
    .addOption(new Option('--period <YYYY-MM>', 'reporting month, such as 2024-03; a month after the current one is rejected').makeOptionMandatory())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--thresholds <file>', 'JSON file of rule thresholds; keys left out keep their defaults (see waymark rules)')
    .addHelpText('after', '\nExit code 0 when the month has no errors (warnings allowed), 1 when it has errors, 2 on bad usage or an unknown agency.');
  addActingOptions(command, 'month-end:manage').action(async (options: CheckCommandOptions) => {
    const period = monthEndPeriod(options.period);
    const agencyCode = checkedAgencyCode(options.agency);
    const thresholds = await thresholdsFromOption(options.thresholds);

    const logger = createCommandLogger('waymark-check');
    const started = Date.now();
    const database = await openDatabase({ logger });
    try {
      const agency = await storedAgency(database.db, agencyCode);
      const { actor } = await resolveCommandActor(database.db, options, 'month-end:manage', agency.organisationId);
      const result = await checkPeriod(database.db, { agency, period, thresholds });
      // The check reads every client record of the month, so the trail records who ran it.
      await recordAuditEvent(database.db, { actor, action: 'month-end.check', entity: 'agency', entityId: agency.code, after: { period: result.period, errors: result.errors, warnings: result.warnings } });
      logger.info({ agency: result.agency, period: result.period, errors: result.errors, warnings: result.warnings, durationMs: Date.now() - started }, 'check finished');
      process.stdout.write(options.format === 'json' ? checkJson(result) : checkText(result));
      process.exitCode = result.errors > 0 ? exitCodes.findings : exitCodes.ok;
    } finally {
      await database.close();
    }
  });
}

/** Parses `--period` for a month-end command, rejecting a month after the current month in England. */
export function monthEndPeriod(text: string, today = todayInEngland()): ReportingPeriod {
  const period = parseReportingPeriod(text);
  if (!period) throw usageError(`--period ${JSON.stringify(text)} is not a reporting month: give it as YYYY-MM, such as 2024-03.`);
  const current = periodOf(today);
  if (period.year * 12 + period.month > current.year * 12 + current.month) {
    throw usageError(`--period ${text} is in the future: the current month is ${formatReportingPeriod(current)}. Give this month or an earlier one.`);
  }
  return period;
}

/** Checks the form of `--agency`, so a typing slip is reported before the database is opened. */
export function checkedAgencyCode(code: string): string {
  const problem = agencyCodeProblem(code);
  if (problem) throw usageError(problem);
  return code;
}

/** Finds the agency in the database, or raises an input error (exit code 2) naming the code. */
export async function storedAgency(db: Kysely<Database>, code: string): Promise<AgencyRef & { organisationId: number }> {
  const agency = await findAgency(db, code);
  if (!agency) throw inputError(`agency ${code} is not in the database. Check the code, or import a file for that agency first.`);
  return { id: agency.id, code: agency.code, organisationId: agency.organisationId };
}

/** Formats the result as JSON with the keys in a fixed order, findings last because they are the longest part. */
export function checkJson(result: CheckResult): string {
  const ordered = {
    agency: result.agency,
    period: result.period,
    errors: result.errors,
    warnings: result.warnings,
    findingsByRule: result.findingsByRule,
    comparison: result.comparison,
    findings: result.findings,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Formats the summary by rule, one line per finding, then the comparison with flagged figures marked `!`. */
export function checkText(result: CheckResult): string {
  const lines = [`Check of ${result.agency} for ${result.period}: ${result.errors} errors, ${result.warnings} warnings.`];

  if (result.findingsByRule.length > 0) {
    lines.push('', 'Findings by rule:');
    const summary = result.findingsByRule.map((entry) => [entry.code, entry.severity, String(entry.count), entry.title]);
    lines.push(...alignedTable(summary).map((line) => `  ${line}`));
    lines.push('', 'Findings:');
    lines.push(...result.findings.map((finding) => `  ${recordFindingLine(finding)}${finding.keyworker === undefined ? '' : ` (keyworker: ${finding.keyworker})`}`));
  }

  const { comparison } = result;
  lines.push('', `Comparison with ${formatReportingPeriod(comparison.previous)} (! marks a change to check):`);
  const header = ['', 'Figure', formatReportingPeriod(comparison.previous), formatReportingPeriod(comparison.current), 'Change'];
  const rows = comparison.rows.map((row) => [row.flagged ? '!' : '', row.label, String(row.previous), String(row.current), changeText(row.difference, row.changePercent)]);
  lines.push(...alignedTable([header, ...rows]).map((line) => `  ${line}`));

  if (comparison.flagged.length > 0) {
    lines.push('', `${comparison.flagged.length} figures changed by more than ${comparison.thresholdPercent}%:`);
    lines.push(...comparison.flagged.map((row) => `  ! ${oneLine(row.message)}`));
  } else {
    lines.push('', `No figure changed by more than ${comparison.thresholdPercent}%.`);
  }
  lines.push('', oneLine(comparison.explanation));
  return `${lines.join('\n')}\n`;
}

function changeText(difference: number, changePercent: number | null): string {
  const signed = difference > 0 ? `+${difference}` : String(difference);
  if (changePercent === null) return `${signed} (from 0)`;
  const rounded = Math.round(changePercent * 10) / 10;
  return `${signed} (${rounded > 0 ? '+' : ''}${rounded}%)`;
}
