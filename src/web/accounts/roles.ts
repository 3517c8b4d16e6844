/** Staff roles, as stored in `staff.roles`. */
export const staffRoles = [
  { value: 'keyworker', label: 'Keyworker' },
  { value: 'prescriber', label: 'Prescriber' },
  { value: 'team-leader', label: 'Team leader' },
  { value: 'data-officer', label: 'Data officer' },
  { value: 'administrator', label: 'Administrator' },
] as const;

export type StaffRole = (typeof staffRoles)[number]['value'];

/** Competences a practitioner may hold, matching the dataset's `requires` values. */
export const staffCompetences = [
  { value: 'structured-psychosocial', label: 'Structured psychosocial interventions' },
  { value: 'bacp-accreditation', label: 'BACP accredited counsellor' },
  { value: 'stop-smoking-advisor', label: 'Stop smoking advisor' },
] as const;

/** Professional registrations; any one of them meets the dataset's `professional-registration` requirement. */
export const staffRegistrations = [
  { value: 'gmc', label: 'General Medical Council (doctor)' },
  { value: 'nmc', label: 'Nursing and Midwifery Council (nurse)' },
  { value: 'hcpc', label: 'Health and Care Professions Council (psychologist, social worker)' },
  { value: 'gphc', label: 'General Pharmaceutical Council (pharmacist)' },
  { value: 'bps', label: 'British Psychological Society chartered' },
] as const;

const roleValues = new Set<string>(staffRoles.map((role) => role.value));

export function isStaffRole(value: string): value is StaffRole {
  return roleValues.has(value);
}
