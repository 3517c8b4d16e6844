import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Adds a kind to the grants in `break_glass_grants`. A `break-glass` grant opens a client
 * outside the staff member's scope, and a `correction` grant lets a data officer change a
 * client of their agencies to put right a month-end finding. Both share one table, so team
 * leaders review them on one list. Existing rows are break-glass grants.
 */
export const correctionGrants: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('break_glass_grants')
      .addColumn('kind', 'text', (column) => column.notNull().defaultTo('break-glass'))
      .execute();
    await db.schema
      .alterTable('break_glass_grants')
      .addCheckConstraint('break_glass_grants_kind', sql`kind in ('break-glass', 'correction')`)
      .execute();
  },
};
