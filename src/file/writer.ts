import { once } from 'node:events';
import { finished, type Writable } from 'node:stream';
import { isSubInterventionField } from '../dataset/index.js';
import type { Dataset, FieldDefinition } from '../dataset/index.js';
import type { Client, Entity } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { csvLine, LineFormat, type RowRecords as LineRecords } from './line-format.js';

export { csvLine, formatDose } from './line-format.js';

/**
 * Returns a client's rows in file order, each value as the file writes it. Rows are
 * grouped per episode in order of referral date: the episode's interventions by referral
 * date, then its SIRs by review date, with ties in identifier order. An episode with no
 * intervention and no SIR is one row of client and episode fields. A client without
 * consent is one row holding only the fields the dataset keeps for them.
 */
export function clientRows(client: Client, dataset: Dataset): string[][] {
  const format = new LineFormat(dataset);
  if (client.consent === dataset.conventions.noConsentCode) return [noConsentCells(client, format)];
  return rowRecordsOf(client).map((records) => format.cellsOf(records));
}

/** The records one row carries, as the month-end explanation of a row needs them. */
export interface RowRecords extends LineRecords {
  /** True on the single row of a client without consent, which keeps only the dataset's no-consent fields. */
  noConsent?: boolean;
}

/** Returns the records behind each of a client's rows, in the order `writeCdsQFile` writes them. */
export function clientRowRecords(client: Client, dataset: Dataset): RowRecords[] {
  if (client.consent === dataset.conventions.noConsentCode) return [{ client, noConsent: true }];
  return rowRecordsOf(client);
}

/** Where a cell's value comes from, for the "why is this value here?" page. */
export type CellSource =
  | { kind: 'field'; entity: Entity; property: string; ref: string; repeated: boolean }
  | { kind: 'sub-intervention'; ref: string; delivered: boolean }
  | { kind: 'no-consent' }
  | { kind: 'not-on-row'; entity: Entity };

/** One line format per dataset, so explaining a row's 90 cells formats the row once. */
const lineFormats = new WeakMap<Dataset, LineFormat>();

/**
 * Returns a cell's value and where it comes from. The value is taken from the same line
 * format the writer uses, so the explanation cannot drift from the file.
 */
export function explainCell(field: FieldDefinition, records: RowRecords, dataset: Dataset): { value: string; source: CellSource } {
  let format = lineFormats.get(dataset);
  if (!format) {
    format = new LineFormat(dataset);
    lineFormats.set(dataset, format);
  }
  const cells = records.noConsent ? noConsentCells(records.client, format) : format.cellsOf(records);
  const value = cells[dataset.header.indexOf(field.name)] ?? '';

  if (records.noConsent && !dataset.conventions.noConsentFields.includes(field.name)) return { value, source: { kind: 'no-consent' } };
  if (isSubInterventionField(field)) {
    if (!records.review) return { value, source: { kind: 'not-on-row', entity: 'review' } };
    return { value, source: { kind: 'sub-intervention', ref: records.review.reviewId, delivered: records.review.delivered.includes(field.subIntervention) } };
  }
  const ref = referenceOf(field.entity, records);
  if (ref === undefined) return { value, source: { kind: 'not-on-row', entity: field.entity } };
  return { value, source: { kind: 'field', entity: field.entity, property: field.property, ref, repeated: field.entity !== rowEntityOf(records) } };
}

/** Returns the entity a row belongs to: its intervention or SIR, else its episode, else its client. */
function rowEntityOf(records: RowRecords): Entity {
  if (records.intervention) return 'intervention';
  if (records.review) return 'review';
  if (records.episode) return 'episode';
  return 'client';
}

/** Returns the identifier of the row's record of an entity, or undefined when the row has none. */
function referenceOf(entity: Entity, records: RowRecords): string | undefined {
  switch (entity) {
    case 'client':
      return records.client.clientId;
    case 'episode':
      return records.episode?.episodeId;
    case 'intervention':
      return records.intervention?.interventionId;
    case 'review':
      return records.review?.reviewId;
  }
}

/**
 * Writes a CDS-Q file: the header, then each client's rows. Every value is quoted, inner
 * quotes doubled, lines end in CRLF, and the text is UTF-8 without a byte-order mark.
 * Rows are gathered into large chunks. Waits whenever `output` is full, and ends `output`
 * when done.
 */
