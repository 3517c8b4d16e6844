import type { FastifyRequest } from 'fastify';
import { recordAuditEvent, staffActor } from '../../db/audit.js';
import { staffOf } from '../request-context.js';
import type { WebDatabase } from './tables.js';

/** Formats the audit actor of the signed-in staff member. */
export function actorOf(request: FastifyRequest): string {
  return staffActor(staffOf(request).id);
}

/**
 * Returns the audit reason of a change the request makes: the change's own reason, with
 * the correction grant's id added when `openClient` or `openEpisode` opened the client
 * through one. Undefined when there is neither.
 */
export function changeReasonOf(request: FastifyRequest, reason?: string): string | undefined {
  if (request.correctionGrantId === null) return reason;
  const grant = `Made under correction grant ${request.correctionGrantId}`;
  return reason === undefined ? grant : `${reason}. ${grant}`;
}

/**
 * Records that the signed-in staff member opened a page showing part of a client's record,
 * as `<entity>.view` with the route pattern as the page. Call it before rendering, so a
 * failed audit write shows an error page instead of the record.
 */
export async function recordRecordView(db: WebDatabase, request: FastifyRequest, viewed: { entity: 'client' | 'episode' | 'intervention' | 'review'; id: number; clientId: number }): Promise<void> {
  await recordAuditEvent(db, {
    actor: actorOf(request),
    action: `${viewed.entity}.view`,
    entity: viewed.entity,
    entityId: viewed.id,
    clientId: viewed.clientId,
    after: { page: request.routeOptions.url ?? request.url.split('?')[0] },
  });
}
