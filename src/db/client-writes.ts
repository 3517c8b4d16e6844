import type { Kysely } from 'kysely';
import type { Client, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import type { ClientRecords, RecordVersions } from './client-loader.js';
import { contentOf, episodeFromRow, episodeValues, interventionFromRow, interventionValues, reviewContent, reviewFromRow, reviewValues } from './client-rows.js';
import { ConflictError, type VersionedEntity } from './conflict-error.js';
import type { Database, EpisodeRow, InterventionRow, ReviewRow } from './schema.js';

/** Database handle, ids and expected versions for updating one stored client. */
export interface SaveContext {
  db: Kysely<Database>;
  agencyId: number;
  clientId: number;
  expected: RecordVersions;
}

/**
 * Inserts the client's new episodes, interventions and reviews and updates the changed
 * ones under optimistic locking. Returns whether anything was written.
 */
export async function saveEpisodes(context: SaveContext, client: Client, stored: ClientRecords): Promise<boolean> {
  const episodes = new Map(stored.episodes.map((row) => [row.episode_ref, row]));
  const interventions = new Map(stored.interventions.map((row) => [row.intervention_ref, row]));
  const reviews = new Map(stored.reviews.map((row) => [row.review_ref, row]));
  let changed = false;

  for (const episode of client.episodes) {
    const { id: episodeId, changed: episodeChanged } = await saveEpisode(context, client, episode, episodes.get(episode.episodeId));
    changed = episodeChanged || changed;
    for (const intervention of episode.interventions) {
      changed = (await saveIntervention(context, client, episodeId, intervention, interventions.get(intervention.interventionId))) || changed;
    }
    for (const review of episode.reviews) {
      changed = (await saveReview(context, client, episodeId, review, reviews.get(review.reviewId), stored.items)) || changed;
    }
  }
  return changed;
}

async function saveEpisode(context: SaveContext, client: Client, episode: Episode, current: EpisodeRow | undefined): Promise<{ id: number; changed: boolean }> {
  const values = episodeValues(episode);
  if (!current) {
    const row = await withIdentifierCheck(client.clientId, () =>
      context.db.insertInto('episodes').values({ agency_id: context.agencyId, client_id: context.clientId, ...values }).returning('id').executeTakeFirstOrThrow(),
    );
    return { id: row.id, changed: true };
  }

  const currentValues = episodeValues(episodeFromRow(current, [], []));
  if (contentOf(values) === contentOf(currentValues)) return { id: current.id, changed: false };

  const expected = context.expected.episodes[episode.episodeId] ?? current.version;
  await updateVersioned(context, 'episodes', 'episode', episode.episodeId, current.id, expected, values);
  return { id: current.id, changed: true };
}

async function saveIntervention(context: SaveContext, client: Client, episodeId: number, intervention: Intervention, current: InterventionRow | undefined): Promise<boolean> {
  const values = { ...interventionValues(intervention), episode_id: episodeId };
  if (!current) {
    await withIdentifierCheck(client.clientId, () => context.db.insertInto('interventions').values({ agency_id: context.agencyId, ...values }).execute());
    return true;
  }

  const currentValues = { ...interventionValues(interventionFromRow(current)), episode_id: current.episode_id };
  if (contentOf(values) === contentOf(currentValues)) return false;

  const expected = context.expected.interventions[intervention.interventionId] ?? current.version;
  await updateVersioned(context, 'interventions', 'intervention', intervention.interventionId, current.id, expected, values);
  return true;
}

async function saveReview(
  context: SaveContext,
  client: Client,
  episodeId: number,
  review: SubInterventionReview,
  current: ReviewRow | undefined,
  items: Map<number, string[]>,
): Promise<boolean> {
  const values = { ...reviewValues(review), episode_id: episodeId };
  if (!current) {
    const row = await withIdentifierCheck(client.clientId, () =>
      context.db.insertInto('reviews').values({ agency_id: context.agencyId, ...values }).returning('id').executeTakeFirstOrThrow(),
    );
    await insertItems(context.db, row.id, review.delivered);
    return true;
  }

  const stored = reviewFromRow(current, items.get(current.id) ?? []);
  if (reviewContent(review) === reviewContent(stored) && current.episode_id === episodeId) return false;

  const expected = context.expected.reviews[review.reviewId] ?? current.version;
  await updateVersioned(context, 'reviews', 'review', review.reviewId, current.id, expected, values);
  await context.db.deleteFrom('review_items').where('review_id', '=', current.id).execute();
  await insertItems(context.db, current.id, review.delivered);
  return true;
}

async function insertItems(db: Kysely<Database>, reviewId: number, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  await db.insertInto('review_items').values(codes.map((code) => ({ review_id: reviewId, sub_intervention_code: code }))).execute();
}

type VersionedTable = 'episodes' | 'interventions' | 'reviews';

async function updateVersioned(
  context: SaveContext,
  table: VersionedTable,
  entity: VersionedEntity,
  ref: string,
  id: number,
  expected: number,
  values: Record<string, unknown>,
): Promise<void> {
  // The table is one of three with the same id and version columns; Kysely cannot type a
  // union of tables, so the update is built on the widest of them.
  const result = await context.db
    .updateTable(table as 'interventions')
    .set({ ...(values as object), version: expected + 1 })
    .where('id', '=', id)
    .where('version', '=', expected)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new ConflictError(entity, ref, expected);
}

/** Turns a unique-key violation into a message naming the identifier and what to do. */
async function withIdentifierCheck<T>(clientRef: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new Error(
        `Client ${clientRef} uses an identifier that another client at this agency already has (${error.constraint ?? 'unique key'}). ` +
          'Each CLIENTID, EPISODID, MODID and SUBMID must belong to one client only: correct the identifier in the source data.',
        { cause: error },
      );
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): error is { code: string; constraint?: string } {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === '23505';
}
