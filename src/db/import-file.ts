import { createReadStream } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Dataset } from '../dataset/index.js';
import type { Client } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { readCdsQFile } from '../file/reader.js';
import { validateFile, type FileValidation } from '../file/validate-file.js';
import type { RuleThresholds } from '../rules/thresholds.js';
import { ensureAgency } from './agencies-repository.js';
import { saveClient, saveClients, type AgencyRef, type SaveOutcome } from './clients-repository.js';
import type { Database } from './schema.js';

/** Clients saved together in one round of multi-row statements. */
const clientsPerBatch = 200;

export interface ImportOptions {
  filePath: string;
  /** Agency to import into; defaults to the AGNCY of the file's first client. */
  agencyCode?: string;
  /** Import every client without an error, each in its own transaction, and skip the rest. */
  acceptValidClients: boolean;
  dataset: Dataset;
  thresholds: RuleThresholds;
  latestAllowedDate: PlainDate;
  /** Actor for the audit trail (default `import`). */
  actor?: string;
  logger?: Logger;
  /** Clients between progress log lines (default 1000). */
  progressEvery?: number;
}

export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export interface ImportResult {
  validation: FileValidation;
  /** False when the file had errors and nothing was imported. */
  imported: boolean;
  agency: { code: string; created: boolean } | undefined;
  counts: ImportCounts;
  /** Clients left out because they have errors or failed to save (only with `acceptValidClients`). */
  skipped: { clientId: string; errors: number; reason?: string }[];
}

/** Raised when the file mixes agencies and no `--agency` option names the one to import into. */
export class MixedAgenciesError extends Error {
  constructor(first: string, other: string, clientId: string) {
    super(`The file contains clients of agency ${first} and of agency ${other} (client ${clientId}). Import one agency at a time, or give --agency to put every client under one agency.`);
    this.name = 'MixedAgenciesError';
  }
}

/**
 * Imports a CDS-Q file. The file is validated first, in full; with any error nothing is
 * imported unless `acceptValidClients` is set. The file is then read a second time, as a
 * stream, and each client saved by its stable identifiers, so importing the same file twice
 * changes nothing. Without `acceptValidClients` the whole import is one transaction: a
 * failure or a killed process leaves the database as it was.
 */
export async function importFile(db: Kysely<Database>, options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const validation = await validateFile(createReadStream(options.filePath), {
    dataset: options.dataset,
    thresholds: options.thresholds,
    latestAllowedDate: options.latestAllowedDate,
  });
  const errorsByClient = countErrorsByClient(validation);
  const fileWideErrors = errorsByClient.get(undefined) ?? 0;
  const result: ImportResult = { validation, imported: false, agency: undefined, counts: { added: 0, updated: 0, unchanged: 0 }, skipped: [] };
  options.logger?.info({ rows: validation.rows, clients: validation.clients, errors: validation.errors, warnings: validation.warnings, durationMs: Date.now() - started }, 'import validated');

  if (validation.errors > 0 && (!options.acceptValidClients || fileWideErrors > 0)) return result;

  const session = new ImportSession(db, options, result, errorsByClient);
  if (options.acceptValidClients) await session.runClientByClient();
  else await db.transaction().execute((trx) => session.runInOneTransaction(trx));

  result.imported = true;
  options.logger?.info({ ...result.counts, skipped: result.skipped.length, durationMs: Date.now() - started }, 'import finished');
  return result;
}

/** Error counts by CLIENTID; errors that belong to no client are under `undefined`. */
function countErrorsByClient(validation: FileValidation): Map<string | undefined, number> {
  const counts = new Map<string | undefined, number>();
  for (const finding of validation.findings) {
    if (finding.severity !== 'error') continue;
    counts.set(finding.clientId, (counts.get(finding.clientId) ?? 0) + 1);
  }
  return counts;
}

/** The second pass over the file: reads clients as a stream and saves them. */
class ImportSession {
  private agency: AgencyRef | undefined;
  private saved = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: ImportOptions,
    private readonly result: ImportResult,
    private readonly errorsByClient: Map<string | undefined, number>,
  ) {}

  async runInOneTransaction(trx: Kysely<Database>): Promise<void> {
    let batch: Client[] = [];
    const flush = async (): Promise<void> => {
      const first = batch[0];
      if (first === undefined) return;
      const agency = await this.agencyFor(trx, first);
      for (const client of batch.slice(1)) this.checkAgency(agency, client);
      for (const outcome of await saveClients(trx, agency, batch, { actor: this.options.actor ?? 'import' })) this.tally(outcome);
      batch = [];
    };

    for await (const client of this.clients()) {
      batch.push(client);
      if (batch.length >= clientsPerBatch) await flush();
    }
    await flush();
  }

  async runClientByClient(): Promise<void> {
    for await (const client of this.clients()) {
      const errors = this.errorsByClient.get(client.clientId) ?? 0;
      if (errors > 0) {
        this.result.skipped.push({ clientId: client.clientId, errors });
        continue;
      }
      try {
        const outcome = await this.db.transaction().execute(async (trx) => {
          const agency = await this.agencyFor(trx, client);
          return saveClient(trx, agency, client, { actor: this.options.actor ?? 'import' });
        });
        this.tally(outcome);
      } catch (error) {
        // One client's failure rolls back that client only; the others still import.
        if (!(error instanceof Error)) throw error;
        this.options.logger?.warn({ clientsSaved: this.saved, error: error.name }, 'client not imported');
        this.result.skipped.push({ clientId: client.clientId, errors: 0, reason: error.message });
      }
    }
  }

  private async *clients(): AsyncGenerator<Client> {
    // Validation has already checked the rules across clients (D7, D12), and their
    // file-wide identifier table would otherwise be built a second time.
    const rows = readCdsQFile(createReadStream(this.options.filePath), { dataset: this.options.dataset, checkAcrossClients: false });
    for await (const { client } of rows) {
      if (client) yield client;
    }
  }

  private async agencyFor(trx: Kysely<Database>, client: Client): Promise<AgencyRef> {
    if (this.agency) {
      this.checkAgency(this.agency, client);
      return this.agency;
    }
    const code = this.options.agencyCode ?? client.agency ?? '';
    const agency = await ensureAgency(trx, code);
    this.agency = { id: agency.id, code: agency.code };
    this.result.agency = { code: agency.code, created: agency.created };
    return this.agency;
  }

  private checkAgency(agency: AgencyRef, client: Client): void {
    const code = this.options.agencyCode ?? client.agency ?? '';
    if (agency.code !== code) throw new MixedAgenciesError(agency.code, code, client.clientId);
  }

  private tally(outcome: SaveOutcome): void {
    this.result.counts[outcome] += 1;
    this.saved += 1;
    const every = this.options.progressEvery ?? 1000;
    if (this.saved % every === 0) this.options.logger?.info({ clientsSaved: this.saved }, 'import progress');
  }
}
