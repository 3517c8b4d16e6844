import type { Finding } from '../../rules/finding.js';
import { todayInEngland } from '../../domain/plain-date.js';
import type { ClientRecord } from './client-records.js';
import { toDomainClient } from './client-records.js';
import { PerClientCache } from './per-client-cache.js';
import { checkClient } from './rule-checks.js';

/**
 * Findings of each client, kept in process so the caseload does not run every rule on every
 * client on every request. An entry is reused only while the client's rows are unchanged
 * and the day is the same (the rules compare dates with today). Comparing the rows
 * themselves, rather than a version column, also catches changes made by imports, episode
 * and intervention saves, which do not raise the client's version.
 */
export class FindingsCache {
  private readonly entries: PerClientCache<Finding[]>;

  constructor(maxClients?: number) {
    this.entries = new PerClientCache(maxClients);
  }

  findingsOf(record: ClientRecord): Finding[] {
    const fingerprint = fingerprintOf(record);
    const cached = this.entries.get(record.id, fingerprint);
    if (cached) return cached;
    const findings = checkClient(toDomainClient(record));
    this.entries.set(record.id, fingerprint, findings);
    return findings;
  }

  /** Drops a client's entry after a save that changed the client. */
  forget(clientId: number): void {
    this.entries.forget(clientId);
  }

  get size(): number {
    return this.entries.size;
  }
}

function fingerprintOf(record: ClientRecord): string {
  return `${todayInEngland()}\u0000${JSON.stringify(record, dateAsText)}`;
}

/** Timestamps (updated_at) become ISO text, so equal rows give equal fingerprints. */
function dateAsText(_key: string, value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}
