import type { Kysely } from 'kysely';
import type { Client } from '../domain/model.js';
import { clientFromRow, compareText, episodeFromRow, interventionFromRow, reviewFromRow } from './client-rows.js';
import type { ClientRow, Database, EpisodeRow, InterventionRow, ReviewRow } from './schema.js';

/** A client as stored, with the version of each record for optimistic locking. */
export interface StoredClient {
  id: number;
  client: Client;
  versions: RecordVersions;
}

/** Versions keyed by each record's stable identifier (CLIENTID, EPISODID, MODID, SUBMID). */
export interface RecordVersions {
  client: number;
  episodes: Record<string, number>;
  interventions: Record<string, number>;
  reviews: Record<string, number>;
}

/** A client's rows exactly as read, before conversion to the domain model. */
export interface ClientRecords {
  client: ClientRow;
  episodes: EpisodeRow[];
  interventions: InterventionRow[];
  reviews: ReviewRow[];
  /** Delivered sub-intervention codes by review id. */
  items: Map<number, string[]>;
}

/** Reads the episodes, interventions, reviews and items of the given clients with one query per table. */
export async function readClientRecords(db: Kysely<Database>, clients: ClientRow[]): Promise<ClientRecords[]> {
  if (clients.length === 0) return [];
  const clientIds = clients.map((client) => client.id);

  const episodes = await db.selectFrom('episodes').selectAll().where('client_id', 'in', clientIds).execute();
  const episodeIds = episodes.map((episode) => episode.id);

  const interventions = episodeIds.length === 0 ? [] : await readInterventions(db, episodeIds);
  const reviews = episodeIds.length === 0 ? [] : await readReviews(db, episodeIds);
  const items = await readItems(db, reviews.map((review) => review.id));

  return groupByClient(clients, episodes, interventions, reviews, items);
}

async function readInterventions(db: Kysely<Database>, episodeIds: number[]): Promise<InterventionRow[]> {
  return db.selectFrom('interventions').selectAll().where('episode_id', 'in', episodeIds).execute();
}

async function readReviews(db: Kysely<Database>, episodeIds: number[]): Promise<ReviewRow[]> {
  return db.selectFrom('reviews').selectAll().where('episode_id', 'in', episodeIds).execute();
}

async function readItems(db: Kysely<Database>, reviewIds: number[]): Promise<Map<number, string[]>> {
  const items = new Map<number, string[]>();
  if (reviewIds.length === 0) return items;
  const rows = await db.selectFrom('review_items').select(['review_id', 'sub_intervention_code']).where('review_id', 'in', reviewIds).execute();
  for (const row of rows) {
    const codes = items.get(row.review_id) ?? [];
    codes.push(row.sub_intervention_code);
    items.set(row.review_id, codes);
  }
  return items;
}

function groupByClient(
  clients: ClientRow[],
  episodes: EpisodeRow[],
  interventions: InterventionRow[],
  reviews: ReviewRow[],
  items: Map<number, string[]>,
): ClientRecords[] {
  const byClient = new Map<number, ClientRecords>();
  for (const client of clients) byClient.set(client.id, { client, episodes: [], interventions: [], reviews: [], items: new Map() });

  const clientOfEpisode = new Map<number, ClientRecords>();
  for (const episode of episodes) {
    const records = byClient.get(episode.client_id);
    if (!records) continue;
    records.episodes.push(episode);
    clientOfEpisode.set(episode.id, records);
  }
  for (const intervention of interventions) clientOfEpisode.get(intervention.episode_id)?.interventions.push(intervention);
  for (const review of reviews) {
    const records = clientOfEpisode.get(review.episode_id);
    if (!records) continue;
    records.reviews.push(review);
    records.items.set(review.id, items.get(review.id) ?? []);
  }
  return clients.map((client) => byClient.get(client.id) as ClientRecords);
}

/**
 * Builds the domain client from its rows. Episodes, interventions and reviews are put in
 * date order, ties broken by identifier, so the same data always gives the same model.
 */
export function storedClientFrom(records: ClientRecords, agencyCode: string): StoredClient {
  const versions: RecordVersions = { client: records.client.version, episodes: {}, interventions: {}, reviews: {} };

  const episodes = [...records.episodes].sort((a, b) => compareText(a.referral_date, b.referral_date) || compareText(a.episode_ref, b.episode_ref));
  const domainEpisodes = episodes.map((episode) => {
    versions.episodes[episode.episode_ref] = episode.version;
    const interventions = records.interventions
      .filter((intervention) => intervention.episode_id === episode.id)
      .sort((a, b) => compareText(a.referral_date, b.referral_date) || compareText(a.intervention_ref, b.intervention_ref))
      .map((intervention) => {
        versions.interventions[intervention.intervention_ref] = intervention.version;
        return interventionFromRow(intervention);
      });
    const reviews = records.reviews
      .filter((review) => review.episode_id === episode.id)
      .sort((a, b) => compareText(a.review_date, b.review_date) || compareText(a.review_ref, b.review_ref))
      .map((review) => {
        versions.reviews[review.review_ref] = review.version;
        return reviewFromRow(review, records.items.get(review.id) ?? []);
      });
    return episodeFromRow(episode, interventions, reviews);
  });

  return { id: records.client.id, client: clientFromRow(records.client, agencyCode, domainEpisodes), versions };
}
