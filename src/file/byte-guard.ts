import { isUtf8 } from 'node:buffer';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { UnreadableFileError } from './unreadable-file-error.js';

const lineFeed = 0x0a;

/**
 * Passes the file's bytes through unchanged after checking that they are UTF-8 text with
 * no NUL byte, and reports the bytes read so far. Checking here, before CSV parsing, lets
 * the error name the line and state plainly that the file is binary or in another encoding.
 */
export class ByteGuard extends Transform {
  private bytesRead = 0;
  /** Line feeds in the bytes already passed on, so an error can name its line. */
  private lineFeedsBefore = 0;
  /** Bytes of a UTF-8 sequence cut by the end of the last chunk, checked with the next one. */
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly onProgress?: (bytesRead: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const problem = this.check(chunk);
    if (problem) {
      if (problem.validBytes === 0) {
        callback(problem.error);
        return;
      }
      // The lines before the bad one go on first, and the error a turn later once they have
      // reached the parser, so that it still parses a header there. Two bytes of the bad line
      // go too, because csv-parse 6 emits a record only once it has seen as many bytes after
      // the line break as the longest record delimiter (CRLF) has.
      this.push(chunk.subarray(0, Math.min(chunk.length, problem.validBytes + 2)));
      setImmediate(() => callback(problem.error));
      return;
    }

    this.bytesRead += chunk.length;
    this.lineFeedsBefore += countLineFeeds(chunk, chunk.length);
    this.onProgress?.(this.bytesRead);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.carry.length > 0) {
      callback(invalidUtf8(this.lineFeedsBefore + 1));
      return;
    }
    callback();
  }

  /** Returns the problem with a chunk, if any, and how many of its bytes come before the bad line. */
  private check(chunk: Buffer): { error: UnreadableFileError; validBytes: number } | undefined {
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      const line = this.lineFeedsBefore + countLineFeeds(chunk, nul) + 1;
      const error = new UnreadableFileError(
        `Line ${line} contains a NUL byte, so the file is binary data, not CSV text. Export the data again as a CSV file.`,
        line,
      );
      return { error, validBytes: chunk.lastIndexOf(lineFeed, nul) + 1 };
    }

    // The carry was passed on with the previous chunk, so offsets in `text` are shifted by its length.
    const carried = this.carry.length;
    const text = carried > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = incompleteTailLength(text);
    const whole = text.subarray(0, text.length - cut);
    if (!isUtf8(whole)) {
      const invalid = firstInvalidLine(whole);
      return { error: invalidUtf8(this.lineFeedsBefore + invalid.line), validBytes: Math.max(0, invalid.start - carried) };
    }

    this.carry = Buffer.from(text.subarray(text.length - cut));
    return undefined;
  }
}

function invalidUtf8(line: number): UnreadableFileError {
  return new UnreadableFileError(
    `Line ${line} contains bytes that are not UTF-8 text. Save the file again with UTF-8 encoding (in Excel, "CSV UTF-8").`,
    line,
  );
}

/** Returns the length of the UTF-8 sequence that a lead byte (0xC0 or above) starts. */
function sequenceLength(leadByte: number): number {
  if (leadByte >= 0xf0) return 4;
  if (leadByte >= 0xe0) return 3;
  return 2;
}

function countLineFeeds(bytes: Buffer, end: number): number {
  let count = 0;
  let at = bytes.indexOf(lineFeed);
  while (at !== -1 && at < end) {
    count += 1;
    at = bytes.indexOf(lineFeed, at + 1);
  }
  return count;
}

/** Returns the first line of `bytes` that is not valid UTF-8: its number (from 1) and its first byte. */
function firstInvalidLine(bytes: Buffer): { line: number; start: number } {
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    const feed = bytes.indexOf(lineFeed, start);
    const end = feed === -1 ? bytes.length : feed;
    if (!isUtf8(bytes.subarray(start, end))) return { line, start };
    if (feed === -1) break;
    line += 1;
    start = feed + 1;
  }
  return { line, start: 0 };
}

/**
 * Returns how many bytes at the end of `bytes` start a multi-byte UTF-8 character that the
 * next chunk completes, so they are checked with that chunk and not reported as invalid.
 */
function incompleteTailLength(bytes: Buffer): number {
  const lookBack = Math.min(3, bytes.length);
  for (let back = 1; back <= lookBack; back += 1) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0xc0) return 0;
    return sequenceLength(byte) > back ? back : 0;
  }
  return 0;
}
