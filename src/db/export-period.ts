import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Dataset } from '../dataset/index.js';
import type { Client } from '../domain/model.js';
import { formatReportingPeriod, periodEnd, type ReportingPeriod } from '../domain/reporting-period.js';
import { writeCdsQFile } from '../file/writer.js';
import type { Finding } from '../rules/finding.js';
import type { RuleThresholds } from '../rules/thresholds.js';
import { validateClient } from '../rules/validate-client.js';
import { recordAuditEvent } from './audit.js';
import type { AgencyRef } from './clients-repository.js';
import { extractClients, extractionWindow } from './extraction.js';
import type { Database } from './schema.js';

export interface ExportOptions {
  agency: AgencyRef;
  period: ReportingPeriod;
  /** Path of the CDS-Q file. The manifest is written beside it as `<file>.manifest.json`. */
  outputPath: string;
  dataset: Dataset;
  thresholds: RuleThresholds;
  /** Write the file even when validation finds errors. */
  allowErrors: boolean;
  /** Actor for the audit trail, such as `cli`. */
  actor: string;
  software: { name: string; version: string };
  logger?: Logger;
}

/** Rows of the file by kind, following the file layout's row rules. */
export interface RowCounts {
  total: number;
  intervention: number;
  review: number;
  episodeOnly: number;
  noConsent: number;
}

/** Record of what was sent, written beside the file so it can be checked and explained later. */
export interface ExportManifest {
  agency: string;
  period: string;
  dataset: string;
  file: string;
  extraction: { from: string; to: string };
  clients: number;
  rowCounts: RowCounts;
  errors: number;
  warnings: number;
  /** Findings counted by rule code. */
  findingsByRule: Record<string, number>;
  sha256: string;
  bytes: number;
  software: { name: string; version: string };
  createdAt: string;
}

export interface ExportResult {
  /** False when validation found errors and `allowErrors` was not set: no file was left behind. */
  written: boolean;
  manifest: ExportManifest;
  manifestPath: string;
  findings: Finding[];
}

/**
 * Writes the monthly CDS-Q file of an agency from the database, validating each client as
 * it goes with latestAllowedDate set to the period end. The file is written under a
 * temporary name and renamed only once complete and accepted, so a refused or failed
 * export never leaves a file that looks finished.
 */
export async function exportPeriod(db: Kysely<Database>, options: ExportOptions): Promise<ExportResult> {
  const started = Date.now();
  const partialPath = `${options.outputPath}.partial`;
  const tally = new ExportTally(options);
  const hashing = new HashingStream();

  try {
    const written = pipeline(hashing, createWriteStream(partialPath));
    // Awaited below; this handler only stops a failure that arrives first from being unhandled.
    written.catch(() => undefined);
    await writeCdsQFile(tally.validate(extractClients(db, options.agency, options.period, { dataset: options.dataset })), hashing, options.dataset);
    await written;
  } catch (error) {
    await rm(partialPath, { force: true });
    throw error;
  }

  const manifest = tally.manifest(basename(options.outputPath), hashing);
  const manifestPath = `${options.outputPath}.manifest.json`;
  const accepted = manifest.errors === 0 || options.allowErrors;
  if (!accepted) {
    await rm(partialPath, { force: true });
  } else {
    await rename(partialPath, options.outputPath);
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    await recordAuditEvent(db, { actor: options.actor, action: 'submission.export', entity: 'agency', entityId: options.agency.code, after: manifest });
  }

  options.logger?.info(
    { agency: options.agency.code, period: manifest.period, clients: manifest.clients, rows: manifest.rowCounts.total, errors: manifest.errors, warnings: manifest.warnings, written: accepted, durationMs: Date.now() - started },
    'export finished',
  );
  return { written: accepted, manifest, manifestPath, findings: tally.findings };
}

/** Validates and counts the clients on their way to the writer. */
class ExportTally {
  readonly findings: Finding[] = [];
  private clients = 0;
  private readonly rows: RowCounts = { total: 0, intervention: 0, review: 0, episodeOnly: 0, noConsent: 0 };

  constructor(private readonly options: ExportOptions) {}

  async *validate(clients: AsyncIterable<Client>): AsyncGenerator<Client> {
    const context = { dataset: this.options.dataset, thresholds: this.options.thresholds, latestAllowedDate: periodEnd(this.options.period) };
    for await (const client of clients) {
      this.findings.push(...validateClient(client, context));
      this.count(client);
      yield client;
    }
  }

  manifest(fileName: string, hashing: HashingStream): ExportManifest {
    const findingsByRule: Record<string, number> = {};
    for (const finding of this.findings) findingsByRule[finding.code] = (findingsByRule[finding.code] ?? 0) + 1;
    const errors = this.findings.filter((finding) => finding.severity === 'error').length;
    const window = extractionWindow(this.options.period);
    return {
      agency: this.options.agency.code,
      period: formatReportingPeriod(this.options.period),
      dataset: this.options.dataset.name,
      file: fileName,
      extraction: { from: window.from, to: window.to },
      clients: this.clients,
      rowCounts: { ...this.rows },
      errors,
      warnings: this.findings.length - errors,
      findingsByRule: Object.fromEntries(Object.entries(findingsByRule).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))),
      sha256: hashing.digest,
      bytes: hashing.bytes,
      software: this.options.software,
      createdAt: new Date().toISOString(),
    };
  }

  private count(client: Client): void {
    this.clients += 1;
    if (client.consent === this.options.dataset.conventions.noConsentCode) {
      this.add('noConsent', 1);
      return;
    }
    for (const episode of client.episodes) {
      const rows = episode.interventions.length + episode.reviews.length;
      if (rows === 0) this.add('episodeOnly', 1);
      this.add('intervention', episode.interventions.length);
      this.add('review', episode.reviews.length);
    }
  }

  private add(kind: Exclude<keyof RowCounts, 'total'>, count: number): void {
    this.rows[kind] += count;
    this.rows.total += count;
  }
}

/** Passes bytes through unchanged while computing their SHA-256 and length. */
class HashingStream extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  digest = '';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    callback();
  }
}
