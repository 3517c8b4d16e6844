import type { Entity, EntityProperties } from '../domain/model.js';

/**
 * The shape of a dataset definition. CDS-Q is one instance (src/dataset/cds-q); a later
 * dataset such as CDS-R is another instance of the same shape, not new code.
 */

/** Confidence in a name or code. Provisional items must be checked against the official CDS-Q technical definitions. */
export type Confidence = 'published' | 'aid' | 'provisional';

export interface Code {
  code: string;
  label: string;
  provisional: boolean;
}

export interface CodeList {
  name: string;
  description: string;
  codes: Code[];
  provisional: boolean;
}

export type FieldFormat =
  | { kind: 'agency' }
  | { kind: 'identifier'; maxLength: number }
  | { kind: 'initial' }
  | { kind: 'date' }
  | { kind: 'code'; codeList: string }
  /** A positive number with at most one decimal place. */
  | { kind: 'dose'; unit: 'ml' | 'mg' }
  /** A sub-intervention column: Y delivered, N or empty not delivered. */
  | { kind: 'delivered' };

/** When a field must be filled: on every row, or on rows of its own kind only. */
export type Requirement = 'every-row' | 'own-row' | 'optional';

interface FieldBase {
  /** Column name in the file header. */
  name: string;
  label: string;
  description: string;
  format: FieldFormat;
  requirement: Requirement;
  confidence: Confidence;
  provisional: boolean;
}

/** A field that maps to a scalar property of a domain entity. */
export type PropertyField = {
  [E in Entity]: FieldBase & { entity: E; property: EntityProperties[E] };
}[Entity];

/** A SIR column that records whether one sub-intervention was delivered. */
export interface SubInterventionField extends FieldBase {
  entity: 'review';
  subIntervention: string;
}

export type FieldDefinition = PropertyField | SubInterventionField;

export type SubInterventionGroup = 'structured-psychosocial' | 'structured-pharmacological' | 'recovery-support';

/** The aid's markers for questions asked with a sub-intervention: `*` oral methadone, `#` oral buprenorphine. */
export type OstMarker = 'oral-methadone' | 'oral-buprenorphine';

/** Competence or registration a practitioner needs to deliver an item, where the aid names one. */
export type Competence =
  | 'structured-psychosocial'
  | 'bacp-accreditation'
  | 'professional-registration'
  | 'stop-smoking-advisor';

export interface SubInterventionDefinition {
  code: string;
  /** The aid's own name for the item. */
  name: string;
  group: SubInterventionGroup;
  /** The MODAL code of the intervention type the item belongs to. */
  interventionType: string;
  ostMarker: OstMarker | null;
  /** Medication family, so two purposes of one medication can be spotted (rule A10). */
  medication: string | null;
  /** Purpose the medication is prescribed for, in the project's words. */
  purpose: string | null;
  withdrawal: boolean;
  postStructuredOnly: boolean;
  /** Names, brands and words people search by. */
  searchNames: string[];
  /** When to record the item, in the project's own words. */
  whenToRecord: string;
  /** Competences or registrations the delivering practitioner needs, where the aid says so. */
  requires: Competence[];
  /** A purpose the recorder must confirm, for medication also prescribed for other reasons. */
  confirmPurpose: string | null;
  confidence: Confidence;
  provisional: boolean;
}

export interface DatasetDefinition {
  /** Short name, such as `CDS-Q`. */
  name: string;
  title: string;
  /** Columns in file order. */
  fields: FieldDefinition[];
  codeLists: CodeList[];
  subInterventions: SubInterventionDefinition[];
  file: FileConventions;
}

export interface FileConventions {
  /** File name for an agency and reporting period, such as `ABC12_202403_CDSQ.csv`. */
  fileName(agency: string, period: string): string;
  /** Fields kept on the single row of a client who has not consented. */
  noConsentFields: string[];
  /** Codes of the discharge reasons that count as successful completion. */
  successfulDischargeReasons: string[];
  /** Settings where medically assisted withdrawal is held to the inpatient limit (rule A9). */
  inpatientSettings: string[];
  /** CONSENT code meaning the client did not consent. */
  noConsentCode: string;
  /** Code meaning delivered, in a sub-intervention column. */
  deliveredCode: string;
  /** Code written for not delivered on SIR rows. */
  notDeliveredCode: string;
  /** OSTSUP code for a client not prescribed OST. */
  ostNotApplicableCode: string;
  /** RPPRESC codes that mean relapse-prevention prescribing was given (rule A13). */
  relapsePreventionGivenCodes: string[];
}
