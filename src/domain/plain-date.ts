/**
 * A calendar date with no time and no time zone, held as an ISO `YYYY-MM-DD` string.
 *
 * Dates of birth and every other CDS-Q date are date-only. Holding them as strings, never
 * as `Date` objects, means no time zone or clock change can move them by a day.
 */
export type PlainDate = string & { readonly __plainDate: unique symbol };

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Builds a PlainDate from year, month (1-12) and day, or returns undefined for an impossible date. */
export function plainDateFromParts(year: number, month: number, day: number): PlainDate | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` as PlainDate;
}

/** Parses an ISO `YYYY-MM-DD` string, returning undefined when it is not a real date. */
export function parseIsoDate(text: string): PlainDate | undefined {
  const match = isoPattern.exec(text);
  if (!match) return undefined;
  return plainDateFromParts(Number(match[1]), Number(match[2]), Number(match[3]));
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC avoids any clock change.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function dateParts(date: PlainDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** Formats a date as the CDS-Q file writes it: `DD/MM/YYYY`. */
export function formatDayMonthYear(date: PlainDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** Adds a number of days (negative to subtract). */
export function addDays(date: PlainDate, days: number): PlainDate {
  const { year, month, day } = dateParts(date);
  const moved = new Date(Date.UTC(year, month - 1, day + days));
  return plainDateFromParts(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate()) as PlainDate;
}

/** Whole days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: PlainDate, to: PlainDate): number {
  const a = dateParts(from);
  const b = dateParts(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** Completed years of age on `on` for someone born on `birth`. */
export function ageOn(birth: PlainDate, on: PlainDate): number {
  const b = dateParts(birth);
  const o = dateParts(on);
  const hadBirthday = o.month > b.month || (o.month === b.month && o.day >= b.day);
  return o.year - b.year - (hadBirthday ? 0 : 1);
}

// Building an Intl.DateTimeFormat costs far more than formatting with one, and the web app
// asks for today on every request, so one formatter is kept. The en-CA locale writes YYYY-MM-DD.
const englandDateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });

/** Today's date on the calendar of England, whatever the machine's time zone. */
export function todayInEngland(now: Date = new Date()): PlainDate {
  return englandDateFormat.format(now) as PlainDate;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
