import { plainDateFromParts } from '../domain/plain-date.js';
import type { PlainDate } from '../domain/plain-date.js';
import type { Dataset } from './dataset.js';
import type { CodeList, FieldDefinition } from './definition.js';
import { cdsQDataset } from './index.js';

/**
 * Parsing of one CDS-Q value from its text, shared by the file reader and the web forms.
 * Nothing here is specific to CSV. The caller passes the text exactly as given.
 */

/** A parsed value: a date, a dose, whether a sub-intervention was delivered, or a code or identifier. */
export type FieldValue = string | PlainDate | number | boolean;

/** Why a value was rejected: `D2` for format and code-list problems, `A6` for a dose. */
export interface FieldProblem {
  code: 'D2' | 'A6';
  message: string;
}

/** Empty text parses to `undefined`, because the caller checks whether the field is required (rule D1). */
export type FieldParseResult = { ok: true; value: FieldValue | undefined } | { ok: false; problem: FieldProblem };

const dayMonthYear = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const twoDigitYear = /^\d{1,2}\/\d{1,2}\/\d{2}$/;
const agencyPattern = /^[A-Z0-9]{5}$/;
const initialPattern = /^[A-Z]$/;
const identifierCharacters = /^[A-Za-z0-9-]+$/;
// At most 9 digits before the point: no dose is that large, and the cap keeps every
// accepted dose exact as a JavaScript number, so it is written back unchanged.
const dosePattern = /^\d{1,9}(\.\d)?$/;

const dateExample = 'Enter the date as DD/MM/YYYY, for example 05/03/1980.';

/**
 * Parses a date written `DD/MM/YYYY` or `YYYY-MM-DD`. Returns undefined for any other
 * form (month first, two-digit year, single-digit day) and for dates that do not exist.
 */
export function parseDate(text: string): PlainDate | undefined {
  const quick = parseDayMonthYear(text);
  if (quick !== undefined) return quick;

  const dayFirst = dayMonthYear.exec(text);
  if (dayFirst) return plainDateFromParts(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]));

  const iso = isoDate.exec(text);
  if (iso) return plainDateFromParts(Number(iso[1]), Number(iso[2]), Number(iso[3]));

  return undefined;
}

/**
 * Reads a real `DD/MM/YYYY` date without a regular expression or number formatting,
 * because a file has several dates on every row. Returns undefined for anything else, which
 * `parseDate` then reads the slow way, so it rejects exactly what the slow way rejects.
 */
function parseDayMonthYear(text: string): PlainDate | undefined {
  if (text.length !== 10 || text.charCodeAt(2) !== slash || text.charCodeAt(5) !== slash) return undefined;
  const day = digitsAt(text, 0, 2);
  const month = digitsAt(text, 3, 2);
  const year = digitsAt(text, 6, 4);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  return `${text.slice(6, 10)}-${text.slice(3, 5)}-${text.slice(0, 2)}` as PlainDate;
}

const slash = 0x2f;
const zero = 0x30;

/** Returns the number written by `length` ASCII digits from `start`, or -1 when any is not a digit. */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let index = start; index < start + length; index += 1) {
    const digit = text.charCodeAt(index) - zero;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month !== 2) return monthLengths[month - 1] ?? 0;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}

/** Parses the text of one field by its format, returning the value or the problem with it. */
export function parseFieldValue(field: FieldDefinition, raw: string, dataset: Dataset = cdsQDataset): FieldParseResult {
  if (raw === '') return { ok: true, value: undefined };
  if (hasOuterSpace(raw)) {
    return reject('D2', `${field.name} is "${raw}", which has spaces before or after it. Remove the spaces.`);
  }

  const format = field.format;
  switch (format.kind) {
    case 'agency':
      return agencyPattern.test(raw)
        ? accept(raw)
        : reject('D2', `${field.name} is ${raw}, which is not an NDTMS agency code. Enter the 5 capital letters and digits of the agency code, for example AB123.`);
    case 'identifier':
      return parseIdentifier(field, raw, format.maxLength);
    case 'initial':
      return initialPattern.test(raw)
        ? accept(raw)
        : reject('D2', `${field.name} is ${raw}, which is not a single capital letter. Enter only the first letter of the name, as a capital, for example J.`);
    case 'date':
      return parseDateField(field, raw);
    case 'code':
      return parseCode(field, raw, format.codeList, dataset);
    case 'dose':
      return parseDose(field, raw, format.unit);
    case 'delivered':
      return parseDelivered(field, raw, dataset);
  }
}

