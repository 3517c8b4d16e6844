import type { Kysely } from 'kysely';
import type { AgencyRef } from '../db/clients-repository.js';
import type { Database } from '../db/schema.js';
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

/**
 * Returns why the agency cannot submit the month on `today`, or undefined when it can. On top
 * of `unsubmittableReason`, the month must not end before the agency's earliest episode
 * referral. The extraction yields clients without consent and with no episode for every
 * month, so without this check a month before the service began would pass with only them.
 */
export async function agencyPeriodProblem(db: Kysely<Database>, agency: AgencyRef, period: ReportingPeriod, today: PlainDate): Promise<string | undefined> {
  const calendarProblem = unsubmittableReason(period, today);
  if (calendarProblem) return calendarProblem;

  const earliest = await db
    .selectFrom('episodes')
    .select((eb) => eb.fn.min('referral_date').as('referral_date'))
    .where('agency_id', '=', agency.id)
    .executeTakeFirst();
  const referral = earliest?.referral_date;
  const month = formatReportingPeriod(period);
  if (!referral) return `${agency.code} has no episode on record, so ${month} has no treatment to submit. Record the agency's episodes first.`;

  const first = periodOf(String(referral) as PlainDate);
  if (compare(period, first) < 0) {
    return `${month} ends before ${agency.code}'s earliest episode referral. The earliest month that can be submitted is ${formatReportingPeriod(first)}.`;
  }
  return undefined;
}
