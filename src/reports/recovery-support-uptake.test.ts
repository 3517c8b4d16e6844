import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recoverySupportUptakeExplanation, recoverySupportUptakeReport } from './recovery-support-uptake.js';
import { reportFixture } from './report-fixture.js';

await test('recovery support uptake in March', () => {
  const report = recoverySupportUptakeReport(reportFixture(), { year: 2024, month: 3 });

  // In treatment in March: C1, C2, C3, C4, C5, C6, C8 = 7.
  assert.equal(report.inTreatment, 7);
  // Recovery items on reviews dated in March: C1 (RECPEER 31 Mar), C3 (RECCHKP 31 Mar, after
  // its 15 March discharge), C5 (RECMAID 1 Mar), C8 (RECEMP 31 Mar) = 4.
  // C6 has a recovery intervention but no recovery item on a review.
  assert.equal(report.withRecoverySupport, 4);
  assert.equal(report.share, 4 / 7);
  // C7, discharged 29 February, had peer support on 12 March.
  assert.equal(report.outsideTreatmentWithRecoverySupport, 1);
  assert.equal(report.explanation, recoverySupportUptakeExplanation);
});

await test('recovery support uptake in February', () => {
  const report = recoverySupportUptakeReport(reportFixture(), { year: 2024, month: 2 });

  // In treatment: C1, C2, C3, C5, C6, C7, C8 = 7. Reviews in February: C1 15 Feb,
  // C3 1 Feb, C7 29 Feb, none with a recovery item.
  assert.equal(report.inTreatment, 7);
  assert.equal(report.withRecoverySupport, 0);
  assert.equal(report.share, 0);
  assert.equal(report.outsideTreatmentWithRecoverySupport, 0);
});

await test('recovery support uptake with nobody', () => {
  const report = recoverySupportUptakeReport([], { year: 2024, month: 3 });
  assert.equal(report.inTreatment, 0);
  assert.equal(report.share, null);
});
