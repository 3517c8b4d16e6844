import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAuditEvent } from '../../db/audit.js';
import { toCsv, type CsvCell } from '../../reports/csv.js';
import { actorOf } from '../data/audit-events.js';
import { searchAuditEvents, streamAuditEvents, type AuditEventListing, type AuditFilters } from '../data/audit-search.js';
import { dateInputItems, readDateInput } from '../forms/date-input.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { hasUnprintable, printableText } from '../forms/printable.js';
import { formatUkDate } from '../render.js';
import { staffOf } from '../request-context.js';
import type { RouteContext } from './route-context.js';

/** Events listed on one page of the audit trail. */
const auditPageSize = 50;

/** Largest number of events one CSV export writes; a larger result must be narrowed first. */
export const maxExportedEvents = 100_000;

/** The search form as typed, kept so it is shown again with the results. */
interface AuditSearchForm {
  staff: string;
  action: string;
  client: string;
}

/** Administrator pages: search and export the audit trail, and list one client's access history. */
export function registerAuditRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db } = context;

  app.get('/admin/audit', { config: { permission: 'audit:view' } }, async (request, reply) => {
    const query = request.query as FormBody;
    const { filters, errors } = readFilters(query);
    const page = pageNumberOf(query);
    const organisationId = staffOf(request).organisationId;
    const result = errors.any ? { events: [], more: false } : await searchAuditEvents(db, organisationId, filters, { offset: (page - 1) * auditPageSize, limit: auditPageSize });
    const staffOptions = await db.selectFrom('staff').select(['id', 'display_name']).where('organisation_id', '=', organisationId).orderBy('display_name').execute();

    return reply.code(errors.any ? 400 : 200).view('audit-search.njk', {
      pageTitle: 'Audit trail',
      values: printableForm(formOf(query)),
      staffItems: [{ value: '', text: 'Anyone' }, ...staffOptions.map((member) => ({ value: String(member.id), text: member.display_name, selected: String(member.id) === textOf(query, 'staff') }))],
      fromItems: dateInputItems('from', readDateInput(query, 'from', '').parts, Boolean(errors.byField['from-day'])),
      toItems: dateInputItems('to', readDateInput(query, 'to', '').parts, Boolean(errors.byField['to-day'])),
      events: result.events.map(eventView),
      pagination: paginationOf(request, page, result.more),
      exportUrl: `/admin/audit/export.csv${searchOf(request, {})}`,
      maxExportedEvents,
      errors: errors.summary,
      fieldErrors: errors.byField,
    }, request);
  });

  // A client reference must not appear in a URL, so finding a client's history by reference
  // is a form post that redirects to the history page by internal id.
  app.post('/admin/audit/find-client', { config: { permission: 'audit:view' } }, async (request, reply) => {
    const clientRef = textOf(request.body as FormBody, 'ref');
    const client = clientRef === ''
      ? undefined
      : await db
          .selectFrom('clients')
          .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
          .select('clients.id')
          .where('clients.client_ref', '=', clientRef)
          .where('agencies.organisation_id', '=', staffOf(request).organisationId)
          .orderBy('clients.id')
          .executeTakeFirst();
    if (client) return reply.redirect(`/admin/audit/clients/${client.id}`, 303);

    const message = clientRef === '' ? 'Enter a client reference' : `No client of your organisation has the reference ${clientRef}. Check it against the client's record, or search by client id.`;
    request.log.info({ found: false }, 'audit client lookup found no client');
    return reply.code(400).view('message.njk', { pageTitle: 'Client not found', heading: 'Client not found', body: message, link: { href: '/admin/audit', text: 'Back to the audit trail' } }, request);
  });

  app.get('/admin/audit/export.csv', { config: { permission: 'audit:view' } }, async (request, reply) => {
    const { filters, errors } = readFilters(request.query as FormBody);
    if (errors.any) return reply.code(400).view('message.njk', { pageTitle: 'Audit export not made', heading: 'Audit export not made', body: `${errors.summary.map((item) => item.text).join('. ')}. Correct the search, then export again.` }, request);
    return exportCsv(request, reply, filters);
  });

  app.get<{ Params: { id: string } }>('/admin/audit/clients/:id', { config: { permission: 'audit:view' } }, async (request, reply) => {
    // Administrators reach no clinical record, so the client is looked up in their organisation
    // directly. The page shows only who did what and when, never the record's contents.
    const client = await db
      .selectFrom('clients')
      .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
      .select(['clients.id', 'clients.client_ref'])
      .where('clients.id', '=', Number(request.params.id))
      .where('agencies.organisation_id', '=', staffOf(request).organisationId)
      .executeTakeFirst();
    if (!client) return reply.callNotFound();
    const page = pageNumberOf(request.query as FormBody);
    // Listing a client's access history is itself an access to their audit trail, so it appears in that history.
    await recordAuditEvent(db, { actor: actorOf(request), action: 'audit.client-history', entity: 'client', entityId: client.id, clientId: client.id, after: { page: request.routeOptions.url } });
    const result = await searchAuditEvents(db, staffOf(request).organisationId, { clientId: client.id }, { offset: (page - 1) * auditPageSize, limit: auditPageSize });

    return reply.view('audit-client.njk', {
      pageTitle: `Access history of client ${client.client_ref}`,
      client: { id: client.id, clientRef: client.client_ref },
      events: result.events.map(eventView),
      pagination: paginationOf(request, page, result.more),
      exportUrl: `/admin/audit/export.csv?client=${client.id}`,
    }, request);
  });

  /**
   * Sends the matching events as CSV, without before and after values, after recording the
   * export. A result of more than `maxExportedEvents` events is rejected whole.
   */
  async function exportCsv(request: FastifyRequest, reply: FastifyReply, filters: AuditFilters): Promise<FastifyReply> {
    const rows: CsvCell[][] = [];
    for await (const batch of streamAuditEvents(db, staffOf(request).organisationId, filters)) {
      for (const event of batch) rows.push(csvRowOf(event));
      if (rows.length > maxExportedEvents) {
        return reply.code(400).view('message.njk', {
          pageTitle: 'Audit export too large',
          heading: 'Audit export too large',
          body: `More than ${maxExportedEvents} events match. Narrow the search, for example to a shorter date range, then export again.`,
        }, request);
      }
    }

    await recordAuditEvent(db, { actor: actorOf(request), action: 'audit.export', entity: 'audit_events', entityId: 'search', clientId: filters.clientId ?? null, after: { filters, events: rows.length } });
    request.log.info({ staffId: staffOf(request).id, events: rows.length }, 'audit trail exported');
    const csv = toCsv({ header: csvHeader, rows });
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit-trail.csv"').send(csv);
  }
}

