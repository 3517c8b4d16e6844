import type { FastifyInstance } from 'fastify';
import { compareText } from '../../db/client-rows.js';
import { todayInEngland } from '../../domain/plain-date.js';
import type { Entity } from '../../domain/model.js';
import { formatShare } from '../../reports/report-charts.js';
import { ruleRegistry } from '../../rules/registry.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import { loadClientRecords, type ClientRecord } from '../data/client-records.js';
import type { FindingsCache } from '../data/findings-cache.js';
import type { WebDatabase } from '../data/tables.js';
import { textOf, type FormBody } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import type { WebSettings } from '../settings.js';
import { monthsBefore } from './caseload.js';
import {
  checkedClient,
  completenessField,
  dataQualityFigures,
  fieldRecords,
  isInGroup,
  isReviewOverdue,
  type CheckedClient,
  type GroupKey,
  type GroupNames,
} from './data-quality-figures.js';
import { agencyItems, chooseAgency, replyWithoutAgency, scopeNote, scopedClientIds, type ReportAgency } from './reports-scope.js';
import type { RouteContext } from './route-context.js';

/** Clients loaded per round of queries, which keeps each `in (…)` list far below PostgreSQL's 65,535 parameters. */
const clientsPerLoad = 1000;

const entityLabels: Record<Entity, string> = { client: 'Client', episode: 'Episode', intervention: 'Intervention', review: 'Review' };

export function registerDataQualityRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db, settings, findings } = context;

  app.get('/data-quality', { config: { permission: 'reports:view' } }, async (request, reply) => {
    const started = Date.now();
    const staff = staffOf(request);
    const choice = await chooseAgency(db, staff, textOf(request.query as FormBody, 'agency'));
    if (!choice.agency) return replyWithoutAgency(request, reply, choice);

    const clients = await loadCheckedClients(db, staff, choice.agency, findings);
    const figures = dataQualityFigures(clients, await groupNames(db, staff, choice.agency), overdueBefore(settings));
    request.log.info({ agencyId: choice.agency.id, clients: clients.length, durationMs: Date.now() - started }, 'data quality computed');

    const base = { agency: String(choice.agency.id) };
    const link = (params: Record<string, string>): string => `/data-quality/records?${new URLSearchParams({ ...base, ...params }).toString()}`;
    return reply.view('data-quality.njk', {
      pageTitle: 'Data quality',
      agencies: agencyItems(choice.agencies, choice.agency),
      scopeNote: scopeNote(staff, choice.agency),
      overdueMonths: settings.reviewOverdueMonths,
      clients: figures.clients,
      groupTables: [
        { heading: 'By team', firstColumn: 'Team', rows: figures.byTeam },
        { heading: 'By keyworker', firstColumn: 'Keyworker', rows: figures.byKeyworker },
      ].map((table) => ({
        ...table,
        rows: table.rows.map((row) => {
          const group = groupParams(row.key);
          return {
            ...row,
            links: {
              clients: link({ measure: 'clients', ...group }),
              reviewsOverdue: link({ measure: 'overdue', ...group }),
              errors: link({ measure: 'errors', ...group }),
              warnings: link({ measure: 'warnings', ...group }),
            },
          };
        }),
      })),
      byRule: figures.byRule.map((rule) => ({ ...rule, link: link({ measure: 'rule', rule: rule.code }) })),
      completeness: figures.completeness.map((field) => ({
        ...field,
        entityLabel: entityLabels[field.entity],
        requirementLabel: requirementLabels[field.requirement],
        share: formatShare(field.filledShare),
        filledLink: link({ measure: 'filled', field: field.field }),
        missingLink: link({ measure: 'missing', field: field.field }),
      })),
    }, request);
  });

  app.get('/data-quality/records', { config: { permission: 'reports:view' } }, async (request, reply) => {
    const staff = staffOf(request);
    const query = request.query as FormBody;
    const choice = await chooseAgency(db, staff, textOf(query, 'agency'));
    if (!choice.agency) return replyWithoutAgency(request, reply, choice);
    const selection = readSelection(query);
    if (typeof selection === 'string') {
      return reply.code(400).view('message.njk', { pageTitle: 'The link is not valid', heading: 'The link is not valid', body: selection }, request);
    }

    const clients = await loadCheckedClients(db, staff, choice.agency, findings);
    const rows = selectedRows(clients, selection, overdueBefore(settings));
    request.log.info({ agencyId: choice.agency.id, measure: selection.measure, rows: rows.length }, 'data quality records listed');
    return reply.view('data-quality-records.njk', {
      pageTitle: `Data quality: ${await selectionTitle(db, staff, selection)}`,
      dataQualityUrl: `/data-quality?${new URLSearchParams({ agency: String(choice.agency.id) }).toString()}`,
      scopeNote: scopeNote(staff, choice.agency),
      rows,
      showRecord: selection.measure !== 'clients' && selection.measure !== 'overdue',
      showFinding: ['errors', 'warnings', 'rule'].includes(selection.measure),
      showLastReview: selection.measure === 'overdue',
    }, request);
  });
}

