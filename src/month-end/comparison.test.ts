import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReportingPeriod } from '../domain/reporting-period.js';
import { reportFixture } from '../reports/report-fixture.js';
import { compareMonths, comparisonExplanation, monthFigures, type FigureChange, type MonthFigures } from './comparison.js';

const february2024 = { year: 2024, month: 2 };
const march2024 = { year: 2024, month: 3 };
const april2024 = { year: 2024, month: 4 };

/** Figures with every count 0 except those given, for threshold tests. */
function figures(period: ReportingPeriod, overrides: Partial<MonthFigures> = {}): MonthFigures {
  return {
    period,
    newEpisodes: 0,
    dischargesByReason: {},
    activeInterventionsByType: {},
    reviews: 0,
    clientsOnOralMethadone: 0,
    clientsOnOralBuprenorphine: 0,
    ...overrides,
  };
}

function rowFor(rows: FigureChange[], key: string): FigureChange {
  const row = rows.find((entry) => entry.key === key);
  assert.ok(row, `row ${key} missing from the comparison`);
  return row;
}

await test('month figures for March 2024', () => {
  const march = monthFigures(reportFixture(), march2024);

  // Triaged in March: C4 on 28 March.
  assert.equal(march.newEpisodes, 1);
  // Discharged in March: C3 on 15 March, completed drug free (80). C5's 1 April discharge is April's.
  assert.deepEqual(march.dischargesByReason, { '80': 1, '81': 0, '82': 0, '83': 0, '84': 0, '85': 0, '86': 0, '87': 0, '88': 0, '89': 0 });
  // Open on 31 March: 94 C1, C2, C5 (ends 1 April), C6, C8 (starts 31 March) = 5;
  // 95 C2 = 1 (C3's ended 15 March); 96 C1, C5, C6, C8 = 4.
  assert.deepEqual(march.activeInterventionsByType, { '94': 5, '95': 1, '96': 4 });
  // Reviews dated in March: C1 31st, C2 10th and 25th, C3 14th and 31st, C5 1st, C6 20th,
  // C7 12th, C8 31st = 9.
  assert.equal(march.reviews, 9);
  // Methadone: C1 and C5. Buprenorphine: C2 and C8 (C6's depot is not oral).
  assert.equal(march.clientsOnOralMethadone, 2);
  assert.equal(march.clientsOnOralBuprenorphine, 2);
});

await test('month figures for February 2024', () => {
  const february = monthFigures(reportFixture(), february2024);

  assert.equal(february.newEpisodes, 0);
  // C7 discharged on 29 February, the last day of the month, dropped out (85).
  assert.equal(february.dischargesByReason['85'], 1);
  assert.equal(Object.values(february.dischargesByReason).reduce((sum, count) => sum + count, 0), 1);
  // Open on 29 February: 94 C1, C2, C5, C6 = 4 (C3's ended 28 February); 95 C3, C7 = 2; 96 C1, C5 = 2.
  assert.deepEqual(february.activeInterventionsByType, { '94': 4, '95': 2, '96': 2 });
  // C1 15 February, C3 1 February, C7 29 February.
  assert.equal(february.reviews, 3);
  // C1 and C5 on methadone; C3's methadone intervention ended on 28 February. C2 on buprenorphine.
  assert.equal(february.clientsOnOralMethadone, 2);
  assert.equal(february.clientsOnOralBuprenorphine, 1);
});

await test('month figures across the year end', () => {
  // 31 March 2024 is both the last day of the financial year and the day the clocks go forward.
  const march = monthFigures(reportFixture(), march2024);
  const april = monthFigures(reportFixture(), april2024);

  // C5's transfer (83) on 1 April counts in April only.
  assert.equal(march.dischargesByReason['83'], 0);
  assert.equal(april.dischargesByReason['83'], 1);
  // April's only review is C5's of 1 April; those of 31 March (C1, C3, C8) stay in March.
  assert.equal(april.reviews, 1);
  assert.equal(april.newEpisodes, 0);
  // Open on 30 April: 94 C1, C2, C6, C8 = 4; 95 C2 = 1; 96 C1, C6, C8 = 3.
  assert.deepEqual(april.activeInterventionsByType, { '94': 4, '95': 1, '96': 3 });
  // C5's methadone ended on 1 April: only C1 is on methadone.
  assert.equal(april.clientsOnOralMethadone, 1);
  assert.equal(april.clientsOnOralBuprenorphine, 2);
});

await test('month figures when the clocks go back', () => {
  // C7 triaged on 2 October and C8 on 29 October 2023, the day the clocks went back.
  assert.equal(monthFigures(reportFixture(), { year: 2023, month: 10 }).newEpisodes, 2);
  assert.equal(monthFigures(reportFixture(), { year: 2023, month: 11 }).newEpisodes, 1);
});

await test('compareMonths does not flag exactly 20%', () => {
  const result = compareMonths(figures(march2024, { reviews: 120 }), figures(february2024, { reviews: 100 }));
  const reviews = rowFor(result.rows, 'reviews');

  assert.equal(reviews.changePercent, 20);
  assert.equal(reviews.flagged, false);
  assert.equal(reviews.message, '');
  assert.deepEqual(result.flagged, []);
});

