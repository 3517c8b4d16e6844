import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Adds break-glass grants: time-limited access by one member of staff to one client
 * outside their scope, with the reason they gave. Rows are kept after they expire, so
 * team leaders can review past access.
 */
export const breakGlass: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('break_glass_grants')
      .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('staff_id', 'integer', (column) => column.notNull().references('staff.id'))
      .addColumn('client_id', 'integer', (column) => column.notNull().references('clients.id'))
      .addColumn('reason', 'text', (column) => column.notNull())
      .addColumn('granted_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
      .addCheckConstraint('break_glass_grants_expiry_after_grant', sql`expires_at > granted_at`)
      .execute();
    // Access checks look up a live grant by staff member and client; reviews list by client.
    await db.schema.createIndex('break_glass_grants_staff_client_idx').on('break_glass_grants').columns(['staff_id', 'client_id', 'expires_at']).execute();
    await db.schema.createIndex('break_glass_grants_client_idx').on('break_glass_grants').columns(['client_id', 'granted_at']).execute();
  },
};
