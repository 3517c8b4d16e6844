import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnType, Kysely } from 'kysely';
import type { Logger } from 'pino';
import { cdsQDataset } from '../dataset/index.js';
import { recordAuditEvent } from '../db/audit.js';
import type { AgencyRef } from '../db/clients-repository.js';
import { softwareIdentity } from '../db/command-support.js';
import { exportPeriod, type ExportManifest } from '../db/export-period.js';
import type { Database } from '../db/schema.js';
import type { PlainDate } from '../domain/plain-date.js';
import { formatReportingPeriod, type ReportingPeriod } from '../domain/reporting-period.js';
import type { RuleThresholds } from '../rules/thresholds.js';
import { checkPeriod } from './check.js';
import { withConfirmations } from './confirmations.js';
import { unsubmittableReason } from './submission-period.js';

/** Life of a stored submission: generated, then sent, or superseded by a later generation of the same month. */
export type SubmissionStatus = 'generated' | 'sent' | 'superseded';

/** Raised when a submission cannot be generated or marked as sent. The message gives the reason and the next step. */
export class SubmissionRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionRejectedError';
  }
}

export interface GenerateOptions {
  agency: AgencyRef;
  period: ReportingPeriod;
  /** `staff:<id>` of the data officer. */
  actor: string;
  /** Today in England, which decides whether the month is complete. */
  today: PlainDate;
  thresholds: RuleThresholds;
  logger?: Logger;
}

/**
 * Generates and stores the month's CDS-Q file. The check runs here on the server, so the
 * file is rejected while any error remains or any warning is unconfirmed, whatever the page
 * showed. The file is written by `exportPeriod`, the same code as `waymark export`, and
 * earlier submissions of the month are kept as superseded. Returns the new submission's id.
 */
