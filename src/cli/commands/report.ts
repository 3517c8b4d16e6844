import { Option, type Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Client, Episode } from '../../domain/model.js';
import { formatReportingPeriod, type ReportingPeriod } from '../../domain/reporting-period.js';
import type { AgencyRef } from '../../db/clients-repository.js';
import { openDatabase } from '../../db/database.js';
import { extractClients } from '../../db/extraction.js';
import { createCommandLogger } from '../../db/logger.js';
import type { Database } from '../../db/schema.js';
import { reportNamed, reportNames, type ComputedReport } from '../../reports/catalogue.js';
import { toCsv } from '../../reports/csv.js';
import { showTable } from '../../reports/report-tables.js';
import { periodsEndingWith } from '../../reports/treatment-activity.js';
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

/**
 * Loads the clients a report over `months` months ending with `period` needs.
 *
 * One extraction covers a financial year up to its month, so a span that crosses 1 April
 * also reads the March before it. A client found in both keeps the later record, and gains
 * the earlier episodes the later extraction no longer reaches.
 */
export async function loadReportClients(db: Kysely<Database>, agency: AgencyRef, period: ReportingPeriod, months: number): Promise<Client[]> {
  const byClientId = new Map<string, Client>();
  for (const extractionPeriod of extractionPeriods(period, months)) {
    for await (const client of extractClients(db, agency, extractionPeriod)) {
      const earlier = byClientId.get(client.clientId);
      byClientId.set(client.clientId, earlier ? mergeEpisodes(earlier, client) : client);
    }
  }
  return [...byClientId.values()];
}

/** Lists, oldest first, the months whose extraction windows together cover the span. */
export function extractionPeriods(period: ReportingPeriod, months: number): ReportingPeriod[] {
  const ends = new Map<string, ReportingPeriod>();
  for (const month of periodsEndingWith(period, months)) {
    const yearEnd = { year: month.month >= 4 ? month.year + 1 : month.year, month: 3 };
    const end = formatReportingPeriod(yearEnd) < formatReportingPeriod(period) ? yearEnd : period;
    ends.set(formatReportingPeriod(end), end);
  }
  return [...ends.values()];
}

function mergeEpisodes(earlier: Client, later: Client): Client {
  const laterIds = new Set(later.episodes.map((episode) => episode.episodeId));
  const episodes: Episode[] = [...earlier.episodes.filter((episode) => !laterIds.has(episode.episodeId)), ...later.episodes];
  return { ...later, episodes };
}
