import assert from 'node:assert/strict';
import { it } from 'node:test';
import { generateClients } from './generate-clients.js';
import { countRows, takeRows } from './row-target.js';

const options = { agency: 'DEMO1', period: '2024-03', seed: 1 } as const;

await it('countRows counts one row per record', () => {
  for (const client of generateClients({ ...options, clients: 200 })) {
    const records = client.episodes.map((episode) => episode.interventions.length + episode.reviews.length);
    const expected = client.episodes.length === 0 ? 1 : records.reduce((sum, count) => sum + Math.max(1, count), 0);
    assert.equal(countRows(client), expected, `client ${client.clientId}`);
  }
});

await it('takeRows stops once the target is reached', () => {
  const taken = [...takeRows(generateClients({ ...options, clients: 10_000 }), 500)];
  const rows = taken.map(countRows).reduce((sum, count) => sum + count, 0);
  const last = taken.at(-1);
  assert.ok(rows >= 500, `only ${rows} rows`);
  assert.ok(last !== undefined);
  assert.ok(rows - countRows(last) < 500, 'one client more than needed was taken');
});

await it('takeRows ends with the clients', () => {
  const taken = [...takeRows(generateClients({ ...options, clients: 3 }), 1_000_000)];
  assert.equal(taken.length, 3);
});
