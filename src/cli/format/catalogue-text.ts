import type { CatalogueEntry } from '../../catalogue/catalogue-entry.js';
import { competenceLabel } from '../../catalogue/catalogue-entry.js';
import type { Dataset } from '../../dataset/index.js';
import { alignedTable } from './table.js';

export const provisionalMark = 'PROVISIONAL';

/** Renders the catalogue as one aligned table per group, followed by a legend. */
export function catalogueText(entries: readonly CatalogueEntry[], dataset: Dataset): string {
  const sections: string[] = [];
  for (const group of groupsInOrder(entries)) {
    const members = entries.filter((entry) => entry.group === group.group);
    const heading = `${group.groupLabel}: intervention type ${group.interventionType} (${group.interventionTypeLabel}), ${members.length} items`;
    const header = ['CODE', 'OST', 'WDL', 'PSO', 'CHECK', 'MEDICATION', 'PURPOSE', 'REQUIRES', 'NAME'];
    const rows = members.map((entry) => [
      entry.code,
      entry.ostMarker,
      entry.withdrawal ? 'W' : '',
      entry.postStructuredOnly ? 'P' : '',
      entry.provisional ? provisionalMark : '',
      entry.medication ?? '',
      entry.purpose ?? '',
      entry.requires.map(competenceLabel).join(', '),
      entry.name,
    ]);
    sections.push([heading, ...alignedTable([header, ...rows]).map((line) => `  ${line}`)].join('\n'));
  }
  return `${sections.join('\n\n')}\n\n${catalogueLegend(dataset)}\n`;
}

/** Explains the marker columns, naming the dose fields through the dataset. */
export function catalogueLegend(dataset: Dataset): string {
  const methadoneDose = dataset.columnOf('review', 'methadoneDose');
  const buprenorphineDose = dataset.columnOf('review', 'buprenorphineDose');
  return [
    'Legend',
    `  OST    * oral methadone (the review records ${methadoneDose}), # oral buprenorphine (the review records ${buprenorphineDose})`,
    '  WDL    W: a withdrawal item, so the review warns when it runs longer than the withdrawal limit',
    '  PSO    P: post-structured only, recorded only on reviews after a successful discharge',
    `  CHECK  ${provisionalMark}: a code or name chosen by Waymark from published naming patterns.`,
    '         Check it against the official CDS-Q technical definitions before any live submission.',
  ].join('\n');
}

function groupsInOrder(entries: readonly CatalogueEntry[]): CatalogueEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    if (seen.has(entry.group)) return false;
    seen.add(entry.group);
    return true;
  });
}
