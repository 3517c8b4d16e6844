import { cdsQDataset, type Dataset } from '../dataset/index.js';
import type { Client } from '../domain/model.js';
import { financialYearStart, periodEnd, type ReportingPeriod } from '../domain/reporting-period.js';
import type { Kysely } from 'kysely';
import type { AgencyRef } from './clients-repository.js';
import { readBatch, type BatchQuery, type ExtractionWindow } from './extract-batch.js';
import type { Database } from './schema.js';

export type { ExtractionWindow } from './extract-batch.js';

/** Returns the extraction window of a reporting month: 1 April of its financial year to the month's last day. */
export function extractionWindow(period: ReportingPeriod): ExtractionWindow {
  return { from: financialYearStart(period), to: periodEnd(period) };
}

export interface ExtractOptions {
  /** Clients read per batch (default 2000): fewer, larger batches mean fewer round trips. */
  batchSize?: number;
  dataset?: Dataset;
}

/**
 * Yields, in client reference order (byte order), every client of the agency with an
 * episode open at any time in the month's extraction window, holding only those episodes
 * and their interventions and reviews dated up to the month's end. Each record is shown as
 * it stood at the end of the month, so a later export of an old month gives the same file.
 *
 * A client without consent and with no episode on record is also yielded: a file import
 * can only tell the service that such a client exists, and dropping them would lose them
 * from the next month's file.
 */
export async function* extractClients(db: Kysely<Database>, agency: AgencyRef, period: ReportingPeriod, options: ExtractOptions = {}): AsyncGenerator<Client> {
  const window = extractionWindow(period);
  const batch: BatchQuery = { db, agency, window, batchSize: options.batchSize ?? 2000, noConsentCode: (options.dataset ?? cdsQDataset).conventions.noConsentCode };

  // The next batch is read while the caller works through this one, because a profile of
  // a large export showed the process idle for nearly half its time, waiting on queries.
  let next = readBatch(batch, undefined);
  try {
    for (;;) {
      const { lastRef, full, clients } = await next;
      if (full) next = readBatch(batch, lastRef);
      yield* clients;
      if (!full) return;
    }
  } finally {
    // A caller that stops early leaves a read in flight, and its failure must not go unhandled.
    next.catch(() => undefined);
  }
}
