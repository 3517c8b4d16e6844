import { cdsQDataset } from '../../dataset/index.js';
import type { PlainDate } from '../../domain/plain-date.js';
import { dateInputItems, partsOf, readDateInput } from '../forms/date-input.js';
import type { DateParts } from '../forms/date-input.js';
import { checkDatasetField, codeListItems } from '../forms/field-check.js';
import type { FormBody } from '../forms/form-errors.js';
import { FormErrors, textOf } from '../forms/form-errors.js';
import { formAnchorOf } from './month-end-links.js';

/** The client identity form as typed, kept so an invalid answer is shown again. */
export interface ClientFormValues {
  clientRef: string;
  teamId: string;
  firstInitial: string;
  surnameInitial: string;
  dob: DateParts;
  sex: string;
  consent: string;
  version: string;
  confirmDuplicate: boolean;
}

export interface CheckedClient {
  clientRef: string;
  teamId: number;
  firstInitial: string;
  surnameInitial: string;
  dateOfBirth: PlainDate;
  sex: string;
  consent: string;
}

export function readClientForm(body: FormBody): ClientFormValues {
  return {
    clientRef: textOf(body, 'clientRef'),
    teamId: textOf(body, 'teamId'),
    firstInitial: textOf(body, 'firstInitial').toUpperCase(),
    surnameInitial: textOf(body, 'surnameInitial').toUpperCase(),
    dob: readDateInput(body, 'dob', 'Date of birth').parts,
    sex: textOf(body, 'sex'),
    consent: textOf(body, 'consent'),
    version: textOf(body, 'version'),
    confirmDuplicate: textOf(body, 'confirmDuplicate') === 'yes',
  };
}

const earliestDateOfBirth = '1900-01-01';

/** Checks each answer with the dataset's field parser; returns the client only when every answer is valid. */
export function checkClientForm(body: FormBody, values: ClientFormValues, teamIds: number[]): { errors: FormErrors; client?: CheckedClient } {
  const errors = new FormErrors();
  const clientRef = checkDatasetField(errors, 'clientRef', 'client', 'clientId', values.clientRef, { required: true, label: 'Client reference' });
  const teamId = Number(values.teamId);
  if (!teamIds.includes(teamId)) errors.add('teamId', 'Select the team that will work with the client');
  const firstInitial = checkDatasetField(errors, 'firstInitial', 'client', 'firstInitial', values.firstInitial, { required: true, label: 'First initial' });
  const surnameInitial = checkDatasetField(errors, 'surnameInitial', 'client', 'surnameInitial', values.surnameInitial, { required: true, label: 'Surname initial' });
  const dob = readDateInput(body, 'dob', 'Date of birth');
  if (dob.kind === 'empty') errors.add('dob-day', 'Enter the date of birth');
  if (dob.kind === 'invalid') errors.add('dob-day', dob.problem);
  // A year such as 0001 is a typing slip, because a living client cannot have been born before 1900.
  if (dob.kind === 'date' && dob.date < earliestDateOfBirth) errors.add('dob-day', 'Date of birth must be the same as or after 1 January 1900');
  const sex = checkDatasetField(errors, 'sex', 'client', 'sex', values.sex, { required: true, label: 'Sex' });
  const consent = checkDatasetField(errors, 'consent', 'client', 'consent', values.consent, { required: true, label: 'Consent to NDTMS' });

  if (errors.any || dob.kind !== 'date') return { errors };
  return {
    errors,
    client: {
      clientRef: String(clientRef),
      teamId,
      firstInitial: String(firstInitial),
      surnameInitial: String(surnameInitial),
      dateOfBirth: dob.date,
      sex: String(sex),
      consent: String(consent),
    },
  };
}

/** What the client form template needs besides the values. */
export function clientFormView(values: ClientFormValues, errors: FormErrors | undefined) {
  return {
    values,
    dobItems: dateInputItems('dob', values.dob, Boolean(errors?.byField['dob-day'])),
    sexItems: codeListItems('sex', values.sex),
    consentItems: codeListItems('consent', values.consent),
    errors: errors?.summary,
    fieldErrors: errors?.byField ?? {},
  };
}

export function clientFormFromRow(row: { client_ref: string; team_id: number | null; first_initial: string | null; surname_initial: string | null; date_of_birth: string | null; sex: string | null; consent: string | null; version: number }): ClientFormValues {
  return {
    clientRef: row.client_ref,
    teamId: row.team_id === null ? '' : String(row.team_id),
    firstInitial: row.first_initial ?? '',
    surnameInitial: row.surname_initial ?? '',
    dob: partsOf(row.date_of_birth),
    sex: row.sex ?? '',
    consent: row.consent ?? '',
    version: String(row.version),
    confirmDuplicate: false,
  };
}

/**
 * Returns the id of the client form input a rule finding is about. A finding on an episode
 * or review field, such as an age rule, links to the date of birth, the field on this form
 * that can raise it.
 */
export function clientRuleInputOf(column: string): string {
  const anchor = formAnchorOf('client', column);
  return anchor === 'clientRef' && column !== cdsQDataset.columnOf('client', 'clientId') ? 'dob-day' : anchor;
}
