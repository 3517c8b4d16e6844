import type { SignedInStaff } from '../accounts/sessions.js';
import { mayOpenClient } from './access.js';
import type { WebDatabase } from './tables.js';

/**
 * Finds an episode whose client the staff member may open, in one query. The row carries the
 * client's team, keyworker and organisation too, the columns the access check reads.
 */
export async function findAccessibleEpisode(db: WebDatabase, staff: SignedInStaff, episodeId: number) {
  if (!Number.isSafeInteger(episodeId)) return undefined;
  const row = await db
    .selectFrom('episodes')
    .innerJoin('clients', 'clients.id', 'episodes.client_id')
    .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
    .selectAll('episodes')
    .select(['clients.team_id', 'clients.keyworker_id', 'agencies.organisation_id'])
    .where('episodes.id', '=', episodeId)
    .executeTakeFirst();
  return row && mayOpenClient(staff, row) ? row : undefined;
}
