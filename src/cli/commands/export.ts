import { Option, type Command } from 'commander';
import { cdsQDataset } from '../../dataset/index.js';
import { formatReportingPeriod, parseReportingPeriod } from '../../domain/reporting-period.js';
import { findAgency } from '../../db/agencies-repository.js';
import { agencyCodeProblem, recordFindingLine, softwareIdentity } from '../../db/command-support.js';
import { openDatabase } from '../../db/database.js';
import { exportPeriod, type ExportResult } from '../../db/export-period.js';
import { createCommandLogger } from '../../db/logger.js';
import { addActingOptions, resolveCommandActor, type ActingOptions } from '../acting-as.js';
import { describeFileError, exitCodes, inputError, usageError } from '../cli-error.js';
import { thresholdsFromOption } from '../thresholds-option.js';

interface ExportCommandOptions extends ActingOptions {
  agency: string;
  period: string;
  output?: string;
  allowErrors?: boolean;
  thresholds?: string;
}

export function register(program: Command): void {
  const command = program
    .command('export')
    .description('Write the monthly CDS-Q file of an agency from the database, with a manifest beside it')
    .addOption(new Option('--agency <code>', 'NDTMS agency code').makeOptionMandatory())
    .addOption(new Option('--period <YYYY-MM>', 'reporting month, such as 2024-03').makeOptionMandatory())
    .option('-o, --output <file>', 'file to write (default: the dataset file name, such as DEMO1_202403_CDSQ.csv)')
    .option('--allow-errors', 'write the file even when validation finds errors')
    .option('--thresholds <file>', 'JSON file of rule thresholds to use in place of the defaults');
  addActingOptions(command, 'month-end:manage').action(async (options: ExportCommandOptions) => {
    const agencyProblem = agencyCodeProblem(options.agency);
    if (agencyProblem) throw usageError(agencyProblem);
    const period = parseReportingPeriod(options.period);
    if (!period) throw usageError(`--period ${JSON.stringify(options.period)} is not a reporting month: give it as YYYY-MM, such as 2024-03.`);
    const thresholds = await thresholdsFromOption(options.thresholds);
    const outputPath = options.output ?? cdsQDataset.conventions.fileName(options.agency, formatReportingPeriod(period));

    const logger = createCommandLogger('waymark-export');
    const database = await openDatabase({ logger });
    try {
      const agency = await findAgency(database.db, options.agency);
      if (!agency) throw inputError(`agency ${options.agency} is not in the database. Check the code, or import a file for that agency first.`);
      const { actor } = await resolveCommandActor(database.db, options, 'month-end:manage', agency.organisationId);
      const result = await exportPeriod(database.db, {
        agency: { id: agency.id, code: agency.code },
        period,
        outputPath,
        dataset: cdsQDataset,
        thresholds,
        allowErrors: options.allowErrors === true,
        actor,
        software: softwareIdentity(),
        logger,
      }).catch((error: unknown) => {
        const fileProblem = describeFileError(error);
        if (fileProblem) throw inputError(`cannot write ${outputPath}: ${fileProblem}.`);
        throw error;
      });
      process.stdout.write(exportReport(outputPath, result));
      process.exitCode = result.manifest.errors > 0 ? exitCodes.findings : exitCodes.ok;
    } finally {
      await database.close();
    }
  });
}

/** Formats one line per finding, then what was written or why nothing was. */
export function exportReport(outputPath: string, result: ExportResult): string {
  const { manifest } = result;
  const lines = result.findings.map(recordFindingLine);
  const counts = manifest.rowCounts;

  if (!result.written) {
    lines.push(
      `Export refused: the ${manifest.period} data of ${manifest.agency} has ${manifest.errors} errors and ${manifest.warnings} warnings. ` +
        'Fix the errors, or use --allow-errors to write the file anyway.',
    );
    return `${lines.join('\n')}\n`;
  }

  lines.push(
    `Wrote ${outputPath}: ${counts.total} rows for ${manifest.clients} clients ` +
      `(${counts.intervention} intervention, ${counts.review} review, ${counts.episodeOnly} episode-only, ${counts.noConsent} no-consent), ` +
      `${manifest.errors} errors, ${manifest.warnings} warnings`,
  );
  lines.push(`Manifest: ${result.manifestPath} (SHA-256 ${manifest.sha256})`);
  return `${lines.join('\n')}\n`;
}