const requirementLabels = { 'every-row': 'Every row', 'own-row': 'Rows of its kind', optional: 'Optional' } as const;

function overdueBefore(settings: WebSettings) {
  return monthsBefore(todayInEngland(), settings.reviewOverdueMonths);
}

/**
 * Loads the clients in scope with their findings, a fixed number of clients per round of queries.
 * NOTE: every request loads and checks the whole scope, and the record lists are not paged.
 * The findings cache spares unchanged clients the rules, but not the loading.
 */
async function loadCheckedClients(db: WebDatabase, staff: SignedInStaff, agency: ReportAgency, findings: FindingsCache): Promise<CheckedClient[]> {
  const ids = await scopedClientIds(db, staff, agency.id);
  const clients: CheckedClient[] = [];
  for (let start = 0; start < ids.length; start += clientsPerLoad) {
    const records = await loadClientRecords(db, ids.slice(start, start + clientsPerLoad));
    for (const record of records) clients.push(checkedClient(record, findings.findingsOf(record)));
  }
  return clients.sort((a, b) => compareText(a.record.client_ref, b.record.client_ref) || a.record.id - b.record.id);
}

async function groupNames(db: WebDatabase, staff: SignedInStaff, agency: ReportAgency): Promise<GroupNames> {
  const teams = await db.selectFrom('teams').select(['id', 'name']).where('agency_id', '=', agency.id).execute();
  const keyworkers = await db.selectFrom('staff').select(['id', 'display_name']).where('organisation_id', '=', staff.organisationId).execute();
  return { teams: new Map(teams.map((team) => [team.id, team.name])), keyworkers: new Map(keyworkers.map((member) => [member.id, member.display_name])) };
}

function groupParams(key: GroupKey): Record<string, string> {
  return { [key.by]: key.id === null ? 'none' : String(key.id) };
}

/** The records one count of the page stands for, read from the link's query. */
type Selection =
  | { measure: 'clients' | 'overdue' | 'errors' | 'warnings'; group: GroupKey | undefined }
  | { measure: 'rule'; rule: string }
  | { measure: 'filled' | 'missing'; field: string };

/** Reads the selection from the query, or returns a message naming the value that is wrong. */
function readSelection(query: FormBody): Selection | string {
  const measure = textOf(query, 'measure');
  switch (measure) {
    case 'clients':
    case 'overdue':
    case 'errors':
    case 'warnings': {
      const group = readGroup(query);
      return typeof group === 'string' ? group : { measure, group };
    }
    case 'rule': {
      const rule = textOf(query, 'rule');
      if (!ruleRegistry.some((entry) => entry.code === rule)) return `The rule "${rule}" is not a rule code. Go back to the data-quality page and follow a link from there.`;
      return { measure, rule };
    }
    case 'filled':
    case 'missing': {
      const field = textOf(query, 'field');
      if (!completenessField(field)) return `The field "${field}" is not a CDS-Q field whose completeness is measured. Go back to the data-quality page and follow a link from there.`;
      return { measure, field };
    }
    default:
      return `The measure "${measure}" is not known. Go back to the data-quality page and follow a link from there.`;
  }
}

