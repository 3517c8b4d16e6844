import { catalogueEntry, competenceLabel } from '../catalogue-entry.js';
import type { CodeList, Dataset, FieldDefinition, FieldFormat, Requirement, SubInterventionDefinition } from '../../dataset/index.js';
import { isSubInterventionField } from '../../dataset/index.js';
import { anchor, code, generatedNotice, table } from './markdown.js';

const provisionalNote =
  'Items marked **provisional** are names or codes Waymark chose by following published NDTMS naming patterns, because the official CDS-Q technical definitions were not available. Check each against those definitions before any live submission.';

/** Renders the file layout reference: every field in column order, every code list and every sub-intervention. */
export function renderFileLayout(dataset: Dataset): string {
  const sections = [
    generatedNotice('the dataset definition in src/dataset/'),
    `# ${dataset.name} file layout`,
    `${dataset.definition.title}. ${dataset.header.length} columns, one row per intervention and one row per sub-intervention review, every row repeating the client and episode fields.`,
    provisionalNote,
    fieldsSection(dataset),
    codeListsSection(dataset),
    subInterventionsSection(dataset),
  ];
  return `${sections.join('\n\n')}\n`;
}

function fieldsSection(dataset: Dataset): string {
  const rows = dataset.definition.fields.map((field, index) => [
    String(index + 1),
    code(field.name),
    field.entity,
    field.label,
    formatDescription(field.format, dataset),
    requirementDescription(field.requirement),
    confidenceDescription(field),
  ]);
  return ['## Fields in column order', table(['#', 'column', 'record', 'label', 'format', 'required', 'confidence'], rows), fieldNotes(dataset)].join('\n\n');
}

/** Lists the description of each field except the sub-intervention columns, which have their own section. */
function fieldNotes(dataset: Dataset): string {
  const notes = dataset.definition.fields
    .filter((field) => !isSubInterventionField(field))
    .map((field) => `- ${code(field.name)}: ${field.description}`);
  return ['### What each field holds', ...notes].join('\n');
}

function formatDescription(format: FieldFormat, dataset: Dataset): string {
  switch (format.kind) {
    case 'agency':
      return '5 characters, upper-case letters and digits';
    case 'identifier':
      return `1 to ${format.maxLength} characters of A-Z, a-z, 0-9 and -; leading zeros kept`;
    case 'initial':
      return 'one upper-case letter A-Z';
    case 'date':
      return 'date, written DD/MM/YYYY; YYYY-MM-DD also read';
    case 'code': {
      const list = dataset.codeList(format.codeList);
      return `code from [${list.name}](#${anchor(codeListHeading(list))}): ${list.codes.map((entry) => code(entry.code)).join(', ')}`;
    }
    case 'dose':
      return `number greater than 0 with at most one decimal place, in ${format.unit}`;
    case 'delivered': {
      const { deliveredCode, notDeliveredCode } = dataset.conventions;
      return `${code(deliveredCode)} delivered; ${code(notDeliveredCode)} or empty not delivered`;
    }
  }
}

function requirementDescription(requirement: Requirement): string {
  switch (requirement) {
    case 'every-row':
      return 'every row';
    case 'own-row':
      return 'rows of its record';
    case 'optional':
      return 'optional';
  }
}

function confidenceDescription(item: Pick<FieldDefinition | SubInterventionDefinition, 'confidence' | 'provisional'>): string {
  if (!item.provisional) return item.confidence;
  return item.confidence === 'provisional' ? '**provisional**' : `${item.confidence}, with **provisional** parts`;
}

function codeListHeading(list: CodeList): string {
  return `Code list ${list.name}`;
}

function codeListsSection(dataset: Dataset): string {
  const lists = dataset.definition.codeLists.map((list) => {
    const rows = list.codes.map((entry) => [code(entry.code), entry.label, entry.provisional ? '**provisional**' : 'published or aid']);
    const status = list.provisional ? ' Some or all codes are **provisional**.' : '';
    return [`### ${codeListHeading(list)}`, `${list.description}${status}`, table(['code', 'label', 'confidence'], rows)].join('\n\n');
  });
  return ['## Code lists', ...lists].join('\n\n');
}

function subInterventionsSection(dataset: Dataset): string {
  const methadoneDose = code(dataset.columnOf('review', 'methadoneDose'));
  const buprenorphineDose = code(dataset.columnOf('review', 'buprenorphineDose'));
  const intro = [
    '## Sub-interventions',
    `Each is a column on review rows, in this order. Markers: ${code('*')} oral methadone (the review records ${methadoneDose}), ${code('#')} oral buprenorphine (the review records ${buprenorphineDose}). A post-structured-only item is recorded only on reviews after a successful discharge.`,
  ].join('\n\n');

  const groups: string[] = [];
  let currentGroup = '';
  for (const item of dataset.subInterventions) {
    const entry = catalogueEntry(dataset, item);
    if (entry.group !== currentGroup) {
      currentGroup = entry.group;
      groups.push(`### ${entry.groupLabel} (intervention type ${entry.interventionType}, ${entry.interventionTypeLabel})`);
    }
    groups.push(subInterventionBlock(dataset, item));
  }
  return [intro, ...groups].join('\n\n');
}

function subInterventionBlock(dataset: Dataset, item: SubInterventionDefinition): string {
  const entry = catalogueEntry(dataset, item);
  const lines = [`#### ${item.code}: ${item.name}`, ''];
  if (entry.ostMarker) lines.push(`- Marker: ${code(entry.ostMarker)}`);
  if (item.medication) lines.push(`- Medication: ${item.medication}`);
  if (item.purpose) lines.push(`- Purpose: ${item.purpose}`);
  if (item.withdrawal) lines.push('- Withdrawal item: the length of a run of reviews is limited');
  if (item.postStructuredOnly) lines.push('- Post-structured only');
  lines.push(`- Search names: ${item.searchNames.join(', ')}`);
  lines.push(`- When to record: ${item.whenToRecord}`);
  if (item.requires.length > 0) lines.push(`- Requires: ${item.requires.map(competenceLabel).join(', ')}`);
  if (item.confirmPurpose) lines.push(`- Confirm the purpose: ${item.confirmPurpose}`);
  lines.push(`- Confidence: ${confidenceDescription(item)}`);
  return lines.join('\n');
}
