import { sql, type Kysely } from 'kysely';
import { cdsQDataset, type Dataset } from '../dataset/index.js';
import type { Client, Episode, Intervention } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { financialYearStart, periodEnd, type ReportingPeriod } from '../domain/reporting-period.js';
import { readClientRecords, storedClientFrom, type ClientRecords, type ExtractionWindow } from './client-loader.js';
import type { AgencyRef } from './clients-repository.js';
import type { ClientRow, Database } from './schema.js';

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
      const { rows, records } = await next;
      if (rows.length === 0) return;
      const lastRef = rows[rows.length - 1]?.client_ref;
      const more = rows.length === batch.batchSize;
      if (more) next = readBatch(batch, lastRef);
      for (const record of records) yield asAtEndOf(storedClientFrom(record, agency.code).client, window.to);
      if (!more) return;
    }
  } finally {
    // A caller that stops early leaves a read in flight, and its failure must not go unhandled.
    next.catch(() => undefined);
  }
}

interface BatchQuery {
  db: Kysely<Database>;
  agency: AgencyRef;
  window: ExtractionWindow;
  batchSize: number;
  noConsentCode: string;
}

/** Reads the clients after `lastRef` in byte order, with their records inside the window. */
async function readBatch({ db, agency, window, batchSize, noConsentCode }: BatchQuery, lastRef: string | undefined): Promise<{ rows: ClientRow[]; records: ClientRecords[] }> {
  let query = db
    .selectFrom('clients as c')
    .selectAll('c')
    .where('c.agency_id', '=', agency.id)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('episodes as e')
            .select('e.id')
            .whereRef('e.client_id', '=', 'c.id')
            .where('e.triage_date', '<=', window.to)
            .where((inner) => inner.or([inner('e.discharge_date', 'is', null), inner('e.discharge_date', '>=', window.from)])),
        ),
        eb.and([eb('c.consent', '=', noConsentCode), eb.not(eb.exists(eb.selectFrom('episodes as e').select('e.id').whereRef('e.client_id', '=', 'c.id')))]),
      ]),
    )
    .orderBy(sql`c.client_ref collate "C"`)
    .limit(batchSize);
  if (lastRef !== undefined) query = query.where(sql<string>`c.client_ref collate "C"`, '>', lastRef);

  const rows = await query.execute();
  return { rows, records: await readClientRecords(db, rows, window) };
}

/** Blanks every date after `end`, with the field that goes with it, so the client reads as it stood on that day. */
export function asAtEndOf(client: Client, end: PlainDate): Client {
  return { ...client, episodes: client.episodes.map((episode) => episodeAsAt(episode, end)) };
}

function episodeAsAt(episode: Episode, end: PlainDate): Episode {
  const dischargedLater = episode.dischargeDate !== undefined && episode.dischargeDate > end;
  return {
    ...episode,
    dischargeDate: dischargedLater ? undefined : episode.dischargeDate,
    dischargeReason: dischargedLater ? undefined : episode.dischargeReason,
    interventions: episode.interventions.map((intervention) => interventionAsAt(intervention, end)),
  };
}

function interventionAsAt(intervention: Intervention, end: PlainDate): Intervention {
  const endedLater = intervention.endDate !== undefined && intervention.endDate > end;
  return {
    ...intervention,
    firstAppointmentOfferedDate: onOrBefore(intervention.firstAppointmentOfferedDate, end),
    startDate: onOrBefore(intervention.startDate, end),
    endDate: endedLater ? undefined : intervention.endDate,
    exitStatus: endedLater ? undefined : intervention.exitStatus,
  };
}

function onOrBefore(date: PlainDate | undefined, end: PlainDate): PlainDate | undefined {
  return date !== undefined && date > end ? undefined : date;
}
