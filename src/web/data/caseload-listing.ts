import { sql } from 'kysely';
import type { PlainDate } from '../../domain/plain-date.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import { reachOf, whereClientInScope } from './access.js';
import type { WebDatabase } from './tables.js';

/** Clients one caseload page lists; later clients are on further pages. */
export const caseloadPageSize = 50;

/** The filter of a caseload search. An empty reference and no date of birth list every client. */
export interface CaseloadFilter {
  clientRef: string;
  firstInitial: string;
  surnameInitial: string;
  dateOfBirth: PlainDate | undefined;
}

/** A client of a caseload page, with the change stamp a cached row must match. */
export interface ListedClient {
  id: number;
  changeStamp: number;
}

export interface CaseloadPage {
  number: number;
  count: number;
}

export interface CaseloadListing {
  /** The page's clients, in the order pages are cut in. */
  clients: ListedClient[];
  /** Clients of the caseload or search in all pages. */
  total: number;
  page: CaseloadPage;
}

export const emptyListing: CaseloadListing = { clients: [], total: 0, page: { number: 1, count: 1 } };

/**
 * Lists caseload pages, keeping each page's clients in process while the `client-lists`
 * counter is unchanged. Finding a page means sorting and counting every client in scope.
 * Checking a kept page only reads the counter and the page's change stamps by primary key,
 * so a page is found again only after a client is added, removed, renamed or moved. The key
 * contains everything else the listing depends on: organisation, reach, teams, filter and page.
 */
export class CaseloadLister {
  private readonly listings = new Map<string, { listStamp: number; listing: CaseloadListing }>();

  constructor(
    private readonly db: WebDatabase,
    private readonly maxListings = 2_000,
  ) {}

  async list(staff: SignedInStaff, filter: CaseloadFilter, requestedPage: number): Promise<CaseloadListing> {
    const key = listingKeyOf(staff, filter, requestedPage);
    const kept = this.listings.get(key);
    if (kept) {
      const current = await readChangeStamps(this.db, kept.listing.clients.map((client) => client.id));
      if (current.listStamp === kept.listStamp) {
        const clients = kept.listing.clients.map((client) => ({ id: client.id, changeStamp: current.stamps.get(client.id) ?? client.changeStamp }));
        return { ...kept.listing, clients };
      }
    }

    const found = await listCaseloadPage(this.db, staff, filter, requestedPage);
    // An empty page carries no counter reading, and is cheap to find again.
    if (found.listStamp !== undefined) this.keep(key, { listStamp: found.listStamp, listing: found.listing });
    return found.listing;
  }

  private keep(key: string, entry: { listStamp: number; listing: CaseloadListing }): void {
    if (!this.listings.has(key) && this.listings.size >= this.maxListings) {
      const oldest = this.listings.keys().next();
      if (!oldest.done) this.listings.delete(oldest.value);
    }
    this.listings.set(key, entry);
  }
}

function listingKeyOf(staff: SignedInStaff, filter: CaseloadFilter, page: number): string {
  return [staff.organisationId, reachOf(staff, 'view'), staff.teamIds.join(','), filter.clientRef, filter.firstInitial, filter.surnameInitial, filter.dateOfBirth ?? '', page].join('\u0000');
}

const clientListsCounter = sql<number>`(select value from change_counters where name = 'client-lists')`;

/** Reads the `client-lists` counter and the change stamps of the clients, in one query. */
async function readChangeStamps(db: WebDatabase, clientIds: number[]): Promise<{ listStamp: number | undefined; stamps: Map<number, number> }> {
  const rows = await db.selectFrom('clients').select(['id', 'change_stamp']).select(clientListsCounter.as('list_stamp')).where('id', 'in', clientIds).execute();
  return { listStamp: rows[0]?.list_stamp, stamps: new Map(rows.map((row) => [row.id, row.change_stamp])) };
}

function pageCountOf(total: number): number {
  return Math.max(1, Math.ceil(total / caseloadPageSize));
}

/**
 * Finds the ids of one page of clients and the caseload's total in one query. A page past
 * the end (an old link, or a typed address) shows the last page, which takes a count first.
 */
async function listCaseloadPage(db: WebDatabase, staff: SignedInStaff, filter: CaseloadFilter, requested: number): Promise<{ listing: CaseloadListing; listStamp: number | undefined }> {
  const found = await findCaseloadPage(db, staff, filter, requested);
  if (found.clients.length > 0 || requested === 1) return { listing: { clients: found.clients, total: found.total, page: { number: requested, count: pageCountOf(found.total) } }, listStamp: found.listStamp };

  const total = await countCaseload(db, staff, filter);
  if (total === 0) return { listing: emptyListing, listStamp: undefined };
  const last = pageCountOf(total);
  const lastPage = await findCaseloadPage(db, staff, filter, last);
  return { listing: { clients: lastPage.clients, total: lastPage.total, page: { number: last, count: pageCountOf(lastPage.total) } }, listStamp: lastPage.listStamp };
}

function caseloadQuery(db: WebDatabase, staff: SignedInStaff, filter: CaseloadFilter) {
  const organisationClients = db
    .selectFrom('clients')
    .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
    .where('agencies.organisation_id', '=', staff.organisationId);
  let query = whereClientInScope(db, organisationClients, staff, 'view');
  if (filter.clientRef !== '') query = query.where('clients.client_ref', 'ilike', `${escapeLike(filter.clientRef)}%`);
  if (filter.dateOfBirth) {
    query = query
      .where('clients.first_initial', '=', filter.firstInitial)
      .where('clients.surname_initial', '=', filter.surnameInitial)
      .where('clients.date_of_birth', '=', filter.dateOfBirth);
  }
  return query;
}

async function countCaseload(db: WebDatabase, staff: SignedInStaff, filter: CaseloadFilter): Promise<number> {
  const row = await caseloadQuery(db, staff, filter).select((eb) => eb.fn.countAll<string | number>().as('clients')).executeTakeFirst();
  return Number(row?.clients ?? 0);
}

async function findCaseloadPage(db: WebDatabase, staff: SignedInStaff, filter: CaseloadFilter, pageNumber: number): Promise<{ clients: ListedClient[]; total: number; listStamp: number | undefined }> {
  const rows = await caseloadQuery(db, staff, filter)
    .select(['clients.id', 'clients.change_stamp'])
    // The window counts every row the filters keep, before LIMIT cuts the page.
    .select(sql<string | number>`count(*) over ()`.as('total'))
    // Read in the same snapshot as the page, so a change after it raises the counter past this reading.
    .select(clientListsCounter.as('list_stamp'))
    .orderBy('clients.client_ref')
    .orderBy('clients.id')
    .limit(caseloadPageSize)
    .offset((pageNumber - 1) * caseloadPageSize)
    .execute();
  return {
    clients: rows.map((row) => ({ id: row.id, changeStamp: row.change_stamp })),
    total: Number(rows[0]?.total ?? 0),
    listStamp: rows[0]?.list_stamp,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
