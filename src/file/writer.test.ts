import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { cdsQDataset } from '../dataset/index.js';
import type { Client, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { csvFile, interventionRow, reviewRow, sampleClient } from './testing/csv-fixture.js';
import { readFixture } from './testing/read-fixture.js';
import { clientRows, csvLine, formatDose, writeCdsQFile } from './writer.js';

const header = cdsQDataset.header;

function day(text: string): PlainDate {
  return text as PlainDate;
}

function intervention(id: string, referralDate: string): Intervention {
  return {
    interventionId: id,
    interventionType: '94',
    setting: '1',
    referralDate: day(referralDate),
    firstAppointmentOfferedDate: undefined,
    startDate: day(referralDate),
    endDate: undefined,
    exitStatus: undefined,
  };
}

function review(id: string, reviewDate: string, overrides: Partial<SubInterventionReview> = {}): SubInterventionReview {
  return {
    reviewId: id,
    reviewDate: day(reviewDate),
    delivered: ['PHMETHMNT'],
    methadoneDose: 60,
    buprenorphineDose: undefined,
    ostSupervision: '1',
    relapsePreventionPrescribing: undefined,
    ...overrides,
  };
}

function episode(id: string, referralDate: string, records: Partial<Episode> = {}): Episode {
  return {
    episodeId: id,
    referralDate: day(referralDate),
    triageDate: day(referralDate),
    dischargeDate: undefined,
    dischargeReason: undefined,
    interventions: [],
    reviews: [],
    ...records,
  };
}

function client(episodes: Episode[], overrides: Partial<Client> = {}): Client {
  return {
    agency: 'AB123',
    clientId: '007',
    firstInitial: 'J',
    surnameInitial: 'S',
    dateOfBirth: day('1980-03-05'),
    sex: 'F',
    consent: 'Y',
    episodes,
    ...overrides,
  };
}

/** Returns each row as a map of column name to value, leaving out empty values. */
function filledCells(rows: string[][]): Record<string, string>[] {
  return rows.map((row) => Object.fromEntries(row.flatMap((value, column) => (value === '' ? [] : [[header[column] ?? '', value]]))));
}

/** Builds a Writable that collects what it receives, taking one turn of the event loop per chunk. */
function slowSink(highWaterMark = 16): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      setImmediate(callback);
    },
  });
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function written(clients: Iterable<Client> | AsyncIterable<Client>): Promise<string> {
  const { sink, text } = slowSink();
  await writeCdsQFile(clients, sink, cdsQDataset);
  return text();
}

function withoutLines<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, inner: unknown) => (key === 'line' ? undefined : inner))) as T;
}

void describe('clientRows', () => {
  void it('writes dates, doses and delivered items', () => {
    const rows = clientRows(client([episode('E1', '2024-04-01', { reviews: [review('S1', '2024-04-05', { methadoneDose: 12.5 })] })]), cdsQDataset);

    assert.equal(rows.length, 1);
    const cells = filledCells(rows)[0] ?? {};
    assert.equal(cells['DOB'], '05/03/1980');
    assert.equal(cells['SUBMODDT'], '05/04/2024');
    assert.equal(cells['METHDOSE'], '12.5');
    assert.equal(cells['PHMETHMNT'], 'Y');
    assert.equal(cells['PHBUPMNT'], 'N');
    assert.equal(cells['MODID'], undefined);
  });

  void it('leaves item columns empty on intervention rows', () => {
    const rows = clientRows(client([episode('E1', '2024-04-01', { interventions: [intervention('M1', '2024-04-03')] })]), cdsQDataset);

    assert.deepEqual(filledCells(rows), [
      {
        AGNCY: 'AB123',
        CLIENTID: '007',
        FINITIAL: 'J',
        SINITIAL: 'S',
        DOB: '05/03/1980',
        SEX: 'F',
        CONSENT: 'Y',
        EPISODID: 'E1',
        REFLD: '01/04/2024',
        TRIAGED: '01/04/2024',
        MODID: 'M1',
        MODAL: '94',
        MODSET: '1',
        REFMODDT: '03/04/2024',
        MODST: '03/04/2024',
      },
    ]);
  });

  void it('orders episodes, interventions, then reviews', () => {
    const later = episode('E2', '2024-06-01', {
      reviews: [review('S9', '2024-06-03'), review('S3', '2024-06-02'), review('S1', '2024-06-03')],
      interventions: [intervention('M5', '2024-06-02'), intervention('M4', '2024-06-01')],
    });
    const earlier = episode('E1', '2024-04-01');
    const rows = filledCells(clientRows(client([later, earlier]), cdsQDataset));

    assert.deepEqual(
      rows.map((row) => row['MODID'] ?? row['SUBMID'] ?? row['EPISODID']),
      ['E1', 'M4', 'M5', 'S3', 'S1', 'S9'],
    );
  });

  void it('writes an empty episode as one row', () => {
    const rows = filledCells(clientRows(client([episode('E1', '2024-04-01')]), cdsQDataset));

    assert.deepEqual(Object.keys(rows[0] ?? {}), ['AGNCY', 'CLIENTID', 'FINITIAL', 'SINITIAL', 'DOB', 'SEX', 'CONSENT', 'EPISODID', 'REFLD', 'TRIAGED']);
    assert.equal(rows.length, 1);
  });

  void it('writes a client without consent as one bare row', () => {
    const rows = clientRows(client([episode('E1', '2024-04-01')], { consent: 'N' }), cdsQDataset);

    assert.deepEqual(filledCells(rows), [{ AGNCY: 'AB123', CLIENTID: '007', CONSENT: 'N' }]);
  });
});

