import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import pg from 'pg';
import { openDatabase, type DatabaseOptions, type OpenDatabase } from '../database.js';

/**
 * The databases every data-layer test runs on: PGlite always, and PostgreSQL when
 * `WAYMARK_TEST_DATABASE_URL` names an admin connection (for example
 * `postgres://postgres@127.0.0.1:5432/postgres`). Each `create()` makes a new, empty,
 * uniquely named database, so test files can run in parallel.
 */
export interface TestDatabaseTarget {
  name: 'PGlite' | 'PostgreSQL';
  /** Reason this target cannot run here, or undefined when it can. */
  unavailable: string | undefined;
  create(): Promise<TestDatabase>;
}

export interface TestDatabase extends OpenDatabase {
  /** Options that open this same database again, in this process or a child one. */
  options: DatabaseOptions;
  /** Closes any open connection and opens the database again. */
  reopen(): Promise<void>;
  /** Closes the connection and deletes the database. */
  dispose(): Promise<void>;
}

const adminUrl = process.env['WAYMARK_TEST_DATABASE_URL'];
const postgresSkipMessage = 'PostgreSQL half SKIPPED: set WAYMARK_TEST_DATABASE_URL';

export const testDatabaseTargets: TestDatabaseTarget[] = [
  { name: 'PGlite', unavailable: undefined, create: createPGliteDatabase },
  { name: 'PostgreSQL', unavailable: adminUrl ? undefined : postgresSkipMessage, create: createPostgresDatabase },
];

/**
 * Declares a suite once per target. A target that cannot run is reported as a skipped
 * test with a console warning, so a run without PostgreSQL never looks like a full pass.
 */
export function describeEachDatabase(title: string, body: (target: TestDatabaseTarget) => void): void {
  for (const target of testDatabaseTargets) {
    const name = `${title} on ${target.name}`;
    const reason = target.unavailable;
    if (reason !== undefined) {
      void test(name, (t) => {
        console.warn(`WARNING: ${name}: ${reason}`);
        t.skip(reason);
      });
      continue;
    }
    void describe(name, () => body(target));
  }
}

async function createPGliteDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'waymark-test-'));
  const database = new ReopenableDatabase({ dataDir }, () => rm(dataDir, { recursive: true, force: true }));
  await database.reopen();
  return database;
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  if (!adminUrl) throw new Error(postgresSkipMessage);
  const name = `waymark_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await runAdmin(`CREATE DATABASE ${name}`);

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = new ReopenableDatabase({ databaseUrl: url.toString() }, () => runAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  await database.reopen();
  return database;
}

/** A test database that can be closed (for a child process to use it) and opened again. */
class ReopenableDatabase implements TestDatabase {
  private current: OpenDatabase | undefined;

  constructor(
    readonly options: DatabaseOptions,
    private readonly remove: () => Promise<void>,
  ) {}

  get db(): OpenDatabase['db'] {
    if (!this.current) throw new Error('Test database is closed; call reopen() first');
    return this.current.db;
  }

  get listen(): OpenDatabase['listen'] {
    if (!this.current) throw new Error('Test database is closed; call reopen() first');
    return this.current.listen;
  }

  get kind(): OpenDatabase['kind'] {
    return this.options.databaseUrl ? 'postgres' : 'pglite';
  }

  async reopen(): Promise<void> {
    await this.close();
    this.current = await openDatabase(this.options);
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.close();
  }

  async dispose(): Promise<void> {
    await this.close();
    await this.remove();
  }
}

async function runAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
