import type { Kysely } from 'kysely';
import type { Client } from '../domain/model.js';
import { clientValues, episodeValues, interventionValues, reviewValues } from './client-rows.js';
import type { Database } from './schema.js';

// PostgreSQL allows 65,535 parameters per statement; reviews have 9 columns, so 4,000 rows
// stay well inside it.
const rowsPerStatement = 4000;

/**
 * Inserts new clients with all their records using a few multi-row statements per table,
 * whatever the number of clients, and returns each client's id by CLIENTID. The caller
 * makes sure none of the clients exists yet.
 */
export async function insertClientTrees(db: Kysely<Database>, agencyId: number, clients: Client[]): Promise<Map<string, number>> {
  const clientIds = new Map<string, number>();
  if (clients.length === 0) return clientIds;
  await rejectTakenIdentifiers(db, agencyId, clients);

  for (const chunk of chunks(clients.map((client) => ({ agency_id: agencyId, ...clientValues(client) })))) {
    const rows = await db.insertInto('clients').values(chunk).returning(['id', 'client_ref']).execute();
    for (const row of rows) clientIds.set(row.client_ref, row.id);
  }

  const episodes = clients.flatMap((client) => client.episodes.map((episode) => ({ agency_id: agencyId, client_id: clientIds.get(client.clientId) as number, ...episodeValues(episode) })));
  const episodeIds = new Map<string, number>();
  for (const chunk of chunks(episodes)) {
    const rows = await db.insertInto('episodes').values(chunk).returning(['id', 'episode_ref']).execute();
    for (const row of rows) episodeIds.set(row.episode_ref, row.id);
  }

  const allEpisodes = clients.flatMap((client) => client.episodes);
  const interventions = allEpisodes.flatMap((episode) =>
    episode.interventions.map((intervention) => ({ agency_id: agencyId, episode_id: episodeIds.get(episode.episodeId) as number, ...interventionValues(intervention) })),
  );
  for (const chunk of chunks(interventions)) await db.insertInto('interventions').values(chunk).execute();

  const reviews = allEpisodes.flatMap((episode) => episode.reviews.map((review) => ({ agency_id: agencyId, episode_id: episodeIds.get(episode.episodeId) as number, ...reviewValues(review) })));
  const reviewIds = new Map<string, number>();
  for (const chunk of chunks(reviews)) {
    const rows = await db.insertInto('reviews').values(chunk).returning(['id', 'review_ref']).execute();
    for (const row of rows) reviewIds.set(row.review_ref, row.id);
  }

  const items = allEpisodes.flatMap((episode) =>
    episode.reviews.flatMap((review) => review.delivered.map((code) => ({ review_id: reviewIds.get(review.reviewId) as number, sub_intervention_code: code }))),
  );
  for (const chunk of chunks(items)) await db.insertInto('review_items').values(chunk).execute();
  return clientIds;
}

/**
 * Raises an error naming the first EPISODID, MODID or SUBMID of the new clients that
 * another client at the agency already has. Checking first, rather than catching the
 * unique-key violation, keeps a PostgreSQL transaction usable and the message exact.
 */
async function rejectTakenIdentifiers(db: Kysely<Database>, agencyId: number, clients: Client[]): Promise<void> {
  const owners = new Map<string, string>();
  const episodes: string[] = [];
  const interventions: string[] = [];
  const reviews: string[] = [];
  for (const client of clients) {
    for (const episode of client.episodes) {
      episodes.push(episode.episodeId);
      owners.set(`EPISODID ${episode.episodeId}`, client.clientId);
      for (const intervention of episode.interventions) {
        interventions.push(intervention.interventionId);
        owners.set(`MODID ${intervention.interventionId}`, client.clientId);
      }
      for (const review of episode.reviews) {
        reviews.push(review.reviewId);
        owners.set(`SUBMID ${review.reviewId}`, client.clientId);
      }
    }
  }

  const taken: string[] = [];
  for (const chunk of chunks(episodes)) {
    const rows = await db.selectFrom('episodes').select('episode_ref').where('agency_id', '=', agencyId).where('episode_ref', 'in', chunk).execute();
    taken.push(...rows.map((row) => `EPISODID ${row.episode_ref}`));
  }
  for (const chunk of chunks(interventions)) {
    const rows = await db.selectFrom('interventions').select('intervention_ref').where('agency_id', '=', agencyId).where('intervention_ref', 'in', chunk).execute();
    taken.push(...rows.map((row) => `MODID ${row.intervention_ref}`));
  }
  for (const chunk of chunks(reviews)) {
    const rows = await db.selectFrom('reviews').select('review_ref').where('agency_id', '=', agencyId).where('review_ref', 'in', chunk).execute();
    taken.push(...rows.map((row) => `SUBMID ${row.review_ref}`));
  }

  const first = taken[0];
  if (first === undefined) return;
  throw new Error(
    `Client ${owners.get(first) ?? '?'} uses an identifier that another client at this agency already has (${first}). ` +
      'Each CLIENTID, EPISODID, MODID and SUBMID must belong to one client only: correct the identifier in the source data.',
  );
}

function chunks<T>(rows: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += rowsPerStatement) result.push(rows.slice(start, start + rowsPerStatement));
  return result;
}
