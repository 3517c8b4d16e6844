import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Adds the month-end workflow's tables and columns.
 *
 * `warning_confirmations` stores who confirmed a rule warning and when. A confirmation is
 * keyed by agency, rule code and a record key (entity, record reference and field), so it
 * survives a re-check. It also stores a fingerprint of the record's values, and a
 * confirmation whose fingerprint no longer matches the record counts as unconfirmed.
 *
 * `submissions` gains who and when for each step after generation (checked, sent,
 * superseded) and the manifest written with the file. Existing rows keep their data.
 */
export const warningConfirmations: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('warning_confirmations')
      .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
      .addColumn('agency_id', 'integer', (column) => column.notNull().references('agencies.id'))
      .addColumn('rule_code', 'text', (column) => column.notNull())
      .addColumn('record_key', 'text', (column) => column.notNull())
      .addColumn('fingerprint', 'text', (column) => column.notNull())
      .addColumn('confirmed_by', 'text', (column) => column.notNull())
      .addColumn('confirmed_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint('warning_confirmations_key', ['agency_id', 'rule_code', 'record_key'])
      .execute();

    await db.schema
      .alterTable('submissions')
      .addColumn('manifest', 'jsonb')
      .addColumn('checked_by', 'text')
      .addColumn('checked_at', 'timestamptz')
      .addColumn('sent_by', 'text')
      .addColumn('sent_at', 'timestamptz')
      .addColumn('superseded_by', 'text')
      .addColumn('superseded_at', 'timestamptz')
      .execute();
  },
};
