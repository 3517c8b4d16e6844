import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { cdsQDataset } from '../../dataset/index.js';
import { plainDateFromParts, todayInEngland, dateParts, daysInMonth } from '../../domain/plain-date.js';
import type { PlainDate } from '../../domain/plain-date.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import { clientIdsInScope } from '../data/access.js';
import { loadClientRecords } from '../data/client-records.js';
import type { ClientRecord } from '../data/client-records.js';
import type { FindingsCache } from '../data/findings-cache.js';
import type { WebDatabase } from '../data/tables.js';
import { dateInputItems, readDateInput } from '../forms/date-input.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import type { RouteContext } from './route-context.js';

/** Clients one caseload page lists; later clients are on further pages. */
export const caseloadPageSize = 50;

export interface CaseloadRow {
  id: number;
  clientRef: string;
  initials: string;
  dateOfBirth: string | null;
  currentInterventions: string[];
  lastReviewDate: string | null;
  reviewOverdue: boolean;
  errors: number;
  warnings: number;
}

export function registerCaseloadRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db, settings, findings } = context;

  async function showCaseload(request: FastifyRequest, reply: FastifyReply, search: CaseloadSearch, sealed: string | undefined, requestedPage: number, notice?: string): Promise<FastifyReply> {
    const staff = staffOf(request);
    const { clientIds, total, page } = search.errors.any ? emptyListing : await listCaseloadPage(db, staff, search, requestedPage);
    const records = await loadClientRecords(db, clientIds);
    const cutoff = monthsBefore(todayInEngland(), settings.reviewOverdueMonths);
    // Keep the database order: it is the order pages are cut in.
    const order = new Map(clientIds.map((id, index) => [id, index]));
    const rows = records.map((record) => caseloadRow(record, cutoff, findings)).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    request.log.info({ clients: rows.length, total, page: page.number, searched: search.active }, 'caseload listed');

    return reply.code(search.errors.any ? 400 : 200).view('caseload.njk', {
      pageTitle: search.active ? 'Client search' : 'Your caseload',
      rows,
      search,
      dobItems: dateInputItems('dob', search.dobParts, Boolean(search.errors.byField['dob-day'])),
      errors: search.errors.summary,
      fieldErrors: search.errors.byField,
      overdueMonths: settings.reviewOverdueMonths,
      total,
      notice,
      pagination: paginationOf(sealed, page),
    }, request);
  }

  // The search comes back as a sealed token, never as the reference, initials or date of
  // birth typed, so none of them reaches a URL.
  app.get('/', { config: { permission: 'caseload:view' } }, async (request, reply) => {
    const query = request.query as FormBody;
    const sealed = textOf(query, 'search');
    if (sealed === '') return showCaseload(request, reply, readSearch({}), undefined, requestedPageOf(query));

    const fields = context.searches.open(staffOf(request).id, sealed, context.now());
    if (!fields) return showCaseload(request, reply, readSearch({}), undefined, 1, 'That search has expired. Search again.');
    return showCaseload(request, reply, readSearch(fields), sealed, requestedPageOf(query));
  });

  app.post('/search', { config: { permission: 'caseload:view' } }, async (request, reply) => {
    const body = request.body as FormBody;
    const search = readSearch(body);
    if (search.errors.any) return showCaseload(request, reply, search, undefined, 1);
    if (!search.active) return reply.redirect('/', 303);

    const fields: Record<string, string> = {};
    for (const name of searchFieldNames) fields[name] = textOf(body, name);
    const sealed = context.searches.seal(staffOf(request).id, fields, context.now());
    return reply.redirect(`/?${new URLSearchParams({ search: sealed }).toString()}`, 303);
  });
}

/** The search form's fields, sealed together into the caseload URL. */
const searchFieldNames = ['ref', 'finitial', 'sinitial', 'dob-day', 'dob-month', 'dob-year'] as const;

export interface CaseloadSearch {
  active: boolean;
  clientRef: string;
  firstInitial: string;
  surnameInitial: string;
  dateOfBirth: PlainDate | undefined;
  dobParts: { day: string; month: string; year: string };
  errors: FormErrors;
}

/** Reads the search form's fields, with an error for each invalid value. */
export function readSearch(query: FormBody): CaseloadSearch {
  const errors = new FormErrors();
  const clientRef = textOf(query, 'ref');
  const firstInitial = textOf(query, 'finitial').toUpperCase();
  const surnameInitial = textOf(query, 'sinitial').toUpperCase();
  const dob = readDateInput(query, 'dob', 'Date of birth');
  const byIdentity = firstInitial !== '' || surnameInitial !== '' || dob.kind !== 'empty';
  if (byIdentity) {
    if (!/^[A-Z]$/.test(firstInitial)) errors.add('finitial', 'Enter the first initial as one letter, for example J');
    if (!/^[A-Z]$/.test(surnameInitial)) errors.add('sinitial', 'Enter the surname initial as one letter, for example S');
    if (dob.kind === 'empty') errors.add('dob-day', 'Enter the date of birth');
    if (dob.kind === 'invalid') errors.add('dob-day', dob.problem);
  }
  return {
    active: clientRef !== '' || byIdentity,
    clientRef,
    firstInitial,
    surnameInitial,
    dateOfBirth: dob.kind === 'date' ? dob.date : undefined,
    dobParts: dob.parts,
    errors,
  };
}

