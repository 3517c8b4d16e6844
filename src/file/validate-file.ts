import type { Readable } from 'node:stream';
import type { Dataset } from '../dataset/index.js';
import type { PlainDate } from '../domain/plain-date.js';
import { compareFindings } from '../rules/finding.js';
import type { Finding } from '../rules/finding.js';
import type { RuleThresholds } from '../rules/thresholds.js';
import { validateClient } from '../rules/validate-client.js';
import { readCdsQFile } from './reader.js';

export interface ValidateFileOptions {
  dataset: Dataset;
  thresholds: RuleThresholds;
  /** Last date a record may carry: the end of the reporting period, or today (rule D4). */
  latestAllowedDate: PlainDate;
  /** Called as the file is read, with the number of bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

export interface FileValidation {
  /** Data rows read, not counting the header. */
  rows: number;
  /** Distinct CLIENTID values. */
  clients: number;
  errors: number;
  warnings: number;
  /** Every finding, in line order. */
  findings: Finding[];
}

/**
 * Reads a CDS-Q file and checks it: the file's own rules as it is read, then every client
 * rule on each client as soon as its rows are complete. Throws `UnreadableFileError` when
 * the file cannot be read as CSV at all.
 */
export async function validateFile(input: Readable, options: ValidateFileOptions): Promise<FileValidation> {
  const context = { dataset: options.dataset, thresholds: options.thresholds, latestAllowedDate: options.latestAllowedDate };
  const readOptions = options.onProgress ? { dataset: options.dataset, onProgress: options.onProgress } : { dataset: options.dataset };
  const findings: Finding[] = [];
  const clientIds = new Set<string>();
  let rows = 0;

  for await (const { client, findings: rowFindings, rowCount } of readCdsQFile(input, readOptions)) {
    rows += rowCount;
    findings.push(...rowFindings);
    if (!client) continue;

    clientIds.add(client.clientId);
    findings.push(...validateClient(client, context));
  }

  findings.sort(compareFindings);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return { rows, clients: clientIds.size, errors, warnings: findings.length - errors, findings };
}
