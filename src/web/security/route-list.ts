import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { pino } from 'pino';
import type { Database } from '../../db/schema.js';
import { buildServer } from '../server.js';
import type { RegisteredRoute } from '../server.js';

/**
 * Builds the web app without a database and returns the routes it registers, in
 * registration order. Kysely's DummyDriver compiles queries but never runs them, which is
 * enough because building the app runs no query.
 */
export async function listRegisteredRoutes(): Promise<RegisteredRoute[]> {
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const app = await buildServer({ db, logger: pino({ level: 'silent' }), setupToken: 'route-list' });
  await app.ready();
  const routes = [...app.registeredRoutes];
  await app.close();
  return routes;
}
