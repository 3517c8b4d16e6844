import type { FieldDefinition, PropertyField } from '../definition.js';
import { cdsQSubInterventions } from './sub-interventions.js';

const identifier = { kind: 'identifier', maxLength: 20 } as const;
const date = { kind: 'date' } as const;

const clientFields: PropertyField[] = [
  { name: 'AGNCY', entity: 'client', property: 'agency', label: 'Agency code', description: 'NDTMS agency code of the treatment provider.', format: { kind: 'agency' }, requirement: 'every-row', confidence: 'published', provisional: false },
  { name: 'CLIENTID', entity: 'client', property: 'clientId', label: 'Client reference', description: "The provider's reference for the client, never reused. Leading zeros are part of it.", format: identifier, requirement: 'every-row', confidence: 'published', provisional: false },
  { name: 'FINITIAL', entity: 'client', property: 'firstInitial', label: 'First initial', description: "First letter of the client's first name.", format: { kind: 'initial' }, requirement: 'every-row', confidence: 'published', provisional: false },
  { name: 'SINITIAL', entity: 'client', property: 'surnameInitial', label: 'Surname initial', description: "First letter of the client's surname.", format: { kind: 'initial' }, requirement: 'every-row', confidence: 'published', provisional: false },
  { name: 'DOB', entity: 'client', property: 'dateOfBirth', label: 'Date of birth', description: "The client's date of birth.", format: date, requirement: 'every-row', confidence: 'published', provisional: false },
  { name: 'SEX', entity: 'client', property: 'sex', label: 'Sex', description: "The client's sex.", format: { kind: 'code', codeList: 'sex' }, requirement: 'every-row', confidence: 'published', provisional: true },
  { name: 'CONSENT', entity: 'client', property: 'consent', label: 'Consent to NDTMS', description: 'Whether the client consents to NDTMS. Without consent only the agency, client reference and consent are sent.', format: { kind: 'code', codeList: 'consent' }, requirement: 'every-row', confidence: 'published', provisional: false },
];

const episodeFields: PropertyField[] = [
  { name: 'EPISODID', entity: 'episode', property: 'episodeId', label: 'Episode reference', description: 'Identifier of the treatment episode, never reused.', format: identifier, requirement: 'every-row', confidence: 'published', provisional: false },
  { name: 'REFLD', entity: 'episode', property: 'referralDate', label: 'Referral date', description: 'Date the client was referred to the service.', format: date, requirement: 'every-row', confidence: 'published', provisional: false },
  { name: 'TRIAGED', entity: 'episode', property: 'triageDate', label: 'Triage date', description: 'Date of triage (assessment), where the treatment journey starts.', format: date, requirement: 'every-row', confidence: 'published', provisional: false },
  { name: 'DISD', entity: 'episode', property: 'dischargeDate', label: 'Discharge date', description: 'Date structured treatment ended. Empty while the episode is open.', format: date, requirement: 'optional', confidence: 'published', provisional: false },
  { name: 'DISRSN', entity: 'episode', property: 'dischargeReason', label: 'Discharge reason', description: 'Why structured treatment ended. Given with the discharge date, and only then.', format: { kind: 'code', codeList: 'discharge-reason' }, requirement: 'optional', confidence: 'published', provisional: true },
];

