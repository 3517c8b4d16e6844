import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bandFor, emptyBands, ostDoseExplanation, ostDoseReport, type MedicationDoses } from './ost-doses.js';
import { reportFixture } from './report-fixture.js';

const march2024 = { year: 2024, month: 3 };

function bandCounts(doses: MedicationDoses): Record<string, number> {
  return Object.fromEntries(doses.bands.map((band) => [band.label, band.clients]));
}

// Latest review during treatment on or before 31 March 2024, per client:
//   C1 31 Mar PHMETHMNT 70 ml, OSTSUP 2; pharmacological intervention open -> methadone.
//   C2 25 Mar PHBNXMNT 16 mg, OSTSUP 1; open -> buprenorphine.
//   C3 14 Mar PSYCGBH only (its 31 Mar review is after discharge) -> neither.
//   C5  1 Mar PHMETHMNT 95 ml, OSTSUP 1; intervention ends 1 April, so open -> methadone.
//     Its 1 April review (100 ml) is after the period and is ignored.
//   C6 20 Mar depot buprenorphine, no oral marker -> neither.
//   C7 29 Feb PSYMOTI (12 Mar is after discharge) -> neither.
//   C8 31 Mar PHBUPMNT 4 mg, OSTSUP not answered; intervention starts 31 Mar -> buprenorphine.

await test('ost doses for oral methadone', () => {
  const report = ostDoseReport(reportFixture(), march2024);
  const methadone = report.methadone;

  assert.equal(report.date, '2024-03-31');
  assert.equal(report.explanation, ostDoseExplanation);
  assert.equal(methadone.marker, 'oral-methadone');
  assert.equal(methadone.doseField, 'METHDOSE');
  assert.equal(methadone.unit, 'ml');
  // C1 (70 ml) and C5 (95 ml).
  assert.equal(methadone.clients, 2);
  assert.deepEqual(bandCounts(methadone), {
    '0 to 30 ml': 0,
    '30.1 to 60 ml': 0,
    '60.1 to 90 ml': 1,
    '90.1 to 120 ml': 1,
    'over 120 ml': 0,
  });
  assert.equal(methadone.doseNotRecorded, 0);
  // C5 supervised, C1 not: 1 of 2.
  assert.equal(methadone.supervised, 1);
  assert.equal(methadone.notSupervised, 1);
  assert.equal(methadone.supervisionNotRecorded, 0);
  assert.equal(methadone.supervisedShare, 0.5);
});

await test('ost doses for oral buprenorphine', () => {
  const buprenorphine = ostDoseReport(reportFixture(), march2024).buprenorphine;

  assert.equal(buprenorphine.doseField, 'BUPDOSE');
  assert.equal(buprenorphine.unit, 'mg');
  // C2 (16 mg) and C8 (4 mg); C6's depot is not oral.
  assert.equal(buprenorphine.clients, 2);
  assert.deepEqual(bandCounts(buprenorphine), {
    '0 to 4 mg': 1,
    '4.1 to 8 mg': 0,
    '8.1 to 12 mg': 0,
    '12.1 to 16 mg': 1,
    '16.1 to 24 mg': 0,
    'over 24 mg': 0,
  });
  // C2 supervised; C8 left the answer empty: 1 of 2.
  assert.equal(buprenorphine.supervised, 1);
  assert.equal(buprenorphine.notSupervised, 0);
  assert.equal(buprenorphine.supervisionNotRecorded, 1);
  assert.equal(buprenorphine.supervisedShare, 0.5);
});

await test('ost doses at February end', () => {
  const report = ostDoseReport(reportFixture(), { year: 2024, month: 2 });

  // 29 Feb 2024: C1 15 Feb 65 ml and C5 10 Jan 90 ml are on methadone. C3's 1 Feb review
  // marks methadone withdrawal, but the intervention ended on 28 Feb, so C3 is not counted.
  // C2's 15 Jan review marks buprenorphine 8 mg.
  assert.equal(report.methadone.clients, 2);
  assert.equal(bandCounts(report.methadone)['60.1 to 90 ml'], 2);
  assert.equal(report.buprenorphine.clients, 1);
  assert.equal(bandCounts(report.buprenorphine)['4.1 to 8 mg'], 1);
});

await test('ost doses after an April discharge', () => {
  // C5's methadone intervention ended on 1 April, so at 30 April only C1 is on methadone.
  const report = ostDoseReport(reportFixture(), { year: 2024, month: 4 });
  assert.equal(report.methadone.clients, 1);
  assert.equal(report.buprenorphine.clients, 2);
});

await test('ost doses with nobody on a medication', () => {
  const report = ostDoseReport([], march2024);
  assert.equal(report.methadone.clients, 0);
  assert.equal(report.methadone.supervisedShare, null);
});

await test('dose bands place boundary doses', () => {
  const bands = emptyBands([30, 60], 'ml');

  assert.deepEqual(bands.map((band) => band.label), ['0 to 30 ml', '30.1 to 60 ml', 'over 60 ml']);
  assert.equal(bandFor(bands, 30).label, '0 to 30 ml');
  assert.equal(bandFor(bands, 30.1).label, '30.1 to 60 ml');
  assert.equal(bandFor(bands, 60).label, '30.1 to 60 ml');
  assert.equal(bandFor(bands, 60.1).label, 'over 60 ml');
});

await test('dose bands reject unordered limits', () => {
  assert.throws(() => emptyBands([30, 30], 'ml'), {
    name: 'RangeError',
    message: 'Dose band limit 2 is 30, but limits must be numbers above 0 in increasing order, such as 30, 60, 90.',
  });
});

await test('ost doses take custom bands', () => {
  const report = ostDoseReport(reportFixture(), march2024, { methadoneBandLimits: [80] });
  // C1 70 ml and C5 95 ml fall either side of 80.
  assert.deepEqual(bandCounts(report.methadone), { '0 to 80 ml': 1, 'over 80 ml': 1 });
});
