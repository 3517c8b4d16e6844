import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import { listenOnPGlite, listenOnPostgres } from './notices.js';
import { prepareRepeatedQueries } from './prepared-statements.js';
import type { Listen } from './notices.js';
import { SerialisedPGliteDialect } from './serialised-pglite-dialect.js';

/** PostgreSQL type OIDs whose default JavaScript conversion would lose information. */
const DATE_OID = 1082;
const NUMERIC_OID = 1700;

/**
 * PostgreSQL's buffer pool (`shared_buffers`) inside PGlite, which is resident in the Node.js
 * process from start-up. PGlite 0.5.17 sets 128 MB. Opening an existing data folder took
 * about 340 MB of resident memory with 128 MB and about 240 MB with 32 MB (measured in
 * docs/benchmarks.md, "Import"). Pages that leave the pool stay in the operating system's
 * file cache.
 */
const pgliteSharedBuffers = '32MB';

export interface DatabaseOptions {
  /** A PostgreSQL URL. Defaults to `DATABASE_URL`; when neither is set, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data folder, or `memory://` for a throwaway database. Defaults to `WAYMARK_DATA_DIR`, then `./data`. */
  dataDir?: string;
  logger?: Logger;
  /** Largest number of pooled PostgreSQL connections (default 10). */
  maxConnections?: number;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  /** `postgres` for a server, `pglite` for the embedded database. */
  kind: 'postgres' | 'pglite';
  /** Listens for the notices the database's triggers send, such as those on `staffChangeChannel`. */
  listen: Listen;
  close(): Promise<void>;
}

/**
 * Opens the database and brings its schema up to date.
 *
 * PGlite (embedded PostgreSQL) keeps files in a local folder unless a PostgreSQL URL is
 * given. On both, SQL `date` values are read as `YYYY-MM-DD` strings and `numeric` as
 * strings, so no JavaScript Date ever carries a date-only value.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<OpenDatabase> {
  const databaseUrl = options.databaseUrl ?? (options.dataDir === undefined ? process.env['DATABASE_URL'] : undefined);
  const started = Date.now();

  const opened = databaseUrl ? openPostgres(databaseUrl, options.maxConnections ?? 10, options.logger) : await openPGlite(resolveDataDir(options.dataDir));
  const db = new Kysely<Database>({ dialect: opened.dialect });

  try {
    const applied = await migrateToLatest(db);
    options.logger?.info({ kind: opened.kind, migrationsApplied: applied.length, durationMs: Date.now() - started }, 'database opened');
  } catch (error) {
    await db.destroy();
    throw error;
  }

  return { db, kind: opened.kind, listen: opened.listen, close: () => db.destroy() };
}

/**
 * Applies every migration not yet applied and returns their names. Safe to run again:
 * applied migrations are recorded, and PostgreSQL runs them under an advisory lock.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

function resolveDataDir(dataDir: string | undefined): string {
  return dataDir ?? process.env['WAYMARK_DATA_DIR'] ?? './data';
}

function openPostgres(connectionString: string, max: number, logger: Logger | undefined): { dialect: Dialect; kind: 'postgres'; listen: Listen } {
  // Parsers are set on this pool only; pg's global type table stays untouched so other
  // code in the same process keeps its defaults.
  const keepText = (value: string): string => value;
  const pool = new pg.Pool({
    connectionString,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === DATE_OID || oid === NUMERIC_OID) return keepText;
        return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  if (process.env['WAYMARK_PREPARED_STATEMENTS'] !== '0') pool.on('connect', prepareRepeatedQueries);
  return { dialect: new PostgresDialect({ pool }), kind: 'postgres', listen: listenOnPostgres(connectionString, logger) };
}

async function openPGlite(dataDir: string): Promise<{ dialect: Dialect; kind: 'pglite'; listen: Listen }> {
  if (!dataDir.includes('://')) await mkdir(dataDir, { recursive: true });
  const keepText = (value: string): string => value;
  const pglite = new PGlite(dataDir, {
    // Added to PGlite's own start-up settings, which it drops when `startParams` is given.
    // NOTE: those include `-F` (fsync off), so a killed process loses no committed data but
    // a power cut or operating system crash may.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${pgliteSharedBuffers}`],
    parsers: { [DATE_OID]: keepText, [NUMERIC_OID]: keepText },
  });
  await pglite.waitReady;
  return { dialect: new SerialisedPGliteDialect({ pglite }), kind: 'pglite', listen: listenOnPGlite(pglite) };
}

/** Converts a `numeric` column read as text to a number: `'12.5'` gives 12.5, null gives undefined. */
export function numberFromNumeric(text: string | null): number | undefined {
  if (text === null) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`Numeric column contains ${text}, which is not a finite number`);
  return value;
}