export async function generateSubmission(db: Kysely<Database>, options: GenerateOptions): Promise<number> {
  const periodProblem = unsubmittableReason(options.period, options.today);
  if (periodProblem) throw new SubmissionRejectedError(periodProblem);

  const check = await checkPeriod(db, { agency: options.agency, period: options.period, thresholds: options.thresholds });
  const reviewed = await withConfirmations(db, options.agency.id, check.findings);
  const unconfirmed = reviewed.filter((finding) => finding.severity === 'warning' && !finding.confirmation).length;
  if (check.errors > 0 || unconfirmed > 0) throw new SubmissionRejectedError(blockingMessage(check.errors, unconfirmed));
  const checkedAt = new Date();

  const folder = await mkdtemp(join(tmpdir(), 'waymark-submission-'));
  try {
    const outputPath = join(folder, cdsQDataset.conventions.fileName(options.agency.code, formatReportingPeriod(options.period)));
    const result = await exportPeriod(db, {
      agency: options.agency,
      period: options.period,
      outputPath,
      dataset: cdsQDataset,
      thresholds: options.thresholds,
      allowErrors: false,
      actor: options.actor,
      software: softwareIdentity(),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    // The records can change between the check and the export, and the file must match what was checked.
    if (!result.written || result.manifest.warnings !== check.warnings) {
      throw new SubmissionRejectedError('Records changed while the file was being generated. Run the check again, then generate the submission.');
    }
    const file = await readFile(outputPath);
    return await storeSubmission(db, { agencyId: options.agency.id, manifest: result.manifest, file, actor: options.actor, checkedAt });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function blockingMessage(errors: number, unconfirmed: number): string {
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} ${errors === 1 ? 'error remains' : 'errors remain'}`);
  if (unconfirmed > 0) parts.push(`${unconfirmed} ${unconfirmed === 1 ? 'warning is' : 'warnings are'} not confirmed`);
  return `The submission was not generated: ${parts.join(' and ')}. Fix every error and confirm every warning, then generate it again.`;
}

/**
 * Stores a generated file as the month's current submission in one transaction: earlier
 * submissions of the same agency and month become superseded, and both steps are audited.
 */
export async function storeSubmission(
  db: Kysely<Database>,
  options: { agencyId: number; manifest: ExportManifest; file: Uint8Array; actor: string; checkedAt: Date },
): Promise<number> {
  const { manifest } = options;
  return db.transaction().execute(async (trx) => {
    const replaced = await trx
      .updateTable('submissions')
      .set({ status: 'superseded', superseded_by: options.actor, superseded_at: new Date() })
      .where('agency_id', '=', options.agencyId)
      .where('period', '=', manifest.period)
      .where('status', '!=', 'superseded')
      .returning('id')
      .execute();
    const row = await trx
      .insertInto('submissions')
      .values({
        agency_id: options.agencyId,
        period: manifest.period,
        status: 'generated',
        file_name: manifest.file,
        sha256: manifest.sha256,
        row_counts: JSON.stringify(manifest.rowCounts),
        findings_by_rule: JSON.stringify(manifest.findingsByRule),
        created_by: options.actor,
        file: options.file,
        manifest: JSON.stringify(manifest),
        checked_by: options.actor,
        checked_at: options.checkedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const old of replaced) {
      await recordAuditEvent(trx, { actor: options.actor, action: 'submission.supersede', entity: 'submission', entityId: old.id, after: { supersededBy: row.id } });
    }
    await recordAuditEvent(trx, {
      actor: options.actor,
      action: 'submission.generate',
      entity: 'submission',
      entityId: row.id,
      after: { agency: manifest.agency, period: manifest.period, sha256: manifest.sha256, rows: manifest.rowCounts.total, warnings: manifest.warnings },
    });
    return row.id;
  });
}

/** Records that a generated submission was sent. Only the month's current, unsent submission can be marked. */
export async function markSubmissionSent(db: Kysely<Database>, options: { submissionId: number; actor: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('submissions').select(['id', 'status']).where('id', '=', options.submissionId).forUpdate().executeTakeFirst();
    if (!current) throw new SubmissionRejectedError(`Submission ${options.submissionId} was not found.`);
    if (current.status === 'sent') throw new SubmissionRejectedError('This submission is already marked as sent.');
    if (current.status !== 'generated') throw new SubmissionRejectedError('This submission was superseded by a later one and cannot be marked as sent. Send the current submission instead.');
    const sentAt = new Date();
    await trx.updateTable('submissions').set({ status: 'sent', sent_by: options.actor, sent_at: sentAt }).where('id', '=', current.id).execute();
    await recordAuditEvent(trx, { actor: options.actor, action: 'submission.send', entity: 'submission', entityId: current.id, before: { status: current.status }, after: { status: 'sent', sentAt: sentAt.toISOString() } });
  });
}

/** One stored submission without its file. */
export interface SubmissionSummary {
  id: number;
  agencyId: number;
  period: string;
  status: SubmissionStatus;
  fileName: string;
  sha256: string;
  rowCounts: Record<string, number>;
  findingsByRule: Record<string, number>;
  createdBy: string;
  createdAt: Date;
  checkedBy: string | null;
  checkedAt: Date | null;
  sentBy: string | null;
  sentAt: Date | null;
  supersededBy: string | null;
  supersededAt: Date | null;
}

const summaryColumns = [
  'id',
  'agency_id',
  'period',
  'status',
  'file_name',
  'sha256',
  'row_counts',
  'findings_by_rule',
  'created_by',
  'created_at',
  'checked_by',
  'checked_at',
  'sent_by',
  'sent_at',
  'superseded_by',
  'superseded_at',
] as const;

type SummaryRow = { [K in (typeof summaryColumns)[number]]: Database['submissions'][K] extends ColumnType<infer S, unknown, unknown> ? S : Database['submissions'][K] };

function summaryOf(row: SummaryRow): SubmissionSummary {
  return {
    id: row.id,
    agencyId: row.agency_id,
    period: row.period,
    status: row.status as SubmissionStatus,
    fileName: row.file_name,
    sha256: row.sha256,
    rowCounts: row.row_counts,
    findingsByRule: row.findings_by_rule,
    createdBy: row.created_by,
    createdAt: row.created_at,
    checkedBy: row.checked_by,
    checkedAt: row.checked_at,
    sentBy: row.sent_by,
    sentAt: row.sent_at,
    supersededBy: row.superseded_by,
    supersededAt: row.superseded_at,
  };
}

/** Lists an agency's submissions, newest month first and the latest generation first within a month. */
export async function listSubmissions(db: Kysely<Database>, agencyId: number): Promise<SubmissionSummary[]> {
  const rows = await db.selectFrom('submissions').select(summaryColumns).where('agency_id', '=', agencyId).orderBy('period', 'desc').orderBy('id', 'desc').execute();
  return rows.map(summaryOf);
}

export async function findSubmission(db: Kysely<Database>, id: number): Promise<SubmissionSummary | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const row = await db.selectFrom('submissions').select(summaryColumns).where('id', '=', id).executeTakeFirst();
  return row ? summaryOf(row) : undefined;
}

/** Reads the stored file and manifest of a submission. */
export async function readSubmissionFile(db: Kysely<Database>, id: number): Promise<{ file: Uint8Array; manifest: unknown } | undefined> {
  const row = await db.selectFrom('submissions').select(['file', 'manifest']).where('id', '=', id).executeTakeFirst();
  return row ? { file: row.file, manifest: row.manifest } : undefined;
}