function readGroup(query: FormBody): GroupKey | undefined | string {
  for (const by of ['team', 'keyworker'] as const) {
    const value = textOf(query, by);
    if (value === '') continue;
    if (value === 'none') return { by, id: null };
    const id = Number(value);
    if (!Number.isSafeInteger(id) || id <= 0) return `The ${by} "${value}" is not a ${by} id. Go back to the data-quality page and follow a link from there.`;
    return { by, id };
  }
  return undefined;
}

interface RecordRow {
  clientId: number;
  clientRef: string;
  record: string;
  finding: string;
  lastReview: string;
}

function selectedRows(clients: CheckedClient[], selection: Selection, before: ReturnType<typeof overdueBefore>): RecordRow[] {
  const row = (entry: CheckedClient, values: Partial<RecordRow> = {}): RecordRow => ({ clientId: entry.record.id, clientRef: entry.record.client_ref, record: '', finding: '', lastReview: '', ...values });
  switch (selection.measure) {
    case 'clients':
      return inGroup(clients, selection.group).map((entry) => row(entry));
    case 'overdue':
      return inGroup(clients, selection.group)
        .filter((entry) => isReviewOverdue(entry.record, before))
        .map((entry) => row(entry, { lastReview: lastReviewOf(entry.record) ?? '' }));
    case 'errors':
    case 'warnings': {
      const severity = selection.measure === 'errors' ? 'error' : 'warning';
      return inGroup(clients, selection.group).flatMap((entry) =>
        entry.findings.filter((finding) => finding.severity === severity).map((finding) => row(entry, findingCells(finding))),
      );
    }
    case 'rule':
      return clients.flatMap((entry) => entry.findings.filter((finding) => finding.code === selection.rule).map((finding) => row(entry, findingCells(finding))));
    case 'filled':
    case 'missing': {
      const field = completenessField(selection.field);
      if (!field) return [];
      const wanted = selection.measure === 'filled';
      return clients.flatMap((entry) =>
        fieldRecords(entry.client, field)
          .filter((record) => record.filled === wanted)
          .map((record) => row(entry, { record: `${entityLabels[record.entity]} ${record.reference}` })),
      );
    }
  }
}

function inGroup(clients: CheckedClient[], group: GroupKey | undefined): CheckedClient[] {
  return group === undefined ? clients : clients.filter((entry) => isInGroup(entry.record, group));
}

function findingCells(finding: { code: string; message: string; record?: { entity: Entity; id: string } }): Partial<RecordRow> {
  return { record: finding.record ? `${entityLabels[finding.record.entity]} ${finding.record.id}` : '', finding: `${finding.code}: ${finding.message}` };
}

function lastReviewOf(record: ClientRecord): string | undefined {
  return record.episodes.flatMap((episode) => episode.reviews.map((review) => review.review_date as string)).sort().at(-1);
}

async function selectionTitle(db: WebDatabase, staff: SignedInStaff, selection: Selection): Promise<string> {
  switch (selection.measure) {
    case 'rule':
      return `findings of rule ${selection.rule}`;
    case 'filled':
      return `records with ${selection.field} filled`;
    case 'missing':
      return `records with ${selection.field} empty`;
    case 'clients':
    case 'overdue':
    case 'errors':
    case 'warnings': {
      const what = { clients: 'clients', overdue: 'clients with a review overdue', errors: 'errors', warnings: 'warnings' }[selection.measure];
      return selection.group === undefined ? what : `${what}, ${await groupLabel(db, staff, selection.group)}`;
    }
  }
}

async function groupLabel(db: WebDatabase, staff: SignedInStaff, group: GroupKey): Promise<string> {
  if (group.id === null) return group.by === 'team' ? 'no team' : 'no keyworker';
  if (group.by === 'team') {
    const team = await db.selectFrom('teams').innerJoin('agencies', 'agencies.id', 'teams.agency_id').select('teams.name').where('teams.id', '=', group.id).where('agencies.organisation_id', '=', staff.organisationId).executeTakeFirst();
    return team ? team.name : `team ${group.id}`;
  }
  const member = await db.selectFrom('staff').select('display_name').where('id', '=', group.id).where('organisation_id', '=', staff.organisationId).executeTakeFirst();
  return member ? member.display_name : `keyworker ${group.id}`;
}
