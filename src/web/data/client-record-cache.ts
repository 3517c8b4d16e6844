import { sql } from 'kysely';
import { todayInEngland } from '../../domain/plain-date.js';
import type { PlainDate } from '../../domain/plain-date.js';
import type { Finding } from '../../rules/finding.js';
import { clientRecordQuery, toDomainClient } from './client-records.js';
import type { ClientRecord, ReviewRecord } from './client-records.js';
import { PerClientCache } from './per-client-cache.js';
import { checkClient } from './rule-checks.js';
import type { WebDatabase } from './tables.js';

/**
 * One committed state of a client's rows. `stamp` is the client's `change_stamp`, and
 * `writerXid` is the id of the transaction that last wrote the client's row (PostgreSQL's
 * `xmin`, as text). The change stamp triggers rewrite the client's row whenever a row below
 * it changes, so `writerXid` also names the transaction of the latest change to the client.
 */
export interface ClientVersion {
  stamp: number;
  writerXid: string;
}

/** The SQL that reads a client's version, for queries that join `clients`. */
export const clientVersionColumns = {
  stamp: sql<number>`clients.change_stamp`,
  writerXid: sql<string>`clients.xmin::text`,
};

/**
 * Client records kept in process between the queries that need them, such as opening the
 * new-review form and saving it. An entry is used only when the version a request has just
 * read from the database matches it, so a stale record is never returned.
 *
 * After a save, `rememberSave` stores the record as the save left it, under the saving
 * transaction's id alone, because the change stamp the triggers gave it is not known yet. The
 * first request that reads a version written by that transaction takes the entry and keys it
 * by the full version.
 */
export class ClientRecordCache {
  private readonly entries: PerClientCache<ClientRecord>;
  /** Findings of each record object this cache has seen, worked out once a day (the rules compare dates with today). */
  private readonly findings = new WeakMap<ClientRecord, { day: PlainDate; list: Finding[] }>();

  constructor(maxClients?: number) {
    this.entries = new PerClientCache(maxClients);
  }

  /** Returns the client's record at `version` from memory, or loads it and keeps it. */
  async load(db: WebDatabase, clientId: number, version?: ClientVersion): Promise<ClientRecord | undefined> {
    const cached = version ? this.get(clientId, version) : undefined;
    if (cached) return cached;

    const row = await clientRecordQuery(db, [clientId]).select(clientVersionColumns.writerXid.as('writer_xid')).executeTakeFirst();
    if (!row) return undefined;
    const { writer_xid: writerXid, ...record } = row;
    this.entries.set(clientId, keyOf({ stamp: record.change_stamp, writerXid }), record);
    return record;
  }

  /**
   * Stores the record a committed save produced: `before`, the record the save was checked
   * against, with `review` added. The caller must have made the save conditional on `before`'s
   * change stamp, in the transaction `writerXid`, and that transaction must have changed
   * nothing else below the client.
   */
  rememberSave(before: ClientRecord, review: ReviewRecord, writerXid: string): void {
    const episodes = before.episodes.map((episode) =>
      episode.id === review.episode_id ? { ...episode, reviews: [...episode.reviews, review].sort(byDateThenId) } : episode,
    );
    this.entries.set(before.id, savedKeyOf(writerXid), { ...before, episodes });
  }

  /** Returns the findings of every client rule on `record`, reused for the same record object on the same day. */
  findingsOf(record: ClientRecord): Finding[] {
    const day = todayInEngland();
    const kept = this.findings.get(record);
    if (kept?.day === day) return kept.list;
    const list = checkClient(toDomainClient(record));
    this.findings.set(record, { day, list });
    return list;
  }

  forget(clientId: number): void {
    this.entries.forget(clientId);
  }

  private get(clientId: number, version: ClientVersion): ClientRecord | undefined {
    const current = this.entries.get(clientId, keyOf(version));
    if (current) return current;
    const saved = this.entries.get(clientId, savedKeyOf(version.writerXid));
    if (!saved) return undefined;
    // NOTE: transaction ids are 32 bits and wrap around after about four billion
    // transactions. An entry under the id alone is keyed by the full version on first use, so
    // only a record left unread for that long could match the wrong state.
    const keyed = { ...saved, change_stamp: version.stamp };
    this.entries.set(clientId, keyOf(version), keyed);
    // The rules do not read the change stamp, so the findings carry over.
    const findings = this.findings.get(saved);
    if (findings) this.findings.set(keyed, findings);
    return keyed;
  }
}

function keyOf(version: ClientVersion): string {
  return `${version.stamp}:${version.writerXid}`;
}

function savedKeyOf(writerXid: string): string {
  return `saved:${writerXid}`;
}

/** Compares two reviews in the order `loadClientRecords` lists them: by date, then by id. */
function byDateThenId(a: ReviewRecord, b: ReviewRecord): number {
  if (a.review_date !== b.review_date) return a.review_date < b.review_date ? -1 : 1;
  return a.id - b.id;
}
