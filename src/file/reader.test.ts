import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cdsQDataset } from '../dataset/index.js';
import { csvFile, interventionRow, reviewRow, sampleClient, sampleEpisode } from './testing/csv-fixture.js';
import { assertFinding, readFixture } from './testing/read-fixture.js';

void describe('readCdsQFile model', () => {
  void it('builds client, episode, intervention and review', async () => {
    const { clients, findings, rows } = await readFixture(csvFile([interventionRow(), reviewRow()]));

    assert.deepEqual(findings, []);
    assert.equal(rows, 2);
    assert.deepEqual(clients, [
      {
        agency: 'AB123',
        clientId: '007',
        firstInitial: 'J',
        surnameInitial: 'S',
        dateOfBirth: '1980-03-05',
        sex: 'F',
        consent: 'Y',
        line: 2,
        episodes: [
          {
            episodeId: 'E1',
            referralDate: '2024-04-01',
            triageDate: '2024-04-03',
            dischargeDate: undefined,
            dischargeReason: undefined,
            line: 2,
            interventions: [
              {
                interventionId: 'M1',
                interventionType: '94',
                setting: '1',
                referralDate: '2024-04-03',
                firstAppointmentOfferedDate: undefined,
                startDate: '2024-04-05',
                endDate: undefined,
                exitStatus: undefined,
                line: 2,
              },
            ],
            reviews: [
              {
                reviewId: 'S1',
                reviewDate: '2024-04-05',
                delivered: ['PHMETHMNT'],
                methadoneDose: 60,
                buprenorphineDose: undefined,
                ostSupervision: '1',
                relapsePreventionPrescribing: undefined,
                line: 3,
              },
            ],
          },
        ],
      },
    ]);
  });

  void it('keeps leading zeros, decimals and initials', async () => {
    const { clients, findings } = await readFixture(csvFile([reviewRow({ CLIENTID: '0042', FINITIAL: 'Q', SINITIAL: 'Z', METHDOSE: '12.5' })]));

    assert.deepEqual(findings, []);
    const client = clients[0];
    assert.equal(client?.clientId, '0042');
    assert.equal(client?.firstInitial, 'Q');
    assert.equal(client?.surnameInitial, 'Z');
    assert.equal(client?.episodes[0]?.reviews[0]?.methadoneDose, 12.5);
  });

  void it('yields each client when its rows end', async () => {
    const { clients } = await readFixture(csvFile([interventionRow(), interventionRow({ CLIENTID: '008', EPISODID: 'E2', MODID: 'M2' })]));

    assert.deepEqual(
      clients.map((client) => [client.clientId, client.line]),
      [
        ['007', 2],
        ['008', 3],
      ],
    );
  });

  void it('reads N and empty as not delivered', async () => {
    const { clients, findings } = await readFixture(csvFile([reviewRow({ PHMETHSTB: 'N', PHMETHMNT: 'Y', RECPEER: 'Y' })]));

    assert.deepEqual(findings, []);
    assert.deepEqual(clients[0]?.episodes[0]?.reviews[0]?.delivered, ['PHMETHMNT', 'RECPEER']);
  });

  void it('treats N columns on intervention rows as empty', async () => {
    const { clients, findings } = await readFixture(csvFile([interventionRow({ PHMETHMNT: 'N', RECPEER: 'N' })]));

    assert.deepEqual(findings, []);
    assert.equal(clients[0]?.episodes[0]?.interventions.length, 1);
    assert.equal(clients[0]?.episodes[0]?.reviews.length, 0);
  });

  void it('reads an episode-only row', async () => {
    const { clients, findings } = await readFixture(csvFile([{ ...sampleClient, ...sampleEpisode }]));

    assert.deepEqual(findings, []);
    assert.equal(clients[0]?.episodes[0]?.episodeId, 'E1');
    assert.deepEqual(clients[0]?.episodes[0]?.interventions, []);
    assert.deepEqual(clients[0]?.episodes[0]?.reviews, []);
  });

  void it('merges exact duplicate rows', async () => {
    const { clients, findings, rows } = await readFixture(csvFile([interventionRow({ MODSET: '9' }), interventionRow({ MODSET: '9' })]));

    assert.equal(rows, 2);
    assert.equal(clients[0]?.episodes[0]?.interventions.length, 1);
    assert.equal(findings.length, 1, 'the D2 of the first row only');
    assertFinding(findings[0], { code: 'D2', severity: 'error', line: 2, field: 'MODSET', value: '9' }, /^MODSET is 9, which is not one of its codes/);
  });

  void it('merges rows whose dates differ only in form', async () => {
    const { clients, findings } = await readFixture(csvFile([interventionRow(), interventionRow({ DOB: '1980-03-05', REFMODDT: '2024-04-03' })]));

    assert.deepEqual(findings, []);
    assert.equal(clients[0]?.episodes[0]?.interventions.length, 1);
  });
});