void describe('formatDose', () => {
  void it('drops a trailing zero', () => {
    assert.equal(formatDose(60), '60');
    assert.equal(formatDose(12.5), '12.5');
    assert.equal(formatDose(0.4), '0.4');
  });
});

void describe('writeCdsQFile', () => {
  void it('quotes every value and ends lines in CRLF', async () => {
    const text = await written([client([episode('E1', '2024-04-01')])]);
    const lines = text.split('\r\n');

    assert.equal(text.charCodeAt(0), '"'.charCodeAt(0), 'no byte-order mark');
    assert.equal(lines[0], header.map((name) => `"${name}"`).join(','));
    assert.match(lines[1] ?? '', /^"AB123","007","J","S","05\/03\/1980","F","Y","E1","01\/04\/2024","01\/04\/2024","","",""/);
    assert.equal(lines[2], '');
    assert.equal(lines.length, 3);
    assert.doesNotMatch(text.replaceAll('\r\n', ''), /[\r\n]/);
  });

  void it('accepts an async iterable', async () => {
    async function* clients(): AsyncGenerator<Client> {
      yield client([episode('E1', '2024-04-01')]);
      yield client([episode('E2', '2024-04-01')], { clientId: '008' });
    }
    const text = await written(clients());

    assert.equal(text.split('\r\n').length, 4);
  });

  void it('waits for a slow output', async () => {
    const many = Array.from({ length: 500 }, (_, index) => client([episode(`E${index}`, '2024-04-01')], { clientId: `C${index}` }));
    const { sink, text } = slowSink(1);
    await writeCdsQFile(many, sink, cdsQDataset);

    const lines = text().split('\r\n');
    assert.equal(lines.length, 502);
    assert.match(lines[500] ?? '', /^"AB123","C499",/);
  });

  void it('rejects when the output fails', async () => {
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    await assert.rejects(writeCdsQFile([client([episode('E1', '2024-04-01')])], failing, cdsQDataset), /disk full/);
  });

  void it('rejects when the clients fail', async () => {
    async function* clients(): AsyncGenerator<Client> {
      yield client([episode('E1', '2024-04-01')]);
      throw new Error('database closed');
    }
    const { sink } = slowSink();
    await assert.rejects(writeCdsQFile(clients(), sink, cdsQDataset), /database closed/);
  });
});

void describe('csvLine', () => {
  void it('doubles inner quotes and quotes empty values', () => {
    assert.equal(csvLine(['a"b', '', 'c']), '"a""b","","c"\r\n');
  });
});

void describe('CDS-Q file round trip', () => {
  // Client 007 was born on a leap day, and its episode ended in a successful discharge.
  const client007 = { CLIENTID: '007', DOB: '29/02/1980', DISD: '30/06/2024', DISRSN: '80' };
  const rows = [
    interventionRow({ ...client007, MODEND: '20/06/2024', MODEXIT: 'A' }),
    interventionRow({ ...client007, MODID: 'M2', MODAL: '96', REFMODDT: '10/04/2024', MODST: '', FAOMODDT: '12/04/2024' }),
    reviewRow({ ...client007, METHDOSE: '12.5' }),
    reviewRow({ ...client007, SUBMID: 'S2', SUBMODDT: '05/07/2024', PHMETHMNT: '', METHDOSE: '', OSTSUP: '99', RECCHKP: 'Y', RPPRESC: '4' }),
    { ...sampleClient, CLIENTID: '008', EPISODID: 'E8', REFLD: '01/05/2024', TRIAGED: '02/05/2024' },
    { AGNCY: 'AB123', CLIENTID: '0099', CONSENT: 'N' },
    reviewRow({ CLIENTID: 'A-10', EPISODID: 'E10', SUBMID: 'S10', PHMETHMNT: '', METHDOSE: '', PHBUPMNT: 'Y', BUPDOSE: '8', OSTSUP: '2' }),
  ];

  void it('reads back the model it wrote', async () => {
    const first = await readFixture(csvFile(rows));
    assert.deepEqual(first.findings, []);

    const second = await readFixture(await written(first.clients));

    assert.deepEqual(second.findings, []);
    assert.deepEqual(withoutLines(second.clients), withoutLines(first.clients));
    assert.equal(second.clients[0]?.clientId, '007');
    assert.equal(second.clients[0]?.episodes[0]?.reviews[0]?.methadoneDose, 12.5);
  });

  void it('writes the same bytes twice', async () => {
    const once = await written((await readFixture(csvFile(rows))).clients);
    const twice = await written((await readFixture(once)).clients);

    assert.equal(twice, once);
  });

  void it('keeps lines of a file in written order', async () => {
    const text = await written((await readFixture(csvFile(rows))).clients);
    const reread = await readFixture(text);
    const reviews = reread.clients[0]?.episodes[0]?.reviews ?? [];

    assert.deepEqual(
      reviews.map((item) => [item.reviewId, item.line]),
      [
        ['S1', 4],
        ['S2', 5],
      ],
    );
  });
});
