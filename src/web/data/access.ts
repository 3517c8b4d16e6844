import type { SignedInStaff } from '../accounts/sessions.js';
import { organisationWideRoles } from '../accounts/roles.js';
import type { WebDatabase } from './tables.js';

/** Whether a member of staff sees every client of their organisation rather than their teams' caseload. */
export function seesWholeOrganisation(staff: SignedInStaff): boolean {
  return organisationWideRoles.some((role) => staff.roles.includes(role));
}

/**
 * Finds a client the staff member may open: one of their teams' clients, their own
 * keyworking client, or any client of the organisation for organisation-wide roles.
 * Returns undefined otherwise, so a page cannot tell "not yours" from "not there".
 */
export async function findAccessibleClient(db: WebDatabase, staff: SignedInStaff, clientId: number): Promise<{ id: number; agency_id: number; version: number } | undefined> {
  if (!Number.isSafeInteger(clientId)) return undefined;
  const row = await db
    .selectFrom('clients')
    .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
    .select(['clients.id', 'clients.agency_id', 'clients.team_id', 'clients.keyworker_id', 'clients.version', 'agencies.organisation_id'])
    .where('clients.id', '=', clientId)
    .executeTakeFirst();
  if (!row || !mayOpenClient(staff, row)) return undefined;
  return { id: row.id, agency_id: row.agency_id, version: row.version };
}

/** Checks whether the staff member may open a client of this organisation, team and keyworker. */
export function mayOpenClient(staff: SignedInStaff, client: { organisation_id: number; team_id: number | null; keyworker_id: number | null }): boolean {
  if (client.organisation_id !== staff.organisationId) return false;
  return seesWholeOrganisation(staff) || client.keyworker_id === staff.id || (client.team_id !== null && staff.teamIds.includes(client.team_id));
}

/** Agencies of the staff member's teams, or of their organisation for organisation-wide roles. */
export async function agenciesFor(db: WebDatabase, staff: SignedInStaff): Promise<{ id: number; code: string; name: string }[]> {
  let query = db.selectFrom('agencies').select(['agencies.id', 'agencies.code', 'agencies.name']).where('agencies.organisation_id', '=', staff.organisationId);
  if (!seesWholeOrganisation(staff)) {
    if (staff.teamIds.length === 0) return [];
    query = query.where('agencies.id', 'in', db.selectFrom('teams').select('teams.agency_id').where('teams.id', 'in', staff.teamIds));
  }
  return query.orderBy('agencies.code').execute();
}

/** Teams a member of staff may place a client in: their own, or every team of the organisation for organisation-wide roles. */
export async function teamsFor(db: WebDatabase, staff: SignedInStaff): Promise<{ id: number; name: string; agency_id: number; agencyCode: string }[]> {
  let query = db
    .selectFrom('teams')
    .innerJoin('agencies', 'agencies.id', 'teams.agency_id')
    .select(['teams.id', 'teams.name', 'teams.agency_id', 'agencies.code as agencyCode'])
    .where('agencies.organisation_id', '=', staff.organisationId);
  if (!seesWholeOrganisation(staff)) query = query.where('teams.id', 'in', staff.teamIds.length > 0 ? staff.teamIds : [-1]);
  return query.orderBy('teams.name').execute();
}
