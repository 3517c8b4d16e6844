import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import type { Options } from 'csv-parse';
import { ByteGuard } from './byte-guard.js';
import { UnreadableFileError } from './unreadable-file-error.js';

/** Maximum length of a row, in characters. A real CDS-Q row has a few hundred, so more means a broken file. */
export const maxRowCharacters = 1024 * 1024;

export interface CsvReadOptions {
  /** Called as the file is read, with the number of bytes read so far. */
  onProgress?: ((bytesRead: number) => void) | undefined;
  /** Checks the first record, so that a file with a wrong header is not read further. */
  isHeaderAccepted?: (fields: readonly string[]) => boolean;
}

/** One CSV record and the physical line of the file where it starts (the first line is 1). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

const lineBreak = /\r\n|\r|\n/g;

/**
 * Streams the records of a CSV file in batches, so memory does not grow with the file.
 * Accepts a UTF-8 byte-order mark, CRLF or LF line endings, quoted and unquoted fields, and
 * line breaks inside quotes. Blank lines are skipped. Throws `UnreadableFileError` for
 * bytes that are not UTF-8 text and for broken CSV (unclosed quote, oversized row, a row
 * with a different number of fields from the first).
 *
 * When `isHeaderAccepted` rejects the first record, only that record is yielded, and
 * nothing after it is parsed or reported.
 */
export async function* readCsvRecordBatches(input: Readable, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord[]> {
  // Lines are counted as csv-parse produces each record, not as the loop below takes it,
  // because the parser runs ahead and an error must name the row the parser was on.
  const position = { nextLine: 1, blankLinesSeen: 0, headerLength: 0, header: undefined as CsvRecord | undefined, headerRejected: false };
  const numberLine = (fields: string[], blankLines: number): CsvRecord | null => {
    const line = position.nextLine + (blankLines - position.blankLinesSeen);
    position.blankLinesSeen = blankLines;
    position.nextLine = line + lineBreaksIn(fields) + 1;
    if (position.header) return position.headerRejected ? null : { fields, line };

    position.header = { fields, line };
    position.headerLength = fields.length;
    position.headerRejected = options.isHeaderAccepted?.(fields) === false;
    return position.header;
  };
  const parser = new LineNumberingParser(
    { bom: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'], max_record_size: maxRowCharacters },
    numberLine,
  );
  // Errors reach the loop below through the parser, which pipeline destroys with them.
  pipeline(input, new ByteGuard(options.onProgress), parser, () => undefined);

  let yielded = 0;
  try {
    for await (const batch of recordBatches(parser)) {
      yielded += batch.length;
      yield batch;
    }
  } catch (error) {
    // A stream that fails drops the records it still buffers, the header among them.
    if (position.headerRejected) {
      if (yielded === 0 && position.header) yield [position.header];
      return;
    }
    if (!(error instanceof CsvError)) throw error;
    const blankLines = typeof error['empty_lines'] === 'number' ? error['empty_lines'] - position.blankLinesSeen : 0;
    throw asUnreadable(error, position.nextLine + blankLines, position.headerLength);
  }
}

/**
 * A csv-parse stream that turns each record into a `CsvRecord` as the parser emits it, or
 * drops it when `toRecord` returns null. This does what csv-parse's `on_record` option does,
 * without the two objects of parser state that `on_record` copies for every record. It reads
 * the blank-line count from the parser's `info`, which csv-parse 6 updates before each push.
 */
class LineNumberingParser extends Parser {
  constructor(
    options: Options,
    private readonly toRecord: (fields: string[], blankLines: number) => CsvRecord | null,
  ) {
    super(options);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    const record = this.toRecord(chunk as string[], this.info.empty_lines);
    return record === null ? true : super.push(record, encoding);
  }
}

/**
 * Streams the records of a CSV file one at a time: `readCsvRecordBatches` without the
 * batches, with the same checks and errors.
 */
export async function* readCsvRecords(input: Readable, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvRecordBatches(input, options)) yield* batch;
}

/**
 * Yields the records the parser has ready as one array at a time. A large file has a million
 * records, and awaiting each one alone costs more than checking it.
 */
async function* recordBatches(parser: Readable): AsyncGenerator<CsvRecord[]> {
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const onEnd = (): void => {
    ended = true;
    signal();
  };
  const onError = (error: unknown): void => {
    failure = error;
    signal();
  };
  parser.on('readable', signal);
  parser.on('end', onEnd);
  parser.on('close', onEnd);
  parser.on('error', onError);

  try {
    for (;;) {
      // Like Node's own stream iterator, a destroyed stream yields none of the records it still buffers.
      const batch: CsvRecord[] = [];
      let record: unknown = parser.destroyed ? null : parser.read();
      while (record !== null) {
        batch.push(record as CsvRecord);
        record = parser.read();
      }
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    parser.off('readable', signal);
    parser.off('end', onEnd);
    parser.off('close', onEnd);
    parser.off('error', onError);
    if (!ended) parser.destroy();
  }
}

function lineBreaksIn(fields: string[]): number {
  let count = 0;
  for (const field of fields) {
    if (field.includes('\n') || field.includes('\r')) count += field.match(lineBreak)?.length ?? 0;
  }
  return count;
}

function asUnreadable(error: CsvError, line: number, headerLength: number): UnreadableFileError | CsvError {
  const where = `The row starting on line ${line}`;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new UnreadableFileError(
        `${where} opens a quote that is never closed. Close the quoted value with a double quote, and write any quote inside it as two double quotes.`,
        line,
      );
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new UnreadableFileError(
        `${where} has a double quote in the wrong place. Put quotes only around whole values, and write a quote inside a value as two double quotes.`,
        line,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new UnreadableFileError(
        `${where} is longer than ${maxRowCharacters} characters, which usually means a quote is never closed. Check the quotes in that row.`,
        line,
      );
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const fieldCount = Array.isArray(error['record']) ? error['record'].length : 'a different number of';
      return new UnreadableFileError(
        `${where} has ${fieldCount} fields but the header has ${headerLength}. Check that row for a missing comma, or a comma inside a value that has no quotes around it.`,
        line,
      );
    }
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
    case 'CSV_UNKNOWN_ERROR':
      return new UnreadableFileError(`${where} could not be read as CSV (csv-parse error ${error.code}).`, line);
    // The rest report invalid parser options, which is a programming error, not a file problem.
    case 'CSV_INVALID_ARGUMENT':
    case 'CSV_INVALID_COLUMN_DEFINITION':
    case 'CSV_INVALID_COLUMN_MAPPING':
    case 'CSV_INVALID_OPTION_BOM':
    case 'CSV_INVALID_OPTION_CAST':
    case 'CSV_INVALID_OPTION_CAST_DATE':
    case 'CSV_INVALID_OPTION_COLUMNS':
    case 'CSV_INVALID_OPTION_COMMENT':
    case 'CSV_INVALID_OPTION_DELIMITER':
    case 'CSV_INVALID_OPTION_GROUP_COLUMNS_BY_NAME':
    case 'CSV_INVALID_OPTION_ON_RECORD':
    case 'CSV_OPTION_COLUMNS_MISSING_NAME':
      return error;
  }
}
