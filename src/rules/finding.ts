import type { Entity } from '../domain/model.js';

export type Severity = 'error' | 'warning';

/**
 * One problem found in the data. Validation collects every finding before deciding:
 * errors block a submission, warnings pass once someone confirms them.
 */
export interface Finding {
  /** Rule code from the registry, such as `A2` or `D3`. */
  code: string;
  severity: Severity;
  /** Line in the file (the header is line 1), when the data came from a file. */
  line?: number;
  /** Column name of the field at fault. */
  field: string;
  /** The value as given, or empty when the field was empty. */
  value: string;
  clientId?: string;
  /** Description of the problem, for the person who records the data. */
  message: string;
  /** The record at fault, so forms and the database can point at it. */
  record?: { entity: Entity; id: string };
}

/** Orders findings by line, then rule code, so output is stable whatever order the rules ran in. */
export function compareFindings(a: Finding, b: Finding): number {
  return (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code, 'en', { numeric: true }) || a.field.localeCompare(b.field);
}
