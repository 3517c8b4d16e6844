import { openDatabase } from '../../src/db/database.js';

// Run by the import benchmark as its own process: creates the PGlite data folder named by
// WAYMARK_DATA_DIR (PGlite's initdb, then Waymark's migrations) and closes it, so that the
// memory of this one-off step is measured apart from the import.

const database = await openDatabase();
await database.close();
