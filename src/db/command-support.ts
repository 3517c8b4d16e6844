import { readFileSync } from 'node:fs';
import { cdsQDataset } from '../dataset/index.js';
import { parseFieldValue } from '../dataset/parse-field.js';
import type { Finding } from '../rules/finding.js';
import type { DatabaseOptions } from './database.js';

// Helpers shared by the `import`, `export` and `demo` commands.

/** Name and version from package.json, as recorded in export manifests. */
export function softwareIdentity(): { name: string; version: string } {
  const packageUrl = new URL('../../../package.json', import.meta.url);
  const manifest = JSON.parse(readFileSync(packageUrl, 'utf8')) as { name?: unknown; version?: unknown };
  return {
    name: typeof manifest.name === 'string' ? manifest.name : 'waymark',
    version: typeof manifest.version === 'string' ? manifest.version : 'unknown',
  };
}

/** Checks an agency code given on the command line; returns the problem as a sentence, or undefined. */
export function agencyCodeProblem(code: string): string | undefined {
  const parsed = parseFieldValue(cdsQDataset.field('client', 'agency'), code);
  if (parsed.ok && parsed.value !== undefined) return undefined;
  return `--agency ${JSON.stringify(code)} is not an agency code: give the 5 upper-case letters or digits of the NDTMS agency, such as DEMO1.`;
}

/** Describes where the data is kept, without printing a connection string that may carry a password. */
export function describeDatabase(options: DatabaseOptions = {}): string {
  if (options.databaseUrl ?? (options.dataDir === undefined ? process.env['DATABASE_URL'] : undefined)) return 'PostgreSQL (DATABASE_URL)';
  return `PGlite data folder ${options.dataDir ?? process.env['WAYMARK_DATA_DIR'] ?? './data'}`;
}

/** Formats a finding about a stored record: `client 0042  A2 error  METHDOSE ""  review S-1: message`. */
export function recordFindingLine(finding: Finding): string {
  const where = finding.clientId === undefined ? 'file' : `client ${finding.clientId}`;
  const record = finding.record ? `  ${finding.record.entity} ${finding.record.id}` : '';
  const message = finding.message.replace(/\s*\n\s*/g, ' ');
  return `${where}  ${finding.code} ${finding.severity}  ${finding.field} ${JSON.stringify(finding.value)}${record}: ${message}`;
}
