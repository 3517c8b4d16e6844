import type { Selectable } from 'kysely';
import { clientFromRow, episodeFromRow, interventionFromRow, reviewFromRow } from '../../db/client-rows.js';
import type { ClientRow, EpisodeRow, InterventionRow, ReviewRow, AgencyTable } from '../../db/schema.js';
import type { Client } from '../../domain/model.js';
import type { WebDatabase } from './tables.js';

/** A review row with the codes of its delivered sub-interventions. */
export interface ReviewRecord extends ReviewRow {
  items: string[];
}

export interface EpisodeRecord extends EpisodeRow {
  interventions: InterventionRow[];
  reviews: ReviewRecord[];
}

/** One client's rows from the database, with ids the pages link by. */
export interface ClientRecord extends ClientRow {
  agencyCode: string;
  episodes: EpisodeRecord[];
}

/**
 * Loads clients with all their episodes, interventions, reviews and review items, in five
 * queries whatever the number of clients. Episodes, interventions and reviews come in date order.
 */
export async function loadClientRecords(db: WebDatabase, clientIds: number[]): Promise<ClientRecord[]> {
  if (clientIds.length === 0) return [];
  const clients = await db
    .selectFrom('clients')
    .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
    .selectAll('clients')
    .select('agencies.code as agencyCode')
    .where('clients.id', 'in', clientIds)
    .execute();
  const episodes = await db.selectFrom('episodes').selectAll().where('client_id', 'in', clientIds).orderBy('referral_date').orderBy('id').execute();
  const episodeIds = episodes.map((episode) => episode.id);
  const interventions = episodeIds.length === 0 ? [] : await db.selectFrom('interventions').selectAll().where('episode_id', 'in', episodeIds).orderBy('referral_date').orderBy('id').execute();
  const reviews = episodeIds.length === 0 ? [] : await db.selectFrom('reviews').selectAll().where('episode_id', 'in', episodeIds).orderBy('review_date').orderBy('id').execute();
  const reviewIds = reviews.map((review) => review.id);
  const items = reviewIds.length === 0 ? [] : await db.selectFrom('review_items').selectAll().where('review_id', 'in', reviewIds).execute();

  const itemsByReview = groupBy(items, (item) => item.review_id);
  const reviewsByEpisode = groupBy(
    reviews.map((review): ReviewRecord => ({ ...review, items: (itemsByReview.get(review.id) ?? []).map((item) => item.sub_intervention_code) })),
    (review) => review.episode_id,
  );
  const interventionsByEpisode = groupBy(interventions, (intervention) => intervention.episode_id);
  const episodesByClient = groupBy(
    episodes.map((episode): EpisodeRecord => ({ ...episode, interventions: interventionsByEpisode.get(episode.id) ?? [], reviews: reviewsByEpisode.get(episode.id) ?? [] })),
    (episode) => episode.client_id,
  );
  return clients.map((client) => ({ ...client, episodes: episodesByClient.get(client.id) ?? [] }));
}

export async function loadClientRecord(db: WebDatabase, clientId: number): Promise<ClientRecord | undefined> {
  const [record] = await loadClientRecords(db, [clientId]);
  return record;
}

/** Converts database rows to the domain model the rules run on, with the same conversions the import and export use. */
export function toDomainClient(record: ClientRecord): Client {
  const episodes = record.episodes.map((episode) =>
    episodeFromRow(
      episode,
      episode.interventions.map(interventionFromRow),
      episode.reviews.map((review) => reviewFromRow(review, review.items)),
    ),
  );
  return clientFromRow(record, record.agencyCode, episodes);
}

function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export type AgencyRow = Selectable<AgencyTable>;
