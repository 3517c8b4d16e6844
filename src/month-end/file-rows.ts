import type { Kysely } from 'kysely';
import { cdsQDataset } from '../dataset/index.js';
import type { AgencyRef } from '../db/clients-repository.js';
import { extractClients } from '../db/extraction.js';
import type { Database } from '../db/schema.js';
import type { ReportingPeriod } from '../domain/reporting-period.js';
import { clientRowRecords, explainCell, type CellSource } from '../file/writer.js';

/** One cell of a file row with the source of its value. */
export interface ExplainedCell {
  column: string;
  label: string;
  value: string;
  source: CellSource;
}

/** One data row of the month's file, rebuilt from the records as they are now. */
export interface ExplainedRow {
  /** Line in the file; the header is line 1. */
  line: number;
  clientRef: string;
  cells: ExplainedCell[];
}

/**
 * Rebuilds the row on `line` of the month's CDS-Q file and explains each cell, using the
 * extraction and row order that write the file. Returns undefined when the file has no such
 * data row. The row reflects the records now, so it differs from a stored file once a
 * record in it has changed.
 */
export async function explainFileLine(db: Kysely<Database>, agency: AgencyRef, period: ReportingPeriod, line: number): Promise<ExplainedRow | undefined> {
  if (!Number.isSafeInteger(line) || line < 2) return undefined;
  const fields = cdsQDataset.definition.fields;
  let nextLine = 2;
  for await (const client of extractClients(db, agency, period)) {
    const rows = clientRowRecords(client, cdsQDataset);
    if (line >= nextLine + rows.length) {
      nextLine += rows.length;
      continue;
    }
    const records = rows[line - nextLine];
    if (!records) return undefined;
    const cells = fields.map((field) => ({ column: field.name, label: field.label, ...explainCell(field, records, cdsQDataset) }));
    return { line, clientRef: client.clientId, cells };
  }
  return undefined;
}
