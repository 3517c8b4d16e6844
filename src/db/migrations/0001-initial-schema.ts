import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Migrations take Kysely<unknown> because they must keep working after the Database
// interface moves on; each one describes the schema as it was at that step.

async function createOrganisationTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('agencies')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('organisation_id', 'integer', (column) => column.notNull().references('organisations.id'))
    .addColumn('code', 'text', (column) => column.notNull().unique())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('agency_id', 'integer', (column) => column.notNull().references('agencies.id'))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .execute();
}

async function createStaffTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('staff')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('organisation_id', 'integer', (column) => column.notNull().references('organisations.id'))
    .addColumn('email', 'text', (column) => column.notNull().unique().check(sql`email = lower(email)`))
    .addColumn('display_name', 'text', (column) => column.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('roles', sql`text[]`, (column) => column.notNull().defaultTo(sql`'{}'`))
    .addColumn('competences', sql`text[]`, (column) => column.notNull().defaultTo(sql`'{}'`))
    .addColumn('registrations', sql`text[]`, (column) => column.notNull().defaultTo(sql`'{}'`))
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('totp_secret', 'text')
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('staff_teams')
    .addColumn('staff_id', 'integer', (column) => column.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (column) => column.notNull().references('teams.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('staff_teams_pkey', ['staff_id', 'team_id'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('staff_id', 'integer', (column) => column.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('sessions_staff_id_idx').on('sessions').column('staff_id').execute();
}

async function createClientTables(db: Kysely<unknown>): Promise<void> {
  // Identity columns are nullable because a client who has not consented is known only
  // by agency, reference and consent.
  await db.schema
    .createTable('clients')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('agency_id', 'integer', (column) => column.notNull().references('agencies.id'))
    .addColumn('client_ref', 'text', (column) => column.notNull())
    .addColumn('first_initial', 'text')
    .addColumn('surname_initial', 'text')
    .addColumn('date_of_birth', 'date')
    .addColumn('sex', 'text')
    .addColumn('consent', 'text')
    .addColumn('team_id', 'integer', (column) => column.references('teams.id'))
    .addColumn('keyworker_id', 'integer', (column) => column.references('staff.id'))
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('clients_agency_ref_key', ['agency_id', 'client_ref'])
    .execute();
  await db.schema.createIndex('clients_team_id_idx').on('clients').column('team_id').execute();
  await db.schema.createIndex('clients_keyworker_id_idx').on('clients').column('keyworker_id').execute();

  await db.schema
    .createTable('episodes')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('agency_id', 'integer', (column) => column.notNull().references('agencies.id'))
    .addColumn('client_id', 'integer', (column) => column.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('episode_ref', 'text', (column) => column.notNull())
    .addColumn('referral_date', 'date', (column) => column.notNull())
    .addColumn('triage_date', 'date', (column) => column.notNull())
    .addColumn('discharge_date', 'date')
    .addColumn('discharge_reason', 'text')
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .addUniqueConstraint('episodes_agency_ref_key', ['agency_id', 'episode_ref'])
    .execute();
  await db.schema.createIndex('episodes_client_id_idx').on('episodes').column('client_id').execute();
}

async function createTreatmentTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('interventions')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('agency_id', 'integer', (column) => column.notNull().references('agencies.id'))
    .addColumn('episode_id', 'integer', (column) => column.notNull().references('episodes.id').onDelete('cascade'))
    .addColumn('intervention_ref', 'text', (column) => column.notNull())
    .addColumn('intervention_type', 'text', (column) => column.notNull())
    .addColumn('setting', 'text', (column) => column.notNull())
    .addColumn('referral_date', 'date', (column) => column.notNull())
    .addColumn('first_appointment_offered_date', 'date')
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addColumn('exit_status', 'text')
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .addUniqueConstraint('interventions_agency_ref_key', ['agency_id', 'intervention_ref'])
    .execute();
  await db.schema.createIndex('interventions_episode_id_idx').on('interventions').column('episode_id').execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('agency_id', 'integer', (column) => column.notNull().references('agencies.id'))
    .addColumn('episode_id', 'integer', (column) => column.notNull().references('episodes.id').onDelete('cascade'))
    .addColumn('review_ref', 'text', (column) => column.notNull())
    .addColumn('review_date', 'date', (column) => column.notNull())
    .addColumn('methadone_dose', sql`numeric(5,1)`)
    .addColumn('buprenorphine_dose', sql`numeric(5,1)`)
    .addColumn('ost_supervision', 'text')
    .addColumn('relapse_prevention_prescribing', 'text')
    .addColumn('delivered_by_staff_id', 'integer', (column) => column.references('staff.id'))
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .addUniqueConstraint('reviews_agency_ref_key', ['agency_id', 'review_ref'])
    .execute();
  await db.schema.createIndex('reviews_episode_id_idx').on('reviews').column('episode_id').execute();

  await db.schema
    .createTable('review_items')
    .addColumn('review_id', 'integer', (column) => column.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('sub_intervention_code', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('review_items_pkey', ['review_id', 'sub_intervention_code'])
    .execute();
}

async function createRecordTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('submissions')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('agency_id', 'integer', (column) => column.notNull().references('agencies.id'))
    .addColumn('period', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('file_name', 'text', (column) => column.notNull())
    .addColumn('sha256', 'text', (column) => column.notNull())
    .addColumn('row_counts', 'jsonb', (column) => column.notNull())
    .addColumn('findings_by_rule', 'jsonb', (column) => column.notNull())
    .addColumn('created_by', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('file', 'bytea', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('submissions_agency_period_idx').on('submissions').columns(['agency_id', 'period']).execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('occurred_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (column) => column.notNull())
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('entity', 'text', (column) => column.notNull())
    .addColumn('entity_id', 'text', (column) => column.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('audit_events_entity_idx').on('audit_events').columns(['entity', 'entity_id']).execute();
}

/** Creates every table of the first release. */
export const initialSchema: Migration = {
  async up(db) {
    await createOrganisationTables(db);
    await createStaffTables(db);
    await createClientTables(db);
    await createTreatmentTables(db);
    await createRecordTables(db);
  },
  // No `down`: migrations never drop data. Undo a release by restoring a backup.
};