await test('compareMonths flags a 20.1% rise', () => {
  const result = compareMonths(figures(march2024, { reviews: 1201 }), figures(february2024, { reviews: 1000 }));
  const reviews = rowFor(result.rows, 'reviews');

  assert.equal(reviews.flagged, true);
  assert.equal(reviews.difference, 201);
  assert.equal(
    reviews.message,
    'Sub-intervention reviews dated in the month went from 1000 in 2024-02 to 1201 in 2024-03, a rise of 20.1%, ' +
      'more than the 20% threshold. Check that both months were extracted in full before submitting. If the change is real, confirm it.',
  );
  assert.deepEqual(result.flagged.map((row) => row.key), ['reviews']);
});

await test('compareMonths treats falls the same way', () => {
  const exact = rowFor(compareMonths(figures(march2024, { newEpisodes: 80 }), figures(february2024, { newEpisodes: 100 })).rows, 'new-episodes');
  const beyond = rowFor(compareMonths(figures(march2024, { newEpisodes: 799 }), figures(february2024, { newEpisodes: 1000 })).rows, 'new-episodes');

  assert.equal(exact.changePercent, -20);
  assert.equal(exact.flagged, false);
  assert.equal(beyond.flagged, true);
  assert.match(beyond.message, /a fall of 20\.1%, more than the 20% threshold/);
});

await test('compareMonths avoids floating point overshoot', () => {
  // (107 - 100) / 100 * 100 is 7.000000000000001 in floating point, yet the change is exactly 7%.
  const result = compareMonths(figures(march2024, { reviews: 107 }), figures(february2024, { reviews: 100 }), { thresholdPercent: 7 });
  assert.equal(rowFor(result.rows, 'reviews').flagged, false);
});

await test('compareMonths flags a rise from zero', () => {
  const result = compareMonths(figures(march2024, { clientsOnOralMethadone: 3 }), figures(february2024));
  const methadone = rowFor(result.rows, 'oral-methadone');

  assert.equal(methadone.changePercent, null);
  assert.equal(methadone.flagged, true);
  assert.equal(
    methadone.message,
    'Clients on oral methadone on the last day of the month went from 0 in 2024-02 to 3 in 2024-03. A figure that was 0 ' +
      'the month before is always flagged, because it can mean the earlier extract missed records. ' +
      'Check that both months were extracted in full before submitting. If the change is real, confirm it.',
  );
});

await test('compareMonths keeps zero to zero quiet', () => {
  const result = compareMonths(figures(march2024), figures(february2024));
  const methadone = rowFor(result.rows, 'oral-methadone');

  assert.equal(methadone.changePercent, 0);
  assert.equal(methadone.flagged, false);
  assert.deepEqual(result.flagged, []);
});

await test('compareMonths keeps a figure seen only last month', () => {
  const result = compareMonths(figures(march2024), figures(february2024, { dischargesByReason: { '': 2 } }));
  const missingReason = rowFor(result.rows, 'discharges:');

  assert.equal(missingReason.label, 'Discharges in the month: reason not recorded');
  assert.equal(missingReason.current, 0);
  assert.equal(missingReason.previous, 2);
  assert.equal(missingReason.changePercent, -100);
  assert.equal(missingReason.flagged, true);
});

await test('compareMonths uses a custom threshold', () => {
  const result = compareMonths(figures(march2024, { reviews: 140 }), figures(february2024, { reviews: 100 }), { thresholdPercent: 50 });
  assert.equal(result.thresholdPercent, 50);
  assert.equal(result.explanation, comparisonExplanation(50));
  assert.match(result.explanation, /by more than 50% of the month before/);
  assert.equal(rowFor(result.rows, 'reviews').flagged, false);
});

await test('compareMonths rejects a negative threshold', () => {
  assert.throws(() => compareMonths(figures(march2024), figures(february2024), { thresholdPercent: -5 }), {
    name: 'RangeError',
    message: 'The comparison threshold is -5%, but it must be a number of 0 or more, such as 20.',
  });
});

await test('compareMonths on the fixture months', () => {
  const result = compareMonths(monthFigures(reportFixture(), march2024), monthFigures(reportFixture(), february2024));

  // New episodes 0 -> 1: from zero, flagged.
  assert.equal(rowFor(result.rows, 'new-episodes').flagged, true);
  // Open pharmacological interventions 4 -> 5: +25%, flagged.
  assert.equal(rowFor(result.rows, 'active-interventions:94').changePercent, 25);
  assert.equal(rowFor(result.rows, 'active-interventions:94').flagged, true);
  assert.equal(rowFor(result.rows, 'active-interventions:94').label, 'Interventions open on the last day of the month: Pharmacological (94)');
  // Methadone 2 -> 2: no change.
  assert.equal(rowFor(result.rows, 'oral-methadone').flagged, false);
  // Discharge reason 89 (died) is 0 both months: not flagged.
  assert.equal(rowFor(result.rows, 'discharges:89').flagged, false);
  assert.equal(rowFor(result.rows, 'discharges:80').label, 'Discharges in the month: Treatment completed, drug free (80)');
  // Flagged: new episodes, discharges 80 (0 -> 1) and 85 (1 -> 0), open 94 (+25%),
  // 95 (-50%), 96 (+100%), reviews (3 -> 9), buprenorphine (1 -> 2).
  assert.deepEqual(result.flagged.map((row) => row.key), [
    'new-episodes',
    'discharges:80',
    'discharges:85',
    'active-interventions:94',
    'active-interventions:95',
    'active-interventions:96',
    'reviews',
    'oral-buprenorphine',
  ]);
});