/** Returns true when the text starts or ends with white space. Printable ASCII at both ends, the usual case, skips `trim`. */
function hasOuterSpace(raw: string): boolean {
  const first = raw.charCodeAt(0);
  const last = raw.charCodeAt(raw.length - 1);
  if (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f) return false;
  return raw.trim() !== raw;
}

function parseIdentifier(field: FieldDefinition, raw: string, maxLength: number): FieldParseResult {
  if (raw.length > maxLength) {
    return reject('D2', `${field.name} is ${raw}, which has ${raw.length} characters. Use at most ${maxLength} letters, digits and hyphens.`);
  }
  if (!identifierCharacters.test(raw)) {
    return reject('D2', `${field.name} is ${raw}, which contains characters other than letters, digits and hyphens. Use only A-Z, a-z, 0-9 and -.`);
  }
  return accept(raw);
}

function parseDateField(field: FieldDefinition, raw: string): FieldParseResult {
  const date = parseDate(raw);
  if (date !== undefined) return accept(date);

  if (dayMonthYear.test(raw) || isoDate.test(raw)) {
    return reject('D2', `${field.name} is ${raw}, which is not a real date. ${dateExample}`);
  }
  if (twoDigitYear.test(raw)) {
    return reject('D2', `${field.name} is ${raw}, which has a two-digit year. ${dateExample}`);
  }
  return reject('D2', `${field.name} is ${raw}, which is not a date in the form DD/MM/YYYY or YYYY-MM-DD. ${dateExample}`);
}

function parseCode(field: FieldDefinition, raw: string, listName: string, dataset: Dataset): FieldParseResult {
  const list = dataset.codeList(listName);
  if (codesOf(list).has(raw)) return accept(raw);

  const choices = list.codes.map((entry) => `${entry.code} (${entry.label})`).join(', ');
  return reject('D2', `${field.name} is ${raw}, which is not one of its codes. Use one of: ${choices}.`);
}

const codeSets = new WeakMap<CodeList, ReadonlySet<string>>();

/** Returns the codes of a list as a set, built once per list because every row looks several codes up. */
function codesOf(list: CodeList): ReadonlySet<string> {
  let codes = codeSets.get(list);
  if (!codes) {
    codes = new Set(list.codes.map((entry) => entry.code));
    codeSets.set(list, codes);
  }
  return codes;
}

function parseDose(field: FieldDefinition, raw: string, unit: 'ml' | 'mg'): FieldParseResult {
  const dose = dosePattern.test(raw) ? Number(raw) : Number.NaN;
  if (dose > 0) return accept(dose);

  return reject(
    'A6',
    `${field.name} is ${raw}, which is not a number greater than zero with at most one decimal place. Enter the daily dose in ${unit} as digits only, for example 30 or 12.5.`,
  );
}

function parseDelivered(field: FieldDefinition, raw: string, dataset: Dataset): FieldParseResult {
  const { deliveredCode, notDeliveredCode } = dataset.conventions;
  if (raw === deliveredCode) return accept(true);
  if (raw === notDeliveredCode) return accept(false);

  return reject('D2', `${field.name} is ${raw}, which is neither ${deliveredCode} nor ${notDeliveredCode}. Enter ${deliveredCode} when the item was delivered, and ${notDeliveredCode} or nothing when it was not.`);
}

function accept(value: FieldValue): FieldParseResult {
  return { ok: true, value };
}

function reject(code: FieldProblem['code'], message: string): FieldParseResult {
  return { ok: false, problem: { code, message } };
}
