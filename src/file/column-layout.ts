import { isSubInterventionField } from '../dataset/index.js';
import type { Dataset, FieldDefinition } from '../dataset/index.js';
import type { Entity, EntityProperties } from '../domain/model.js';

/**
 * Column positions of one dataset's file, worked out once so that each row is read by
 * index. The reader only uses it after the header matched the dataset exactly, so
 * column `i` of every row is `fields[i]`.
 */
export interface ColumnLayout {
  dataset: Dataset;
  fields: readonly FieldDefinition[];
  /** Columns of each entity, in file order. */
  columnsOf: Record<Entity, readonly number[]>;
  /** Columns kept on the single row of a client who has not consented. */
  noConsentColumns: ReadonlySet<number>;
  clientId: number;
  consent: number;
  episodeId: number;
  interventionId: number;
  reviewId: number;
  /** Column of each entity property, by entity then property, so a lookup builds no key string. */
  propertyColumns: Readonly<Record<Entity, Readonly<Partial<Record<string, number>>>>>;
  /** Per column, whether it is a sub-intervention column, where the not-delivered code counts as empty when telling a row's kind. */
  isSubInterventionColumn: readonly boolean[];
  /** Per column, whether it is kept on the row of a client who has not consented. */
  isNoConsentColumn: readonly boolean[];
}

const layouts = new WeakMap<Dataset, ColumnLayout>();

export function columnLayoutOf(dataset: Dataset): ColumnLayout {
  const cached = layouts.get(dataset);
  if (cached) return cached;

  const layout = buildLayout(dataset);
  layouts.set(dataset, layout);
  return layout;
}

function buildLayout(dataset: Dataset): ColumnLayout {
  const fields = dataset.definition.fields;
  const columnOfName = (name: string): number => dataset.header.indexOf(name);
  const columnsWhere = (test: (field: FieldDefinition) => boolean): number[] =>
    fields.flatMap((field, column) => (test(field) ? [column] : []));
  const noConsentColumns = new Set(dataset.conventions.noConsentFields.map(columnOfName));

  return {
    dataset,
    fields,
    columnsOf: {
      client: columnsWhere((field) => field.entity === 'client'),
      episode: columnsWhere((field) => field.entity === 'episode'),
      intervention: columnsWhere((field) => field.entity === 'intervention'),
      review: columnsWhere((field) => field.entity === 'review'),
    },
    noConsentColumns,
    clientId: columnOfName(dataset.columnOf('client', 'clientId')),
    consent: columnOfName(dataset.columnOf('client', 'consent')),
    episodeId: columnOfName(dataset.columnOf('episode', 'episodeId')),
    interventionId: columnOfName(dataset.columnOf('intervention', 'interventionId')),
    reviewId: columnOfName(dataset.columnOf('review', 'reviewId')),
    propertyColumns: propertyColumnsOf(fields),
    isSubInterventionColumn: fields.map(isSubInterventionField),
    isNoConsentColumn: fields.map((_field, column) => noConsentColumns.has(column)),
  };
}

function propertyColumnsOf(fields: readonly FieldDefinition[]): Record<Entity, Partial<Record<string, number>>> {
  const columns: Record<Entity, Partial<Record<string, number>>> = { client: {}, episode: {}, intervention: {}, review: {} };
  fields.forEach((field, column) => {
    if (!isSubInterventionField(field)) columns[field.entity][field.property] = column;
  });
  return columns;
}

/** Returns the column of an entity property; throws if the dataset lacks it, which is a programming error. */
export function columnOfProperty<E extends Entity>(layout: ColumnLayout, entity: E, property: EntityProperties[E]): number {
  const column = layout.propertyColumns[entity][property];
  if (column === undefined) throw new Error(`${layout.dataset.name} has no column for ${entity}.${property}`);
  return column;
}