void describe('readCdsQFile no consent', () => {
  void it('keeps only agency, client and consent', async () => {
    const row = { AGNCY: 'AB123', CLIENTID: '0099', CONSENT: 'N' };
    const { clients, findings } = await readFixture(csvFile([row]));

    assert.deepEqual(findings, []);
    assert.equal(clients[0]?.consent, 'N');
    assert.deepEqual(clients[0]?.episodes, []);
    assert.equal(clients[0]?.filledWithoutConsent, undefined);
  });

  void it('lists fields filled without consent', async () => {
    const row = { AGNCY: 'AB123', CLIENTID: '0099', CONSENT: 'N', DOB: '31/02/1980', EPISODID: 'E9' };
    const { clients, findings } = await readFixture(csvFile([row]));

    assert.deepEqual(findings, [], 'D8 reports these, not D2');
    assert.deepEqual(clients[0]?.filledWithoutConsent, [
      { field: 'DOB', value: '31/02/1980', line: 2 },
      { field: 'EPISODID', value: 'E9', line: 2 },
    ]);
  });
});

void describe('readCdsQFile D1 and D2', () => {
  void it('reports an empty every-row field', async () => {
    const { findings } = await readFixture(csvFile([interventionRow({ DOB: '' })]));

    assert.equal(findings.length, 1);
    assertFinding(findings[0], { code: 'D1', severity: 'error', line: 2, field: 'DOB', value: '' }, /^DOB \(Date of birth\) is empty, but every row must have it\./);
    assert.equal(findings[0]?.clientId, '007');
  });

  void it('reports an empty intervention field', async () => {
    const { findings } = await readFixture(csvFile([interventionRow({ MODSET: '' })]));

    assert.equal(findings.length, 1);
    assertFinding(findings[0], { code: 'D1', severity: 'error', line: 2, field: 'MODSET', value: '' }, /but every intervention row must have it/);
  });

  void it('reports an empty review field', async () => {
    const { clients, findings } = await readFixture(csvFile([reviewRow({ SUBMODDT: '' })]));

    assert.equal(findings.length, 1);
    assertFinding(findings[0], { code: 'D1', severity: 'error', line: 2, field: 'SUBMODDT', value: '' }, /but every sub-intervention review row must have it/);
    assert.equal(clients[0]?.episodes[0]?.reviews[0]?.reviewDate, undefined);
  });

  void it('does not require intervention fields on review rows', async () => {
    const { findings } = await readFixture(csvFile([reviewRow()]));

    assert.deepEqual(findings, []);
  });

  void it('reports a bad value and leaves it undefined', async () => {
    const { clients, findings } = await readFixture(csvFile([interventionRow({ DOB: '31/02/1980' })]));

    assert.equal(findings.length, 1);
    assertFinding(findings[0], { code: 'D2', severity: 'error', line: 2, field: 'DOB', value: '31/02/1980' }, /^DOB is 31\/02\/1980, which is not a real date\./);
    assert.deepEqual(findings[0]?.record, { entity: 'client', id: '007' });
    assert.equal(clients[0]?.dateOfBirth, undefined);
  });

  void it('reports a bad dose with A6', async () => {
    const { findings } = await readFixture(csvFile([reviewRow({ METHDOSE: '60ml' })]));

    assertFinding(findings[0], { code: 'A6', severity: 'error', line: 2, field: 'METHDOSE', value: '60ml' }, /^METHDOSE is 60ml, which is not a number greater than zero/);
    assert.deepEqual(findings[0]?.record, { entity: 'review', id: 'S1' });
  });

  void it('keeps a row with no CLIENTID apart', async () => {
    const { clients, findings } = await readFixture(csvFile([interventionRow({ CLIENTID: '' }), interventionRow({ CLIENTID: '', MODID: 'M2' })]));

    assert.equal(clients.length, 2);
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.line, finding.field]),
      [
        ['D1', 2, 'CLIENTID'],
        ['D1', 3, 'CLIENTID'],
      ],
    );
  });
});

