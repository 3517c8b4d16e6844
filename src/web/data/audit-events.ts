import type { FastifyRequest } from 'fastify';
import { recordAuditEvent, staffActor } from '../../db/audit.js';
import { staffOf } from '../request-context.js';
import type { WebDatabase } from './tables.js';

/** Formats the audit actor of the signed-in staff member. */
export function actorOf(request: FastifyRequest): string {
  return staffActor(staffOf(request).id);
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
