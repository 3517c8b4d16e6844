import { Option, type Command } from 'commander';
import { catalogueEntry, type CatalogueEntry } from '../../catalogue/catalogue-entry.js';
import { lookup, type LookupMatch } from '../../catalogue/lookup.js';
import { cdsQDataset } from '../../dataset/index.js';
import { exitCodes } from '../cli-error.js';
import { provisionalMark } from '../format/catalogue-text.js';
import { alignedTable } from '../format/table.js';

type LookupFormat = 'text' | 'json';

/** A lookup result as JSON: the catalogue entry with the score and what the term matched. */
export type LookupResult = CatalogueEntry & Pick<LookupMatch, 'score' | 'matchedOn' | 'matchedText'>;

export function register(program: Command): void {
  program
    .command('lookup')
    .description('Find the sub-intervention to record for a medication, brand, purpose or code, best match first')
    .argument('<term...>', 'what to search for, such as Subutex, "alcohol withdrawal" or PHMETHMNT; small misspellings are allowed')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((words: string[], options: { format: LookupFormat }) => {
      const term = words.join(' ');
      const results = lookup(cdsQDataset, term).map(toResult);
      if (results.length === 0) {
        if (options.format === 'json') process.stdout.write('[]\n');
        process.stderr.write(
          `waymark: no sub-intervention matches "${term}". Try a medication, brand, purpose or code, or run "waymark catalogue" to list them all.\n`,
        );
        process.exitCode = exitCodes.findings;
        return;
      }
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(results, null, 2)}\n` : lookupText(results));
      process.exitCode = exitCodes.ok;
    });
}

function toResult(match: LookupMatch): LookupResult {
  return { ...catalogueEntry(cdsQDataset, match.item), score: match.score, matchedOn: match.matchedOn, matchedText: match.matchedText };
}

/** Renders one row per match, with the purpose to confirm beneath the rows that have one. */
export function lookupText(results: readonly LookupResult[]): string {
  const header = ['CODE', 'SCORE', 'OST', 'CHECK', 'NAME', 'MATCHED'];
  const rows = results.map((result) => [
    result.code,
    result.score.toFixed(2),
    result.ostMarker,
    result.provisional ? provisionalMark : '',
    result.name,
    result.matchedText === result.name ? result.matchedOn : `${result.matchedOn} "${result.matchedText}"`,
  ]);
  const [headerLine, ...rowLines] = alignedTable([header, ...rows]);

  const lines = [headerLine ?? ''];
  rowLines.forEach((line, index) => {
    lines.push(line);
    const confirmPurpose = results[index]?.confirmPurpose;
    if (confirmPurpose) lines.push(`    Confirm the purpose before recording: ${confirmPurpose}.`);
  });

  if (results.some((result) => result.provisional)) {
    lines.push('', `${provisionalMark}: check the code against the official CDS-Q technical definitions before any live submission.`);
  }
  return `${lines.join('\n')}\n`;
}
