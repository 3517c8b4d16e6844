import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface AgencyRecord {
  id: number;
  code: string;
  organisationId: number;
}

export async function findAgency(db: Kysely<Database>, code: string): Promise<AgencyRecord | undefined> {
  const row = await db.selectFrom('agencies').select(['id', 'code', 'organisation_id']).where('code', '=', code).executeTakeFirst();
  return row ? { id: row.id, code: row.code, organisationId: row.organisation_id } : undefined;
}

/**
 * Returns the agency with this NDTMS code, creating it when missing. A new agency joins
 * the first organisation on record, or a new organisation named after the agency when
 * there is none.
 */
export async function ensureAgency(db: Kysely<Database>, code: string): Promise<AgencyRecord & { created: boolean }> {
  const existing = await findAgency(db, code);
  if (existing) return { ...existing, created: false };

  const organisation =
    (await db.selectFrom('organisations').select('id').orderBy('id').executeTakeFirst()) ??
    (await db.insertInto('organisations').values({ name: `Organisation of ${code}` }).returning('id').executeTakeFirstOrThrow());
  const agency = await db
    .insertInto('agencies')
    .values({ organisation_id: organisation.id, code, name: code })
    .returning(['id', 'code', 'organisation_id'])
    .executeTakeFirstOrThrow();
  return { id: agency.id, code: agency.code, organisationId: agency.organisation_id, created: true };
}