interface CaseloadPage {
  number: number;
  count: number;
}

interface CaseloadListing {
  clientIds: number[];
  /** Clients of the caseload or search in all pages. */
  total: number;
  page: CaseloadPage;
}

const emptyListing: CaseloadListing = { clientIds: [], total: 0, page: { number: 1, count: 1 } };

/** Reads the requested page from `?page=`. Anything but a whole number above 1 gives page 1. */
function requestedPageOf(query: FormBody): number {
  const requested = Number.parseInt(textOf(query, 'page'), 10);
  return Number.isSafeInteger(requested) && requested > 1 ? requested : 1;
}

function pageCountOf(total: number): number {
  return Math.max(1, Math.ceil(total / caseloadPageSize));
}

/**
 * Finds the ids of one page of clients and the caseload's total in one query. A page past
 * the end (an old link, or a typed address) shows the last page, which takes a count first.
 */
async function listCaseloadPage(db: WebDatabase, staff: SignedInStaff, search: CaseloadSearch, requested: number): Promise<CaseloadListing> {
  const found = await findCaseloadPage(db, staff, search, requested);
  if (found.clientIds.length > 0 || requested === 1) return { ...found, page: { number: requested, count: pageCountOf(found.total) } };

  const total = await countCaseload(db, staff, search);
  if (total === 0) return emptyListing;
  const last = pageCountOf(total);
  const lastPage = await findCaseloadPage(db, staff, search, last);
  return { ...lastPage, page: { number: last, count: pageCountOf(lastPage.total) } };
}

/** Builds previous and next links that keep the search, so paging works without JavaScript. */
function paginationOf(sealedSearch: string | undefined, page: CaseloadPage): { number: number; count: number; previousUrl?: string; nextUrl?: string } {
  const urlOf = (number: number): string => {
    const params = new URLSearchParams();
    if (sealedSearch !== undefined) params.set('search', sealedSearch);
    params.set('page', String(number));
    return `/?${params.toString()}`;
  };
  return {
    number: page.number,
    count: page.count,
    ...(page.number > 1 ? { previousUrl: urlOf(page.number - 1) } : {}),
    ...(page.number < page.count ? { nextUrl: urlOf(page.number + 1) } : {}),
  };
}

function caseloadQuery(db: WebDatabase, staff: SignedInStaff, search: CaseloadSearch) {
  let query = db
    .selectFrom('clients')
    .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
    .where('agencies.organisation_id', '=', staff.organisationId)
    .where('clients.id', 'in', clientIdsInScope(db, staff, 'view'));
  if (search.clientRef !== '') query = query.where('clients.client_ref', 'ilike', `${escapeLike(search.clientRef)}%`);
  if (search.dateOfBirth) {
    query = query
      .where('clients.first_initial', '=', search.firstInitial)
      .where('clients.surname_initial', '=', search.surnameInitial)
      .where('clients.date_of_birth', '=', search.dateOfBirth);
  }
  return query;
}

async function countCaseload(db: WebDatabase, staff: SignedInStaff, search: CaseloadSearch): Promise<number> {
  const row = await caseloadQuery(db, staff, search).select((eb) => eb.fn.countAll<string | number>().as('clients')).executeTakeFirst();
  return Number(row?.clients ?? 0);
}

async function findCaseloadPage(db: WebDatabase, staff: SignedInStaff, search: CaseloadSearch, pageNumber: number): Promise<{ clientIds: number[]; total: number }> {
  const rows = await caseloadQuery(db, staff, search)
    .select('clients.id')
    // The window counts every row the filters keep, before LIMIT cuts the page.
    .select(sql<string | number>`count(*) over ()`.as('total'))
    .orderBy('clients.client_ref')
    .orderBy('clients.id')
    .limit(caseloadPageSize)
    .offset((pageNumber - 1) * caseloadPageSize)
    .execute();
  return { clientIds: rows.map((row) => row.id), total: Number(rows[0]?.total ?? 0) };
}

function caseloadRow(record: ClientRecord, overdueBefore: PlainDate, cache: FindingsCache): CaseloadRow {
  const openEpisodes = record.episodes.filter((episode) => episode.discharge_date === null);
  const currentInterventions = openEpisodes
    .flatMap((episode) => episode.interventions)
    .filter((intervention) => intervention.start_date !== null && intervention.end_date === null)
    .map((intervention) => cdsQDataset.codeLabel('intervention-type', intervention.intervention_type) ?? intervention.intervention_type);
  const reviewDates = record.episodes.flatMap((episode) => episode.reviews.map((review) => review.review_date)).sort();
  const lastReviewDate = reviewDates.at(-1) ?? null;
  const inTreatment = openEpisodes.length > 0;
  const findings = cache.findingsOf(record);
  return {
    id: record.id,
    clientRef: record.client_ref,
    initials: `${record.first_initial ?? ''}${record.surname_initial ?? ''}`,
    dateOfBirth: record.date_of_birth,
    currentInterventions,
    lastReviewDate,
    reviewOverdue: inTreatment && (lastReviewDate === null || lastReviewDate < overdueBefore),
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warning').length,
  };
}

/** The same day a number of months earlier, or the month's last day when that day does not exist. */
export function monthsBefore(date: PlainDate, months: number): PlainDate {
  const { year, month, day } = dateParts(date);
  const index = year * 12 + (month - 1) - months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return plainDateFromParts(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth))) as PlainDate;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
