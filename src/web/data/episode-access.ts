import type { Selectable } from 'kysely';
import type { EpisodeTable } from '../../db/schema.js';
import type { SignedInStaff } from '../accounts/sessions.js';
import { decideClientAccess } from './access.js';
import type { AccessMode, ClientAccess } from './access.js';
import type { WebDatabase } from './tables.js';

/** The outcome of asking for an episode: its client's access, with the episode when granted. */
export type EpisodeAccess = Exclude<ClientAccess, { outcome: 'granted' }> | { outcome: 'granted'; episode: Selectable<EpisodeTable>; access: Extract<ClientAccess, { outcome: 'granted' }> };

/** Decides access to an episode by its client's access in the mode. */
export async function decideEpisodeAccess(db: WebDatabase, staff: SignedInStaff, episodeId: number, mode: AccessMode): Promise<EpisodeAccess> {
  if (!Number.isSafeInteger(episodeId)) return { outcome: 'not-found' };
  const episode = await db.selectFrom('episodes').selectAll().where('id', '=', episodeId).executeTakeFirst();
  if (!episode) return { outcome: 'not-found' };
  const access = await decideClientAccess(db, staff, episode.client_id, mode);
  return access.outcome === 'granted' ? { outcome: 'granted', episode, access } : access;
}

/** Finds an episode whose client the staff member may open in the mode. */
export async function findAccessibleEpisode(db: WebDatabase, staff: SignedInStaff, episodeId: number, mode: AccessMode): Promise<Selectable<EpisodeTable> | undefined> {
  const access = await decideEpisodeAccess(db, staff, episodeId, mode);
  return access.outcome === 'granted' ? access.episode : undefined;
}
