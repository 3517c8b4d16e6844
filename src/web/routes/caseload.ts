import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cdsQDataset } from '../../dataset/index.js';
import { plainDateFromParts, todayInEngland, dateParts, daysInMonth } from '../../domain/plain-date.js';
import type { PlainDate } from '../../domain/plain-date.js';
import { CaseloadLister, emptyListing } from '../data/caseload-listing.js';
import type { CaseloadFilter, CaseloadPage, ListedClient } from '../data/caseload-listing.js';
import { loadClientRecords } from '../data/client-records.js';
import type { ClientRecord } from '../data/client-records.js';
import type { FindingsCache } from '../data/findings-cache.js';
import { PerClientCache } from '../data/per-client-cache.js';
import { dateInputItems, readDateInput } from '../forms/date-input.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { staffOf } from '../request-context.js';
import type { RouteContext } from './route-context.js';

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
  const lister = new CaseloadLister(db);
  const rowCache = new PerClientCache<CaseloadRow>();

  /**
   * Builds the rows of the listed clients in listing order. A row is worked out again only
   * when its client's change stamp, the day or the overdue setting differs from the cached
   * row's, so a page of unchanged clients loads no client records.
   */
  async function caseloadRowsOf(clients: ListedClient[]): Promise<{ rows: CaseloadRow[]; loaded: number; rowsKey: string }> {
    const today = todayInEngland();
    const keyOf = (stamp: number): string => `${stamp}\u0000${today}\u0000${settings.reviewOverdueMonths}`;
    const missing = clients.filter((client) => rowCache.get(client.id, keyOf(client.changeStamp)) === undefined).map((client) => client.id);

    const fresh = new Map<number, CaseloadRow>();
    const cutoff = monthsBefore(today, settings.reviewOverdueMonths);
    for (const record of await loadClientRecords(db, missing)) {
      const row = caseloadRow(record, cutoff, findings);
      // The record's own stamp, read with its rows, is the one its row matches.
      rowCache.set(record.id, keyOf(record.change_stamp), row);
      fresh.set(record.id, row);
    }
    const rows = clients.flatMap((client) => fresh.get(client.id) ?? rowCache.get(client.id, keyOf(client.changeStamp)) ?? []);
    const rowsKey = `${today}\u0000${settings.reviewOverdueMonths}\u0000${clients.map((client) => `${client.id}:${client.changeStamp}`).join(',')}`;
    return { rows, loaded: fresh.size, rowsKey };
  }

  async function showCaseload(request: FastifyRequest, reply: FastifyReply, search: CaseloadSearch, sealed: string | undefined, requestedPage: number, notice?: string): Promise<FastifyReply> {
    const staff = staffOf(request);
    const { clients, total, page } = search.errors.any ? emptyListing : await lister.list(staff, search, requestedPage);
    const { rows, loaded, rowsKey } = await caseloadRowsOf(clients);
    request.log.info({ clients: rows.length, loaded, total, page: page.number, searched: search.active }, 'caseload listed');

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
      // Names everything the table shows, so `renderCached` reuses its markup only when it is the same.
      tableKey: `${total}\u0000${page.number}\u0000${page.count}\u0000${rowsKey}`,
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

export interface CaseloadSearch extends CaseloadFilter {
  active: boolean;
  dobParts: { day: string; month: string; year: string };
  errors: FormErrors;
}

/**
 * Reads the search form's fields, with an error for each invalid value. A search is by
 * client reference or by initials and date of birth. Both at once are rejected rather than
 * combined, because a person who fills both may expect either one to be used.
 */
export function readSearch(query: FormBody): CaseloadSearch {
  const errors = new FormErrors();
  const clientRef = textOf(query, 'ref');
  const firstInitial = textOf(query, 'finitial').toUpperCase();
  const surnameInitial = textOf(query, 'sinitial').toUpperCase();
  const dob = readDateInput(query, 'dob', 'Date of birth');
  const byIdentity = firstInitial !== '' || surnameInitial !== '' || dob.kind !== 'empty';
  if (clientRef !== '' && byIdentity) {
    errors.add('ref', 'Search by client reference, or by initials and date of birth, not both. Clear the client reference, or clear the initials and date of birth.');
  } else if (byIdentity) {
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

/** Reads the requested page from `?page=`. Anything but a whole number above 1 gives page 1. */
function requestedPageOf(query: FormBody): number {
  const requested = Number.parseInt(textOf(query, 'page'), 10);
  return Number.isSafeInteger(requested) && requested > 1 ? requested : 1;
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
