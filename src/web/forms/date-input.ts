import { plainDateFromParts } from '../../domain/plain-date.js';
import type { PlainDate } from '../../domain/plain-date.js';
import { asciiDigits } from './digits.js';
import { printableText } from './printable.js';
import type { FormBody } from './form-errors.js';
import { textOf } from './form-errors.js';

/** The three boxes of an NHS.UK date input, as typed, so they can be shown again. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export type DateAnswer =
  | { kind: 'empty'; parts: DateParts }
  | { kind: 'date'; parts: DateParts; date: PlainDate }
  | { kind: 'invalid'; parts: DateParts; problem: string };

/** Reads the `<name>-day`, `<name>-month` and `<name>-year` fields of a date input, with full-width digits read as ASCII. */
export function readDateInput(body: FormBody, name: string, label: string): DateAnswer {
  const parts = { day: asciiDigits(textOf(body, `${name}-day`)), month: asciiDigits(textOf(body, `${name}-month`)), year: asciiDigits(textOf(body, `${name}-year`)) };
  if (parts.day === '' && parts.month === '' && parts.year === '') return { kind: 'empty', parts };

  const missing = (['day', 'month', 'year'] as const).filter((part) => parts[part] === '');
  if (missing.length > 0) return { kind: 'invalid', parts, problem: `${label} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month)) {
    return { kind: 'invalid', parts, problem: `${label} must be a real date, with the day and month as numbers, for example 27 3 2024` };
  }
  if (!/^\d{4}$/.test(parts.year)) return { kind: 'invalid', parts, problem: `${label} must have a four-digit year, for example 2024` };

  const date = plainDateFromParts(Number(parts.year), Number(parts.month), Number(parts.day));
  if (!date) return { kind: 'invalid', parts, problem: `${label} must be a real date. ${parts.day}/${parts.month}/${parts.year} does not exist.` };
  return { kind: 'date', parts, date };
}

/** The boxes of a date input filled from a stored date. */
export function partsOf(date: string | null | undefined): DateParts {
  if (!date) return { day: '', month: '', year: '' };
  return { day: String(Number(date.slice(8, 10))), month: String(Number(date.slice(5, 7))), year: date.slice(0, 4) };
}

/**
 * Items for the `dateInput` macro, keeping what was typed without the characters a page
 * cannot show (see `printableText`). Field names are `<name>-day` and so on.
 */
export function dateInputItems(name: string, parts: DateParts, hasError: boolean): object[] {
  return [
    { name: `${name}-day`, id: `${name}-day`, value: printableText(parts.day), width: 2, label: 'Day', error: hasError },
    { name: `${name}-month`, id: `${name}-month`, value: printableText(parts.month), width: 2, label: 'Month', error: hasError },
    { name: `${name}-year`, id: `${name}-year`, value: printableText(parts.year), width: 4, label: 'Year', error: hasError },
  ];
}
