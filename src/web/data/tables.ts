import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** The database handle every route receives. */
export type WebDatabase = Kysely<Database>;
