import type { SignedInStaff } from '../accounts/sessions.js';
import { findAccessibleClient } from './access.js';
import type { WebDatabase } from './tables.js';

/** Finds an episode whose client the staff member may open, with that client's id. */
export async function findAccessibleEpisode(db: WebDatabase, staff: SignedInStaff, episodeId: number) {
  if (!Number.isSafeInteger(episodeId)) return undefined;
  const episode = await db.selectFrom('episodes').selectAll().where('id', '=', episodeId).executeTakeFirst();
  if (!episode) return undefined;
  const client = await findAccessibleClient(db, staff, episode.client_id);
  return client ? episode : undefined;
}
