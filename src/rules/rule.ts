import type { Dataset } from '../dataset/index.js';
import type { Client } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import type { Finding, Severity } from './finding.js';
import type { RuleThresholds } from './thresholds.js';

/**
 * Place where a rule runs. `field` rules check one value against the dataset definition while
 * a record is parsed, from a file row or a form. `file` rules check the shape of a file.
 * `client` rules run on the domain model of one client with all their records.
 */
export type RuleScope = 'field' | 'file' | 'client';

export interface RuleContext {
  dataset: Dataset;
  thresholds: RuleThresholds;
  /** Last date a record may carry: the end of the reporting period, or today (rule D4). */
  latestAllowedDate: PlainDate;
}

export interface RuleDefinition {
  /** Stable code, never reused for another rule. */
  code: string;
  severity: Severity;
  /** One line saying what the rule checks. */
  title: string;
  /** Column names the rule points at. */
  fields: string[];
  /** How to put the data right. */
  fix: string;
  /** Source of the rule, such as the interventions aid or a Waymark integrity check. */
  source: string;
  scope: RuleScope;
  /** Threshold names the rule reads, shown with their values in the rule catalogue. */
  thresholds?: (keyof RuleThresholds)[];
  /** Checks one client; only `client` rules have it. */
  check?: (client: Client, context: RuleContext) => Finding[];
}
