import { cdsQDataset } from '../../dataset/index.js';

/**
 * Builders for synthetic CDS-Q files in tests. Every person, date and identifier here is
 * made up. Rows are given by column name, and columns left out are empty.
 */

export type FixtureRow = Record<string, string>;

export interface CsvFileOptions {
  /** Line ending after each row; LF unless given. */
  lineEnding?: '\r\n' | '\n';
  /** Starts the text with a UTF-8 byte-order mark. */
  byteOrderMark?: boolean;
  /** Quotes every value, not only those with a comma, quote or line break. */
  quoteAll?: boolean;
  /** Header to write in place of the dataset's own, to test header checks. */
  header?: readonly string[];
}

/** Builds the text of a CSV file: the header, then one line per row. Throws on a column name the header lacks, to catch typos. */
export function csvFile(rows: readonly FixtureRow[], options: CsvFileOptions = {}): string {
  const header = options.header ?? cdsQDataset.header;
  const lineEnding = options.lineEnding ?? '\n';
  const quote = (value: string): string => (options.quoteAll === true || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

  const lines = [header.map(quote).join(',')];
  for (const row of rows) {
    const unknown = Object.keys(row).filter((name) => !header.includes(name));
    if (unknown.length > 0) throw new Error(`Fixture row names columns the header lacks: ${unknown.join(', ')}`);
    lines.push(header.map((name) => quote(row[name] ?? '')).join(','));
  }

  const text = lines.map((line) => line + lineEnding).join('');
  return options.byteOrderMark === true ? `\ufeff${text}` : text;
}

/** Client fields of a made-up consenting client. */
export const sampleClient: FixtureRow = {
  AGNCY: 'AB123',
  CLIENTID: '007',
  FINITIAL: 'J',
  SINITIAL: 'S',
  DOB: '05/03/1980',
  SEX: 'F',
  CONSENT: 'Y',
};

/** Episode fields of an open episode. */
export const sampleEpisode: FixtureRow = {
  EPISODID: 'E1',
  REFLD: '01/04/2024',
  TRIAGED: '03/04/2024',
};

/** Intervention fields of a community pharmacological intervention. */
export const sampleIntervention: FixtureRow = {
  MODID: 'M1',
  MODAL: '94',
  MODSET: '1',
  REFMODDT: '03/04/2024',
  MODST: '05/04/2024',
};

/** SIR fields of a review on methadone maintenance with a supervised 60 ml dose. */
export const sampleReview: FixtureRow = {
  SUBMID: 'S1',
  SUBMODDT: '05/04/2024',
  PHMETHMNT: 'Y',
  METHDOSE: '60',
  OSTSUP: '1',
};

/** Builds an intervention row of the sample client and episode, with any fields replaced. */
export function interventionRow(overrides: FixtureRow = {}): FixtureRow {
  return { ...sampleClient, ...sampleEpisode, ...sampleIntervention, ...overrides };
}

/** Builds a SIR row of the sample client and episode, with any fields replaced. */
export function reviewRow(overrides: FixtureRow = {}): FixtureRow {
  return { ...sampleClient, ...sampleEpisode, ...sampleReview, ...overrides };
}
