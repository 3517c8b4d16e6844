import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { cdsQDataset } from '../dataset/index.js';
import { recordAuditEvent } from '../db/audit.js';
import type { AgencyRef } from '../db/clients-repository.js';
import { softwareIdentity } from '../db/command-support.js';
import { exportPeriod, type ExportManifest } from '../db/export-period.js';
import type { Database, SubmissionCheckCounts, SubmissionStatus } from '../db/schema.js';
import type { PlainDate } from '../domain/plain-date.js';
import { formatReportingPeriod, type ReportingPeriod } from '../domain/reporting-period.js';
import type { RuleThresholds } from '../rules/thresholds.js';
import { checkPeriod } from './check.js';
import { withConfirmations, type ReviewedFinding } from './confirmations.js';
import { agencyPeriodProblem } from './submission-period.js';

/** Why a submission step was rejected: the month cannot be submitted, the check found blocking findings, or the stored rows do not allow it. */
export type RejectionReason = 'period' | 'findings' | 'records-changed' | 'state';

/** Findings that stop a submission, counted by rule: every error, and every warning not yet confirmed. */
export interface BlockingFindings {
  errors: { code: string; count: number }[];
  unconfirmedWarnings: { code: string; count: number }[];
}

/** Raised when a submission cannot be checked, generated or marked as sent. The message gives the reason and the next step. */
export class SubmissionRejectedError extends Error {
  constructor(
    message: string,
    readonly reason: RejectionReason = 'state',
    readonly blocking?: BlockingFindings,
  ) {
    super(message);
    this.name = 'SubmissionRejectedError';
  }
}

export interface GenerateOptions {
  agency: AgencyRef;
  period: ReportingPeriod;
  /** `staff:<id>` of the data officer, or `system:cli`. */
  actor: string;
  /** Today in England, which decides whether the month is complete. */
  today: PlainDate;
  thresholds: RuleThresholds;
  logger?: Logger;
}

/** A pre-flight check that passed: no error and every warning confirmed. */
interface PassedCheck {
  counts: SubmissionCheckCounts;
  /** Confirmed warnings by rule code. */
  warningsByRule: Record<string, number>;
  checkedAt: Date;
}

/**
 * Runs the pre-flight check on the server and raises `SubmissionRejectedError` unless the
 * month is complete and not before the agency's first episode, no error remains and every warning is confirmed. `step` names what
 * was rejected in the message, such as "The submission was not generated".
 */
async function requirePassingCheck(db: Kysely<Database>, options: GenerateOptions, step: { rejected: string; retry: string }): Promise<PassedCheck> {
  const periodProblem = await agencyPeriodProblem(db, options.agency, options.period, options.today);
  if (periodProblem) throw new SubmissionRejectedError(periodProblem, 'period');

  const check = await checkPeriod(db, { agency: options.agency, period: options.period, thresholds: options.thresholds });
  const reviewed = await withConfirmations(db, options.agency.id, check.findings);
  const blocking = blockingFindings(reviewed);
  const unconfirmed = blocking.unconfirmedWarnings.reduce((sum, entry) => sum + entry.count, 0);
  if (check.errors > 0 || unconfirmed > 0) {
    throw new SubmissionRejectedError(blockingMessage(check.errors, unconfirmed, step), 'findings', blocking);
  }

  const warningsByRule: Record<string, number> = {};
  for (const entry of check.findingsByRule) warningsByRule[entry.code] = entry.count;
  return {
    counts: { errors: 0, warnings: check.warnings, confirmedWarnings: check.warnings, clients: check.clients },
    warningsByRule,
    checkedAt: new Date(),
  };
}

function blockingFindings(reviewed: ReviewedFinding[]): BlockingFindings {
  const count = (findings: ReviewedFinding[]): { code: string; count: number }[] => {
    const counts = new Map<string, number>();
    for (const finding of findings) counts.set(finding.code, (counts.get(finding.code) ?? 0) + 1);
    return [...counts].map(([code, total]) => ({ code, count: total })).sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }));
  };
  return {
    errors: count(reviewed.filter((finding) => finding.severity === 'error')),
    unconfirmedWarnings: count(reviewed.filter((finding) => finding.severity === 'warning' && !finding.confirmation)),
  };
}

