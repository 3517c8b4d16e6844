import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { cdsQDataset } from '../../dataset/index.js';
import { periodEnd, type ReportingPeriod } from '../../domain/reporting-period.js';
import { defaultThresholds } from '../../rules/thresholds.js';
import { findAgency } from '../agencies-repository.js';
import { exportPeriod, type ExportResult } from '../export-period.js';
import { importFile, type ImportResult } from '../import-file.js';
import type { Database } from '../schema.js';

/** Creates a temporary folder for files a test writes, removed by `remove()`. */
export async function temporaryFolder(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'waymark-files-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Exports a month of an agency with the default thresholds, as `waymark export` does. */
export async function exportMonth(db: Kysely<Database>, agencyCode: string, period: ReportingPeriod, outputPath: string, allowErrors = false): Promise<ExportResult> {
  const agency = await findAgency(db, agencyCode);
  if (!agency) throw new Error(`Test database has no agency ${agencyCode}`);
  return exportPeriod(db, {
    agency: { id: agency.id, code: agency.code },
    period,
    outputPath,
    dataset: cdsQDataset,
    thresholds: defaultThresholds,
    allowErrors,
    actor: 'test',
    software: { name: 'waymark', version: 'test' },
  });
}

/** Imports a file with the period end as the latest allowed date. */
export function importMonth(db: Kysely<Database>, filePath: string, period: ReportingPeriod, acceptValidClients = false): Promise<ImportResult> {
  return importFile(db, {
    filePath,
    acceptValidClients,
    dataset: cdsQDataset,
    thresholds: defaultThresholds,
    latestAllowedDate: periodEnd(period),
  });
}
