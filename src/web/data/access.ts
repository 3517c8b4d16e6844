import { sql } from 'kysely';
import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import { isStaffRole } from '../accounts/roles.js';
import type { StaffRole } from '../accounts/roles.js';
import { hasPermission } from '../security/permissions.js';
import { findLiveCorrectionGrant, hasLiveBreakGlassGrant } from './break-glass-grants.js';
import type { WebDatabase } from './tables.js';

/**
 * How far a role reaches among the clients of the staff member's own organisation:
 * - `teams`: clients whose team is one of the staff member's teams.
 * - `agencies`: every client of the agencies that the staff member's teams belong to.
 * - `none`: no client.
 */
export type ClientReach = 'none' | 'teams' | 'agencies';

/** Opening a client record (`view`) or changing it (`edit`). */
export type AccessMode = 'view' | 'edit';

/**
 * The clients each role may view and edit. A member of staff gets the widest reach of
 * their roles, taken separately for each mode. A data officer who is also a keyworker
 * therefore views every client of their agencies but edits only their teams' clients.
 *
 * A data officer reaches the agencies of their teams, not the whole organisation. Each
 * agency is a separate NDTMS provider, often commissioned by a different local
 * authority, so an administrator places a data officer in a team of each agency whose
 * data they look after.
 */
export const roleScopes: Record<StaffRole, Record<AccessMode, ClientReach>> = {
  keyworker: { view: 'teams', edit: 'teams' },
  prescriber: { view: 'teams', edit: 'teams' },
  'team-leader': { view: 'teams', edit: 'teams' },
  'data-officer': { view: 'agencies', edit: 'none' },
  administrator: { view: 'none', edit: 'none' },
};

const reachOrder: readonly ClientReach[] = ['none', 'teams', 'agencies'];

/** Returns the widest reach that any of the staff member's roles gives in the mode. */
export function reachOf(staff: Pick<SignedInStaff, 'roles'>, mode: AccessMode): ClientReach {
  let widest: ClientReach = 'none';
  for (const role of staff.roles) {
    if (!isStaffRole(role)) continue;
    const reach = roleScopes[role][mode];
    if (reachOrder.indexOf(reach) > reachOrder.indexOf(widest)) widest = reach;
  }
  return widest;
}

/** A client the staff member may open in the requested mode. */
export interface AccessibleClient {
  id: number;
  agency_id: number;
  version: number;
}

/**
 * The outcome of asking for a client:
 * - `granted`: within scope, through a live break-glass grant, or, in edit mode, through
 *   a live correction grant, whose id the change's audit event records.
 * - `outside-scope`: a client of the staff member's organisation that their scope does
 *   not reach in this mode, which break-glass may open. `viewable` is true in edit mode
 *   when their view scope reaches the client, so a data officer may ask for a correction.
 * - `not-found`: no such client, or a client of another organisation.
 */
export type ClientAccess =
  | { outcome: 'granted'; client: AccessibleClient; via: 'scope' | 'break-glass' }
  | { outcome: 'granted'; client: AccessibleClient; via: 'correction'; grantId: number; grantExpiresAt: Date }
  | { outcome: 'outside-scope'; clientId: number; viewable: boolean }
  | { outcome: 'not-found' };

/** The columns of a client that decide access to it, as `clientAccessColumns` selects them. */
export interface ClientAccessRow {
  id: number;
  agency_id: number;
  team_id: number | null;
  version: number;
  organisation_id: number;
}

/**
 * Decides whether the staff member may open a client in the mode. A client of another
 * organisation is `not-found`, whatever grants exist, so a page cannot tell "not yours"
 * from "not there" across organisations.
 */
export async function decideClientAccess(db: WebDatabase, staff: SignedInStaff, clientId: number, mode: AccessMode, now = new Date()): Promise<ClientAccess> {
  if (!Number.isSafeInteger(clientId)) return { outcome: 'not-found' };
  const row = await db
    .selectFrom('clients')
    .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
    .select(clientAccessColumns)
    .where('clients.id', '=', clientId)
    .executeTakeFirst();
  return decideAccessToRow(db, staff, row, mode, now);
}

/** The columns `decideAccessToRow` needs, for queries that join `clients` and `agencies`. */
export const clientAccessColumns = ['clients.id', 'clients.agency_id', 'clients.team_id', 'clients.version', 'agencies.organisation_id'] as const;

/**
 * Decides access as `decideClientAccess` does, for a client row the caller has already read,
 * so a page that reads a record below the client can read the client in the same query.
 */
