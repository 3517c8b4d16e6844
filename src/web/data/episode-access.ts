import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { EpisodeTable } from '../../db/schema.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import { decideAccessToRow } from './access.js';
import { clientVersionColumns } from './client-record-cache.js';
import type { ClientVersion } from './client-record-cache.js';
import type { AccessMode, ClientAccess, ClientAccessRow } from './access.js';
import type { WebDatabase } from './tables.js';

/** The outcome of asking for an episode: its client's access, with the episode and the client's version when granted. */
export type EpisodeAccess =
  | Exclude<ClientAccess, { outcome: 'granted' }>
  | { outcome: 'granted'; episode: Selectable<EpisodeTable>; clientVersion: ClientVersion; access: Extract<ClientAccess, { outcome: 'granted' }> };

/**
 * Decides access to an episode by its client's access in the mode. The episode, the
 * columns of its client that decide access and the client's version come in one query,
 * because each query to PostgreSQL costs a round trip that a save pays on top of its own work.
 */
export async function decideEpisodeAccess(db: WebDatabase, staff: SignedInStaff, episodeId: number, mode: AccessMode): Promise<EpisodeAccess> {
  if (!Number.isSafeInteger(episodeId)) return { outcome: 'not-found' };
  const row = await db
    .selectFrom('episodes')
    .innerJoin('clients', 'clients.id', 'episodes.client_id')
    .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
    .selectAll('episodes')
    .select(sql<ClientAccessRow>`json_build_object('id', clients.id, 'agency_id', clients.agency_id, 'team_id', clients.team_id, 'version', clients.version, 'organisation_id', agencies.organisation_id)`.as('client_access'))
    .select([clientVersionColumns.stamp.as('client_stamp'), clientVersionColumns.writerXid.as('client_writer_xid')])
    .where('episodes.id', '=', episodeId)
    .executeTakeFirst();
  if (!row) return { outcome: 'not-found' };
  const { client_access: clientRow, client_stamp: stamp, client_writer_xid: writerXid, ...episode } = row;
  const access = await decideAccessToRow(db, staff, clientRow, mode);
  return access.outcome === 'granted' ? { outcome: 'granted', episode, clientVersion: { stamp, writerXid }, access } : access;
}

/** Finds an episode whose client the staff member may open in the mode. */
export async function findAccessibleEpisode(db: WebDatabase, staff: SignedInStaff, episodeId: number, mode: AccessMode): Promise<Selectable<EpisodeTable> | undefined> {
  const access = await decideEpisodeAccess(db, staff, episodeId, mode);
  return access.outcome === 'granted' ? access.episode : undefined;
}