function blockingMessage(errors: number, unconfirmed: number, step: { rejected: string; retry: string }): string {
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} ${errors === 1 ? 'error remains' : 'errors remain'}`);
  if (unconfirmed > 0) parts.push(`${unconfirmed} ${unconfirmed === 1 ? 'warning is' : 'warnings are'} not confirmed`);
  return `${step.rejected}: ${parts.join(' and ')}. Fix every error and confirm every warning, then ${step.retry}.`;
}

/**
 * Stores a `checked` submission: the month's check passed, and the row records who ran it,
 * when, and its counts, before any file exists. Earlier unused checks of the same month
 * become superseded, so at most one waits for generation. Returns the new row's id.
 */
export async function recordCheck(db: Kysely<Database>, options: GenerateOptions): Promise<number> {
  const passed = await requirePassingCheck(db, options, { rejected: 'The check was not recorded', retry: 'record the check again' });
  const period = formatReportingPeriod(options.period);

  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('submissions')
      .values({
        agency_id: options.agency.id,
        period,
        status: 'checked',
        file_name: cdsQDataset.conventions.fileName(options.agency.code, period),
        findings_by_rule: JSON.stringify(passed.warningsByRule),
        check_counts: JSON.stringify(passed.counts),
        created_by: options.actor,
        checked_by: options.actor,
        checked_at: passed.checkedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await supersedeOthers(trx, { agencyId: options.agency.id, period, keep: row.id, actor: options.actor, statuses: ['checked'] });
    await recordAuditEvent(trx, {
      actor: options.actor,
      action: 'submission.check',
      entity: 'submission',
      entityId: row.id,
      after: { agency: options.agency.code, period, status: 'checked', ...passed.counts },
    });
    return row.id;
  });
}

/**
 * Generates and stores the month's CDS-Q file. The check runs again here on the server,
 * because records may have changed since it was recorded, so the file is rejected while any
 * error remains or any warning is unconfirmed, whatever the page showed. The file is
 * written by `exportPeriod`, the same code as `waymark export`. Returns the submission's id:
 * the month's latest `checked` row when there is one, or else a new row.
 */
export async function generateSubmission(db: Kysely<Database>, options: GenerateOptions): Promise<number> {
  const passed = await requirePassingCheck(db, options, { rejected: 'The submission was not generated', retry: 'generate it again' });

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
    if (!result.written || result.manifest.warnings !== passed.counts.warnings) {
      throw new SubmissionRejectedError('Records changed while the file was being generated. Run the check again, then generate the submission.', 'records-changed');
    }
    const file = await readFile(outputPath);
    return await storeSubmission(db, { agencyId: options.agency.id, manifest: result.manifest, file, actor: options.actor, check: passed });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Stores a generated file as the month's current submission in one transaction. The
 * month's latest `checked` row becomes `generated` and keeps who checked it and when.
 * Without one, a new row records this check and the generation together. Every other
 * row of the month that is not yet superseded becomes superseded. Each step is audited.
 */
async function storeSubmission(
  db: Kysely<Database>,
  options: { agencyId: number; manifest: ExportManifest; file: Uint8Array; actor: string; check: PassedCheck },
): Promise<number> {
  const { manifest } = options;
  return db.transaction().execute(async (trx) => {
    const checked = await trx
      .selectFrom('submissions')
      .select('id')
      .where('agency_id', '=', options.agencyId)
      .where('period', '=', manifest.period)
      .where('status', '=', 'checked')
      .orderBy('id', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    const generated = {
      status: 'generated' as const,
      file_name: manifest.file,
      sha256: manifest.sha256,
      row_counts: JSON.stringify(manifest.rowCounts),
      findings_by_rule: JSON.stringify(manifest.findingsByRule),
      file: options.file,
      manifest: JSON.stringify(manifest),
      generated_by: options.actor,
      generated_at: new Date(),
    };

    const id = checked
      ? (await trx.updateTable('submissions').set(generated).where('id', '=', checked.id).returning('id').executeTakeFirstOrThrow()).id
      : (
          await trx
            .insertInto('submissions')
            .values({
              ...generated,
              agency_id: options.agencyId,
              period: manifest.period,
              created_by: options.actor,
              checked_by: options.actor,
              checked_at: options.check.checkedAt,
              check_counts: JSON.stringify(options.check.counts),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;

    await supersedeOthers(trx, { agencyId: options.agencyId, period: manifest.period, keep: id, actor: options.actor, statuses: ['checked', 'generated', 'sent'] });
    await recordAuditEvent(trx, {
      actor: options.actor,
      action: 'submission.generate',
      entity: 'submission',
      entityId: id,
      ...(checked ? { before: { status: 'checked' } } : {}),
      after: { agency: manifest.agency, period: manifest.period, status: 'generated', sha256: manifest.sha256, rows: manifest.rowCounts.total, warnings: manifest.warnings },
    });
    return id;
  });
}

/** Marks every row of the month in one of `statuses`, except `keep`, as superseded, with an audit event for each. */
async function supersedeOthers(
  trx: Transaction<Database>,
  options: { agencyId: number; period: string; keep: number; actor: string; statuses: SubmissionStatus[] },
): Promise<void> {
  const replaced = await trx
    .updateTable('submissions')
    .set({ status: 'superseded', superseded_by: options.actor, superseded_at: new Date() })
    .where('agency_id', '=', options.agencyId)
    .where('period', '=', options.period)
    .where('status', 'in', options.statuses)
    .where('id', '!=', options.keep)
    .returning(['id', 'generated_at'])
    .execute();
  for (const old of replaced) {
    await recordAuditEvent(trx, {
      actor: options.actor,
      action: 'submission.supersede',
      entity: 'submission',
      entityId: old.id,
      after: { status: 'superseded', supersededBy: options.keep, generated: old.generated_at !== null },
    });
  }
}

/** Records that a generated submission was sent. Only the month's current, unsent submission can be marked. */
export async function markSubmissionSent(db: Kysely<Database>, options: { submissionId: number; actor: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('submissions').select(['id', 'status']).where('id', '=', options.submissionId).forUpdate().executeTakeFirst();
    if (!current) throw new SubmissionRejectedError(`Submission ${options.submissionId} was not found.`);
    if (current.status === 'sent') throw new SubmissionRejectedError('This submission is already marked as sent.');
    if (current.status === 'checked') throw new SubmissionRejectedError('This submission is checked but has no file yet. Generate the submission, send the file, then mark it as sent.');
    if (current.status !== 'generated') throw new SubmissionRejectedError('This submission was superseded by a later one and cannot be marked as sent. Send the current submission instead.');
    const sentAt = new Date();
    await trx.updateTable('submissions').set({ status: 'sent', sent_by: options.actor, sent_at: sentAt }).where('id', '=', current.id).execute();
    await recordAuditEvent(trx, { actor: options.actor, action: 'submission.send', entity: 'submission', entityId: current.id, before: { status: current.status }, after: { status: 'sent', sentAt: sentAt.toISOString() } });
  });
}
