import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Episode, Intervention } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import {
  interventionTypes,
  isDateInPeriod,
  isEpisodeOpenInPeriod,
  isInterventionOpenInPeriod,
  periodsEndingWith,
} from './treatment-activity.js';

const march2024 = { year: 2024, month: 3 };
const day = (text: string): PlainDate => text as PlainDate;

function episode(triage: string | undefined, discharge?: string): Episode {
  return {
    episodeId: 'E1',
    referralDate: undefined,
    triageDate: triage === undefined ? undefined : day(triage),
    dischargeDate: discharge === undefined ? undefined : day(discharge),
    dischargeReason: undefined,
    interventions: [],
    reviews: [],
  };
}

function intervention(start: string | undefined, end?: string): Intervention {
  return {
    interventionId: 'I1',
    interventionType: '94',
    setting: '1',
    referralDate: undefined,
    firstAppointmentOfferedDate: undefined,
    startDate: start === undefined ? undefined : day(start),
    endDate: end === undefined ? undefined : day(end),
    exitStatus: undefined,
  };
}

await test('isDateInPeriod includes both ends', () => {
  assert.equal(isDateInPeriod(day('2024-03-01'), march2024), true);
  // 31 March 2024 is the last day, the day the clocks go forward, and the financial year's end.
  assert.equal(isDateInPeriod(day('2024-03-31'), march2024), true);
  assert.equal(isDateInPeriod(day('2024-02-29'), march2024), false);
  assert.equal(isDateInPeriod(day('2024-04-01'), march2024), false);
  assert.equal(isDateInPeriod(undefined, march2024), false);
});

await test('isDateInPeriod on the October clock change', () => {
  assert.equal(isDateInPeriod(day('2023-10-29'), { year: 2023, month: 10 }), true);
  assert.equal(isDateInPeriod(day('2023-10-29'), { year: 2023, month: 11 }), false);
});

await test('isEpisodeOpenInPeriod at the edges', () => {
  assert.equal(isEpisodeOpenInPeriod(episode('2024-03-31'), march2024), true, 'triaged on the last day');
  assert.equal(isEpisodeOpenInPeriod(episode('2024-04-01'), march2024), false, 'triaged the day after');
  assert.equal(isEpisodeOpenInPeriod(episode('2023-01-01', '2024-03-01'), march2024), true, 'discharged on the first day');
  assert.equal(isEpisodeOpenInPeriod(episode('2023-01-01', '2024-02-29'), march2024), false, 'discharged the day before');
  assert.equal(isEpisodeOpenInPeriod(episode(undefined), march2024), false, 'no triage date');
});

await test('isInterventionOpenInPeriod at the edges', () => {
  assert.equal(isInterventionOpenInPeriod(intervention('2024-03-31'), march2024), true, 'started on the last day');
  assert.equal(isInterventionOpenInPeriod(intervention('2024-04-01'), march2024), false, 'started the day after');
  assert.equal(isInterventionOpenInPeriod(intervention('2023-06-01', '2024-03-01'), march2024), true, 'ended on the first day');
  assert.equal(isInterventionOpenInPeriod(intervention('2023-06-01', '2024-02-29'), march2024), false, 'ended the day before');
  assert.equal(isInterventionOpenInPeriod(intervention(undefined), march2024), false, 'still waiting');
});

await test('periodsEndingWith crosses a year', () => {
  assert.deepEqual(periodsEndingWith({ year: 2024, month: 2 }, 4), [
    { year: 2023, month: 11 },
    { year: 2023, month: 12 },
    { year: 2024, month: 1 },
    { year: 2024, month: 2 },
  ]);
});

await test('interventionTypes come from the dataset', () => {
  assert.deepEqual(interventionTypes().map((type) => type.code), ['94', '95', '96']);
});
