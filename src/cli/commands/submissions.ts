import { Option, type Command } from 'commander';
import { formatReportingPeriod } from '../../domain/reporting-period.js';
import { recordAuditEvent } from '../../db/audit.js';
import { openDatabase } from '../../db/database.js';
import { createCommandLogger } from '../../db/logger.js';
import { listSubmissions, type SubmissionSummary } from '../../month-end/submission-records.js';
import { actorNames } from '../../web/routes/month-end-view.js';
import { addActingOptions, resolveCommandActor, type ActingOptions } from '../acting-as.js';
import { checkedAgencyCode, monthEndPeriod, storedAgency } from './check.js';

type SubmissionsFormat = 'text' | 'json';

interface SubmissionsCommandOptions extends ActingOptions {
  agency: string;
  period?: string;
  format: SubmissionsFormat;
}

export function register(program: Command): void {
  const command = program
    .command('submissions')
    .description("List an agency's stored CDS-Q submissions, latest month first, with their status, who did each step and when, counts and checksum")
    .addOption(new Option('--agency <code>', 'NDTMS agency code, such as DEMO1').makeOptionMandatory())
    .option('--period <YYYY-MM>', 'list only this reporting month, such as 2024-03')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
  addActingOptions(command, 'month-end:manage').action(async (options: SubmissionsCommandOptions) => {
    const period = options.period === undefined ? undefined : formatReportingPeriod(monthEndPeriod(options.period));
    const agencyCode = checkedAgencyCode(options.agency);

    const logger = createCommandLogger('waymark-submissions');
    const database = await openDatabase({ logger });
    try {
      const agency = await storedAgency(database.db, agencyCode);
      const { actor } = await resolveCommandActor(database.db, options, 'month-end:manage', agency.organisationId);
      const submissions = await listSubmissions(database.db, agency.id, period);
      // The list names the staff who handled each submission, so the trail records who read it.
      await recordAuditEvent(database.db, { actor, action: 'submission.list', entity: 'agency', entityId: agency.code, after: { period: period ?? null, submissions: submissions.length } });
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify(submissions, null, 2)}\n`);
        return;
      }
      const names = await actorNames(database.db, submissions.flatMap((item) => [item.checkedBy, item.generatedBy, item.sentBy, item.supersededBy]));
      process.stdout.write(submissionsText(agency.code, period, submissions, names));
    } finally {
      await database.close();
    }
  });
}

/** Formats one block per submission: its id, month and status, then one line for each step that happened. */
export function submissionsText(agencyCode: string, period: string | undefined, submissions: SubmissionSummary[], names: Map<string, string>): string {
  const scope = period === undefined ? agencyCode : `${agencyCode} for ${period}`;
  if (submissions.length === 0) return `No submission of ${scope} is stored. Run waymark submit, or use Month end in the web app.\n`;

  const actorText = (actor: string | null): string => {
    if (actor === null) return 'an unknown actor';
    const name = names.get(actor);
    return name === undefined || name === actor ? actor : `${name} (${actor})`;
  };
  const lines = [`Submissions of ${scope}, latest month first:`];
  for (const item of submissions) {
    const check = item.checkCounts;
    const clients = check.clients === undefined ? '' : `, ${check.clients} clients`;
    lines.push('', `Submission ${item.id}  ${item.period}  ${item.status}  ${item.fileName}`);
    lines.push(`  checked     ${formatUtc(item.checkedAt)} by ${actorText(item.checkedBy)}: ${check.errors} errors, ${check.warnings} warnings, ${check.confirmedWarnings} confirmed${clients}`);
    if (item.generatedAt) lines.push(`  generated   ${formatUtc(item.generatedAt)} by ${actorText(item.generatedBy)}: ${item.rowCounts?.['total'] ?? 0} rows, SHA-256 ${item.sha256 ?? ''}`);
    if (item.sentAt) lines.push(`  sent        ${formatUtc(item.sentAt)} by ${actorText(item.sentBy)}`);
    if (item.supersededAt) lines.push(`  superseded  ${formatUtc(item.supersededAt)} by ${actorText(item.supersededBy)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Formats an instant in UTC to the second, such as `2026-12-05 01:03:09 UTC`, so output does not depend on the machine's time zone. */
function formatUtc(instant: Date | null): string {
  return instant === null ? 'at an unrecorded time' : `${instant.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