void describe('readCdsQFile D7', () => {
  void it('reports a client with two dates of birth', async () => {
    const { findings } = await readFixture(csvFile([interventionRow(), reviewRow({ DOB: '06/03/1980' })]));

    assert.equal(findings.length, 1);
    assertFinding(
      findings[0],
      { code: 'D7', severity: 'error', line: 3, field: 'DOB', value: '06/03/1980' },
      /^DOB is 06\/03\/1980 on this row but 05\/03\/1980 on line 2 for CLIENTID 007\. Make every row of the client agree\.$/,
    );
  });

  for (const [field, value] of [
    ['SEX', 'M'],
    ['FINITIAL', 'K'],
    ['SINITIAL', 'T'],
  ] as const) {
    void it(`reports a client with two ${field} values`, async () => {
      const { findings } = await readFixture(csvFile([interventionRow(), reviewRow({ [field]: value })]));

      assert.equal(findings.length, 1);
      assertFinding(findings[0], { code: 'D7', severity: 'error', line: 3, field, value }, new RegExp(`^${field} is ${value} on this row but`));
    });
  }

  void it('reports an episode with two discharge dates', async () => {
    const { findings } = await readFixture(csvFile([interventionRow({ DISD: '01/05/2024', DISRSN: '80' }), reviewRow({ DISD: '02/05/2024', DISRSN: '80' })]));

    assert.equal(findings.length, 1);
    assertFinding(findings[0], { code: 'D7', severity: 'error', line: 3, field: 'DISD', value: '02/05/2024' }, /for EPISODID E1\. Make every row of the episode agree\.$/);
  });

  void it('reports an intervention with two settings', async () => {
    const { clients, findings } = await readFixture(csvFile([interventionRow(), interventionRow({ MODSET: '2' })]));

    assert.equal(findings.length, 1);
    assertFinding(findings[0], { code: 'D7', severity: 'error', line: 3, field: 'MODSET', value: '2' }, /^MODSET is 2 on this row but 1 on line 2 for MODID M1\./);
    assert.equal(clients[0]?.episodes[0]?.interventions[0]?.setting, '1', 'the first row is kept');
  });

  void it('reports a review with two answers', async () => {
    const { findings } = await readFixture(csvFile([reviewRow(), reviewRow({ PHMETHMNT: '', PHBUPMNT: 'Y' })]));

    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.line, finding.field, finding.value]),
      [
        ['D7', 3, 'PHMETHMNT', ''],
        ['D7', 3, 'PHBUPMNT', 'Y'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /^PHMETHMNT is empty on this row but Y on line 2 for SUBMID S1\./);
  });

  void it('reports an intervention under two episodes', async () => {
    const { findings } = await readFixture(csvFile([interventionRow(), interventionRow({ EPISODID: 'E2', REFLD: '01/05/2024' })]));

    assert.equal(findings.length, 1);
    assertFinding(
      findings[0],
      { code: 'D7', severity: 'error', line: 3, field: 'EPISODID', value: 'E2' },
      /^MODID M1 is under EPISODID E2 on this row but under E1 on line 2\./,
    );
    assert.deepEqual(findings[0]?.record, { entity: 'intervention', id: 'M1' });
  });

  for (const [field, row] of [
    ['EPISODID', interventionRow({ CLIENTID: '008', MODID: 'M2' })],
    ['MODID', interventionRow({ CLIENTID: '008', EPISODID: 'E2' })],
    ['SUBMID', reviewRow({ CLIENTID: '008', EPISODID: 'E2' })],
  ] as const) {
    void it(`reports ${field} reused by another client`, async () => {
      const { findings } = await readFixture(csvFile([interventionRow(), reviewRow(), row]));
      const value = row[field] ?? '';

      assert.equal(findings.length, 1);
      assertFinding(
        findings[0],
        { code: 'D7', severity: 'error', line: 4, field, value },
        new RegExp(`^${field} ${value} already belongs to CLIENTID 007, whose rows start on line 2\\.`),
      );
      assert.equal(findings[0]?.clientId, '008');
    });
  }

  void it('accepts distinct identifiers per client', async () => {
    const second = { CLIENTID: '008', EPISODID: 'E2' };
    const rows = [interventionRow(), reviewRow(), interventionRow({ ...second, MODID: 'M2' }), reviewRow({ ...second, SUBMID: 'S2' })];
    const { findings } = await readFixture(csvFile(rows));

    assert.deepEqual(findings, []);
  });
});

