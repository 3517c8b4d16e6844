import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Client, Intervention } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { reportFixture } from './report-fixture.js';
import { median, waitingTimesExplanation, waitingTimesReport } from './waiting-times.js';

const march2024 = { year: 2024, month: 3 };

// Interventions starting in March 2024:
//   C2 psychosocial: referred 20 Feb, started 4 Mar: 9 days to 29 Feb, then 4 = 13 days.
//   C8 pharmacological: referred 1 Feb, started 31 Mar: 29 days to 1 Mar, then 30 = 59 days.
//   C8 recovery support: referred 1 Mar, started 22 Mar = 21 days (within 21).
//   C6 recovery support: started 18 Mar with no referral date, left out.
// C4's intervention has not started, so it is not in the report.

await test('waiting times overall in March', () => {
  const report = waitingTimesReport(reportFixture(), march2024);

  assert.equal(report.targetDays, 21);
  // Waits 13, 21, 59: median 21; 13 and 21 are within 21 days, so 2 of 3.
  assert.deepEqual(report.overall, { counted: 3, medianDays: 21, withinTarget: 2, withinTargetShare: 2 / 3 });
  assert.deepEqual(report.excluded, { missingReferralDate: 1, startBeforeReferral: 0 });
  assert.equal(report.explanation, waitingTimesExplanation(21));
});

await test('waiting times by intervention type', () => {
  const report = waitingTimesReport(reportFixture(), march2024);

  assert.deepEqual(report.byType, [
    { type: '94', label: 'Pharmacological', counted: 1, medianDays: 59, withinTarget: 0, withinTargetShare: 0 },
    { type: '95', label: 'Psychosocial', counted: 1, medianDays: 13, withinTarget: 1, withinTargetShare: 1 },
    { type: '96', label: 'Recovery support', counted: 1, medianDays: 21, withinTarget: 1, withinTargetShare: 1 },
  ]);
});

await test('waiting times with a shorter target', () => {
  // With a 20-day target the 21-day wait no longer counts: 1 of 3.
  const report = waitingTimesReport(reportFixture(), march2024, { targetDays: 20 });
  assert.equal(report.overall.withinTarget, 1);
  assert.equal(report.explanation, waitingTimesExplanation(20));
});

await test('waiting times leave out a start before referral', () => {
  const client = reportFixture()[1] as Client;
  const psychosocial = client.episodes[0]?.interventions[1] as Intervention;
  psychosocial.referralDate = '2024-03-05' as PlainDate;

  const report = waitingTimesReport([client], march2024);
  assert.deepEqual(report.excluded, { missingReferralDate: 0, startBeforeReferral: 1 });
  assert.equal(report.overall.counted, 0);
  assert.equal(report.overall.medianDays, null);
  assert.equal(report.overall.withinTargetShare, null);
});

await test('waiting times for April starts', () => {
  // Nothing in the fixture starts in April 2024.
  const report = waitingTimesReport(reportFixture(), { year: 2024, month: 4 });
  assert.equal(report.overall.counted, 0);
});

await test('waiting times reject a negative target', () => {
  assert.throws(() => waitingTimesReport([], march2024, { targetDays: -1 }), {
    name: 'RangeError',
    message: 'The waiting time target is -1 days, but it must be a whole number of days, 0 or more.',
  });
});

await test('median of even and odd counts', () => {
  assert.equal(median([20, 10]), 15);
  assert.equal(median([7, 1, 3]), 3);
  assert.equal(median([]), null);
});
