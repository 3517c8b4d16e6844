import type { ColumnType, Kysely } from 'kysely';
import type { Database, SubmissionCheckCounts, SubmissionStatus } from '../db/schema.js';

// Reading stored submissions: summaries for the history pages and `waymark submissions`,
// and the stored file and manifest for downloads and `waymark submit`.

/** One stored submission without its file. The file fields are null on a `checked` row. */
export interface SubmissionSummary {
  id: number;
  agencyId: number;
  period: string;
  status: SubmissionStatus;
  fileName: string;
  sha256: string | null;
  rowCounts: Record<string, number> | null;
  /** Warnings by rule code, all confirmed. */
  findingsByRule: Record<string, number>;
  checkCounts: SubmissionCheckCounts;
  createdBy: string;
  createdAt: Date;
  checkedBy: string | null;
  checkedAt: Date | null;
  generatedBy: string | null;
  generatedAt: Date | null;
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
  'check_counts',
  'created_by',
  'created_at',
  'checked_by',
  'checked_at',
  'generated_by',
  'generated_at',
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
    status: row.status,
    fileName: row.file_name,
    sha256: row.sha256,
    rowCounts: row.row_counts,
    findingsByRule: row.findings_by_rule,
    checkCounts: row.check_counts,
    createdBy: row.created_by,
    createdAt: row.created_at,
    checkedBy: row.checked_by,
    checkedAt: row.checked_at,
    generatedBy: row.generated_by,
    generatedAt: row.generated_at,
    sentBy: row.sent_by,
    sentAt: row.sent_at,
    supersededBy: row.superseded_by,
    supersededAt: row.superseded_at,
  };
}

/**
 * Lists an agency's submissions, newest month first and the latest row first within a
 * month. `period` (`YYYY-MM`) keeps only that month's rows.
 */
export async function listSubmissions(db: Kysely<Database>, agencyId: number, period?: string): Promise<SubmissionSummary[]> {
  let query = db.selectFrom('submissions').select(summaryColumns).where('agency_id', '=', agencyId);
  if (period !== undefined) query = query.where('period', '=', period);
  const rows = await query.orderBy('period', 'desc').orderBy('id', 'desc').execute();
  return rows.map(summaryOf);
}

export async function findSubmission(db: Kysely<Database>, id: number): Promise<SubmissionSummary | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const row = await db.selectFrom('submissions').select(summaryColumns).where('id', '=', id).executeTakeFirst();
  return row ? summaryOf(row) : undefined;
}

/** Reads the stored file and manifest of a submission, or returns undefined when it has no file, as a `checked` row has none. */
export async function readSubmissionFile(db: Kysely<Database>, id: number): Promise<{ file: Uint8Array; manifest: unknown } | undefined> {
  const row = await db.selectFrom('submissions').select(['file', 'manifest']).where('id', '=', id).executeTakeFirst();
  return row?.file ? { file: row.file, manifest: row.manifest } : undefined;
}

/** Formats a stored manifest as the JSON file written beside a submission, the same text the web app's download sends. */
export function manifestText(manifest: unknown): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
