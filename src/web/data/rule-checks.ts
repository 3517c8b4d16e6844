import { cdsQDataset } from '../../dataset/index.js';
import type { Client } from '../../domain/model.js';
import { todayInEngland } from '../../domain/plain-date.js';
import type { Finding } from '../../rules/finding.js';
import { defaultThresholds } from '../../rules/thresholds.js';
import type { RuleThresholds } from '../../rules/thresholds.js';
import { validateClient } from '../../rules/validate-client.js';

/** Runs every client rule of the registry, with today (in England) as the latest date a record may carry. */
export function checkClient(client: Client, thresholds: RuleThresholds = defaultThresholds): Finding[] {
  return validateClient(client, { dataset: cdsQDataset, thresholds, latestAllowedDate: todayInEngland() });
}

function findingKey(finding: Finding): string {
  return [finding.code, finding.field, finding.value, finding.record?.entity ?? '', finding.record?.id ?? ''].join('\u0000');
}

/** Returns the findings a change brings: those found after it but not before. Problems that were already there elsewhere on the record do not block a save. */
export function newFindings(before: Finding[], after: Finding[]): Finding[] {
  const known = new Set(before.map(findingKey));
  return after.filter((finding) => !known.has(findingKey(finding)));
}
