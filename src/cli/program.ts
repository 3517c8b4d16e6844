import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, exitCodes } from './cli-error.js';

/** A command module's hook: adds its sub-command, options and action to the program. */
export type RegisterCommand = (program: Command) => void;

function packageVersion(): string {
  const packageUrl = new URL('../../../package.json', import.meta.url);
  const manifest = JSON.parse(readFileSync(packageUrl, 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/** Builds the `waymark` program without sub-commands. Errors throw instead of exiting, so runProgram sets the exit code. */
export function createProgram(): Command {
  const program = new Command('waymark');
  program
    .description('Record, check and write NDTMS CDS-Q drug and alcohol treatment data.')
    .version(packageVersion(), '-V, --version', 'print the version of Waymark')
    .helpOption('-h, --help', 'show help for a command')
    .addHelpText(
      'after',
      '\nExit codes: 0 no errors, 1 errors found (or nothing found), 2 bad usage or unreadable input, 70 a bug in Waymark.',
    )
    .exitOverride()
    .showSuggestionAfterError(true);
  return program;
}

/**
 * Parses the arguments and runs the chosen command. Expected failures print one line on
 * standard error and set exit code 2. A bug prints its stack trace and sets exit code 70.
 */
export async function runProgram(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  // Commander has already printed its own one-line message, or the help or version requested.
  if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usageOrInput;

  if (error instanceof CliError) {
    process.stderr.write(`waymark: ${error.message}\n`);
    return error.exitCode;
  }

  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`waymark: internal error. Report it with the command you ran and the lines below.\n${detail}\n`);
  return exitCodes.internal;
}
