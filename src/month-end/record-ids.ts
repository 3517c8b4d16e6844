import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Entity } from '../domain/model.js';

/** Internal ids of one record: its own, its client's and, below the client, its episode's. */
export interface RecordIds {
  id: number;
  clientId: number;
  episodeId?: number;
}

export function recordLookupKey(entity: Entity, ref: string): string {
  return `${entity}:${ref}`;
}

// PostgreSQL limits a statement to 65535 parameters, so long lists are read in slices.
const refsPerQuery = 1000;

/**
 * Finds the internal ids of records named by reference within one agency, keyed by
 * `recordLookupKey`. References are unique within an agency, so each names one record.
 * A reference with no record (deleted since the check) is missing from the result.
 */
export async function findRecordIds(db: Kysely<Database>, agencyId: number, records: { entity: Entity; ref: string }[]): Promise<Map<string, RecordIds>> {
  const found = new Map<string, RecordIds>();
  const byEntity = new Map<Entity, Set<string>>();
  for (const record of records) byEntity.set(record.entity, (byEntity.get(record.entity) ?? new Set()).add(record.ref));

  for (const [entity, refSet] of byEntity) {
    const refs = [...refSet];
    for (let start = 0; start < refs.length; start += refsPerQuery) {
      for (const row of await readSlice(db, agencyId, entity, refs.slice(start, start + refsPerQuery))) {
        const { ref, ...ids } = row;
        found.set(recordLookupKey(entity, ref), ids.episodeId === undefined ? { id: ids.id, clientId: ids.clientId } : ids);
      }
    }
  }
  return found;
}

type IdRow = { ref: string; id: number; clientId: number; episodeId?: number };

async function readSlice(db: Kysely<Database>, agencyId: number, entity: Entity, refs: string[]): Promise<IdRow[]> {
  switch (entity) {
    case 'client':
      return db.selectFrom('clients').select(['client_ref as ref', 'id', 'id as clientId']).where('agency_id', '=', agencyId).where('client_ref', 'in', refs).execute();
    case 'episode':
      return db.selectFrom('episodes').select(['episode_ref as ref', 'id', 'client_id as clientId', 'id as episodeId']).where('agency_id', '=', agencyId).where('episode_ref', 'in', refs).execute();
    case 'intervention':
      return db
        .selectFrom('interventions as i')
        .innerJoin('episodes as e', 'e.id', 'i.episode_id')
        .select(['i.intervention_ref as ref', 'i.id', 'e.client_id as clientId', 'e.id as episodeId'])
        .where('i.agency_id', '=', agencyId)
        .where('i.intervention_ref', 'in', refs)
        .execute();
    case 'review':
      return db
        .selectFrom('reviews as r')
        .innerJoin('episodes as e', 'e.id', 'r.episode_id')
        .select(['r.review_ref as ref', 'r.id', 'e.client_id as clientId', 'e.id as episodeId'])
        .where('r.agency_id', '=', agencyId)
        .where('r.review_ref', 'in', refs)
        .execute();
  }
}