void describe('readCdsQFile D10', () => {
  void it('reports a row with intervention and review fields', async () => {
    const { clients, findings } = await readFixture(csvFile([{ ...interventionRow(), SUBMID: 'S1' }]));

    assert.equal(findings.length, 1);
    assertFinding(
      findings[0],
      { code: 'D10', severity: 'error', line: 2, field: 'SUBMID', value: 'S1' },
      /^This row fills intervention fields \(MODID M1\) and sub-intervention review fields \(SUBMID S1\)/,
    );
    assert.deepEqual(clients[0]?.episodes[0]?.interventions, []);
    assert.deepEqual(clients[0]?.episodes[0]?.reviews, []);
  });

  void it('reports a delivered item on an intervention row', async () => {
    const { findings } = await readFixture(csvFile([interventionRow({ RECPEER: 'Y' })]));

    assertFinding(findings[0], { code: 'D10', severity: 'error', line: 2, field: 'RECPEER', value: 'Y' }, /\(RECPEER Y\)/);
  });

  void it('reports an episode-only row beside other rows', async () => {
    const { findings } = await readFixture(csvFile([{ ...sampleClient, ...sampleEpisode }, interventionRow()]));

    assert.equal(findings.length, 1);
    assertFinding(
      findings[0],
      { code: 'D10', severity: 'error', line: 2, field: 'EPISODID', value: 'E1' },
      /^This row has only client and episode fields, but EPISODID E1 also has intervention or sub-intervention review rows\./,
    );
  });

  void it('reports an episode-only row after other rows', async () => {
    const { findings } = await readFixture(csvFile([reviewRow(), { ...sampleClient, ...sampleEpisode }]));

    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.line]),
      [['D10', 3]],
    );
  });

  void it('accepts an episode-only row of another episode', async () => {
    const { findings } = await readFixture(csvFile([interventionRow(), { ...sampleClient, EPISODID: 'E2', REFLD: '01/06/2024', TRIAGED: '02/06/2024' }]));

    assert.deepEqual(findings, []);
  });
});

void describe('readCdsQFile D11', () => {
  const header = cdsQDataset.header;

  void it('reports a missing field and stops', async () => {
    const { clients, findings, rows } = await readFixture(csvFile([interventionRow({ DOB: 'not checked' })], { header: header.filter((name) => name !== 'DISD') }));

    assert.deepEqual(clients, []);
    assert.equal(rows, 0);
    assert.equal(findings.length, 1);
    assertFinding(findings[0], { code: 'D11', severity: 'error', line: 1, field: 'DISD', value: '' }, /^The header is missing DISD\. .* No other row was checked\.$/);
  });

  void it('ignores broken rows after a bad header', async () => {
    const header = ['AGNCY', 'CLIENTID'];
    for (const body of ['AB123\n', 'AB123,"007\n', 'AB123,007\u0000\n']) {
      const { findings } = await readFixture(`${header.join(',')}\n${body}`);

      assert.deepEqual(
        findings.map((finding) => [finding.code, finding.line]),
        [['D11', 1]],
        JSON.stringify(body),
      );
    }
  });

  void it('reports an unknown field', async () => {
    const { findings } = await readFixture(csvFile([], { header: [...header, 'NOTES'] }));

    assert.equal(findings.length, 1);
    assertFinding(findings[0], { code: 'D11', severity: 'error', line: 1, field: 'NOTES', value: 'NOTES' }, /^The header has unknown field "NOTES"\./);
  });

  void it('reports fields out of order', async () => {
    const swapped = [...header];
    [swapped[7], swapped[8]] = [header[8] ?? '', header[7] ?? ''];
    const { findings } = await readFixture(csvFile([interventionRow()], { header: swapped }));

    assert.equal(findings.length, 1);
    assertFinding(findings[0], { code: 'D11', severity: 'error', line: 1, field: 'REFLD', value: 'REFLD' }, /^The header has REFLD in column 8, where EPISODID belongs\./);
  });

  void it('reports a repeated field', async () => {
    const repeated = header.map((name) => (name === 'DISD' ? 'TRIAGED' : name));
    const { findings } = await readFixture(csvFile([], { header: repeated }));

    assertFinding(findings[0], { code: 'D11', severity: 'error', line: 1, field: 'DISD', value: '' }, /^The header is missing DISD, and repeats TRIAGED\./);
  });

  void it('reports lower-case names', async () => {
    const { findings } = await readFixture(csvFile([], { header: header.map((name) => (name === 'AGNCY' ? 'agncy' : name)) }));

    assert.match(findings[0]?.message ?? '', /^The header is missing AGNCY, and has unknown field "agncy"\./);
  });
});

