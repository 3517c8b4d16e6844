import type { Migration, MigrationProvider } from 'kysely/migration';
import { initialSchema } from './0001-initial-schema.js';
import { clientRefByteOrderIndex } from './0002-client-ref-byte-order-index.js';
import { accountSecurity } from './0003-account-security.js';
import { breakGlass } from './0004-break-glass.js';
import { warningConfirmations } from './0006-warning-confirmations.js';
import { auditAppendOnly } from './0005-audit-append-only.js';
import { submissionChecked } from './0008-submission-checked.js';
import { correctionGrants } from './0009-correction-grants.js';
import { clientChangeStamps } from './0010-client-change-stamps.js';
import { staffChangeNotices } from './0011-staff-change-notices.js';

/**
 * Every migration, keyed by name. Kysely applies them in name order and records each one,
 * so a name must never change once released; add new steps with the next number.
 */
const migrations: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
  '0002-client-ref-byte-order-index': clientRefByteOrderIndex,
  '0003-account-security': accountSecurity,
  '0004-break-glass': breakGlass,
  '0006-warning-confirmations': warningConfirmations,
  '0005-audit-append-only': auditAppendOnly,
  '0008-submission-checked': submissionChecked,
  '0009-correction-grants': correctionGrants,
  '0010-client-change-stamps': clientChangeStamps,
  '0011-staff-change-notices': staffChangeNotices,
};

/** A provider listed in code rather than read from a folder, so compiled builds need no file scanning. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
