import { isSubInterventionField } from '../dataset/index.js';
import type { Dataset, FieldDefinition } from '../dataset/index.js';
import type { Client, Entity, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import { formatDayMonthYear } from '../domain/plain-date.js';
import type { PlainDate } from '../domain/plain-date.js';

/** The records one row carries: always a client, then an episode, then at most one intervention or SIR. */
export interface RowRecords {
  client: Client;
  episode?: Episode;
  intervention?: Intervention;
  review?: SubInterventionReview;
}

/** Formats one field of a record as the file writes it. */
type CellFormat = (record: object) => string;

/**
 * A run of adjacent columns filled from the same entity, such as the seven client columns.
 * A run of sub-intervention columns is kept apart, because its text depends only on the
 * codes delivered and so can be shared by every SIR with the same codes.
 */
interface Segment {
  entity: Entity;
  /** The sub-intervention codes of the run, in column order; empty for any other run. */
  subInterventions: string[];
  /** Text of a sub-intervention run by the delivered codes of a SIR, kept across clients. */
  deliveredTexts: DeliveredTexts;
  cells: CellFormat[];
  /** The quoted, comma-joined text of the run when the row has no record of this entity. */
  empty: string;
  /** The record whose text is in `text`, valid only within one client's rows. */
  record: object | undefined;
  text: string;
}

/**
 * Formats rows of a dataset as CSV lines: every value quoted, inner quotes doubled, CRLF at
 * the end. A row is built from runs of columns of one entity. The text of a run is kept
 * while the next row has the same record, so a client's and an episode's columns are
 * formatted once rather than once per intervention or SIR row.
 */
export class LineFormat {
  private readonly segments: Segment[] = [];

  constructor(readonly dataset: Dataset) {
    for (const field of dataset.definition.fields) {
      const last = this.segments[this.segments.length - 1];
      const subIntervention = isSubInterventionField(field) ? field.subIntervention : undefined;
      const cell = cellFormatOf(field, dataset);
      if (last?.entity === field.entity && (last.subInterventions.length > 0) === (subIntervention !== undefined)) {
        if (subIntervention !== undefined) last.subInterventions.push(subIntervention);
        last.cells.push(cell);
        last.empty += ',""';
      } else {
        const subInterventions = subIntervention === undefined ? [] : [subIntervention];
        this.segments.push({ entity: field.entity, subInterventions, deliveredTexts: new DeliveredTexts(), cells: [cell], empty: '""', record: undefined, text: '' });
      }
    }
  }

  /**
   * Forgets the kept text of every run. Call it before each client's rows, because a
   * caller may change a record object between clients, and a kept text would then be stale.
   */
  startClient(): void {
    for (const segment of this.segments) segment.record = undefined;
  }

  /** Returns the CSV line of one row. */
  lineOf(records: RowRecords): string {
    let line = '';
    for (let index = 0; index < this.segments.length; index++) {
      if (index > 0) line += ',';
      line += this.segmentText(this.segments[index] as Segment, records);
    }
    return `${line}\r\n`;
  }

  /** Returns the values of one row, one string per column, unquoted. */
  cellsOf(records: RowRecords): string[] {
    const values: string[] = [];
    for (const segment of this.segments) {
      const record = recordOf(segment.entity, records);
      for (const cell of segment.cells) values.push(record ? cell(record) : '');
    }
    return values;
  }

  private segmentText(segment: Segment, records: RowRecords): string {
    const record = recordOf(segment.entity, records);
    if (!record) return segment.empty;
    if (record === segment.record) return segment.text;
    if (segment.subInterventions.length > 0) return segment.deliveredTexts.textOf(record as SubInterventionReview, (review) => quotedCells(segment, review));

    const text = quotedCells(segment, record);
    segment.record = record;
    segment.text = text;
    return text;
  }
}

/**
 * Texts of one sub-intervention run, looked up by a SIR's delivered codes one code at a
 * time, which is cheaper than building a key string for every SIR. The generated
 * 100,000-client benchmark file has about 450 combinations of codes.
 */
class DeliveredTexts {
  private root: DeliveredNode = { next: new Map(), text: undefined };
  private nodes = 0;

  textOf(review: SubInterventionReview, format: (review: SubInterventionReview) => string): string {
    let node = this.root;
    for (const code of review.delivered) {
      let next = node.next.get(code);
      if (next === undefined) {
        next = { next: new Map(), text: undefined };
        node.next.set(code, next);
        this.nodes += 1;
      }
      node = next;
    }
    node.text ??= format(review);
    // Unusual data could hold a great many combinations; starting again bounds the memory.
    if (this.nodes > maxDeliveredNodes) {
      this.root = { next: new Map(), text: undefined };
      this.nodes = 0;
    }
    return node.text;
  }
}

interface DeliveredNode {
  next: Map<string, DeliveredNode>;
  text: string | undefined;
}

const maxDeliveredNodes = 10_000;

function quotedCells(segment: Segment, record: object): string {
  // Joined rather than appended piece by piece, because V8 keeps a string built with `+=` as
  // a tree of its pieces and walks the whole tree each time a line holding it is encoded.
  const values = segment.cells.map((cell) => quoteEscaped(cell(record)));
  return `"${values.join('","')}"`;
}

/** Returns one CSV line with every value quoted, ending in CRLF. */
export function csvLine(values: readonly string[]): string {
  let line = '"';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) line += '","';
    line += quoteEscaped(values[index] as string);
  }
  return `${line}"\r\n`;
}

/** Writes a dose with one decimal place only when it has one: 12.5 as 12.5, 60 as 60. */
export function formatDose(dose: number): string {
  return Number.isInteger(dose) ? String(dose) : dose.toFixed(1);
}

function quoteEscaped(value: string): string {
  return value.includes('"') ? value.replaceAll('"', '""') : value;
}

function recordOf(entity: Entity, records: RowRecords): object | undefined {
  switch (entity) {
    case 'client':
      return records.client;
    case 'episode':
      return records.episode;
    case 'intervention':
      return records.intervention;
    case 'review':
      return records.review;
  }
}

/** Builds the formatter of one field, choosing its format once rather than on every row. */
function cellFormatOf(field: FieldDefinition, dataset: Dataset): CellFormat {
  if (isSubInterventionField(field)) {
    const { deliveredCode, notDeliveredCode } = dataset.conventions;
    const code = field.subIntervention;
    return (record) => ((record as SubInterventionReview).delivered.includes(code) ? deliveredCode : notDeliveredCode);
  }

  const property = field.property;
  const valueOf = (record: object): unknown => (record as Record<string, unknown>)[property];
  switch (field.format.kind) {
    case 'date':
      return (record) => {
        const value = valueOf(record);
        return value === undefined || value === null ? '' : formatDayMonthYear(value as PlainDate);
      };
    case 'dose':
      return (record) => {
        const value = valueOf(record);
        return value === undefined || value === null ? '' : formatDose(value as number);
      };
    case 'agency':
    case 'identifier':
    case 'initial':
    case 'code':
    case 'delivered':
      return (record) => {
        const value = valueOf(record);
        return value === undefined || value === null ? '' : String(value);
      };
  }
}
