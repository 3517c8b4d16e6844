import { daysInMonth, plainDateFromParts, type PlainDate } from './plain-date.js';

/** A reporting month, such as 2024-03: the unit of a monthly CDS-Q submission. */
export interface ReportingPeriod {
  readonly year: number;
  readonly month: number;
}

const periodPattern = /^(\d{4})-(\d{2})$/;

/** Parses `YYYY-MM`, returning undefined for anything else. */
export function parseReportingPeriod(text: string): ReportingPeriod | undefined {
  const match = periodPattern.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12 || year < 1900) return undefined;
  return { year, month };
}

export function formatReportingPeriod(period: ReportingPeriod): string {
  return `${period.year}-${String(period.month).padStart(2, '0')}`;
}

export function periodStart(period: ReportingPeriod): PlainDate {
  return plainDateFromParts(period.year, period.month, 1) as PlainDate;
}

export function periodEnd(period: ReportingPeriod): PlainDate {
  return plainDateFromParts(period.year, period.month, daysInMonth(period.year, period.month)) as PlainDate;
}

/** 1 April of the financial year (April to March) that contains the period. */
export function financialYearStart(period: ReportingPeriod): PlainDate {
  const year = period.month >= 4 ? period.year : period.year - 1;
  return plainDateFromParts(year, 4, 1) as PlainDate;
}

export function previousPeriod(period: ReportingPeriod): ReportingPeriod {
  return period.month === 1 ? { year: period.year - 1, month: 12 } : { year: period.year, month: period.month - 1 };
}

/** The period that contains a date. */
export function periodOf(date: PlainDate): ReportingPeriod {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) };
}
