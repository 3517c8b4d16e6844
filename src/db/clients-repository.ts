import type { Kysely } from 'kysely';
import type { Client } from '../domain/model.js';
import { auditEventRow, recordAuditEvent } from './audit.js';
import { readClientRecords, storedClientFrom, type RecordVersions, type StoredClient } from './client-loader.js';
import { clientFromRow, clientValues, contentOf, snapshotOf } from './client-rows.js';
import { ConflictError } from './conflict-error.js';
import type { ClientRow, Database } from './schema.js';
import { insertClientTrees } from './client-batch-insert.js';
import { saveEpisodes, type SaveContext } from './client-writes.js';

export type SaveOutcome = 'added' | 'updated' | 'unchanged';

export interface SaveOptions {
  /** Actor recorded in the audit trail, such as `import` or `staff:12`. */
  actor: string;
  /**
   * Versions the caller read. An update to a record whose version has moved on since
   * raises ConflictError. Without them, the versions read inside this save are used.
   */
  expectedVersions?: RecordVersions;
}

export interface AgencyRef {
  id: number;
  code: string;
}

/**
 * Saves a client and everything under it for an agency, matching existing records by their
 * stable identifiers (CLIENTID, EPISODID, MODID, SUBMID) within the agency. Records that the
 * given client lacks are kept: a monthly file covers only the current financial year.
 * Run it inside a transaction so that a failure part-way leaves nothing behind.
 */
export async function saveClient(db: Kysely<Database>, agency: AgencyRef, client: Client, options: SaveOptions): Promise<SaveOutcome> {
  const stored = await readStoredRecords(db, agency, client.clientId, true);
  if (!stored) {
    await addClients(db, agency, [client], options.actor);
    return 'added';
  }

  const context: SaveContext = {
    db,
    agencyId: agency.id,
    clientId: stored.records.client.id,
    expected: options.expectedVersions ?? stored.stored.versions,
  };
  const clientChanged = await saveClientColumns(context, client, stored.records.client);
  const childrenChanged = await saveEpisodes(context, client, stored.records);
  if (!clientChanged && !childrenChanged) return 'unchanged';

  // Child changes keep the client's version but still mark when the client last changed.
  if (!clientChanged) await db.updateTable('clients').set({ updated_at: new Date() }).where('id', '=', context.clientId).execute();
  await recordAuditEvent(db, {
    actor: options.actor,
    action: 'client.update',
    entity: 'client',
    entityId: context.clientId,
    clientId: context.clientId,
    before: snapshotOf(stored.stored.client),
    after: snapshotOf(client),
  });
  return 'updated';
}

async function saveClientColumns(context: SaveContext, client: Client, current: ClientRow): Promise<boolean> {
  const incoming = clientValues(client);
  if (contentOf(incoming) === contentOf(clientValues(clientFromRow(current, '', [])))) return false;

  const expected = context.expected.client;
  const result = await context.db
    .updateTable('clients')
    .set({ ...incoming, version: expected + 1, updated_at: new Date() })
    .where('id', '=', context.clientId)
    .where('version', '=', expected)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new ConflictError('client', client.clientId, expected);
  return true;
}

/**
 * Saves many clients as `saveClient` does, but adds the new ones with a few multi-row
 * statements per table, which is what makes large imports fast. Returns each client's
 * outcome in the order given. Run it inside a transaction.
 */
export async function saveClients(db: Kysely<Database>, agency: AgencyRef, clients: Client[], options: SaveOptions): Promise<SaveOutcome[]> {
  const refs = clients.map((client) => client.clientId);
  if (new Set(refs).size !== refs.length) {
    // The same CLIENTID twice: save one at a time so the second sees the first.
    const outcomes: SaveOutcome[] = [];
    for (const client of clients) outcomes.push(await saveClient(db, agency, client, options));
    return outcomes;
  }

  const existing = new Set<string>();
  if (refs.length > 0) {
    const rows = await db.selectFrom('clients').select('client_ref').where('agency_id', '=', agency.id).where('client_ref', 'in', refs).execute();
    for (const row of rows) existing.add(row.client_ref);
  }

  await addClients(db, agency, clients.filter((client) => !existing.has(client.clientId)), options.actor);
  const outcomes: SaveOutcome[] = [];
  for (const client of clients) outcomes.push(existing.has(client.clientId) ? await saveClient(db, agency, client, options) : 'added');
  return outcomes;
}

async function addClients(db: Kysely<Database>, agency: AgencyRef, clients: Client[], actor: string): Promise<void> {
  if (clients.length === 0) return;
  const ids = await insertClientTrees(db, agency.id, clients);
  const events = clients.map((client) => {
    const clientId = ids.get(client.clientId);
    return auditEventRow({ actor, action: 'client.add', entity: 'client', entityId: String(clientId), clientId: clientId ?? null, after: snapshotOf(client) });
  });
  for (let start = 0; start < events.length; start += 1000) await db.insertInto('audit_events').values(events.slice(start, start + 1000)).execute();
}

/** Loads one client of an agency by CLIENTID, or undefined when there is none. */
export async function loadClient(db: Kysely<Database>, agency: AgencyRef, clientRef: string): Promise<StoredClient | undefined> {
  return (await readStoredRecords(db, agency, clientRef, false))?.stored;
}

async function readStoredRecords(db: Kysely<Database>, agency: AgencyRef, clientRef: string, forUpdate: boolean) {
  let query = db.selectFrom('clients').selectAll().where('agency_id', '=', agency.id).where('client_ref', '=', clientRef);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const [records] = await readClientRecords(db, [row]);
  if (!records) return undefined;
  return { records, stored: storedClientFrom(records, agency.code) };
}

export interface BatchOptions {
  /** Clients per batch (default 500). */
  batchSize?: number;
}

/**
 * Loads every client of an agency in batches, in id order, using keyset pagination
 * (`id > last id`) so that each batch costs the same however far the scan has gone.
 */
export async function* loadClientBatches(db: Kysely<Database>, agency: AgencyRef, options: BatchOptions = {}): AsyncGenerator<StoredClient[]> {
  const batchSize = options.batchSize ?? 500;
  let lastId = 0;
  for (;;) {
    const rows = await db.selectFrom('clients').selectAll().where('agency_id', '=', agency.id).where('id', '>', lastId).orderBy('id').limit(batchSize).execute();
    if (rows.length === 0) return;
    const records = await readClientRecords(db, rows);
    yield records.map((record) => storedClientFrom(record, agency.code));
    lastId = rows[rows.length - 1]?.id ?? lastId;
    if (rows.length < batchSize) return;
  }
}
