import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Selectable } from 'kysely';
import type { EpisodeTable } from '../../db/schema.js';
import { decideClientAccess } from '../data/access.js';
import type { AccessibleClient, AccessMode, ClientAccess } from '../data/access.js';
import type { ClientVersion } from '../data/client-record-cache.js';
import { decideEpisodeAccess } from '../data/episode-access.js';
import { staffOf } from '../request-context.js';
import { hasPermission } from '../security/permissions.js';
import { renderBreakGlassForm } from './break-glass.js';
import { renderCorrectionForm } from './correction-grants.js';
import type { RouteContext } from './route-context.js';

/**
 * Loads a client for a page in the mode, or sends the refusal and returns undefined.
 * Callers return `reply` when this returns undefined.
 */
export async function openClient(context: RouteContext, request: FastifyRequest, reply: FastifyReply, clientId: number, mode: AccessMode): Promise<AccessibleClient | undefined> {
  const access = await decideClientAccess(context.db, staffOf(request), clientId, mode);
  if (access.outcome === 'granted') {
    noteCorrectionGrant(request, access);
    return access.client;
  }
  await rejectClientAccess(context, request, reply, access);
  return undefined;
}

/** Loads an episode by its client's access, or sends the refusal and returns undefined. */
export async function openEpisode(context: RouteContext, request: FastifyRequest, reply: FastifyReply, episodeId: number, mode: AccessMode): Promise<Selectable<EpisodeTable> | undefined> {
  return (await openEpisodeWithVersion(context, request, reply, episodeId, mode))?.episode;
}

/** Like `openEpisode`, and also returns the version of the client's rows read with the episode. */
export async function openEpisodeWithVersion(
  context: RouteContext,
  request: FastifyRequest,
  reply: FastifyReply,
  episodeId: number,
  mode: AccessMode,
): Promise<{ episode: Selectable<EpisodeTable>; clientVersion: ClientVersion } | undefined> {
  const access = await decideEpisodeAccess(context.db, staffOf(request), episodeId, mode);
  if (access.outcome === 'granted') {
    noteCorrectionGrant(request, access.access);
    return { episode: access.episode, clientVersion: access.clientVersion };
  }
  await rejectClientAccess(context, request, reply, access);
  return undefined;
}

/** Keeps the correction grant a client was opened under, for the audit events of the request's changes. */
function noteCorrectionGrant(request: FastifyRequest, access: Extract<ClientAccess, { outcome: 'granted' }>): void {
  request.correctionGrantId = access.via === 'correction' ? access.grantId : null;
}

/**
 * Sends the page for a refused client. Data officers who may view the client but not
 * change it get the correction grant form, and staff who may break glass the break-glass
 * form. Other staff who may view the client get a read-only notice, and the rest "Page not
 * found".
 */
async function rejectClientAccess(context: RouteContext, request: FastifyRequest, reply: FastifyReply, access: Exclude<ClientAccess, { outcome: 'granted' }>): Promise<void> {
  if (access.outcome === 'not-found') {
    reply.callNotFound();
    return;
  }
  const staff = staffOf(request);
  request.log.info({ staffId: staff.id, clientId: access.clientId, route: request.routeOptions.url }, 'client outside scope');
  if (access.viewable && hasPermission(staff.roles, 'record:correct')) {
    // The form leads back to the page asked for once the grant is given.
    await renderCorrectionForm(context, request, reply, access.clientId, { reason: '', next: request.url.split('?')[0] ?? '' });
    return;
  }
  if (hasPermission(staff.roles, 'break-glass:use')) {
    await renderBreakGlassForm(context, request, reply, access.clientId, { reason: '' });
    return;
  }
  if (access.viewable) {
    await reply.code(403).view('message.njk', {
      pageTitle: 'You can view this client but not change it',
      heading: 'You can view this client but not change it',
      body: 'Your roles let you read this client’s record. Ask someone in the client’s team to make the change.',
    }, request);
    return;
  }
  reply.callNotFound();
}
