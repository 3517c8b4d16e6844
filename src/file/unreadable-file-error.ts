/**
 * Raised when a file cannot be read as CSV text at all, so no row can be checked: binary
 * content, invalid UTF-8, an unclosed quote, an oversized row, or no data rows. The
 * message is one line meant for the person who supplied the file.
 */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError';
  /** Physical line of the file where the problem was found, when known (the header is line 1). */
  readonly line: number | undefined;

  constructor(message: string, line?: number) {
    super(message);
    this.line = line;
  }
}
