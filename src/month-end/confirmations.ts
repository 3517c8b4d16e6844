import type { Kysely } from 'kysely';
import { recordAuditEvent } from '../db/audit.js';
import type { Database } from '../db/schema.js';
import type { Client } from '../domain/model.js';
import type { Finding } from '../rules/finding.js';
import type { CheckFinding } from './check.js';
import { fingerprintOf, recordKeyOf } from './finding-keys.js';

/** The stored actor and time of a warning's confirmation. */
export interface Confirmation {
  confirmedBy: string;
  confirmedAt: Date;
}

/** A finding with its confirmation, when it is a warning confirmed for the record's current values. */
export type ReviewedFinding = CheckFinding & { confirmation?: Confirmation };

function confirmationKey(code: string, recordKey: string): string {
  return `${code}\u0000${recordKey}`;
}

/**
 * Attaches each warning's confirmation. A stored confirmation counts only while its
 * fingerprint matches the finding's, so a confirmation made before the record changed is
 * ignored (and replaced when the warning is confirmed again). Errors are never confirmed.
 */
export async function withConfirmations(db: Kysely<Database>, agencyId: number, findings: CheckFinding[]): Promise<ReviewedFinding[]> {
  const rows = await db.selectFrom('warning_confirmations').select(['rule_code', 'record_key', 'fingerprint', 'confirmed_by', 'confirmed_at']).where('agency_id', '=', agencyId).execute();
  const stored = new Map(rows.map((row) => [confirmationKey(row.rule_code, row.record_key), row]));
  return findings.map((finding) => {
    if (finding.severity !== 'warning') return finding;
    const row = stored.get(confirmationKey(finding.code, finding.recordKey));
    if (!row || row.fingerprint !== finding.fingerprint) return finding;
    return { ...finding, confirmation: { confirmedBy: row.confirmed_by, confirmedAt: row.confirmed_at } };
  });
}

/**
 * Confirms the given warnings for their records' current values, in one transaction with
 * one audit event per warning. Errors in the list are ignored, because only warnings may
 * be confirmed. Returns how many warnings were confirmed.
 */
export async function confirmWarnings(db: Kysely<Database>, options: { agencyId: number; actor: string; warnings: CheckFinding[] }): Promise<number> {
  const warnings = options.warnings.filter((finding) => finding.severity === 'warning');
  if (warnings.length === 0) return 0;
  await db.transaction().execute((trx) => storeConfirmations(trx, options.agencyId, options.actor, warnings));
  return warnings.length;
}

/**
 * Stores the warnings a worker ticked "I have checked this" for while saving a record, as
 * confirmations by that worker. Call it in the save's transaction with the client as
 * saved. The record key and fingerprint are built as the month-end check builds them, so
 * the confirmation lapses in the same way when the record changes.
 *
 * NOTE: tests cover D9 from the client and episode forms and A7 from the review form, but no
 * warning from the intervention form. The forms build records with `toDomainClient`, not the
 * extraction, so a difference between the two would give a fingerprint that the month-end
 * check does not match.
 */
export async function confirmWarningsOnSave(trx: Kysely<Database>, options: { agencyId: number; actor: string; client: Client; warnings: Finding[] }): Promise<void> {
  const warnings = options.warnings
    .filter((finding) => finding.severity === 'warning')
    .map((finding) => ({ code: finding.code, recordKey: recordKeyOf(finding, options.client), fingerprint: fingerprintOf(finding, options.client) }));
  if (warnings.length > 0) await storeConfirmations(trx, options.agencyId, options.actor, warnings);
}

/** Inserts or replaces one confirmation per warning, each with an audit event. */
async function storeConfirmations(trx: Kysely<Database>, agencyId: number, actor: string, warnings: { code: string; recordKey: string; fingerprint: string }[]): Promise<void> {
  for (const warning of warnings) {
    const row = await trx
      .insertInto('warning_confirmations')
      .values({ agency_id: agencyId, rule_code: warning.code, record_key: warning.recordKey, fingerprint: warning.fingerprint, confirmed_by: actor })
      .onConflict((conflict) => conflict.columns(['agency_id', 'rule_code', 'record_key']).doUpdateSet({ fingerprint: warning.fingerprint, confirmed_by: actor, confirmed_at: new Date() }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      actor,
      action: 'warning.confirm',
      entity: 'warning_confirmation',
      entityId: row.id,
      after: { agencyId, rule: warning.code, recordKey: warning.recordKey, fingerprint: warning.fingerprint },
    });
  }
}
