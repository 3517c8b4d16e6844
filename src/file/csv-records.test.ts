import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { readCsvRecords } from './csv-records.js';
import { csvFile, interventionRow, reviewRow } from './testing/csv-fixture.js';
import { assertFinding, readFixture, streamOf } from './testing/read-fixture.js';

async function recordsOf(text: string | Buffer, chunkSize?: number): Promise<{ fields: string[]; line: number }[]> {
  const records = [];
  for await (const record of readCsvRecords(streamOf(text, chunkSize))) records.push(record);
  return records;
}

void describe('readCsvRecords', () => {
  void it('reads LF lines', async () => {
    assert.deepEqual(await recordsOf('A,B\n1,2\n3,4\n'), [
      { fields: ['A', 'B'], line: 1 },
      { fields: ['1', '2'], line: 2 },
      { fields: ['3', '4'], line: 3 },
    ]);
  });

  void it('reads CRLF lines', async () => {
    assert.deepEqual(await recordsOf('A,B\r\n1,2\r\n3,4'), [
      { fields: ['A', 'B'], line: 1 },
      { fields: ['1', '2'], line: 2 },
      { fields: ['3', '4'], line: 3 },
    ]);
  });

  void it('drops a byte-order mark', async () => {
    assert.deepEqual(await recordsOf('\ufeffA,B\n1,2\n'), [
      { fields: ['A', 'B'], line: 1 },
      { fields: ['1', '2'], line: 2 },
    ]);
  });

  void it('drops a byte-order mark cut across chunks', async () => {
    const records = await recordsOf('\ufeffA,B\n1,2\n', 1);
    assert.deepEqual(records[0], { fields: ['A', 'B'], line: 1 });
  });

  void it('reads quoted commas and quotes', async () => {
    assert.deepEqual(await recordsOf('A,B\n"1,5","say ""hi"""\n'), [
      { fields: ['A', 'B'], line: 1 },
      { fields: ['1,5', 'say "hi"'], line: 2 },
    ]);
  });

  void it('counts line breaks inside quotes', async () => {
    // The second row spans lines 2 to 5: LF, then CRLF, then a lone CR each end a line.
    const records = await recordsOf('A,B\n"one\ntwo","x\r\ny\rz"\n3,4\r\n5,6\n');

    assert.deepEqual(
      records.map((record) => record.line),
      [1, 2, 6, 7],
    );
    assert.deepEqual(records[1]?.fields, ['one\ntwo', 'x\r\ny\rz']);
  });

  void it('skips blank lines and counts them', async () => {
    const records = await recordsOf('\nA,B\n\n1,2\n\r\n\n3,4\n\n');

    assert.deepEqual(
      records.map((record) => [record.fields[0], record.line]),
      [
        ['A', 2],
        ['1', 4],
        ['3', 7],
      ],
    );
  });

  void it('passes on an input stream error', async () => {
    const input = new Readable({
      read() {
        this.destroy(Object.assign(new Error('permission denied'), { code: 'EACCES' }));
      },
    });
    const read = async (): Promise<void> => {
      for await (const record of readCsvRecords(input)) assert.fail(`no record expected, got ${record.fields.join(',')}`);
    };

    await assert.rejects(read(), { code: 'EACCES' });
  });

  void it('reads multi-byte characters cut across chunks', async () => {
    const records = await recordsOf('A,B\né,ü€\n', 1);
    assert.deepEqual(records[1], { fields: ['é', 'ü€'], line: 2 });
  });
});

void describe('readCdsQFile text handling', () => {
  void it('reads a file with a byte-order mark', async () => {
    const { clients, findings } = await readFixture(csvFile([interventionRow()], { byteOrderMark: true }));

    assert.deepEqual(findings, []);
    assert.equal(clients[0]?.agency, 'AB123');
  });

  void it('reads CRLF and LF files alike', async () => {
    const rows = [interventionRow(), reviewRow()];
    const fromLf = await readFixture(csvFile(rows, { lineEnding: '\n' }));
    const fromCrlf = await readFixture(csvFile(rows, { lineEnding: '\r\n', quoteAll: true }));

    assert.deepEqual(fromLf.findings, []);
    assert.deepEqual(fromCrlf, fromLf);
  });

  void it('keeps a quoted comma inside its value', async () => {
    const { findings } = await readFixture(csvFile([interventionRow({ MODID: 'M,1' })]));

    assert.equal(findings.length, 1);
    assertFinding(findings[0], { code: 'D2', severity: 'error', line: 2, field: 'MODID', value: 'M,1' }, /^MODID is M,1, which contains characters other than/);
  });

  void it('keeps line numbers after a quoted line break', async () => {
    const text = csvFile([interventionRow({ MODID: 'M\n1' }), interventionRow({ MODID: 'M2', MODSET: '7' })]);
    const { findings } = await readFixture(text);

    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.line, finding.field, finding.value]),
      [
        ['D2', 2, 'MODID', 'M\n1'],
        ['D2', 4, 'MODSET', '7'],
      ],
    );
  });
});
