import type { Finding } from '../../rules/finding.js';
import { oneLine } from './table.js';

/** The counts and findings of one validated file, as the report needs them. */
export interface ValidationSummary {
  rows: number;
  errors: number;
  warnings: number;
  findings: readonly Finding[];
}

/** One finding in the JSON report. Every key is present, with null where a finding has no line or client. */
export interface FindingJson {
  code: string;
  severity: Finding['severity'];
  line: number | null;
  field: string;
  value: string;
  clientId: string | null;
  message: string;
}

export interface ValidationReportJson {
  file: string;
  rows: number;
  errors: number;
  warnings: number;
  findings: FindingJson[];
}

/** Formats a finding as one line: `line 14  A2 error  METHDOSE ""  client 0042: message`. */
export function findingLine(finding: Finding): string {
  const parts = [
    finding.line === undefined ? 'file' : `line ${finding.line}`,
    `${finding.code} ${finding.severity}`,
    `${finding.field} ${JSON.stringify(finding.value)}`,
  ];
  const client = finding.clientId === undefined ? '' : `  client ${finding.clientId}`;
  return `${parts.join('  ')}${client}: ${oneLine(finding.message)}`;
}

export function summaryLine(fileLabel: string, summary: ValidationSummary): string {
  return `${fileLabel}: ${summary.rows} rows, ${summary.errors} errors, ${summary.warnings} warnings`;
}

export function validationText(fileLabel: string, summary: ValidationSummary): string {
  const lines = summary.findings.map(findingLine);
  lines.push(summaryLine(fileLabel, summary));
  return `${lines.join('\n')}\n`;
}

export function validationJson(fileLabel: string, summary: ValidationSummary): ValidationReportJson {
  return {
    file: fileLabel,
    rows: summary.rows,
    errors: summary.errors,
    warnings: summary.warnings,
    findings: summary.findings.map((finding) => ({
      code: finding.code,
      severity: finding.severity,
      line: finding.line ?? null,
      field: finding.field,
      value: finding.value,
      clientId: finding.clientId ?? null,
      message: finding.message,
    })),
  };
}