const interventionFields: PropertyField[] = [
  { name: 'MODID', entity: 'intervention', property: 'interventionId', label: 'Intervention reference', description: 'Identifier of the intervention, never reused.', format: identifier, requirement: 'own-row', confidence: 'published', provisional: false },
  { name: 'MODAL', entity: 'intervention', property: 'interventionType', label: 'Intervention type', description: 'Pharmacological, psychosocial or recovery support.', format: { kind: 'code', codeList: 'intervention-type' }, requirement: 'own-row', confidence: 'published', provisional: false },
  { name: 'MODSET', entity: 'intervention', property: 'setting', label: 'Setting', description: 'Where the intervention is delivered.', format: { kind: 'code', codeList: 'setting' }, requirement: 'own-row', confidence: 'provisional', provisional: true },
  { name: 'REFMODDT', entity: 'intervention', property: 'referralDate', label: 'Date referred to intervention', description: 'Date the client was referred to this intervention.', format: date, requirement: 'own-row', confidence: 'published', provisional: false },
  { name: 'FAOMODDT', entity: 'intervention', property: 'firstAppointmentOfferedDate', label: 'First appointment offered', description: 'Date of the first appointment offered. Empty until one is offered.', format: date, requirement: 'optional', confidence: 'published', provisional: false },
  { name: 'MODST', entity: 'intervention', property: 'startDate', label: 'Intervention start date', description: 'Date the intervention started. Empty while the client is waiting.', format: date, requirement: 'optional', confidence: 'published', provisional: false },
  { name: 'MODEND', entity: 'intervention', property: 'endDate', label: 'Intervention end date', description: 'Date the intervention ended. Empty while it continues.', format: date, requirement: 'optional', confidence: 'published', provisional: false },
  { name: 'MODEXIT', entity: 'intervention', property: 'exitStatus', label: 'Exit status', description: 'How the intervention ended. Given with the end date, and only then.', format: { kind: 'code', codeList: 'exit-status' }, requirement: 'optional', confidence: 'published', provisional: false },
];

const reviewKeyFields: PropertyField[] = [
  { name: 'SUBMID', entity: 'review', property: 'reviewId', label: 'Review reference', description: 'Identifier of the sub-intervention review, never reused.', format: identifier, requirement: 'own-row', confidence: 'published', provisional: false },
  { name: 'SUBMODDT', entity: 'review', property: 'reviewDate', label: 'Review date', description: 'Date of the sub-intervention review.', format: date, requirement: 'own-row', confidence: 'published', provisional: false },
];

// The review's pharmacological questions follow the sub-intervention columns.
const reviewQuestionFields: PropertyField[] = [
  { name: 'METHDOSE', entity: 'review', property: 'methadoneDose', label: 'Daily dose of oral methadone (ml)', description: 'Current daily dose of liquid oral methadone in ml of 1 mg/1 ml solution, or its equivalent for a concentrate. Only with an oral methadone (*) item.', format: { kind: 'dose', unit: 'ml' }, requirement: 'optional', confidence: 'aid', provisional: true },
  { name: 'BUPDOSE', entity: 'review', property: 'buprenorphineDose', label: 'Daily dose of oral buprenorphine (mg)', description: 'Current daily dose of oral buprenorphine in mg. Only with an oral buprenorphine (#) item.', format: { kind: 'dose', unit: 'mg' }, requirement: 'optional', confidence: 'aid', provisional: true },
  { name: 'OSTSUP', entity: 'review', property: 'ostSupervision', label: 'OST consumption supervised', description: 'Whether opioid substitution medication is taken under supervision at every or most dispenses; 99 when no oral OST is prescribed.', format: { kind: 'code', codeList: 'ost-supervision' }, requirement: 'optional', confidence: 'aid', provisional: true },
  { name: 'RPPRESC', entity: 'review', property: 'relapsePreventionPrescribing', label: 'Relapse-prevention prescribing', description: 'Prescribing for relapse prevention after structured treatment. Asked only on reviews after a successful discharge.', format: { kind: 'code', codeList: 'relapse-prevention-prescribing' }, requirement: 'optional', confidence: 'aid', provisional: true },
];

const subInterventionFields = cdsQSubInterventions.map(
  (item): FieldDefinition => ({
    name: item.code,
    entity: 'review',
    subIntervention: item.code,
    label: item.name,
    description: item.whenToRecord,
    format: { kind: 'delivered' },
    requirement: 'optional',
    confidence: item.confidence,
    provisional: item.provisional,
  }),
);

/** Every CDS-Q column, in file order. */
export const cdsQFields: FieldDefinition[] = [
  ...clientFields,
  ...episodeFields,
  ...interventionFields,
  ...reviewKeyFields,
  ...subInterventionFields,
  ...reviewQuestionFields,
];
