import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest, numberFromNumeric } from './database.js';
import { describeEachDatabase, type TestDatabase } from './testing/test-databases.js';

const expectedTables = [
  'agencies',
  'audit_events',
  'break_glass_grants',
  'change_counters',
  'clients',
  'episodes',
  'interventions',
  'organisations',
  'review_items',
  'reviews',
  'sessions',
  'sign_in_challenges',
  'staff',
  'staff_teams',
  'submissions',
  'teams',
  'warning_confirmations',
];

describeEachDatabase('openDatabase', (target) => {
  let database: TestDatabase;

  before(async () => {
    database = await target.create();
  });
  after(async () => {
    await database.dispose();
  });

  void it('creates every table on an empty database', async () => {
    const tables = await database.db.introspection.getTables();
    const names = tables.map((table) => table.name).sort();
    assert.deepEqual(names, expectedTables);
  });

  void it('migrates a second time without change', async () => {
    const applied = await migrateToLatest(database.db);
    assert.deepEqual(applied, []);
  });

  if (target.name === 'PGlite') {
    void it('sets the PGlite buffer pool', async () => {
      const result = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(database.db);
      assert.deepEqual(result.rows, [{ shared_buffers: '32MB' }]);
    });

    void it('keeps PGlite start-up settings', async () => {
      const searchPath = await sql<{ search_path: string }>`show search_path`.execute(database.db);
      assert.deepEqual(searchPath.rows, [{ search_path: 'public' }]);
      const exitOnError = await sql<{ exit_on_error: string }>`show exit_on_error`.execute(database.db);
      assert.deepEqual(exitOnError.rows, [{ exit_on_error: 'off' }]);
    });
  }

  void it('keeps data when reopened', async () => {
    await database.db.insertInto('organisations').values({ name: 'Reopen test' }).execute();
    await database.reopen();

    const rows = await database.db.selectFrom('organisations').select('name').where('name', '=', 'Reopen test').execute();
    assert.equal(rows.length, 1);
  });

  void it('reads dates as ISO strings', async () => {
    const result = await sql<{ summer: unknown; winter: unknown }>`select '1990-07-15'::date as summer, '1969-11-15'::date as winter`.execute(database.db);
    assert.equal(result.rows[0]?.summer, '1990-07-15');
    assert.equal(result.rows[0]?.winter, '1969-11-15');
  });

  void it('reads numerics as exact strings', async () => {
    const result = await sql<{ dose: string }>`select 12.5::numeric(5,1) as dose`.execute(database.db);
    assert.equal(result.rows[0]?.dose, '12.5');
    assert.equal(numberFromNumeric(result.rows[0]?.dose ?? null), 12.5);
  });

  void it('round-trips text arrays and JSON', async () => {
    const organisation = await database.db.insertInto('organisations').values({ name: 'Arrays' }).returning('id').executeTakeFirstOrThrow();
    await database.db
      .insertInto('staff')
      .values({ organisation_id: organisation.id, email: 'array.test@demo.invalid', display_name: 'Array Test', roles: ['keyworker', 'prescriber'], competences: [] })
      .execute();
    const staff = await database.db.selectFrom('staff').select(['roles', 'competences']).where('email', '=', 'array.test@demo.invalid').executeTakeFirstOrThrow();
    assert.deepEqual(staff.roles, ['keyworker', 'prescriber']);
    assert.deepEqual(staff.competences, []);

    await database.db.insertInto('audit_events').values({ actor: 'test', action: 'check', entity: 'none', entity_id: '1', after: JSON.stringify([1, 'two']) }).execute();
    const event = await database.db.selectFrom('audit_events').select('after').where('actor', '=', 'test').executeTakeFirstOrThrow();
    assert.deepEqual(event.after, [1, 'two']);
  });

  void it('rejects an upper-case staff email', async () => {
    const organisation = await database.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow();
    await assert.rejects(
      database.db.insertInto('staff').values({ organisation_id: organisation.id, email: 'Upper@demo.invalid', display_name: 'Upper' }).execute(),
    );
  });

  void it('keeps overlapping transactions apart', async () => {
    // Two transactions started together: each must commit only its own row.
    const insertInTransaction = (name: string, fail: boolean) =>
      database.db.transaction().execute(async (trx) => {
        await trx.insertInto('organisations').values({ name }).execute();
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (fail) throw new Error('rolled back on purpose');
      });
    const results = await Promise.allSettled([insertInTransaction('Kept', false), insertInTransaction('Rolled back', true)]);
    assert.equal(results[0]?.status, 'fulfilled');
    assert.equal(results[1]?.status, 'rejected');

    const names = await database.db.selectFrom('organisations').select('name').where('name', 'in', ['Kept', 'Rolled back']).execute();
    assert.deepEqual(names.map((row) => row.name), ['Kept']);
  });
});
