import type { Kysely } from 'kysely';
import { cdsQDataset } from '../dataset/index.js';
import type { Client } from '../domain/model.js';
import { formatReportingPeriod, periodEnd, previousPeriod, type ReportingPeriod } from '../domain/reporting-period.js';
import type { AgencyRef } from '../db/clients-repository.js';
import { extractClients } from '../db/extraction.js';
import type { Database } from '../db/schema.js';
import type { Finding, Severity } from '../rules/finding.js';
import { ruleRegistry } from '../rules/registry.js';
import type { RuleContext } from '../rules/rule.js';
import type { RuleThresholds } from '../rules/thresholds.js';
import { validateClient } from '../rules/validate-client.js';
import { fingerprintOf, recordKeyOf } from './finding-keys.js';
import { compareMonths, monthFigures, type ComparisonOptions, type MonthComparison } from './comparison.js';

export interface CheckOptions {
  agency: AgencyRef;
  period: ReportingPeriod;
  thresholds: RuleThresholds;
  comparison?: ComparisonOptions;
}

/** A finding about a stored client, with the display name of the client's keyworker when one is assigned. */
export interface CheckFinding extends Finding {
  clientId: string;
  keyworker?: string;
  /** Stable place of the finding, such as `review:R-1:METHDOSE`; see `recordKeyOf`. */
  recordKey: string;
  /** SHA-256 of the record's values, so a confirmation lapses when they change. */
  fingerprint: string;
}

/** How many findings one rule raised at one severity. */
export interface RuleCount {
  code: string;
  severity: Severity;
  title: string;
  count: number;
}

export interface CheckResult {
  /** Agency code. */
  agency: string;
  /** The month as `YYYY-MM`. */
  period: string;
  /** Clients in the month's extraction window, which are the clients of the month's file. */
  clients: number;
  errors: number;
  warnings: number;
  /** One entry per rule and severity that raised a finding, in rule code order. */
  findingsByRule: RuleCount[];
  /** Every finding, in client reference order and then rule code order. */
  findings: CheckFinding[];
  comparison: MonthComparison;
}

/**
 * Runs every client rule over the agency's clients in the month's extraction window, with
 * the end of the month as the latest allowed date, and compares the month's headline
 * figures with the month before.
 *
 * The month before is extracted on its own, as it stood at its own end: for April that is
 * March of the previous financial year, which the April window does not reach.
 */
export async function checkPeriod(db: Kysely<Database>, options: CheckOptions): Promise<CheckResult> {
  const context: RuleContext = { dataset: cdsQDataset, thresholds: options.thresholds, latestAllowedDate: periodEnd(options.period) };
  const current = await collectClients(db, options.agency, options.period);
  const previous = await collectClients(db, options.agency, previousPeriod(options.period));

  const findings = current.flatMap((client) =>
    validateClient(client, context).map((finding) => ({
      ...finding,
      clientId: finding.clientId ?? client.clientId,
      recordKey: recordKeyOf(finding, client),
      fingerprint: fingerprintOf(finding, client),
    })),
  );
  const keyworkers = await keyworkersOf(db, options.agency, [...new Set(findings.map((finding) => finding.clientId))]);
  const named = findings.map((finding) => withKeyworker(finding, keyworkers.get(finding.clientId)));
  const errors = findings.filter((finding) => finding.severity === 'error').length;

  return {
    agency: options.agency.code,
    period: formatReportingPeriod(options.period),
    clients: current.length,
    errors,
    warnings: findings.length - errors,
    findingsByRule: countByRule(findings),
    findings: named,
    comparison: compareMonths(monthFigures(current, options.period), monthFigures(previous, previousPeriod(options.period)), options.comparison),
  };
}

async function collectClients(db: Kysely<Database>, agency: AgencyRef, period: ReportingPeriod): Promise<Client[]> {
  const clients: Client[] = [];
  for await (const client of extractClients(db, agency, period)) clients.push(client);
  return clients;
}

function withKeyworker(finding: CheckFinding, keyworker: string | undefined): CheckFinding {
  return keyworker === undefined ? finding : { ...finding, keyworker };
}

// PostgreSQL limits a statement to 65535 parameters, so long lists are read in slices.
const clientRefsPerQuery = 1000;

/** Reads the keyworker display name of each client reference that has one. */
async function keyworkersOf(db: Kysely<Database>, agency: AgencyRef, clientRefs: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let start = 0; start < clientRefs.length; start += clientRefsPerQuery) {
    const slice = clientRefs.slice(start, start + clientRefsPerQuery);
    const rows = await db
      .selectFrom('clients as c')
      .innerJoin('staff as s', 's.id', 'c.keyworker_id')
      .select(['c.client_ref', 's.display_name'])
      .where('c.agency_id', '=', agency.id)
      .where('c.client_ref', 'in', slice)
      .execute();
    for (const row of rows) names.set(row.client_ref, row.display_name);
  }
  return names;
}

function countByRule(findings: Finding[]): RuleCount[] {
  const titles = new Map(ruleRegistry.map((rule) => [rule.code, rule.title]));
  const counts = new Map<string, RuleCount>();
  for (const finding of findings) {
    const key = `${finding.code}:${finding.severity}`;
    const entry = counts.get(key) ?? { code: finding.code, severity: finding.severity, title: titles.get(finding.code) ?? '', count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }) || a.severity.localeCompare(b.severity));
}