void describe('readCdsQFile D12', () => {
  void it('reports a client whose rows return', async () => {
    const { clients, findings } = await readFixture(
      csvFile([interventionRow(), interventionRow({ CLIENTID: '008', EPISODID: 'E2', MODID: 'M2' }), reviewRow()]),
    );

    assert.equal(clients.length, 3);
    assert.equal(findings.length, 1);
    assertFinding(
      findings[0],
      { code: 'D12', severity: 'error', line: 4, field: 'CLIENTID', value: '007' },
      /^CLIENTID 007 has rows here after other clients' rows, but its rows started on line 2\. Put all of a client's rows together\.$/,
    );
  });

  void it('accepts contiguous client rows', async () => {
    const { findings } = await readFixture(csvFile([interventionRow(), reviewRow(), interventionRow({ CLIENTID: '008', EPISODID: 'E2', MODID: 'M2' })]));

    assert.deepEqual(findings, []);
  });
});

void describe('readCdsQFile checkAcrossClients false', () => {
  const notAcross = { checkAcrossClients: false };

  for (const [field, row] of [
    ['EPISODID', interventionRow({ CLIENTID: '008', MODID: 'M2' })],
    ['MODID', interventionRow({ CLIENTID: '008', EPISODID: 'E2' })],
    ['SUBMID', reviewRow({ CLIENTID: '008', EPISODID: 'E2' })],
  ] as const) {
    void it(`skips ${field} reused by another client`, async () => {
      const { clients, findings, rows } = await readFixture(csvFile([interventionRow(), reviewRow(), row]), undefined, notAcross);

      assert.deepEqual(findings, []);
      assert.equal(rows, 3);
      assert.deepEqual(
        clients.map((client) => [client.clientId, client.episodes.map((episode) => episode.episodeId)]),
        [
          ['007', ['E1']],
          ['008', [row.EPISODID]],
        ],
      );
    });
  }

  void it('skips a client whose rows return', async () => {
    const { clients, findings } = await readFixture(
      csvFile([interventionRow(), interventionRow({ CLIENTID: '008', EPISODID: 'E2', MODID: 'M2' }), reviewRow()]),
      undefined,
      notAcross,
    );

    assert.deepEqual(findings, []);
    assert.deepEqual(
      clients.map((client) => [client.clientId, client.line]),
      [
        ['007', 2],
        ['008', 3],
        ['007', 4],
      ],
    );
  });

  void it('still reports rows of one client that disagree', async () => {
    const { findings } = await readFixture(csvFile([interventionRow(), reviewRow({ DOB: '06/03/1980' })]), undefined, notAcross);

    assert.equal(findings.length, 1);
    assertFinding(
      findings[0],
      { code: 'D7', severity: 'error', line: 3, field: 'DOB', value: '06/03/1980' },
      /^DOB is 06\/03\/1980 on this row but 05\/03\/1980 on line 2 for CLIENTID 007\. Make every row of the client agree\.$/,
    );
  });

  void it('builds the same clients as a full read', async () => {
    const second = { CLIENTID: '008', EPISODID: 'E2' };
    const file = csvFile([interventionRow(), reviewRow(), interventionRow({ ...second, MODID: 'M2' }), reviewRow({ ...second, SUBMID: 'S2' })]);
    const full = await readFixture(file);
    const withoutAcross = await readFixture(file, undefined, notAcross);

    assert.deepEqual(withoutAcross, full);
  });
});
