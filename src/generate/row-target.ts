import type { Client } from '../domain/model.js';

/**
 * Counts the rows a client takes in a CDS-Q file: one per intervention and one per SIR,
 * one for an episode with neither, and a single row for a client who has not consented.
 */
export function countRows(client: Client): number {
  if (client.episodes.length === 0) return 1;
  return client.episodes.reduce((rows, episode) => rows + Math.max(1, episode.interventions.length + episode.reviews.length), 0);
}

/** Passes clients on until together they fill at least `rows` rows of a file. */
export function* takeRows(clients: Iterable<Client>, rows: number): Generator<Client> {
  let written = 0;
  for (const client of clients) {
    if (written >= rows) return;
    written += countRows(client);
    yield client;
  }
}
