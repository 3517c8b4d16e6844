/**
 * An expected failure of a command: bad usage or input that cannot be read. The program
 * prints its message as one line on standard error, with no stack trace, and exits with
 * its exit code.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Exit codes shared by every command. */
export const exitCodes = {
  /** The command ran and found no errors (warnings may remain). */
  ok: 0,
  /** The command ran and found errors, or found nothing to show. */
  findings: 1,
  /** Bad usage, or input that could not be read. */
  usageOrInput: 2,
  /** A bug in Waymark: the program prints the stack trace. */
  internal: 70,
} as const;

export function usageError(message: string): CliError {
  return new CliError(message, exitCodes.usageOrInput);
}

export function inputError(message: string): CliError {
  return new CliError(message, exitCodes.usageOrInput);
}

/** Describes a Node.js file system error in a few words, such as "file not found". */
export function describeFileError(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return undefined;
  switch (error.code) {
    case 'ENOENT':
      return 'file not found';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error.message;
  }
}
