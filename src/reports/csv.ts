import { stringify } from 'csv-stringify/sync';
import type { DisclosedTable } from './suppression.js';

export type CsvCell = string | number | null | undefined;

/** A report table ready for download: a header row and data rows of the same width. */
export interface CsvTable {
  header: string[];
  rows: CsvCell[][];
}

export interface CsvOptions {
  /**
   * Starts the file with a UTF-8 byte-order mark, so that Excel reads characters such as
   * "é" correctly. Defaults to true, because these files are meant to open in a spreadsheet.
   */
  bom?: boolean;
}

/**
 * Writes a table as CSV with CRLF line endings, quoting only where a cell needs it.
 *
 * A text cell that begins with =, +, -, @, a tab or a carriage return (or the full-width
 * forms of the first four) gets a leading single quote, so a spreadsheet shows it as text
 * instead of running it as a formula. Numbers are left alone, so -3 stays a number.
 * Empty cells (null or undefined) are written as empty fields.
 */
export function toCsv(table: CsvTable, options: CsvOptions = {}): string {
  const width = table.header.length;
  table.rows.forEach((row, index) => {
    if (row.length !== width) {
      throw new RangeError(`CSV row ${index + 1} has ${row.length} cells but the header has ${width}. Give every row one cell per header column.`);
    }
  });

  return stringify([table.header, ...table.rows], {
    bom: options.bom ?? true,
    record_delimiter: 'windows',
    // Setting record_delimiter turns this off in csv-stringify 6.9, which would leave a bare
    // line feed inside a cell unquoted and split the row when the file is read back.
    quote_record_delimiter: true,
    escape_formulas: true,
    cast: { number: (value) => String(value) },
  });
}

/**
 * Lays out a table that has been through disclosure control for `toCsv`: a label column,
 * one column per table column and a Total column, then one row per table row and a
 * Total row. Hidden cells stay as `*`.
 */
export function disclosedTableToCsv(table: DisclosedTable, cornerLabel: string): CsvTable {
  const rows: CsvCell[][] = table.rowLabels.map((label, index) => [label, ...(table.cells[index] ?? []), table.rowTotals[index]]);
  rows.push(['Total', ...table.columnTotals, table.grandTotal]);
  return { header: [cornerLabel, ...table.columnLabels, 'Total'], rows };
}
