import { cdsQDataset } from '../../dataset/index.js';

/**
 * Labels of form fields by their `name` attribute, as the forms show them, for messages
 * about one field. Fields a person never types, such as hidden version numbers, get a
 * description of what they carry. Dose labels come from the CDS-Q definition, as the
 * review form's own labels do.
 */
const fieldLabels: Record<string, string> = {
  // Review form.
  reviewDate: 'Review date',
  items: 'Sub-interventions',
  methadoneDose: cdsQDataset.field('review', 'methadoneDose').label,
  buprenorphineDose: cdsQDataset.field('review', 'buprenorphineDose').label,
  concentrateVolume: 'Daily volume of concentrate',
  concentrateStrength: 'Strength of concentrate',
  ostSupervision: 'OST supervision',
  relapsePreventionPrescribing: 'Relapse-prevention prescribing',
  confirmPurpose: 'Purpose confirmation',
  confirmCompetence: 'Competence confirmation',
  confirmWarnings: '"I have checked this" tick',
  term: 'Find a sub-intervention',
  // Client, episode and intervention forms.
  clientRef: 'Client reference',
  firstInitial: 'First initial',
  surnameInitial: 'Surname initial',
  dob: 'Date of birth',
  sex: 'Sex',
  consent: 'Consent to NDTMS',
  teamId: 'Team',
  confirmDuplicate: 'Duplicate client confirmation',
  episodeRef: 'Episode reference',
  referral: 'Referral date',
  triage: 'Triage date',
  discharge: 'Discharge date',
  dischargeReason: 'Discharge reason',
  endOpenInterventions: 'End open interventions',
  interventionRef: 'Intervention reference',
  interventionType: 'Intervention type',
  setting: 'Setting',
  offered: 'Date of first appointment offered',
  start: 'Start date',
  end: 'End date',
  exitStatus: 'Exit status',
  reason: 'Reason',
  // Caseload search.
  ref: 'Client reference',
  finitial: 'First initial',
  sinitial: 'Surname initial',
  // Staff, account and set-up forms.
  email: 'Email address',
  displayName: 'Name',
  password: 'Password',
  currentPassword: 'Current password',
  newPassword: 'New password',
  code: 'Code',
  roles: 'Roles',
  teamIds: 'Teams',
  competences: 'Competences',
  registrations: 'Professional registrations',
  organisationName: 'Organisation name',
  agencyCode: 'NDTMS agency code',
  agencyName: 'Agency name',
  teamName: 'First team name',
  token: 'Set-up token',
  // Month-end, reports, audit and data quality.
  agency: 'Agency',
  period: 'Reporting month',
  rule: 'Rule',
  warnings: 'Warnings to confirm',
  confirmSent: 'Sent confirmation',
  staff: 'Staff member',
  line: 'Line in the file',
  column: 'Column',
  action: 'Action',
  client: 'Client id',
  from: 'From date',
  to: 'To date',
  // Hidden fields that the pages fill in.
  reviewRef: 'Review reference (a hidden field)',
  episodeVersion: 'Episode version (a hidden field)',
  version: 'Record version (a hidden field)',
  phase: 'Review phase (a hidden field)',
  searchOnly: 'Search button',
  next: 'Next page (a hidden field)',
  _csrf: 'Form security token (a hidden field)',
};

/** Words for a field this table does not know, such as one added to a request by hand. */
const unknownFieldLabel = 'One of the answers';

const datePartPattern = /^(.+)-(day|month|year)$/;

/**
 * Returns the label of a form field for a message, such as "Review date (day)" for
 * `reviewDate-day`. An unknown name gives "One of the answers", so a message never shows
 * an internal name or text sent by hand.
 */
export function fieldLabelOf(name: string): string {
  const label = ownLabelOf(name);
  if (label !== undefined) return label;

  const datePart = datePartPattern.exec(name);
  const dateLabel = datePart ? ownLabelOf(datePart[1] as string) : undefined;
  if (datePart && dateLabel !== undefined) return `${dateLabel} (${datePart[2]})`;
  return unknownFieldLabel;
}

/** Looks a name up in the table only, so names such as `constructor` find nothing. */
function ownLabelOf(name: string): string | undefined {
  return Object.hasOwn(fieldLabels, name) ? fieldLabels[name] : undefined;
}

/** Message for a form rejected because one field is longer than `maxLength` characters. */
export function overlongFieldMessage(name: string, length: number, maxLength: number): string {
  return `Nothing was saved. ${fieldLabelOf(name)} has ${length} characters, and the maximum is ${maxLength}. Go back, shorten it to ${maxLength} characters or fewer, and send the form again.`;
}

/**
 * Message for a form rejected because a field contains a null character (U+0000), which
 * PostgreSQL text cannot store. A person cannot type one, so the message tells them to type
 * the value rather than paste it.
 */
export function nullCharacterMessage(name: string): string {
  return `Nothing was saved. ${fieldLabelOf(name)} contains a null character, which cannot be stored. Go back, delete the value, type it again rather than pasting it, and send the form again.`;
}
