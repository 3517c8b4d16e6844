import type { Kysely } from 'kysely';
import type { AgencyRef } from '../db/clients-repository.js';
import { extractClients } from '../db/extraction.js';
import type { Database } from '../db/schema.js';
import type { Client, Episode } from '../domain/model.js';
import { formatReportingPeriod, type ReportingPeriod } from '../domain/reporting-period.js';
import { periodsEndingWith } from './treatment-activity.js';

/**
 * Loads the clients a report over `months` months ending with `period` needs.
 *
 * One extraction covers a financial year up to its month, so a span that crosses 1 April
 * also reads the March before it. A client found in both keeps the later record, and gains
 * the earlier episodes the later extraction no longer reaches.
 */
export async function loadReportClients(db: Kysely<Database>, agency: AgencyRef, period: ReportingPeriod, months: number): Promise<Client[]> {
  const byClientId = new Map<string, Client>();
  for (const extractionPeriod of extractionPeriods(period, months)) {
    for await (const client of extractClients(db, agency, extractionPeriod)) {
      const earlier = byClientId.get(client.clientId);
      byClientId.set(client.clientId, earlier ? mergeEpisodes(earlier, client) : client);
    }
  }
  return [...byClientId.values()];
}

/** Lists, oldest first, the months whose extraction windows together cover the span. */
export function extractionPeriods(period: ReportingPeriod, months: number): ReportingPeriod[] {
  const ends = new Map<string, ReportingPeriod>();
  for (const month of periodsEndingWith(period, months)) {
    const yearEnd = { year: month.month >= 4 ? month.year + 1 : month.year, month: 3 };
    const end = formatReportingPeriod(yearEnd) < formatReportingPeriod(period) ? yearEnd : period;
    ends.set(formatReportingPeriod(end), end);
  }
  return [...ends.values()];
}

function mergeEpisodes(earlier: Client, later: Client): Client {
  const laterIds = new Set(later.episodes.map((episode) => episode.episodeId));
  const episodes: Episode[] = [...earlier.episodes.filter((episode) => !laterIds.has(episode.episodeId)), ...later.episodes];
  return { ...later, episodes };
}
