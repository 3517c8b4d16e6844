import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { describeEachDatabase, type TestDatabase } from './testing/test-databases.js';

describeEachDatabase('prepared statements', (target) => {
  let database: TestDatabase;

  before(async () => {
    database = await target.create();
  });
  after(async () => {
    await database.dispose();
  });

  void it('prepares texts sent three times', async () => {
    await database.db.connection().execute(async (connection) => {
      const repeated = (value: number) => sql<{ value: number }>`select ${value}::integer as value /* repeated */`.execute(connection);
      const once = sql`select 1 as value /* once */`.execute(connection);
      const long = (value: number) => sql`select ${value}::integer as value /* ${sql.raw('x'.repeat(5000))} */`.execute(connection);

      for (const value of [1, 2]) await repeated(value);
      await once;
      for (const value of [1, 2, 3, 4]) await long(value);
      const beforeThird = await preparedTexts(connection);
      assert.equal(beforeThird.some((text) => text.includes('/* repeated */')), false);

      const results = [];
      for (const value of [3, 4, 5]) results.push((await repeated(value)).rows[0]?.value);
      // A prepared statement still takes each request's parameters.
      assert.deepEqual(results, [3, 4, 5]);
      const prepared = await preparedTexts(connection);
      // PGlite runs in this process, where a round trip costs little, and prepares nothing.
      assert.equal(prepared.filter((text) => text.includes('/* repeated */')).length, database.kind === 'postgres' ? 1 : 0);
      assert.equal(prepared.some((text) => text.includes('/* once */')), false);
      assert.equal(prepared.some((text) => text.includes('xxxxx')), false);
    });
  });

  void it('prepared statement sees a new row', async () => {
    await database.db.connection().execute(async (connection) => {
      const count = async () => (await connection.selectFrom('organisations').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow()).count;
      for (let run = 0; run < 3; run += 1) await count();
      const before = Number(await count());
      await connection.insertInto('organisations').values({ name: 'Prepared organisation' }).execute();
      assert.equal(Number(await count()), before + 1);
    });
  });
});

/** Returns the texts of the statements this code prepared on the connection. */
async function preparedTexts(connection: Kysely<Database>): Promise<string[]> {
  const rows = await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'waymark_%'`.execute(connection);
  return rows.rows.map((row) => row.statement);
}