const csvHeader = ['Event id', 'When (UTC)', 'Actor', 'Staff id', 'Staff name', 'Action', 'Record', 'Record id', 'Client id', 'Reason', 'Details'];

function csvRowOf(event: AuditEventListing): CsvCell[] {
  return [event.id, event.occurredAt.toISOString(), event.actor, event.actorStaffId, event.actorName, event.action, event.entity, event.entityId, event.clientId, event.reason, event.details];
}

const londonTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

function eventView(event: AuditEventListing) {
  return {
    ...event,
    when: londonTime.format(event.occurredAt),
    whenIso: event.occurredAt.toISOString(),
    staffLink: event.entity === 'staff' && /^\d+$/.test(event.entityId) ? `/admin/staff/${event.entityId}` : undefined,
  };
}

/** Reads and checks the search fields; an invalid field leaves its filter out and adds an error. */
function readFilters(query: FormBody): { filters: AuditFilters; errors: FormErrors } {
  const errors = new FormErrors();
  const filters: AuditFilters = {};
  const form = formOf(query);

  if (form.staff !== '') {
    if (/^\d{1,9}$/.test(form.staff)) filters.staffId = Number(form.staff);
    else errors.add('staff', `${hasUnprintable(form.staff) ? 'The staff member you entered' : `Staff member ${form.staff}`} is not a staff id. Choose a member of staff from the list.`);
  }
  if (form.action !== '') filters.action = form.action;
  if (form.client !== '') {
    if (/^\d{1,9}$/.test(form.client)) filters.clientId = Number(form.client);
    else errors.add('client', `${hasUnprintable(form.client) ? 'The client id you entered' : `Client id ${form.client}`} is not a whole number. Enter the number from the client's web address, such as 42, or search by client reference.`);
  }

  const from = readDateInput(query, 'from', 'From date');
  const to = readDateInput(query, 'to', 'To date');
  if (from.kind === 'invalid') errors.add('from-day', from.problem);
  if (to.kind === 'invalid') errors.add('to-day', to.problem);
  if (from.kind === 'date') filters.from = from.date;
  if (to.kind === 'date') filters.to = to.date;
  if (filters.from !== undefined && filters.to !== undefined && filters.from > filters.to) {
    errors.add('to-day', `To date ${formatUkDate(filters.to)} is before from date ${formatUkDate(filters.from)}. Swap the dates or change one of them.`);
  }
  return { filters, errors };
}

function formOf(query: FormBody): AuditSearchForm {
  return { staff: textOf(query, 'staff'), action: textOf(query, 'action'), client: textOf(query, 'client') };
}

/** Returns the search fields to show in the form again, without the characters a page cannot show. */
function printableForm(form: AuditSearchForm): AuditSearchForm {
  return { staff: printableText(form.staff), action: printableText(form.action), client: printableText(form.client) };
}

function pageNumberOf(query: FormBody): number {
  const requested = Number.parseInt(textOf(query, 'page'), 10);
  return Number.isSafeInteger(requested) && requested >= 1 ? requested : 1;
}

/** Builds the query string of the current request with some parameters replaced, dropping empty ones. */
function searchOf(request: FastifyRequest, replaced: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (name !== 'page' && typeof value === 'string' && value !== '') params.set(name, value);
  }
  for (const [name, value] of Object.entries(replaced)) params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function paginationOf(request: FastifyRequest, page: number, more: boolean): { number: number; previousUrl?: string; nextUrl?: string } {
  const path = request.url.split('?')[0] ?? '/admin/audit';
  return {
    number: page,
    ...(page > 1 ? { previousUrl: `${path}${searchOf(request, { page: String(page - 1) })}` } : {}),
    ...(more ? { nextUrl: `${path}${searchOf(request, { page: String(page + 1) })}` } : {}),
  };
}
