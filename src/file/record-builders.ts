import { isSubInterventionField } from '../dataset/index.js';
import type { Client, Entity, EntityProperties, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { columnOfProperty } from './column-layout.js';
import type { ColumnLayout } from './column-layout.js';
import type { ParsedRow } from './row-parser.js';

/**
 * Domain records built from one parsed row. Identifiers keep the text as given even when
 * it failed its format check, because rows are grouped by that text and D2 already
 * reports the format.
 */

type Reader = <E extends Entity>(entity: E, property: EntityProperties[E]) => unknown;

function readerOf(layout: ColumnLayout, row: ParsedRow): Reader {
  return (entity, property) => row.values[columnOfProperty(layout, entity, property)];
}

function rawOf<E extends Entity>(layout: ColumnLayout, row: ParsedRow, entity: E, property: EntityProperties[E]): string {
  return row.raw[columnOfProperty(layout, entity, property)] ?? '';
}

/** Properties of an entity that were given in the row but failed their field check, as a property to spread into the record. */
function rejectedOf<E extends Entity>(layout: ColumnLayout, row: ParsedRow, entity: E, properties: EntityProperties[E][]): { rejected?: string[] } {
  let rejected: string[] | undefined;
  for (const property of properties) {
    const column = columnOfProperty(layout, entity, property);
    if ((row.raw[column] ?? '') !== '' && row.values[column] === undefined) (rejected ??= []).push(property);
  }
  return rejected ? { rejected } : noneRejected;
}

// Shared, because nearly every record has no rejected value and spreading it adds nothing.
const noneRejected: { rejected?: string[] } = Object.freeze({});

// Dates parse to PlainDate strings, so a string here is a date only because the column is a date column.
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const date = (value: unknown): PlainDate | undefined => (typeof value === 'string' ? (value as PlainDate) : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

export function clientFrom(layout: ColumnLayout, row: ParsedRow): Client {
  const value = readerOf(layout, row);
  return {
    agency: text(value('client', 'agency')),
    clientId: rawOf(layout, row, 'client', 'clientId'),
    firstInitial: text(value('client', 'firstInitial')),
    surnameInitial: text(value('client', 'surnameInitial')),
    dateOfBirth: date(value('client', 'dateOfBirth')),
    sex: text(value('client', 'sex')),
    consent: text(value('client', 'consent')),
    episodes: [],
    line: row.line,
    ...rejectedOf(layout, row, 'client', ['dateOfBirth', 'sex', 'consent', 'firstInitial', 'surnameInitial', 'agency']),
  };
}

export function episodeFrom(layout: ColumnLayout, row: ParsedRow): Episode {
  const value = readerOf(layout, row);
  return {
    episodeId: rawOf(layout, row, 'episode', 'episodeId'),
    referralDate: date(value('episode', 'referralDate')),
    triageDate: date(value('episode', 'triageDate')),
    dischargeDate: date(value('episode', 'dischargeDate')),
    dischargeReason: text(value('episode', 'dischargeReason')),
    interventions: [],
    reviews: [],
    line: row.line,
    ...rejectedOf(layout, row, 'episode', ['referralDate', 'triageDate', 'dischargeDate', 'dischargeReason']),
  };
}

export function interventionFrom(layout: ColumnLayout, row: ParsedRow): Intervention {
  const value = readerOf(layout, row);
  return {
    interventionId: rawOf(layout, row, 'intervention', 'interventionId'),
    interventionType: text(value('intervention', 'interventionType')),
    setting: text(value('intervention', 'setting')),
    referralDate: date(value('intervention', 'referralDate')),
    firstAppointmentOfferedDate: date(value('intervention', 'firstAppointmentOfferedDate')),
    startDate: date(value('intervention', 'startDate')),
    endDate: date(value('intervention', 'endDate')),
    exitStatus: text(value('intervention', 'exitStatus')),
    line: row.line,
    ...rejectedOf(layout, row, 'intervention', ['interventionType', 'setting', 'referralDate', 'firstAppointmentOfferedDate', 'startDate', 'endDate', 'exitStatus']),
  };
}

export function reviewFrom(layout: ColumnLayout, row: ParsedRow): SubInterventionReview {
  const value = readerOf(layout, row);
  const delivered: string[] = [];
  for (let column = 0; column < layout.fields.length; column += 1) {
    const field = layout.fields[column];
    if (row.values[column] === true && field !== undefined && isSubInterventionField(field)) delivered.push(field.subIntervention);
  }

  return {
    reviewId: rawOf(layout, row, 'review', 'reviewId'),
    reviewDate: date(value('review', 'reviewDate')),
    delivered,
    methadoneDose: number(value('review', 'methadoneDose')),
    buprenorphineDose: number(value('review', 'buprenorphineDose')),
    ostSupervision: text(value('review', 'ostSupervision')),
    relapsePreventionPrescribing: text(value('review', 'relapsePreventionPrescribing')),
    line: row.line,
    ...rejectedOf(layout, row, 'review', ['reviewDate', 'methadoneDose', 'buprenorphineDose', 'ostSupervision', 'relapsePreventionPrescribing']),
  };
}
