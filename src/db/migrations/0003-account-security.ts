import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Adds what sign-in hardening needs: a count of failed sign-ins and a lock end time per
 * account, the last TOTP time step used (so a code cannot be replayed), a TOTP secret
 * waiting for its first code, and short-lived challenges for the second sign-in step.
 * Only adds columns and a table, so no data is lost.
 */
export const accountSecurity: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('staff')
      .addColumn('failed_sign_ins', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('locked_until', 'timestamptz')
      .addColumn('totp_pending_secret', 'text')
      .addColumn('totp_last_step', 'integer')
      .execute();

    await db.schema
      .createTable('sign_in_challenges')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('staff_id', 'integer', (column) => column.notNull().references('staff.id').onDelete('cascade'))
      .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
      .execute();
    await sql`create index if not exists sign_in_challenges_staff_id_idx on sign_in_challenges (staff_id)`.execute(db);
  },
};
