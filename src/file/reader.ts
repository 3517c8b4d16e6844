import type { Readable } from 'node:stream';
import type { Dataset } from '../dataset/index.js';
import { ClientAssembler } from './client-assembler.js';
import type { ClientRows } from './client-assembler.js';
import { columnLayoutOf } from './column-layout.js';
import type { ColumnLayout } from './column-layout.js';
import { readCsvRecordBatches } from './csv-records.js';
import type { CsvRecord } from './csv-records.js';
import { checkHeader } from './header-check.js';
import { IdentifierOwners } from './identifier-owners.js';
import { parseRow } from './row-parser.js';
import { UnreadableFileError } from './unreadable-file-error.js';

export type { ClientRows } from './client-assembler.js';

export interface ReadOptions {
  dataset: Dataset;
  /** Called as the file is read, with the number of bytes read so far. */
  onProgress?: (bytesRead: number) => void;
  /**
   * Whether to check the rules that compare clients across the file: an EPISODID, MODID or
   * SUBMID reused by another client (D7) and a client whose rows come back after another
   * client's (D12). Default true. These rules keep a table of every identifier in the file,
   * so turn them off only to read again a file that has already been validated.
   */
  checkAcrossClients?: boolean;
}

/**
 * Reads a CDS-Q file as a stream and yields each client once its contiguous rows have
 * been read, with the findings of those rows (D1, D2, A6, D7, D10, D12). Memory holds one
 * client's rows at a time, plus the identifiers seen so far (see `IdentifierOwners`) unless
 * `checkAcrossClients` is false.
 *
 * A header that does not match the dataset yields one item with no client and a D11
 * finding, and the rest of the file is not read.
 *
 * NOTE: a client whose rows come back after another client's (D12) is yielded once per
 * run of rows, so client rules see each run alone and may report records as missing. Throws `UnreadableFileError` when the
 * bytes are not CSV text or the file has no data rows.
 */
export async function* readCdsQFile(input: Readable, options: ReadOptions): AsyncGenerator<ClientRows> {
  const layout = columnLayoutOf(options.dataset);
  const owners = options.checkAcrossClients === false ? undefined : new IdentifierOwners();
  const isHeaderAccepted = (fields: readonly string[]): boolean => checkHeader(fields, options.dataset, 1) === undefined;
  const batches = readCsvRecordBatches(input, { onProgress: options.onProgress, isHeaderAccepted });

  try {
    const first = await batches.next();
    const header = first.done === true ? undefined : first.value[0];
    if (header === undefined) throw new UnreadableFileError('The file is empty. Choose the CDS-Q file again, or export it again from the system that produced it.', 1);

    const headerProblem = checkHeader(header.fields, options.dataset, header.line);
    if (headerProblem) {
      yield { client: undefined, findings: [headerProblem], rowCount: 0 };
      return;
    }

    let current: ClientAssembler | undefined;
    const firstRows = first.done === true ? [] : first.value.slice(1);
    for await (const batch of prepend(firstRows, batches)) {
      for (const record of batch) {
        const clientId = record.fields[layout.clientId] ?? '';
        // Rows with no CLIENTID cannot be grouped, so each becomes a client of its own.
        if (!current || clientId !== current.clientId || clientId === '') {
          if (current) yield current.finish();
          current = new ClientAssembler(layout, owners, clientId);
        }
        addRecord(current, record, layout);
      }
    }

    if (!current) {
      throw new UnreadableFileError('The file has a header row but no data rows after it. Export the file again with its records.', header.line);
    }
    yield current.finish();
  } finally {
    // The parser reads ahead, so it may already have failed on rows after a bad header.
    // Those rows are not checked, and an error from closing never hides one raised above.
    await batches.return(undefined).catch(() => undefined);
  }
}

/** Yields `first`, then every batch of `rest`, so the rows after the header in its batch are read too. */
async function* prepend(first: CsvRecord[], rest: AsyncIterable<CsvRecord[]>): AsyncGenerator<CsvRecord[]> {
  if (first.length > 0) yield first;
  yield* rest;
}

function addRecord(assembler: ClientAssembler, record: CsvRecord, layout: ColumnLayout): void {
  if (assembler.skipRepeatedRow(record.fields)) return;
  assembler.add(parseRow(layout, record));
}
