import { parseFieldValue } from '../dataset/parse-field.js';
import type { FieldValue } from '../dataset/parse-field.js';
import type { FieldDefinition } from '../dataset/index.js';
import type { Entity } from '../domain/model.js';
import type { Finding } from '../rules/finding.js';
import { makeFinding } from '../rules/make-finding.js';
import { ruleFor } from '../rules/registry.js';
import type { ColumnLayout } from './column-layout.js';
import type { CsvRecord } from './csv-records.js';

/**
 * The kind of a row, from what it carries besides the client: one intervention, one
 * sub-intervention review (SIR), only the episode, or nothing more. A row with both an
 * intervention and a SIR is `both`, which rule D10 rejects. `no-consent` is the single
 * row of a client who has not consented.
 */
export type RowKind = 'intervention' | 'review' | 'episode' | 'client' | 'both' | 'no-consent';

export interface ParsedRow {
  line: number;
  raw: readonly string[];
  kind: RowKind;
  /** Parsed value of each column, `undefined` when empty or invalid. */
  values: readonly (FieldValue | undefined)[];
  /** Each column's value in a form where equal meanings compare equal (05/03/2024 and 2024-03-05), for rule D7. */
  comparable: readonly string[];
  /** D1, D2 and A6 findings for the row's own values. */
  findings: Finding[];
}

const ownRowKinds: Partial<Record<Entity, RowKind>> = { intervention: 'intervention', review: 'review' };

/** Parses every value of a row and checks that the fields its kind requires are filled. */
export function parseRow(layout: ColumnLayout, record: CsvRecord): ParsedRow {
  const raw = record.fields;
  const kind = kindOf(layout, raw);
  const values: (FieldValue | undefined)[] = [];
  const comparable: string[] = [];
  const row: ParsedRow = { line: record.line, raw, kind, values, comparable, findings: [] };
  const { fields, isNoConsentColumn } = layout;
  const { deliveredCode, notDeliveredCode } = layout.dataset.conventions;

  // A plain loop with fast paths: most values of a row are empty or a sub-intervention's
  // Y or N, and this runs for every value of the file.
  for (let column = 0; column < fields.length; column += 1) {
    const field = fields[column] as FieldDefinition;
    const text = raw[column] ?? '';
    // Other fields of a client without consent are reported by rule D8, not parsed.
    if (kind === 'no-consent' && isNoConsentColumn[column] !== true) {
      values.push(undefined);
      comparable.push('');
    } else if (text === '') {
      if (isRequired(field, kind)) row.findings.push(missingValue(layout, row, field));
      values.push(undefined);
      comparable.push('');
    } else if (field.format.kind === 'delivered' && (text === deliveredCode || text === notDeliveredCode)) {
      const delivered = text === deliveredCode;
      values.push(delivered);
      comparable.push(delivered ? 'true' : '');
    } else {
      parseValue(layout, row, field, text);
    }
  }
  return row;
}

/** Parses one non-empty value the slow way, adding its D2 or A6 finding when it is rejected. */
function parseValue(layout: ColumnLayout, row: ParsedRow, field: FieldDefinition, text: string): void {
  const values = row.values as (FieldValue | undefined)[];
  const comparable = row.comparable as string[];
  const result = parseFieldValue(field, text, layout.dataset);
  if (result.ok) {
    values.push(result.value);
    comparable.push(result.value === undefined || result.value === false ? '' : String(result.value));
    return;
  }
  values.push(undefined);
  comparable.push(text);
  row.findings.push(makeFinding(ruleFor(result.problem.code), { ...locate(layout, row, field), field: field.name, value: text, message: result.problem.message }));
}

function kindOf(layout: ColumnLayout, raw: readonly string[]): RowKind {
  if (raw[layout.consent] === layout.dataset.conventions.noConsentCode) return 'no-consent';

  const hasIntervention = anyFilled(layout, raw, layout.columnsOf.intervention);
  const hasReview = anyFilled(layout, raw, layout.columnsOf.review);

  if (hasIntervention && hasReview) return 'both';
  if (hasIntervention) return 'intervention';
  if (hasReview) return 'review';
  return anyFilled(layout, raw, layout.columnsOf.episode) ? 'episode' : 'client';
}

function anyFilled(layout: ColumnLayout, raw: readonly string[], columns: readonly number[]): boolean {
  const notDelivered = layout.dataset.conventions.notDeliveredCode;
  for (const column of columns) {
    const text = raw[column] ?? '';
    // A sub-intervention column marked not delivered says nothing about the row's kind.
    if (text !== '' && !(layout.isSubInterventionColumn[column] === true && text === notDelivered)) return true;
  }
  return false;
}

function isRequired(field: FieldDefinition, kind: RowKind): boolean {
  switch (field.requirement) {
    case 'every-row':
      return true;
    case 'own-row':
      return ownRowKinds[field.entity] === kind;
    case 'optional':
      return false;
  }
}

function missingValue(layout: ColumnLayout, row: ParsedRow, field: FieldDefinition): Finding {
  let rows = 'every sub-intervention review row';
  if (field.requirement === 'every-row') rows = 'every row';
  else if (row.kind === 'intervention') rows = 'every intervention row';
  return makeFinding(ruleFor('D1'), {
    ...locate(layout, row, field),
    field: field.name,
    value: '',
    message: `${field.name} (${field.label}) is empty, but ${rows} must have it. Fill it in.`,
  });
}

const idColumnOf: Record<Entity, (layout: ColumnLayout) => number> = {
  client: (layout) => layout.clientId,
  episode: (layout) => layout.episodeId,
  intervention: (layout) => layout.interventionId,
  review: (layout) => layout.reviewId,
};

/** Returns the line, client and record that a finding about one field of the row points at. */
export function locate(layout: ColumnLayout, row: Pick<ParsedRow, 'line' | 'raw'>, field: FieldDefinition): Pick<Finding, 'line' | 'clientId' | 'record'> {
  const clientId = row.raw[layout.clientId] ?? '';
  const recordId = row.raw[idColumnOf[field.entity](layout)] ?? '';
  return {
    line: row.line,
    ...(clientId === '' ? {} : { clientId }),
    ...(recordId === '' ? {} : { record: { entity: field.entity, id: recordId } }),
  };
}
