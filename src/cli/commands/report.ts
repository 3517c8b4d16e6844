import { Option, type Command } from 'commander';
import { formatReportingPeriod, type ReportingPeriod } from '../../domain/reporting-period.js';
import { openDatabase } from '../../db/database.js';
import { createCommandLogger } from '../../db/logger.js';
import { reportNamed, reportNames, type ComputedReport } from '../../reports/catalogue.js';
import { toCsv } from '../../reports/csv.js';
import { showTable } from '../../reports/report-tables.js';
import { loadReportClients } from '../../reports/report-clients.js';
import { recordAuditEvent } from '../../db/audit.js';
import { addActingOptions, resolveCommandActor, type ActingOptions } from '../acting-as.js';
import { exitCodes, usageError } from '../cli-error.js';
import { checkedAgencyCode, monthEndPeriod, storedAgency } from './check.js';

type ReportFormat = 'csv' | 'json';

interface ReportCommandOptions extends ActingOptions {
  agency: string;
  period: string;
  shareable?: boolean;
  format: ReportFormat;
}

export const shareableNote =
  'Shareable: each count from 1 to 4 is shown as *, every other count is rounded to the nearest 5, and where a table ' +
  'has totals, further cells are hidden so that no hidden count can be worked out from a total.';

export function register(program: Command): void {
  const command = program
    .command('report')
    .description("Compute a report from an agency's records in the database and print it as CSV or JSON")
    .argument('<name>', `report to compute: ${reportNames.join(', ')}`)
    .addOption(new Option('--agency <code>', 'NDTMS agency code, such as DEMO1').makeOptionMandatory())
    .addOption(new Option('--period <YYYY-MM>', 'reporting month, such as 2024-03; a month after the current one is rejected').makeOptionMandatory())
    .option('--shareable', 'hide counts from 1 to 4, round the rest to the nearest 5 and hide cells a total would reveal (default: exact counts)')
    .addOption(new Option('--format <format>', 'output format; CSV starts with a byte-order mark so spreadsheets read it as UTF-8').choices(['csv', 'json']).default('csv'));
  addActingOptions(command, 'reports:view').action(async (name: string, options: ReportCommandOptions) => {
    const entry = reportNamed(name);
    if (!entry) throw usageError(`unknown report ${JSON.stringify(name)}. Give one of: ${reportNames.join(', ')}.`);
    const period = monthEndPeriod(options.period);
    const agencyCode = checkedAgencyCode(options.agency);

    const logger = createCommandLogger('waymark-report');
    const started = Date.now();
    const database = await openDatabase({ logger });
    try {
      const agency = await storedAgency(database.db, agencyCode);
      const { actor } = await resolveCommandActor(database.db, options, 'reports:view', agency.organisationId);
      const clients = await loadReportClients(database.db, agency, period, entry.monthsOfHistory);
      const report = entry.compute(clients, period);
      const shareable = options.shareable === true;
      await recordAuditEvent(database.db, { actor, action: 'report.compute', entity: 'agency', entityId: agency.code, after: { report: name, period: formatReportingPeriod(period), shareable, clients: clients.length } });
      logger.info({ report: name, agency: agency.code, clients: clients.length, durationMs: Date.now() - started }, 'report computed');
      process.stdout.write(options.format === 'json' ? reportJson(report, agency.code, period, shareable) : toCsv(showTable(report.table, shareable).csv));
      process.exitCode = exitCodes.ok;
    } finally {
      await database.close();
    }
  });
}

/**
 * Formats a report as JSON: its table as header and rows, the explanation, and the reason
 * for each hidden cell. The full result, with medians and shares, is added only for exact
 * counts, because its small numbers would undo the disclosure control.
 */
export function reportJson(report: ComputedReport, agency: string, period: ReportingPeriod, shareable: boolean): string {
  const shown = showTable(report.table, shareable);
  const output = {
    report: report.table.name,
    title: report.table.title,
    agency,
    period: formatReportingPeriod(period),
    shareable,
    explanation: shareable ? `${report.table.explanation} ${shareableNote}` : report.table.explanation,
    header: shown.csv.header,
    rows: shown.csv.rows,
    suppressed: shown.suppressed,
    ...(shareable ? {} : { details: report.details }),
  };
  return `${JSON.stringify(output, null, 2)}\n`;
}

// The web report pages load clients the same way, so the loader lives with the reports.
export { extractionPeriods, loadReportClients } from '../../reports/report-clients.js';