export async function writeCdsQFile(clients: Iterable<Client> | AsyncIterable<Client>, output: Writable, dataset: Dataset): Promise<void> {
  // The format is fixed (all quoted, CRLF), so rows are joined here. csv-stringify took
  // about half the export time in a profile of 5,000 clients.
  const chunks = new ChunkedOutput(output);
  const format = new LineFormat(dataset);
  try {
    chunks.add(csvLine(dataset.header));
    for await (const client of clients) {
      if (client.consent === dataset.conventions.noConsentCode) {
        chunks.add(csvLine(noConsentCells(client, format)));
      } else {
        format.startClient();
        for (const records of rowRecordsOf(client)) chunks.add(format.lineOf(records));
      }
      if (chunks.full) await chunks.flush();
    }
    await chunks.end();
  } catch (error) {
    const failure = chunks.failure ?? error;
    output.destroy(failure instanceof Error ? failure : new Error(String(failure)));
    throw failure;
  }
}

/** Returns the records of each row of a consenting client, in file order. */
function rowRecordsOf(client: Client): LineRecords[] {
  const rows: LineRecords[] = [];
  if (client.episodes.length === 0) rows.push({ client });

  for (const episode of inOrder(client.episodes, (item) => item.referralDate, (item) => item.episodeId)) {
    if (episode.interventions.length === 0 && episode.reviews.length === 0) rows.push({ client, episode });
    for (const intervention of inOrder(episode.interventions, (item) => item.referralDate, (item) => item.interventionId)) {
      rows.push({ client, episode, intervention });
    }
    for (const review of inOrder(episode.reviews, (item) => item.reviewDate, (item) => item.reviewId)) {
      rows.push({ client, episode, review });
    }
  }
  return rows;
}

/** Returns the one row of a client without consent: the kept fields, every other column empty. */
function noConsentCells(client: Client, format: LineFormat): string[] {
  const { header, conventions } = format.dataset;
  const kept = new Set(conventions.noConsentFields);
  return format.cellsOf({ client }).map((value, index) => (kept.has(header[index] as string) ? value : ''));
}

/** Bytes gathered before one write to the output, large enough to keep writes few. */
const chunkBytes = 256 * 1024;

/**
 * Encodes lines into large buffers and writes each full buffer, waiting for 'drain' when the
 * output is full. Writing UTF-8 straight into a buffer avoids building one long string of
 * each chunk, which a profile of a 100,000-client export showed to cost more than formatting
 * the rows.
 */
class ChunkedOutput {
  private chunk = Buffer.allocUnsafe(chunkBytes);
  private used = 0;
  private readonly complete: Buffer[] = [];
  failure: unknown;

  constructor(private readonly output: Writable) {
    // Records an output error that arrives while no write is waiting, so it is still raised.
    output.on('error', (error: unknown) => {
      this.failure ??= error;
    });
  }

  /** True when at least one buffer is complete and waits for `flush()`. */
  get full(): boolean {
    return this.complete.length > 0;
  }

  add(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8, so a line within this bound fits whole.
    const maxBytes = line.length * 3;
    if (this.used + maxBytes > this.chunk.length) {
      this.completeChunk();
      if (maxBytes > this.chunk.length) this.chunk = Buffer.allocUnsafe(maxBytes);
    }
    this.used += this.chunk.write(line, this.used);
  }

  async flush(): Promise<void> {
    this.throwIfFailed();
    for (const chunk of this.complete.splice(0)) {
      if (!this.output.write(chunk)) await once(this.output, 'drain');
    }
  }

  async end(): Promise<void> {
    this.completeChunk();
    await this.flush();
    this.throwIfFailed();
    await new Promise<void>((resolve, reject) => {
      finished(this.output, (error) => (error ? reject(error) : resolve()));
      this.output.end();
    });
  }

  private completeChunk(): void {
    if (this.used === 0) return;
    this.complete.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(chunkBytes);
    this.used = 0;
  }

  private throwIfFailed(): void {
    this.failure ??= this.output.errored ?? undefined;
    if (this.failure !== undefined) throw this.failure;
  }
}

/**
 * Sorts records by date, undated ones last, then by identifier, without changing the input.
 * Returns the input itself when it is in order already, as records read from the database are.
 */
function inOrder<T>(items: readonly T[], dateOf: (item: T) => PlainDate | undefined, idOf: (item: T) => string): readonly T[] {
  const compare = (a: T, b: T): number => compareDates(dateOf(a), dateOf(b)) || compareText(idOf(a), idOf(b));
  for (let index = 1; index < items.length; index++) {
    if (compare(items[index - 1] as T, items[index] as T) > 0) return [...items].sort(compare);
  }
  return items;
}

function compareDates(a: PlainDate | undefined, b: PlainDate | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
