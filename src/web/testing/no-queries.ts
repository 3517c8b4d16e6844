import type { WebDatabase } from '../data/tables.js';

/** A database handle that fails any query, for tests that show a value came from memory. */
export const noQueries = new Proxy({}, {
  get() {
    throw new Error('a query ran where none was expected');
  },
}) as WebDatabase;
