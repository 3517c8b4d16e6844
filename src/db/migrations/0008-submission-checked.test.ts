import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { migrateToLatest } from '../database.js';
import type { Database } from '../schema.js';
import { describeEachDatabase, type TestDatabase } from '../testing/test-databases.js';
import { migrationProvider } from './index.js';

const file = new Uint8Array([0x22, 0x41, 0x22, 0x0d, 0x0a]);
const checkViolation = { code: '23514' };

/** Empties the database and applies the migrations before 0008, giving the schema older releases left behind. */
async function migrateToBefore0008(db: Kysely<Database>): Promise<void> {
  await sql`drop schema public cascade`.execute(db);
  await sql`create schema public`.execute(db);
  const all = await migrationProvider.getMigrations();
  const earlier: Record<string, Migration> = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0008'));
  const { error } = await new Migrator({ db, provider: { getMigrations: () => Promise.resolve(earlier) } }).migrateToLatest();
  if (error) throw error;
}

describeEachDatabase('migration 0008-submission-checked', (target) => {
  let database: TestDatabase;
  let agencyId: number;
  let legacy: { withManifest: number; withoutManifest: number };

  before(async () => {
    database = await target.create();
    const { db } = database;
    await migrateToBefore0008(db);

    const organisation = await db.insertInto('organisations').values({ name: 'Migration test' }).returning('id').executeTakeFirstOrThrow();
    agencyId = (await db.insertInto('agencies').values({ organisation_id: organisation.id, code: 'MIG01', name: 'Migration agency' }).returning('id').executeTakeFirstOrThrow()).id;
    // Rows as the web app stored them before 0008, written with SQL because the current types require the new columns.
    const created = new Date('2024-04-02T09:30:00Z');
    const withManifest = await sql<{ id: number }>`
      insert into submissions (agency_id, period, status, file_name, sha256, row_counts, findings_by_rule, created_by, created_at, file, manifest, checked_by, checked_at)
      values (${agencyId}, '2024-03', 'sent', 'MIG01_202403_CDSQ.csv', 'abc', '{"total": 1}', '{"A9": 2}', 'staff:7', ${created}, ${file}, '{"warnings": 2, "clients": 41}', 'staff:7', ${created})
      returning id
    `.execute(db);
    const withoutManifest = await sql<{ id: number }>`
      insert into submissions (agency_id, period, status, file_name, sha256, row_counts, findings_by_rule, created_by, created_at, file)
      values (${agencyId}, '2024-02', 'superseded', 'MIG01_202402_CDSQ.csv', 'def', '{"total": 1}', '{"A9": 1, "D9": 2}', 'cli', ${created}, ${file})
      returning id
    `.execute(db);
    legacy = { withManifest: withManifest.rows[0]?.id ?? 0, withoutManifest: withoutManifest.rows[0]?.id ?? 0 };

    // Later migrations run too, so only 0008's place in the list is checked.
    const applied = await migrateToLatest(db);
    assert.equal(applied[0], '0008-submission-checked');
  });
  after(async () => {
    await database.dispose();
  });

  const insertRow = (values: { status: 'checked' | 'generated' | 'sent' | 'superseded'; withFile: boolean }) =>
    database.db
      .insertInto('submissions')
      .values({
        agency_id: agencyId,
        period: '2024-04',
        status: values.status,
        file_name: 'MIG01_202404_CDSQ.csv',
        findings_by_rule: '{}',
        check_counts: '{"errors": 0, "warnings": 0, "confirmedWarnings": 0}',
        created_by: 'staff:7',
        checked_by: 'staff:7',
        checked_at: new Date(),
        ...(values.withFile ? { file, sha256: 'abc', row_counts: '{"total": 1}', generated_by: 'staff:7', generated_at: new Date() } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();

  void it('fills generation and check counts from a manifest', async () => {
    const row = await database.db.selectFrom('submissions').selectAll().where('id', '=', legacy.withManifest).executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    assert.equal(row.generated_by, 'staff:7');
    assert.equal(row.generated_at?.toISOString(), '2024-04-02T09:30:00.000Z');
    assert.deepEqual(row.check_counts, { errors: 0, warnings: 2, confirmedWarnings: 2, clients: 41 });
    assert.equal(row.sha256, 'abc');
    assert.deepEqual(Buffer.from(row.file ?? []), Buffer.from(file));
  });

  void it('counts warnings by rule without a manifest', async () => {
    const row = await database.db.selectFrom('submissions').selectAll().where('id', '=', legacy.withoutManifest).executeTakeFirstOrThrow();
    assert.equal(row.status, 'superseded');
    assert.equal(row.generated_by, 'cli');
    assert.deepEqual(row.check_counts, { errors: 0, warnings: 3, confirmedWarnings: 3 });
  });

  void it('stores a checked row without a file', async () => {
    const { id } = await insertRow({ status: 'checked', withFile: false });
    const row = await database.db.selectFrom('submissions').select(['status', 'file', 'sha256', 'row_counts']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'checked', file: null, sha256: null, row_counts: null });
  });

  void it('lets an unused check be superseded', async () => {
    const { id } = await insertRow({ status: 'checked', withFile: false });
    await database.db.updateTable('submissions').set({ status: 'superseded', superseded_by: 'staff:7', superseded_at: new Date() }).where('id', '=', id).execute();
    const row = await database.db.selectFrom('submissions').select(['status', 'file']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'superseded', file: null });
  });

  void it('rejects a generated row without a file', async () => {
    await assert.rejects(insertRow({ status: 'generated', withFile: false }), checkViolation);
    await assert.rejects(insertRow({ status: 'sent', withFile: false }), checkViolation);
  });

  void it('rejects a checked row with a file', async () => {
    await assert.rejects(insertRow({ status: 'checked', withFile: true }), checkViolation);
  });

  void it('rejects a file without its checksum', async () => {
    const { id } = await insertRow({ status: 'generated', withFile: true });
    await assert.rejects(database.db.updateTable('submissions').set({ sha256: null }).where('id', '=', id).execute(), checkViolation);
  });

  void it('rejects an unknown status', async () => {
    await assert.rejects(sql`update submissions set status = 'draft' where id = ${legacy.withManifest}`.execute(database.db), checkViolation);
  });
});
