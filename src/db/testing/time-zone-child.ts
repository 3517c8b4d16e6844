import { readFile } from 'node:fs/promises';
import { ensureAgency } from '../agencies-repository.js';
import { loadClient, saveClient } from '../clients-repository.js';
import { openDatabase, type DatabaseOptions } from '../database.js';
import { exportMonth } from './export-helpers.js';
import { sampleClient } from './sample-clients.js';

// Child process of the time-zone test: saves, loads and exports two clients in whatever
// time zone TZ sets, and prints what came back as one JSON line.

const options = JSON.parse(process.env['WAYMARK_CHILD_DATABASE'] ?? '{}') as DatabaseOptions;
const outputPath = process.env['WAYMARK_CHILD_OUTPUT'] ?? '';
const datesOfBirth: Record<string, string> = { SUMMER: '1990-07-15', BST1969: '1969-11-15' };

const database = await openDatabase(options);
try {
  const agency = await ensureAgency(database.db, 'TST01');
  await database.db.transaction().execute(async (trx) => {
    for (const [clientId, dateOfBirth] of Object.entries(datesOfBirth)) await saveClient(trx, agency, sampleClient(clientId, dateOfBirth), { actor: 'test' });
  });

  const loaded: Record<string, unknown> = {};
  for (const clientId of Object.keys(datesOfBirth)) loaded[clientId] = (await loadClient(database.db, agency, clientId))?.client.dateOfBirth;

  await exportMonth(database.db, 'TST01', { year: 2024, month: 3 }, outputPath);
  const file = await readFile(outputPath, 'utf8');
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  process.stdout.write(`${JSON.stringify({ timeZone, loaded, file })}\n`);
} finally {
  await database.close();
}
