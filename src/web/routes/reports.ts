import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAuditEvent } from '../../db/audit.js';
import { todayInEngland } from '../../domain/plain-date.js';
import { formatReportingPeriod, parseReportingPeriod, periodOf, previousPeriod, type ReportingPeriod } from '../../domain/reporting-period.js';
import { reportCatalogue, reportNamed, type ComputedReport, type ReportEntry } from '../../reports/catalogue.js';
import { toCsv } from '../../reports/csv.js';
import { loadReportClients } from '../../reports/report-clients.js';
import { showTable } from '../../reports/report-tables.js';
import { renderBarChartSvg } from '../../reports/svg-chart.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import type { WebDatabase } from '../data/tables.js';
import { FormErrors, textOf, type FormBody } from '../forms/form-errors.js';
import { hasUnprintable, printableText } from '../forms/printable.js';
import { staffOf } from '../request-context.js';
import { agencyItems, chooseAgency, countsWholeAgency, replyWithoutAgency, scopeNote, scopedClientRefs, type ReportAgency } from './reports-scope.js';
import type { RouteContext } from './route-context.js';

/** Download versions: exact counts for use inside the service, or counts after disclosure control. */
const downloadVersions = ['exact', 'shareable'] as const;
type DownloadVersion = (typeof downloadVersions)[number];

export function registerReportRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  app.get('/reports', { config: { permission: 'reports:view' } }, async (request, reply) =>
    reply.view('reports-index.njk', { pageTitle: 'Reports', reports: reportCatalogue.map((entry) => ({ name: entry.name, title: entry.title })) }, request),
  );

  app.get('/reports/:name', { config: { permission: 'reports:view' } }, async (request, reply) => {
    const entry = reportNamed((request.params as { name: string }).name);
    if (!entry) return notFound(request, reply);
    const staff = staffOf(request);
    const query = request.query as FormBody;
    const choice = await chooseAgency(db, staff, textOf(query, 'agency'));
    if (!choice.agency) return replyWithoutAgency(request, reply, choice);

    const typedPeriod = textOf(query, 'period') || formatReportingPeriod(defaultPeriod());
    const errors = new FormErrors();
    const period = readPeriod(typedPeriod, errors);
    const page = {
      pageTitle: entry.title,
      report: { name: entry.name, title: entry.title },
      agencies: agencyItems(choice.agencies, choice.agency),
      // The form shows the typed month again, without the characters a page cannot show.
      periodText: printableText(typedPeriod),
      scopeNote: scopeNote(staff, choice.agency),
      errors: errors.summary,
      fieldErrors: errors.byField,
    };
    if (!period) return reply.code(400).view('report.njk', page, request);

    const report = await computeScopedReport(db, staff, choice.agency, entry, period);
    const downloadQuery = new URLSearchParams({ agency: String(choice.agency.id), period: formatReportingPeriod(period) });
    return reply.view('report.njk', { ...page, ...reportPageFigures(report), downloadQuery: downloadQuery.toString() }, request);
  });

  app.get('/reports/:name/download', { config: { permission: 'reports:view' } }, async (request, reply) => {
    const entry = reportNamed((request.params as { name: string }).name);
    if (!entry) return notFound(request, reply);
    const staff = staffOf(request);
    const query = request.query as FormBody;
    const choice = await chooseAgency(db, staff, textOf(query, 'agency'));
    if (!choice.agency) return replyWithoutAgency(request, reply, choice);
    const errors = new FormErrors();
    const period = readPeriod(textOf(query, 'period'), errors);
    const version = textOf(query, 'version');
    if (!isDownloadVersion(version)) {
      const named = hasUnprintable(version) ? 'you entered' : `"${version}"`;
      errors.add('version', `The download version ${named} is not known. Choose exact or shareable.`);
    }
    if (!period || !isDownloadVersion(version)) {
      return reply.code(400).view('message.njk', { pageTitle: 'The download link is not valid', heading: 'The download link is not valid', body: errors.summary.map((error) => error.text).join(' ') }, request);
    }

    const report = await computeScopedReport(db, staff, choice.agency, entry, period);
    const csv = toCsv(showTable(report.table, version === 'shareable').csv);
    await recordAuditEvent(db, {
      actor: `staff:${staff.id}`,
      action: 'report.download',
      entity: 'report',
      entityId: entry.name,
      after: { agency: choice.agency.code, period: formatReportingPeriod(period), version, wholeAgency: countsWholeAgency(staff) },
    });
    const fileName = `${choice.agency.code}_${formatReportingPeriod(period)}_${entry.name}_${version === 'exact' ? 'internal-exact' : 'shareable'}.csv`;
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).send(csv);
  });
}

/** Returns the last complete month, the month a monthly report usually covers. */
function defaultPeriod(today = todayInEngland()): ReportingPeriod {
  return previousPeriod(periodOf(today));
}

function readPeriod(text: string, errors: FormErrors): ReportingPeriod | undefined {
  const period = parseReportingPeriod(text);
  if (!period) {
    const problem = hasUnprintable(text) ? 'The month you entered contains characters that cannot be shown.' : `"${text}" is not a month in that form.`;
    errors.add('period', `Enter the month as YYYY-MM, for example 2024-03. ${problem}`);
    return undefined;
  }
  const current = periodOf(todayInEngland());
  if (period.year * 12 + period.month > current.year * 12 + current.month) {
    errors.add('period', `${text} is in the future. Enter ${formatReportingPeriod(current)} or an earlier month.`);
    return undefined;
  }
  return period;
}

function isDownloadVersion(value: string): value is DownloadVersion {
  return (downloadVersions as readonly string[]).includes(value);
}

/**
 * Computes a report over the clients the staff member's figures count. The clients are
 * loaded as `waymark report` loads them, so a data officer's page matches the command.
 */
export async function computeScopedReport(db: WebDatabase, staff: SignedInStaff, agency: ReportAgency, entry: ReportEntry, period: ReportingPeriod): Promise<ComputedReport> {
  const clients = await loadReportClients(db, { id: agency.id, code: agency.code }, period, entry.monthsOfHistory);
  const refs = await scopedClientRefs(db, staff, agency.id);
  const counted = refs === undefined ? clients : clients.filter((client) => refs.has(client.clientId));
  return entry.compute(counted, period);
}

/** Shapes a computed report for the page: the exact table, each chart as SVG with its data, and the headline figures. */
function reportPageFigures(report: ComputedReport) {
  const table = showTable(report.table, false).csv;
  return {
    explanation: report.table.explanation,
    tableTitle: report.table.title,
    table: { header: table.header, rows: table.rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell)))) },
    headlines: report.headlines,
    charts: report.charts.map((chart) => ({
      ...chart,
      svg: renderBarChartSvg(chart.points, { id: chart.id, title: chart.title, description: chart.description, unit: chart.unit, width: 720 }),
    })),
  };
}


async function notFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return reply.code(404).view('message.njk', { pageTitle: 'Page not found', heading: 'Page not found', body: 'Check the address, or go back to the list of reports.' }, request);
}
