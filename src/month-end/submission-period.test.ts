import assert from 'node:assert/strict';
import { it } from 'node:test';
import { extractionWindow } from '../db/extraction.js';
import { todayInEngland, type PlainDate } from '../domain/plain-date.js';
import { lastCompleteMonth, unsubmittableReason } from './submission-period.js';

const day = (text: string): PlainDate => text as PlainDate;

void it('window ends on the last day of the month', () => {
  assert.deepEqual(extractionWindow({ year: 2024, month: 2 }), { from: '2023-04-01', to: '2024-02-29' });
  assert.deepEqual(extractionWindow({ year: 2023, month: 2 }), { from: '2022-04-01', to: '2023-02-28' });
  assert.deepEqual(extractionWindow({ year: 2024, month: 9 }), { from: '2024-04-01', to: '2024-09-30' });
  assert.deepEqual(extractionWindow({ year: 2024, month: 12 }), { from: '2024-04-01', to: '2024-12-31' });
});

void it('window crosses the financial year boundary', () => {
  // March closes the financial year that began the April before, and April opens a new one.
  assert.deepEqual(extractionWindow({ year: 2024, month: 3 }), { from: '2023-04-01', to: '2024-03-31' });
  assert.deepEqual(extractionWindow({ year: 2024, month: 4 }), { from: '2024-04-01', to: '2024-04-30' });
  assert.deepEqual(extractionWindow({ year: 2025, month: 1 }), { from: '2024-04-01', to: '2025-01-31' });
});

void it('window of clock-change months', () => {
  // British Summer Time began on 31 March 2024 and ended on 27 October 2024. The window is in whole days.
  assert.deepEqual(extractionWindow({ year: 2024, month: 3 }).to, '2024-03-31');
  assert.deepEqual(extractionWindow({ year: 2024, month: 10 }), { from: '2024-04-01', to: '2024-10-31' });
});

void it('today in England across clock changes', () => {
  assert.equal(todayInEngland(new Date('2024-03-31T22:59:59Z')), '2024-03-31');
  assert.equal(todayInEngland(new Date('2024-03-31T23:00:00Z')), '2024-04-01');
  assert.equal(todayInEngland(new Date('2024-10-26T22:59:59Z')), '2024-10-26');
  assert.equal(todayInEngland(new Date('2024-10-26T23:00:00Z')), '2024-10-27');
  assert.equal(todayInEngland(new Date('2024-10-27T23:30:00Z')), '2024-10-27');
  assert.equal(todayInEngland(new Date('2024-01-31T23:30:00Z')), '2024-01-31');
});

void it('last complete month', () => {
  assert.deepEqual(lastCompleteMonth(day('2024-04-01')), { year: 2024, month: 3 });
  assert.deepEqual(lastCompleteMonth(day('2024-03-31')), { year: 2024, month: 2 });
  assert.deepEqual(lastCompleteMonth(day('2024-01-01')), { year: 2023, month: 12 });
});

void it('submittable months', () => {
  assert.equal(unsubmittableReason({ year: 2024, month: 3 }, day('2024-04-01')), undefined);
  assert.equal(unsubmittableReason({ year: 2023, month: 4 }, day('2024-04-01')), undefined);
  assert.equal(
    unsubmittableReason({ year: 2024, month: 3 }, day('2024-03-31')),
    '2024-03 is the current month and is not complete until its last day has passed. Submit it from the first day of the next month.',
  );
  assert.equal(unsubmittableReason({ year: 2024, month: 4 }, day('2024-03-31')), '2024-04 is a future month. Only a complete month can be submitted; the latest is 2024-02.');
  assert.equal(unsubmittableReason({ year: 2025, month: 1 }, day('2024-12-31')), '2025-01 is a future month. Only a complete month can be submitted; the latest is 2024-11.');
});
