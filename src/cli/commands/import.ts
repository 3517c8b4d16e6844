import type { Command } from 'commander';
import { cdsQDataset } from '../../dataset/index.js';
import { todayInEngland } from '../../domain/plain-date.js';
import { findAgency } from '../../db/agencies-repository.js';
import { agencyCodeProblem } from '../../db/command-support.js';
import { openDatabase } from '../../db/database.js';
import { importFile, MixedAgenciesError, type ImportResult } from '../../db/import-file.js';
import { createCommandLogger } from '../../db/logger.js';
import { UnreadableFileError } from '../../file/unreadable-file-error.js';
import { addActingOptions, resolveCommandActor, type ActingOptions } from '../acting-as.js';
import { describeFileError, exitCodes, inputError, usageError } from '../cli-error.js';
import { validationText } from '../format/validation-report.js';
import { thresholdsFromOption } from '../thresholds-option.js';

/** Importing writes client records, which is the data officer's work. */
const importPermission = 'month-end:manage';

interface ImportCommandOptions extends ActingOptions {
  agency?: string;
  acceptValidClients?: boolean;
  thresholds?: string;
}

export function register(program: Command): void {
  const command = program
    .command('import')
    .description('Validate a CDS-Q file and import its clients into the database (WAYMARK_DATA_DIR or DATABASE_URL)')
    .argument('<file>', 'CDS-Q file to import')
    .option('--agency <code>', 'agency to import into (default: the AGNCY in the file); created when missing')
    .option('--accept-valid-clients', 'import every client without errors, each in its own transaction, and list the others')
    .option('--thresholds <file>', 'JSON file of rule thresholds to use in place of the defaults');
  addActingOptions(command, importPermission).action(async (file: string, options: ImportCommandOptions) => {
    if (options.agency !== undefined) {
      const problem = agencyCodeProblem(options.agency);
      if (problem) throw usageError(problem);
    }
    const thresholds = await thresholdsFromOption(options.thresholds);
    const logger = createCommandLogger('waymark-import');
    const database = await openDatabase({ logger });
    try {
      const agency = options.agency === undefined ? undefined : await findAgency(database.db, options.agency);
      const { actor } = await resolveCommandActor(database.db, options, importPermission, agency?.organisationId);
      const result = await runImport(database.db, file, options, actor, thresholds, logger);
      process.stdout.write(importReport(file, result));
      process.exitCode = result.validation.errors > 0 || result.skipped.length > 0 ? exitCodes.findings : exitCodes.ok;
    } finally {
      await database.close();
    }
  });
}

async function runImport(
  db: Parameters<typeof importFile>[0],
  file: string,
  options: ImportCommandOptions,
  actor: string,
  thresholds: Awaited<ReturnType<typeof thresholdsFromOption>>,
  logger: ReturnType<typeof createCommandLogger>,
): Promise<ImportResult> {
  try {
    return await importFile(db, {
      filePath: file,
      ...(options.agency === undefined ? {} : { agencyCode: options.agency }),
      acceptValidClients: options.acceptValidClients === true,
      dataset: cdsQDataset,
      thresholds,
      latestAllowedDate: todayInEngland(),
      actor,
      logger,
    });
  } catch (error) {
    if (error instanceof UnreadableFileError || error instanceof MixedAgenciesError) throw inputError(`${file}: ${error.message}`);
    const fileProblem = describeFileError(error);
    if (fileProblem) throw inputError(`cannot read ${file}: ${fileProblem}.`);
    throw error;
  }
}

/** Formats the validation findings, any clients left out, then `N added, N updated, N unchanged`. */
export function importReport(file: string, result: ImportResult): string {
  const { validation } = result;
  const lines = [validationText(file, validation).trimEnd()];

  if (!result.imported) {
    lines.push(`Nothing imported: ${file} has ${validation.errors} errors. Fix them and import again, or use --accept-valid-clients to import the clients without errors.`);
    return `${lines.join('\n')}\n`;
  }

  for (const skipped of result.skipped) {
    const why = skipped.reason ?? `${skipped.errors} ${skipped.errors === 1 ? 'error' : 'errors'}`;
    lines.push(`client ${skipped.clientId} not imported: ${why}`);
  }
  if (result.agency?.created) lines.push(`Agency ${result.agency.code} was not in the database and has been created.`);
  const { added, updated, unchanged } = result.counts;
  lines.push(`${added} added, ${updated} updated, ${unchanged} unchanged`);
  return `${lines.join('\n')}\n`;
}
