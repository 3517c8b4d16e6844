import { rename, rm, writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { todayInEngland } from '../../domain/plain-date.js';
import { openDatabase } from '../../db/database.js';
import { createCommandLogger } from '../../db/logger.js';
import { findSubmission, manifestText, readSubmissionFile, type SubmissionSummary } from '../../month-end/submission-records.js';
import { generateSubmission, SubmissionRejectedError, type BlockingFindings } from '../../month-end/submissions.js';
import { defaultThresholds } from '../../rules/thresholds.js';
import { addActingOptions, resolveCommandActor, type ActingOptions } from '../acting-as.js';
import { describeFileError, exitCodes, inputError, usageError } from '../cli-error.js';
import { alignedTable } from '../format/table.js';
import { checkedAgencyCode, monthEndPeriod, storedAgency } from './check.js';

interface SubmitCommandOptions extends ActingOptions {
  agency: string;
  period: string;
  out?: string;
}

export function register(program: Command): void {
  const command = program
    .command('submit')
    .description("Check a month of an agency's records and, when no error remains and every warning is confirmed, store the CDS-Q submission and write its file and manifest")
    .addOption(new Option('--agency <code>', 'NDTMS agency code, such as DEMO1').makeOptionMandatory())
    .addOption(new Option('--period <YYYY-MM>', 'reporting month, such as 2024-03; only a complete month can be submitted').makeOptionMandatory())
    .option('-o, --out <file>', 'file to write, with the manifest beside it as <file>.manifest.json (default: the dataset file name, such as DEMO1_202403_CDSQ.csv)')
    .addHelpText(
      'after',
      '\nRuns the same check as the web app before it stores anything, with the default rule thresholds. ' +
        'Warnings can be confirmed only in the web app.\n' +
        'Exit code 0 when the submission is stored, 1 when errors remain or warnings are unconfirmed (nothing is stored), ' +
        '2 on bad usage, an unknown agency or a month that is not complete.',
    );
  addActingOptions(command, 'month-end:manage').action(async (options: SubmitCommandOptions) => {
    const period = monthEndPeriod(options.period);
    const agencyCode = checkedAgencyCode(options.agency);

    const logger = createCommandLogger('waymark-submit');
    const database = await openDatabase({ logger });
    try {
      const agency = await storedAgency(database.db, agencyCode);
      const { actor } = await resolveCommandActor(database.db, options, 'month-end:manage', agency.organisationId);
      let id: number;
      try {
        id = await generateSubmission(database.db, { agency, period, actor, today: todayInEngland(), thresholds: defaultThresholds, logger });
      } catch (error) {
        if (!(error instanceof SubmissionRejectedError)) throw error;
        if (error.reason === 'period') throw usageError(`--period ${options.period}: ${error.message}`);
        logger.info({ agency: agency.code, period: options.period, reason: error.reason }, 'submission rejected');
        process.stdout.write(rejectionText(agency.code, options.period, error));
        process.exitCode = exitCodes.findings;
        return;
      }

      const submission = await findSubmission(database.db, id);
      const stored = await readSubmissionFile(database.db, id);
      if (!submission || !stored) throw new Error(`Submission ${id} was stored but cannot be read back`);
      const outputPath = options.out ?? submission.fileName;
      await writeSubmissionFiles(outputPath, stored).catch((error: unknown) => {
        const fileProblem = describeFileError(error);
        if (!fileProblem) throw error;
        throw inputError(`submission ${id} is stored, but ${outputPath} could not be written: ${fileProblem}. Download the file from the submission's page in the web app.`);
      });
      logger.info({ agency: agency.code, period: submission.period, submissionId: id }, 'submission stored');
      process.stdout.write(storedText(agency.code, submission, outputPath));
      process.exitCode = exitCodes.ok;
    } finally {
      await database.close();
    }
  });
}

/**
 * Writes the file and its manifest, each under a temporary name first, so that an
 * interrupted write never leaves a file that looks complete.
 */
async function writeSubmissionFiles(outputPath: string, stored: { file: Uint8Array; manifest: unknown }): Promise<void> {
  const files: [string, Uint8Array | string][] = [
    [outputPath, stored.file],
    [`${outputPath}.manifest.json`, manifestText(stored.manifest)],
  ];
  for (const [path, content] of files) {
    const partialPath = `${path}.partial`;
    try {
      await writeFile(partialPath, content);
      await rename(partialPath, path);
    } catch (error) {
      await rm(partialPath, { force: true });
      throw error;
    }
  }
}

/** Describes a stored submission: its id, status, counts and checksum, then the files written. */
export function storedText(agencyCode: string, submission: SubmissionSummary, outputPath: string): string {
  const check = submission.checkCounts;
  const rows = submission.rowCounts ?? {};
  const clients = check.clients === undefined ? '' : `, ${check.clients} clients`;
  return [
    `Stored submission ${submission.id} for ${agencyCode} ${submission.period}: ${submission.status}.`,
    `Check: ${check.errors} errors, ${check.warnings} warnings, ${check.confirmedWarnings} confirmed${clients}.`,
    `Rows: ${rows['total'] ?? 0} (${rows['intervention'] ?? 0} intervention, ${rows['review'] ?? 0} review, ${rows['episodeOnly'] ?? 0} episode-only, ${rows['noConsent'] ?? 0} no-consent).`,
    `SHA-256: ${submission.sha256 ?? ''}`,
    `Wrote ${outputPath}`,
    `Manifest: ${outputPath}.manifest.json`,
    '',
  ].join('\n');
}

/** Explains why nothing was stored, with counts by rule code and no client data. */
export function rejectionText(agencyCode: string, period: string, error: SubmissionRejectedError): string {
  if (!error.blocking) return `Submission rejected for ${agencyCode} ${period}: ${error.message} Nothing was stored.\n`;
  const { errors, unconfirmedWarnings } = error.blocking;
  const lines = [`Submission rejected for ${agencyCode} ${period}: ${blockingSummary(error.blocking)}. Nothing was stored.`, ''];
  const table = [
    ...errors.map((entry) => [entry.code, 'error', String(entry.count), '']),
    ...unconfirmedWarnings.map((entry) => [entry.code, 'warning', String(entry.count), 'not confirmed']),
  ];
  lines.push(...alignedTable(table).map((line) => `  ${line}`), '');
  if (errors.length > 0) lines.push(`Fix the errors in the records: waymark check --agency ${agencyCode} --period ${period} lists each one.`);
  if (unconfirmedWarnings.length > 0) {
    lines.push('Warnings can be confirmed only in the web app: open Month end, check the month, and confirm each warning whose record is right.');
  }
  lines.push(`Then run waymark submit again.`);
  return `${lines.join('\n')}\n`;
}

function blockingSummary(blocking: BlockingFindings): string {
  const errors = blocking.errors.reduce((sum, entry) => sum + entry.count, 0);
  const unconfirmed = blocking.unconfirmedWarnings.reduce((sum, entry) => sum + entry.count, 0);
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} ${errors === 1 ? 'error remains' : 'errors remain'}`);
  if (unconfirmed > 0) parts.push(`${unconfirmed} ${unconfirmed === 1 ? 'warning is' : 'warnings are'} not confirmed`);
  return parts.join(' and ');
}
