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
  const row: ParsedRow = { line: record.line, raw, kind, values: [], comparable: [], findings: [] };
  const values: (FieldValue | undefined)[] = [];
  const comparable: string[] = [];

  layout.fields.forEach((field, column) => {
    const text = raw[column] ?? '';
    // Other fields of a client without consent are reported by rule D8, not parsed.
    if (kind === 'no-consent' && !layout.noConsentColumns.has(column)) {
      values.push(undefined);
      comparable.push('');
      return;
    }

    if (text === '' && isRequired(field, kind)) row.findings.push(missingValue(layout, row, field));
    const result = parseFieldValue(field, text, layout.dataset);
    if (result.ok) {
      values.push(result.value);
      comparable.push(result.value === undefined || result.value === false ? '' : String(result.value));
    } else {
      values.push(undefined);
      comparable.push(text);
      row.findings.push(
        makeFinding(ruleFor(result.problem.code), { ...locate(layout, row, field), field: field.name, value: text, message: result.problem.message }),
      );
    }
  });

  return { ...row, values, comparable };
}

function kindOf(layout: ColumnLayout, raw: readonly string[]): RowKind {
  if (raw[layout.consent] === layout.dataset.conventions.noConsentCode) return 'no-consent';

  const notDelivered = layout.dataset.conventions.notDeliveredCode;
  const filled = (column: number): boolean => {
    const text = raw[column] ?? '';
    // A sub-intervention column marked not delivered says nothing about the row's kind.
    return text !== '' && !(layout.subInterventionColumns.has(column) && text === notDelivered);
  };
  const hasIntervention = layout.columnsOf.intervention.some(filled);
  const hasReview = layout.columnsOf.review.some(filled);

  if (hasIntervention && hasReview) return 'both';
  if (hasIntervention) return 'intervention';
  if (hasReview) return 'review';
  return layout.columnsOf.episode.some(filled) ? 'episode' : 'client';
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
