import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { changedFieldNames } from '../../db/audit.js';
import type { Database } from '../../db/schema.js';
import type { PlainDate } from '../../domain/plain-date.js';
import type { WebDatabase } from './tables.js';

/** Search conditions of the audit trail pages; each one given narrows the result. */
export interface AuditFilters {
  /** Events by this staff member, or about their account (such as a failed sign-in). */
  staffId?: number;
  /** Exact action name, such as `client.view`. */
  action?: string;
  clientId?: number;
  /** First day of the range, in England's time zone. */
  from?: PlainDate;
  /** Last day of the range, included, in England's time zone. */
  to?: PlainDate;
}

/**
 * One audit event as the audit pages show it. It carries ids, names and changed field
 * names only, never the values before and after, because those may be clinical and an
 * administrator need not have a clinical role.
 */
export interface AuditEventListing {
  id: number;
  occurredAt: Date;
  actor: string;
  actorStaffId: number | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string;
  clientId: number | null;
  reason: string | null;
  /** The page of a view, or the fields that a change set or changed. */
  details: string;
}

type AuditQuery = SelectQueryBuilder<Database, 'audit_events', object>;

/**
 * Lists the organisation's events that match the filters, newest first, from `offset`.
 * Returns at most `limit` events, and whether more follow.
 */
export async function searchAuditEvents(db: WebDatabase, organisationId: number, filters: AuditFilters, page: { offset: number; limit: number }): Promise<{ events: AuditEventListing[]; more: boolean }> {
  const rows = await listingQuery(db, organisationId, filters).orderBy('audit_events.id', 'desc').offset(page.offset).limit(page.limit + 1).execute();
  return { events: rows.slice(0, page.limit).map(listingOf), more: rows.length > page.limit };
}

/**
 * Reads every matching event, newest first, in batches of `batchSize` by `id < last id`,
 * so memory contains one batch of before and after values at a time.
 */
export async function* streamAuditEvents(db: WebDatabase, organisationId: number, filters: AuditFilters, batchSize = 1000): AsyncGenerator<AuditEventListing[]> {
  let lastId: number | undefined;
  for (;;) {
    let query = listingQuery(db, organisationId, filters);
    if (lastId !== undefined) query = query.where('audit_events.id', '<', lastId);
    const rows = await query.orderBy('audit_events.id', 'desc').limit(batchSize).execute();
    if (rows.length === 0) return;
    yield rows.map(listingOf);
    lastId = rows[rows.length - 1]?.id;
    if (rows.length < batchSize) return;
  }
}

function listingQuery(db: WebDatabase, organisationId: number, filters: AuditFilters) {
  const query = filtered(db.selectFrom('audit_events').where((eb) => inOrganisation(eb, organisationId)), db, organisationId, filters);
  return query
    .leftJoin('staff', 'staff.id', 'audit_events.actor_staff_id')
    .select([
      'audit_events.id',
      'audit_events.occurred_at',
      'audit_events.actor',
      'audit_events.actor_staff_id',
      'staff.display_name',
      'audit_events.action',
      'audit_events.entity',
      'audit_events.entity_id',
      'audit_events.client_id',
      'audit_events.reason',
      'audit_events.before',
      'audit_events.after',
    ]);
}

/**
 * Keeps the events that belong to the organisation: by its staff, about its clients, or
 * about its staff accounts, agencies or the organisation itself.
 */
function inOrganisation(eb: ExpressionBuilder<Database, 'audit_events'>, organisationId: number) {
  const staffIds = eb.selectFrom('staff').select('staff.id').where('staff.organisation_id', '=', organisationId);
  const staffIdTexts = eb.selectFrom('staff').select(sql<string>`cast(staff.id as text)`.as('id_text')).where('staff.organisation_id', '=', organisationId);
  const agencyIds = eb.selectFrom('agencies').select('agencies.id').where('agencies.organisation_id', '=', organisationId);
  const agencyCodes = eb.selectFrom('agencies').select('agencies.code').where('agencies.organisation_id', '=', organisationId);
  const clientIds = eb.selectFrom('clients').select('clients.id').where('clients.agency_id', 'in', agencyIds);
  return eb.or([
    eb('audit_events.actor_staff_id', 'in', staffIds),
    eb('audit_events.client_id', 'in', clientIds),
    eb.and([eb('audit_events.entity', '=', 'staff'), eb('audit_events.entity_id', 'in', staffIdTexts)]),
    eb.and([eb('audit_events.entity', '=', 'agency'), eb('audit_events.entity_id', 'in', agencyCodes)]),
    eb.and([eb('audit_events.entity', '=', 'organisation'), eb('audit_events.entity_id', '=', String(organisationId))]),
  ]);
}

function filtered(query: AuditQuery, db: WebDatabase, organisationId: number, filters: AuditFilters): AuditQuery {
  let result = query;
  if (filters.staffId !== undefined) {
    const staffId = filters.staffId;
    result = result.where((eb) => eb.or([eb('audit_events.actor_staff_id', '=', staffId), eb.and([eb('audit_events.entity', '=', 'staff'), eb('audit_events.entity_id', '=', String(staffId))])]));
  }
  if (filters.action !== undefined) result = result.where('audit_events.action', '=', filters.action);
  if (filters.clientId !== undefined) result = result.where('audit_events.client_id', '=', filters.clientId);
  // Day boundaries are midnight in England, whatever the server's time zone.
  if (filters.from !== undefined) result = result.where('audit_events.occurred_at', '>=', sql<Date>`(cast(${filters.from} as date))::timestamp at time zone 'Europe/London'`);
  if (filters.to !== undefined) result = result.where('audit_events.occurred_at', '<', sql<Date>`(cast(${filters.to} as date) + 1)::timestamp at time zone 'Europe/London'`);
  return result;
}

interface ListingRow {
  id: number;
  occurred_at: Date;
  actor: string;
  actor_staff_id: number | null;
  display_name: string | null;
  action: string;
  entity: string;
  entity_id: string;
  client_id: number | null;
  reason: string | null;
  before: unknown;
  after: unknown;
}

function listingOf(row: ListingRow): AuditEventListing {
  return {
    id: row.id,
    occurredAt: new Date(row.occurred_at),
    actor: row.actor,
    actorStaffId: row.actor_staff_id,
    actorName: row.display_name,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    clientId: row.client_id,
    reason: row.reason,
    details: detailsOf(row),
  };
}

/** Describes an event without its values: the page of a view, or the names of the fields that changed. */
function detailsOf(row: ListingRow): string {
  const page = row.after !== null && typeof row.after === 'object' ? (row.after as { page?: unknown }).page : undefined;
  if (row.action.endsWith('.view') && typeof page === 'string') return `Page ${page}`;
  const fields = changedFieldNames(row.before, row.after);
  if (fields.length === 0) return '';
  return `${row.before === null ? 'Fields set' : 'Fields changed'}: ${fields.join(', ')}`;
}
