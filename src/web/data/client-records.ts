import type { Selectable } from 'kysely';
import { numberFromNumeric } from '../../db/database.js';
import type { ClientRow, EpisodeRow, InterventionRow, ReviewRow, AgencyTable } from '../../db/schema.js';
import type { Client, Episode, Intervention, SubInterventionReview } from '../../domain/model.js';
import type { PlainDate } from '../../domain/plain-date.js';
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

/** Converts database rows to the domain model the rules run on. */
export function toDomainClient(record: ClientRecord, deliveredOrder: (codes: string[]) => string[]): Client {
  return {
    agency: record.agencyCode,
    clientId: record.client_ref,
    firstInitial: record.first_initial ?? undefined,
    surnameInitial: record.surname_initial ?? undefined,
    dateOfBirth: record.date_of_birth ?? undefined,
    sex: record.sex ?? undefined,
    consent: record.consent ?? undefined,
    episodes: record.episodes.map((episode) => toDomainEpisode(episode, deliveredOrder)),
  };
}

function toDomainEpisode(episode: EpisodeRecord, deliveredOrder: (codes: string[]) => string[]): Episode {
  return {
    episodeId: episode.episode_ref,
    referralDate: episode.referral_date,
    triageDate: episode.triage_date,
    dischargeDate: episode.discharge_date ?? undefined,
    dischargeReason: episode.discharge_reason ?? undefined,
    interventions: episode.interventions.map(toDomainIntervention),
    reviews: episode.reviews.map((review) => toDomainReview(review, deliveredOrder)),
  };
}

function toDomainIntervention(row: InterventionRow): Intervention {
  return {
    interventionId: row.intervention_ref,
    interventionType: row.intervention_type,
    setting: row.setting,
    referralDate: row.referral_date,
    firstAppointmentOfferedDate: row.first_appointment_offered_date ?? undefined,
    startDate: row.start_date ?? undefined,
    endDate: row.end_date ?? undefined,
    exitStatus: row.exit_status ?? undefined,
  };
}

export function toDomainReview(review: ReviewRecord, deliveredOrder: (codes: string[]) => string[]): SubInterventionReview {
  return {
    reviewId: review.review_ref,
    reviewDate: review.review_date as PlainDate,
    delivered: deliveredOrder(review.items),
    methadoneDose: numberFromNumeric(review.methadone_dose),
    buprenorphineDose: numberFromNumeric(review.buprenorphine_dose),
    ostSupervision: review.ost_supervision ?? undefined,
    relapsePreventionPrescribing: review.relapse_prevention_prescribing ?? undefined,
  };
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
