import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientsInTreatmentReport } from './clients-in-treatment.js';
import { clientsInTreatmentCharts, formatShare, recoverySupportHeadlines, waitingTimesCharts, waitingTimesHeadlines } from './report-charts.js';
import { recoverySupportUptakeReport } from './recovery-support-uptake.js';
import { reportFixture } from './report-fixture.js';
import { waitingTimesReport } from './waiting-times.js';

const march2024 = { year: 2024, month: 3 };

await test('in-treatment chart labels months', () => {
  const [chart] = clientsInTreatmentCharts(clientsInTreatmentReport(reportFixture(), march2024));

  assert.ok(chart);
  assert.deepEqual(chart.points.map((point) => point.label), ['Apr 23', 'May 23', 'Jun 23', 'Jul 23', 'Aug 23', 'Sep 23', 'Oct 23', 'Nov 23', 'Dec 23', 'Jan 24', 'Feb 24', 'Mar 24']);
  // March 2024 has 7 clients in treatment, as the clients-in-treatment tests work out.
  assert.equal(chart.points.at(-1)?.value, 7);
});

await test('waiting chart shows medians by type', () => {
  // The fixture's waits in March 2024: pharmacological 59 days, psychosocial 13, recovery support 21.
  const [chart] = waitingTimesCharts(waitingTimesReport(reportFixture(), march2024));

  assert.ok(chart);
  assert.deepEqual(chart.points, [
    { label: 'Pharmacological', value: 59 },
    { label: 'Psychosocial', value: 13 },
    { label: 'Recovery support', value: 21 },
  ]);
});

await test('waiting chart skips types without waits', () => {
  const [chart] = waitingTimesCharts(waitingTimesReport(reportFixture(), { year: 2022, month: 1 }));

  assert.ok(chart);
  assert.deepEqual(chart.points, []);
});

await test('waiting headlines format the figures', () => {
  assert.deepEqual(waitingTimesHeadlines(waitingTimesReport(reportFixture(), march2024)), [
    { label: 'Waits measured', value: '3' },
    { label: 'Median wait', value: '21 days' },
    { label: 'Share started within 21 days', value: '67%' },
    { label: 'Left out: no referral date', value: '1' },
    { label: 'Left out: start before referral', value: '0' },
  ]);
});

await test('recovery headlines give the share', () => {
  assert.deepEqual(recoverySupportHeadlines(recoverySupportUptakeReport(reportFixture(), march2024)), [
    { label: 'Clients in treatment in the month', value: '7' },
    { label: 'Share with recovery support', value: '57%' },
  ]);
});

await test('share of nothing reads none counted', () => {
  assert.equal(formatShare(null), 'None counted');
  assert.equal(formatShare(0), '0%');
  assert.equal(formatShare(0.995), '100%');
});
