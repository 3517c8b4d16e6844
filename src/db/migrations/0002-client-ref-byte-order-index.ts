import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Indexes client references in byte order (collation "C") within each agency. Monthly
 * exports list clients in that order, which is the same on every server whatever its
 * locale, and page through them with `client_ref > last`.
 */
export const clientRefByteOrderIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index if not exists clients_agency_ref_c_idx on clients (agency_id, client_ref collate "C")`.execute(db);
  },
};
