import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Client, Intervention } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { clientsInTreatmentExplanation, clientsInTreatmentReport, type MonthInTreatment } from './clients-in-treatment.js';
import { reportFixture } from './report-fixture.js';

const march2024 = { year: 2024, month: 3 };

function monthOf(months: MonthInTreatment[], month: string): MonthInTreatment {
  const found = months.find((entry) => entry.month === month);
  assert.ok(found, `month ${month} missing from the report`);
  return found;
}

function typeCounts(entry: MonthInTreatment): Record<string, number> {
  return Object.fromEntries(entry.byType.map((type) => [type.type, type.clients]));
}

await test('clients in treatment span 12 months', () => {
  const report = clientsInTreatmentReport(reportFixture(), march2024);

  assert.deepEqual(
    report.months.map((entry) => entry.month),
    ['2023-04', '2023-05', '2023-06', '2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03'],
  );
  assert.equal(report.explanation, clientsInTreatmentExplanation);
});

await test('clients in treatment in March 2024', () => {
  const march = monthOf(clientsInTreatmentReport(reportFixture(), march2024).months, '2024-03');

  // Episodes open in March: C1, C2, C3 (discharged 15 March), C4 (triaged 28 March), C5,
  // C6, C8 = 7. C7 was discharged on 29 February and C9 has no episode.
  assert.equal(march.inTreatment, 7);
  // 94: C1, C2, C5, C6, and C8 whose intervention starts on 31 March = 5. C3's ended 28 February.
  // 95: C2 (from 4 March), C3 (to 15 March) = 2. C4 is waiting; C7's and C8's ended earlier.
  // 96: C1, C5, C6 (from 18 March), C8 (from 22 March) = 4.
  assert.deepEqual(typeCounts(march), { '94': 5, '95': 2, '96': 4 });
  assert.deepEqual(
    march.byType.map((type) => type.label),
    ['Pharmacological', 'Psychosocial', 'Recovery support'],
  );
});

await test('clients in treatment in February 2024', () => {
  const february = monthOf(clientsInTreatmentReport(reportFixture(), march2024).months, '2024-02');

  // C1, C2, C3, C5, C6, C7 (discharged 29 February, the last day, still counts), C8 = 7.
  assert.equal(february.inTreatment, 7);
  // 94: C1, C2, C3 (ends 28 February), C5, C6 = 5. 95: C3, C7 (ends 29 February) = 2. 96: C1, C5 = 2.
  assert.deepEqual(typeCounts(february), { '94': 5, '95': 2, '96': 2 });
});

await test('clients in treatment in October 2023', () => {
  const october = monthOf(clientsInTreatmentReport(reportFixture(), march2024).months, '2023-10');

  // C3, C5, C6, C7 (triaged 2 October), C8 (triaged 29 October, the day the clocks go back) = 5.
  assert.equal(october.inTreatment, 5);
  // 94: C3, C5, C6 = 3. 95: C3, C7, C8 (from 30 October) = 3. 96: C5 = 1.
  assert.deepEqual(typeCounts(october), { '94': 3, '95': 3, '96': 1 });
});

await test('clients in treatment in April 2023', () => {
  const april = monthOf(clientsInTreatmentReport(reportFixture(), march2024).months, '2023-04');

  // Only C5, triaged on 1 April 2023, the first day of the financial year.
  assert.equal(april.inTreatment, 1);
  assert.deepEqual(typeCounts(april), { '94': 1, '95': 0, '96': 1 });
});

await test('clients in treatment counted once per type', () => {
  // C1 with a second pharmacological intervention open in March.
  const client = reportFixture()[0] as Client;
  const episode = client.episodes[0];
  assert.ok(episode);
  const methadone = episode.interventions[0] as Intervention;
  episode.interventions.push({ ...methadone, interventionId: 'I1-PH2', startDate: '2024-03-05' as PlainDate });

  const march = monthOf(clientsInTreatmentReport([client], march2024).months, '2024-03');
  assert.deepEqual(typeCounts(march), { '94': 1, '95': 0, '96': 1 });
});
