import { recordAuditEvent } from '../../db/audit.js';
import type { ClientGrantKind } from '../../db/schema.js';
import type { WebDatabase } from './tables.js';

/** Whether the staff member has an unexpired break-glass grant for the client. */
export async function hasLiveBreakGlassGrant(db: WebDatabase, staffId: number, clientId: number, now: Date): Promise<boolean> {
  const grant = await db
    .selectFrom('break_glass_grants')
    .select('id')
    .where('staff_id', '=', staffId)
    .where('client_id', '=', clientId)
    .where('kind', '=', 'break-glass')
    .where('expires_at', '>', now)
    .limit(1)
    .executeTakeFirst();
  return grant !== undefined;
}

/** An unexpired correction grant: its id, recorded with every change made under it, and its end. */
export interface LiveCorrectionGrant {
  id: number;
  expiresAt: Date;
}

/** Finds the staff member's unexpired correction grant for the client that lasts longest. */
export async function findLiveCorrectionGrant(db: WebDatabase, staffId: number, clientId: number, now: Date): Promise<LiveCorrectionGrant | undefined> {
  const grant = await db
    .selectFrom('break_glass_grants')
    .select(['id', 'expires_at'])
    .where('staff_id', '=', staffId)
    .where('client_id', '=', clientId)
    .where('kind', '=', 'correction')
    .where('expires_at', '>', now)
    .orderBy('expires_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return grant ? { id: grant.id, expiresAt: new Date(grant.expires_at) } : undefined;
}

/** A grant to store: who, which client, why, and for how many minutes. */
export interface GrantRequest {
  staffId: number;
  clientId: number;
  reason: string;
  minutes: number;
}

/**
 * Stores a break-glass grant and its `break-glass.grant` audit event in one transaction,
 * so no grant exists without its audit record. Returns the grant's id.
 */
export function grantBreakGlass(db: WebDatabase, grant: GrantRequest, now = new Date()): Promise<number> {
  return storeGrant(db, 'break-glass', grant, now);
}

/**
 * Stores a correction grant and its `correction.grant` audit event in one transaction.
 * The caller checks that the staff member may ask for one on this client. Returns the
 * grant's id.
 */
export function grantCorrection(db: WebDatabase, grant: GrantRequest, now = new Date()): Promise<number> {
  return storeGrant(db, 'correction', grant, now);
}

async function storeGrant(db: WebDatabase, kind: ClientGrantKind, grant: GrantRequest, now: Date): Promise<number> {
  const expiresAt = new Date(now.getTime() + grant.minutes * 60_000);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('break_glass_grants')
      .values({ staff_id: grant.staffId, client_id: grant.clientId, kind, reason: grant.reason, granted_at: now, expires_at: expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      actor: `staff:${grant.staffId}`,
      action: kind === 'correction' ? 'correction.grant' : 'break-glass.grant',
      entity: 'client',
      entityId: grant.clientId,
      clientId: grant.clientId,
      after: { grantId: row.id, grantedAt: now.toISOString(), expiresAt: expiresAt.toISOString() },
      reason: grant.reason,
    });
    return row.id;
  });
}

export interface BreakGlassReviewRow {
  id: number;
  kind: ClientGrantKind;
  staffName: string;
  clientId: number;
  clientRef: string;
  reason: string;
  grantedAt: Date;
  expiresAt: Date;
}

/**
 * Lists the newest grants of both kinds to clients of the given teams, newest first.
 * NOTE: a grant to a client without a team appears on no team leader's list; only the
 * audit trail shows it.
 */
export async function listBreakGlassGrantsForTeams(db: WebDatabase, organisationId: number, teamIds: number[], limit: number): Promise<BreakGlassReviewRow[]> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectFrom('break_glass_grants')
    .innerJoin('clients', 'clients.id', 'break_glass_grants.client_id')
    .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
    .innerJoin('staff', 'staff.id', 'break_glass_grants.staff_id')
    .select([
      'break_glass_grants.id',
      'break_glass_grants.kind',
      'staff.display_name',
      'clients.id as client_id',
      'clients.client_ref',
      'break_glass_grants.reason',
      'break_glass_grants.granted_at',
      'break_glass_grants.expires_at',
    ])
    .where('agencies.organisation_id', '=', organisationId)
    .where('clients.team_id', 'in', teamIds)
    .orderBy('break_glass_grants.granted_at', 'desc')
    .orderBy('break_glass_grants.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    staffName: row.display_name,
    clientId: row.client_id,
    clientRef: row.client_ref,
    reason: row.reason,
    grantedAt: new Date(row.granted_at),
    expiresAt: new Date(row.expires_at),
  }));
}
