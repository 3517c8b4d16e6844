import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { cdsQDataset } from '../../dataset/index.js';
import { parseFieldValue } from '../../dataset/parse-field.js';
import { todayInEngland } from '../../domain/plain-date.js';
import { parseReportingPeriod, periodOf, previousPeriod, type ReportingPeriod } from '../../domain/reporting-period.js';
import { writeCdsQFile } from '../../file/writer.js';
import { generateClients } from '../../generate/generate-clients.js';
import { takeRows } from '../../generate/row-target.js';
import { describeFileError, exitCodes, inputError, usageError } from '../cli-error.js';

interface GenerateCommandOptions {
  clients?: string;
  rows?: string;
  agency: string;
  period?: string;
  seed: string;
  output?: string;
}

export function register(program: Command): void {
  program
    .command('generate')
    .description('Write a CDS-Q file of synthetic clients for demonstrations, tests and benchmarks (never real data)')
    .option('--clients <count>', 'number of clients to generate')
    .option('--rows <count>', 'generate clients until the file has at least this many data rows (in place of --clients)')
    .option('--agency <code>', 'NDTMS agency code written on every row', 'DEMO1')
    .option('--period <YYYY-MM>', 'reporting month: no date is later than its last day (default: the last complete month)')
    .option('--seed <number>', 'seed of the random generator: the same arguments always give the same file', '1')
    .option('-o, --output <file>', 'file to write (default: standard output)')
    .action(async (options: GenerateCommandOptions) => {
      const settings = settingsFrom(options);
      const generated = generateClients({ clients: settings.clients, agency: settings.agency, period: settings.period, seed: settings.seed });
      const clients = settings.rows === undefined ? generated : takeRows(generated, settings.rows);
      await writeTo(options.output, (output) => writeCdsQFile(clients, output, cdsQDataset));
      process.exitCode = exitCodes.ok;
    });
}

interface GenerateSettings {
  clients: number;
  rows: number | undefined;
  agency: string;
  period: ReportingPeriod;
  seed: number;
}

function settingsFrom(options: GenerateCommandOptions): GenerateSettings {
  if ((options.clients === undefined) === (options.rows === undefined)) {
    throw usageError('give either --clients or --rows, for example --clients 1000.');
  }
  const rows = options.rows === undefined ? undefined : wholeNumber('--rows', options.rows);
  const agencyCheck = parseFieldValue(cdsQDataset.field('client', 'agency'), options.agency);
  if (!agencyCheck.ok) throw usageError(`--agency: ${agencyCheck.problem.message}`);

  return {
    clients: options.clients === undefined ? Number.MAX_SAFE_INTEGER : wholeNumber('--clients', options.clients),
    rows,
    agency: options.agency,
    period: periodFrom(options.period),
    seed: wholeNumber('--seed', options.seed),
  };
}

function periodFrom(text: string | undefined): ReportingPeriod {
  if (text === undefined) return previousPeriod(periodOf(todayInEngland()));
  const period = parseReportingPeriod(text);
  if (!period) throw usageError(`--period is ${text}, which is not a reporting month. Give it as YYYY-MM, for example 2024-03.`);
  return period;
}

function wholeNumber(option: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw usageError(`${option} is ${text}, which is not a whole number. Give digits only, for example ${option} 1000.`);
  return value;
}

/** Runs the writer on the output file, or on standard output when no file is given. */
async function writeTo(path: string | undefined, write: (output: Writable) => Promise<unknown>): Promise<void> {
  if (path === undefined) {
    await write(process.stdout);
    return;
  }
  const output = createWriteStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    output.once('open', () => resolve());
    output.once('error', reject);
  });
  try {
    await opened;
    // The writer ends the stream and waits until everything is flushed.
    await write(output);
  } catch (error) {
    const problem = describeFileError(error);
    if (problem) throw inputError(`cannot write ${path}: ${problem}.`);
    throw error;
  }
}