export async function decideAccessToRow(db: WebDatabase, staff: SignedInStaff, row: ClientAccessRow | undefined, mode: AccessMode, now = new Date()): Promise<ClientAccess> {
  if (!row || row.organisation_id !== staff.organisationId) return { outcome: 'not-found' };
  const client = { id: row.id, agency_id: row.agency_id, version: row.version };

  if (await reaches(db, staff, row, reachOf(staff, mode))) return { outcome: 'granted', client, via: 'scope' };
  // Break-glass gives edit access only to staff whose roles may edit some clients.
  const grantCovers = mode === 'view' || reachOf(staff, 'edit') !== 'none';
  if (grantCovers && (await hasLiveBreakGlassGrant(db, staff.id, row.id, now))) return { outcome: 'granted', client, via: 'break-glass' };
  if (mode === 'view') return { outcome: 'outside-scope', clientId: row.id, viewable: false };

  const viewable = await reaches(db, staff, row, reachOf(staff, 'view'));
  // A correction grant counts only while its holder may still ask for one on this client,
  // so losing the data officer role or the agency ends it early.
  if (viewable && hasPermission(staff.roles, 'record:correct')) {
    const grant = await findLiveCorrectionGrant(db, staff.id, row.id, now);
    if (grant) return { outcome: 'granted', client, via: 'correction', grantId: grant.id, grantExpiresAt: grant.expiresAt };
  }
  return { outcome: 'outside-scope', clientId: row.id, viewable };
}

/** Finds a client the staff member may open in the mode, or undefined for any refusal. */
export async function findAccessibleClient(db: WebDatabase, staff: SignedInStaff, clientId: number, mode: AccessMode): Promise<AccessibleClient | undefined> {
  const access = await decideClientAccess(db, staff, clientId, mode);
  return access.outcome === 'granted' ? access.client : undefined;
}

async function reaches(db: WebDatabase, staff: SignedInStaff, client: { agency_id: number; team_id: number | null }, reach: ClientReach): Promise<boolean> {
  if (reach === 'none') return false;
  if (reach === 'teams') return client.team_id !== null && staff.teamIds.includes(client.team_id);
  if (staff.teamIds.length === 0) return false;
  const team = await db.selectFrom('teams').select('id').where('id', 'in', staff.teamIds).where('agency_id', '=', client.agency_id).limit(1).executeTakeFirst();
  return team !== undefined;
}

/**
 * Selects the ids of the clients within the staff member's scope in the mode, for lists
 * such as reports. Break-glass grants are left out: they open one record, and do not add
 * the client to anyone's lists.
 */
export function clientIdsInScope(db: WebDatabase, staff: SignedInStaff, mode: AccessMode) {
  const query = db
    .selectFrom('clients')
    .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
    .select('clients.id')
    .where('agencies.organisation_id', '=', staff.organisationId);
  return whereClientInScope(db, query, staff, mode);
}

/**
 * Keeps the rows of a query over `clients` whose client is within the staff member's scope in
 * the mode, as `clientIdsInScope` does. Filtering the query's own `clients` rows, rather than
 * matching ids against a second scan of clients, lets a page of the caseload cost one pass.
 * The caller still restricts the query to the staff member's organisation.
 */
export function whereClientInScope<Output>(
  db: WebDatabase,
  query: SelectQueryBuilder<Database, 'clients' | 'agencies', Output>,
  staff: SignedInStaff,
  mode: AccessMode,
): SelectQueryBuilder<Database, 'clients' | 'agencies', Output> {
  const reach = reachOf(staff, mode);
  const teamIds = staff.teamIds.length > 0 ? staff.teamIds : [-1];
  if (reach === 'none') return query.where(sql<boolean>`false`);
  if (reach === 'teams') return query.where('clients.team_id', 'in', teamIds);
  return query.where('clients.agency_id', 'in', db.selectFrom('teams').select('teams.agency_id').where('teams.id', 'in', teamIds));
}

/** Agencies of the staff member's teams, within their organisation. */
export async function agenciesFor(db: WebDatabase, staff: SignedInStaff): Promise<{ id: number; code: string; name: string }[]> {
  if (staff.teamIds.length === 0) return [];
  return db
    .selectFrom('agencies')
    .select(['agencies.id', 'agencies.code', 'agencies.name'])
    .where('agencies.organisation_id', '=', staff.organisationId)
    .where('agencies.id', 'in', db.selectFrom('teams').select('teams.agency_id').where('teams.id', 'in', staff.teamIds))
    .orderBy('agencies.code')
    .execute();
}

/**
 * Teams a member of staff may place a client in: their own teams, and only when one of
 * their roles may edit clients.
 */
export async function teamsFor(db: WebDatabase, staff: SignedInStaff): Promise<{ id: number; name: string; agency_id: number; agencyCode: string }[]> {
  if (reachOf(staff, 'edit') === 'none' || staff.teamIds.length === 0) return [];
  return db
    .selectFrom('teams')
    .innerJoin('agencies', 'agencies.id', 'teams.agency_id')
    .select(['teams.id', 'teams.name', 'teams.agency_id', 'agencies.code as agencyCode'])
    .where('agencies.organisation_id', '=', staff.organisationId)
    .where('teams.id', 'in', staff.teamIds)
    .orderBy('teams.name')
    .execute();
}
