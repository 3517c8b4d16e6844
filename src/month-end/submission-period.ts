import { formatReportingPeriod, periodOf, previousPeriod, type ReportingPeriod } from '../domain/reporting-period.js';
import type { PlainDate } from '../domain/plain-date.js';

/** Returns the last complete month on `today`, which is the month before today's. */
export function lastCompleteMonth(today: PlainDate): ReportingPeriod {
  return previousPeriod(periodOf(today));
}

function compare(a: ReportingPeriod, b: ReportingPeriod): number {
  return a.year - b.year || a.month - b.month;
}

/**
 * Returns why the month cannot be submitted on `today`, or undefined when it can. Only a
 * complete month may be submitted: the current month is still being recorded, and a
 * future month has nothing to report.
 */
export function unsubmittableReason(period: ReportingPeriod, today: PlainDate): string | undefined {
  const current = periodOf(today);
  const order = compare(period, current);
  const month = formatReportingPeriod(period);
  if (order > 0) return `${month} is a future month. Only a complete month can be submitted; the latest is ${formatReportingPeriod(lastCompleteMonth(today))}.`;
  if (order === 0) return `${month} is the current month and is not complete until its last day has passed. Submit it from the first day of the next month.`;
  return undefined;
}
