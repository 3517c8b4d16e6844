import { Option, type Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { catalogueEntries, type CatalogueEntry } from '../../catalogue/catalogue-entry.js';
import { cdsQDataset } from '../../dataset/index.js';
import { exitCodes } from '../cli-error.js';
import { catalogueText } from '../format/catalogue-text.js';

type CatalogueFormat = 'text' | 'json' | 'csv';

export function register(program: Command): void {
  program
    .command('catalogue')
    .description('List every CDS-Q sub-intervention with its markers, flags and provisional status')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv']).default('text'))
    .action((options: { format: CatalogueFormat }) => {
      process.stdout.write(renderCatalogue(catalogueEntries(cdsQDataset), options.format));
      process.exitCode = exitCodes.ok;
    });
}

export function renderCatalogue(entries: CatalogueEntry[], format: CatalogueFormat): string {
  switch (format) {
    case 'text':
      return catalogueText(entries, cdsQDataset);
    case 'json':
      return `${JSON.stringify(entries, null, 2)}\n`;
    case 'csv':
      return catalogueCsv(entries);
  }
}

const csvColumns = [
  'code',
  'name',
  'group',
  'interventionType',
  'ostMarker',
  'medication',
  'purpose',
  'withdrawal',
  'postStructuredOnly',
  'requires',
  'confirmPurpose',
  'provisional',
] as const satisfies readonly (keyof CatalogueEntry)[];

function catalogueCsv(entries: CatalogueEntry[]): string {
  const rows = entries.map((entry) =>
    csvColumns.map((column) => {
      const value = entry[column];
      if (Array.isArray(value)) return value.join('; ');
      return value === null ? '' : String(value);
    }),
  );
  return stringify([[...csvColumns], ...rows], { record_delimiter: 'windows' });
}
