import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import { clientFromRow, episodeFromRow, interventionFromRow, reviewFromRow } from '../../db/client-rows.js';
import type { ClientRow, EpisodeRow, InterventionRow, ReviewRow, AgencyTable } from '../../db/schema.js';
import type { Client } from '../../domain/model.js';
import type { WebDatabase } from './tables.js';

/** A review row with the codes of its delivered sub-interventions, in code order. */
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
 * Loads clients with all their episodes, interventions, reviews and review items in one
 * query, whatever the number of clients. PostgreSQL nests each client's rows as JSON, so the
 * page pays for one round trip and one parse, not five queries and the grouping in
 * JavaScript. Episodes, interventions and reviews come in date order.
 */
export async function loadClientRecords(db: WebDatabase, clientIds: number[]): Promise<ClientRecord[]> {
  if (clientIds.length === 0) return [];
  return clientRecordQuery(db, clientIds).execute();
}

/** Builds the query behind `loadClientRecords`, for callers that select more of each client. */
export function clientRecordQuery(db: WebDatabase, clientIds: number[]) {
  return db
    .selectFrom('clients')
    .innerJoin('agencies', 'agencies.id', 'clients.agency_id')
    .selectAll('clients')
    .select('agencies.code as agencyCode')
    .select(episodesJson.as('episodes'))
    .where('clients.id', 'in', clientIds);
}

// Row values keep the types the plain queries read: dates are `YYYY-MM-DD` text in JSON too,
// and the two numeric doses are cast to text, because JSON would turn 60.0 into the number 60.
// `to_jsonb(row)` carries every column, so a column added later reaches the pages unasked.
const reviewsJson = sql<ReviewRecord[]>`coalesce((
  select jsonb_agg(to_jsonb(r) || jsonb_build_object(
      'methadone_dose', r.methadone_dose::text,
      'buprenorphine_dose', r.buprenorphine_dose::text,
      'items', coalesce((select jsonb_agg(ri.sub_intervention_code order by ri.sub_intervention_code) from review_items ri where ri.review_id = r.id), '[]'::jsonb)
    ) order by r.review_date, r.id)
  from reviews r where r.episode_id = e.id
), '[]'::jsonb)`;

const interventionsJson = sql<InterventionRow[]>`coalesce((
  select jsonb_agg(to_jsonb(i) order by i.referral_date, i.id) from interventions i where i.episode_id = e.id
), '[]'::jsonb)`;

const episodesJson = sql<EpisodeRecord[]>`coalesce((
  select jsonb_agg(to_jsonb(e) || jsonb_build_object('interventions', ${interventionsJson}, 'reviews', ${reviewsJson}) order by e.referral_date, e.id)
  from episodes e where e.client_id = clients.id
), '[]'::jsonb)`;

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

export type AgencyRow = Selectable<AgencyTable>;
