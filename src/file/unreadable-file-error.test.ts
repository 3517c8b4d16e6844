import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvFile, interventionRow } from './testing/csv-fixture.js';
import { readFixture } from './testing/read-fixture.js';
import { UnreadableFileError } from './unreadable-file-error.js';

/** Reads the content and returns the error it must raise. */
async function errorOf(content: string | Buffer, chunkSize?: number): Promise<UnreadableFileError> {
  try {
    await readFixture(content, chunkSize);
  } catch (error) {
    assert.ok(error instanceof UnreadableFileError, `expected UnreadableFileError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /[\r\n]/, 'the message is one line');
    return error;
  }
  assert.fail('the file was read without error');
}

const validText = csvFile([interventionRow(), interventionRow({ MODID: 'M2' })]);

void describe('UnreadableFileError', () => {
  void it('rejects binary content', async () => {
    const bytes = Buffer.concat([Buffer.from(validText), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])]);
    const error = await errorOf(bytes);

    assert.equal(error.line, 4);
    assert.equal(error.message, 'Line 4 contains a NUL byte, so the file is binary data, not CSV text. Export the data again as a CSV file.');
  });

  void it('rejects invalid UTF-8', async () => {
    // 0xA3 is the pound sign in Windows-1252, a common source of non-UTF-8 files.
    const bytes = Buffer.concat([Buffer.from(validText), Buffer.from('AB123,008,J,S,05/03/1980,F,Y,\xa3', 'latin1')]);
    const error = await errorOf(bytes);

    assert.equal(error.line, 4);
    assert.match(error.message, /^Line 4 contains bytes that are not UTF-8 text\. Save the file again with UTF-8 encoding/);
  });

  void it('rejects a character cut off at the end', async () => {
    const error = await errorOf(Buffer.concat([Buffer.from(validText), Buffer.from([0xe2, 0x82])]), 7);

    assert.match(error.message, /contains bytes that are not UTF-8 text/);
  });

  void it('rejects an unbalanced quote', async () => {
    const error = await errorOf(`${validText}AB123,"008,J,S\n`);

    assert.equal(error.line, 4);
    assert.match(error.message, /^The row starting on line 4 opens a quote that is never closed\./);
  });

  void it('rejects a quote inside a value', async () => {
    const error = await errorOf(`${validText}AB123,0"08,J\n`);

    assert.equal(error.line, 4);
    assert.match(error.message, /^The row starting on line 4 has a double quote in the wrong place\./);
  });

  void it('rejects a row with too few fields', async () => {
    const error = await errorOf(`${validText}AB123,008\n`);

    assert.equal(error.line, 4);
    assert.match(error.message, /^The row starting on line 4 has 2 fields but the header has \d+\./);
  });

  void it('rejects a 10 MB field', async () => {
    const error = await errorOf(`${validText}AB123,"${'x'.repeat(10 * 1024 * 1024)}"\n`);

    assert.equal(error.line, 4);
    assert.match(error.message, /^The row starting on line 4 is longer than 1048576 characters/);
  });

  void it('rejects an empty file', async () => {
    const error = await errorOf('');

    assert.equal(error.message, 'The file is empty. Choose the CDS-Q file again, or export it again from the system that produced it.');
  });

  void it('rejects a byte-order mark alone', async () => {
    const error = await errorOf('\ufeff\r\n');

    assert.match(error.message, /^The file is empty\./);
  });

  void it('rejects a header with no rows', async () => {
    const error = await errorOf(csvFile([]));

    assert.equal(error.line, 1);
    assert.equal(error.message, 'The file has a header row but no data rows after it. Export the file again with its records.');
  });
});
