import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Option, type Command } from 'commander';
import { cdsQDataset } from '../../dataset/index.js';
import { todayInEngland, type PlainDate } from '../../domain/plain-date.js';
import { parseReportingPeriod, periodEnd } from '../../domain/reporting-period.js';
import { UnreadableFileError } from '../../file/unreadable-file-error.js';
import { describeFileError, exitCodes, inputError, usageError } from '../cli-error.js';
import { validationJson, validationText } from '../format/validation-report.js';
import { startProgress } from '../progress.js';
import { thresholdsFromOption } from '../thresholds-option.js';

type ValidateFormat = 'text' | 'json';

interface ValidateOptions {
  period?: string;
  format: ValidateFormat;
  thresholds?: string;
}

const standardInput = '-';

export function register(program: Command): void {
  program
    .command('validate')
    .description('Check a CDS-Q file against every rule and list each error and warning with its line and field')
    .argument('<file>', 'the CDS-Q file to check, or - to read standard input')
    .option('--period <YYYY-MM>', 'reporting month; dates after its last day are errors (default: dates after today in England are errors)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--thresholds <file>', 'JSON file of rule thresholds; keys left out keep their defaults (see waymark rules)')
    .addHelpText('after', '\nExit code 0 when the file has no errors (warnings allowed), 1 when it has errors, 2 when it cannot be read.')
    .action(async (file: string, options: ValidateOptions) => {
      process.exitCode = await validateCommand(file, options);
    });
}

async function validateCommand(file: string, options: ValidateOptions): Promise<number> {
  const latestAllowedDate = latestAllowedDateFor(options.period);
  const thresholds = await thresholdsFromOption(options.thresholds);
  const { input, sizeBytes } = await openInput(file);
  const fileLabel = file === standardInput ? 'stdin' : file;

  // Loaded here so the other commands start without the CSV reader and its dependencies.
  const { validateFile } = await import('../../file/validate-file.js');
  const progress = startProgress(sizeBytes);
  let result;
  try {
    result = await validateFile(input, {
      dataset: cdsQDataset,
      thresholds,
      latestAllowedDate,
      onProgress: (bytesRead) => progress.update(bytesRead),
    });
  } catch (error) {
    throw asInputError(error, fileLabel);
  } finally {
    progress.stop();
  }

  const output = options.format === 'json' ? `${JSON.stringify(validationJson(fileLabel, result))}\n` : validationText(fileLabel, result);
  process.stdout.write(output);
  return result.errors > 0 ? exitCodes.findings : exitCodes.ok;
}

function latestAllowedDateFor(period: string | undefined): PlainDate {
  if (period === undefined) return todayInEngland();
  const parsed = parseReportingPeriod(period);
  if (!parsed) throw usageError(`--period "${period}" is invalid. Give the reporting month as YYYY-MM, for example 2024-03.`);
  return periodEnd(parsed);
}

/** Opens the file, or standard input for `-`. The size, when known, drives the progress bar. */
async function openInput(file: string): Promise<{ input: Readable; sizeBytes: number | undefined }> {
  if (file === standardInput) return { input: process.stdin, sizeBytes: undefined };

  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw asInputError(error, file);
  }
  if (info.isDirectory()) throw inputError(`cannot read ${file}: it is a folder, not a file.`);

  // An open failure after the stat, such as a permission error, reaches validateFile as a stream error.
  return { input: createReadStream(file), sizeBytes: info.isFile() ? info.size : undefined };
}

/** Turns the failures that mean "this input cannot be read" into one-line input errors. Any other error is a bug and passes through. */
function asInputError(error: unknown, fileLabel: string): unknown {
  if (error instanceof UnreadableFileError) return inputError(`cannot read ${fileLabel}: ${error.message}`);
  const fileProblem = describeFileError(error);
  if (fileProblem) return inputError(`cannot read ${fileLabel}: ${fileProblem}.`);
  return error;
}
