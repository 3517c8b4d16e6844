import type { PlainDate } from './plain-date.js';

/**
 * The CDS-Q domain model: client, episode, intervention and sub-intervention review (SIR).
 *
 * Values are already parsed: dates are PlainDate, doses are numbers, codes are the
 * dataset's code strings. A value that was missing or failed to parse is `undefined`,
 * because the field checks (D1, D2) report it before any rule runs on the model. `rejected`
 * lists the properties that were given but failed, so rules do not report them as empty.
 * `line` is where the record came from in a file, when it came from one.
 */
export interface Client {
  agency: string | undefined;
  clientId: string;
  firstInitial: string | undefined;
  surnameInitial: string | undefined;
  dateOfBirth: PlainDate | undefined;
  sex: string | undefined;
  consent: string | undefined;
  episodes: Episode[];
  line?: number;
  rejected?: string[];
  /** Fields other than AGNCY, CLIENTID and CONSENT given on a client without consent (D8). */
  filledWithoutConsent?: FilledField[];
}

export interface FilledField {
  field: string;
  value: string;
  line?: number;
}

/** A treatment journey, from referral and triage to discharge. */
export interface Episode {
  episodeId: string;
  referralDate: PlainDate | undefined;
  triageDate: PlainDate | undefined;
  dischargeDate: PlainDate | undefined;
  dischargeReason: string | undefined;
  interventions: Intervention[];
  reviews: SubInterventionReview[];
  line?: number;
  rejected?: string[];
}

/** A pharmacological, psychosocial or recovery support intervention within an episode. */
export interface Intervention {
  interventionId: string;
  interventionType: string | undefined;
  setting: string | undefined;
  referralDate: PlainDate | undefined;
  firstAppointmentOfferedDate: PlainDate | undefined;
  startDate: PlainDate | undefined;
  endDate: PlainDate | undefined;
  exitStatus: string | undefined;
  line?: number;
  rejected?: string[];
}

/** Which sub-interventions the client was receiving on the review date, with the pharmacological answers. */
export interface SubInterventionReview {
  reviewId: string;
  reviewDate: PlainDate | undefined;
  /** Codes of the sub-interventions marked delivered (Y), in dataset column order. */
  delivered: string[];
  methadoneDose: number | undefined;
  buprenorphineDose: number | undefined;
  ostSupervision: string | undefined;
  relapsePreventionPrescribing: string | undefined;
  line?: number;
  rejected?: string[];
}

/**
 * Properties whose given value failed its field check (D2 or A6). The parser has reported
 * them already, so rules treat such a property as given rather than empty.
 */
export function wasRejected(record: { rejected?: string[] }, property: string): boolean {
  return record.rejected?.includes(property) ?? false;
}

export type Entity = 'client' | 'episode' | 'intervention' | 'review';

/** Scalar properties of each entity that map to a CDS-Q field. */
export type ClientProperty = 'agency' | 'clientId' | 'firstInitial' | 'surnameInitial' | 'dateOfBirth' | 'sex' | 'consent';
export type EpisodeProperty = 'episodeId' | 'referralDate' | 'triageDate' | 'dischargeDate' | 'dischargeReason';
export type InterventionProperty =
  | 'interventionId'
  | 'interventionType'
  | 'setting'
  | 'referralDate'
  | 'firstAppointmentOfferedDate'
  | 'startDate'
  | 'endDate'
  | 'exitStatus';
export type ReviewProperty =
  | 'reviewId'
  | 'reviewDate'
  | 'methadoneDose'
  | 'buprenorphineDose'
  | 'ostSupervision'
  | 'relapsePreventionPrescribing';

export interface EntityProperties {
  client: ClientProperty;
  episode: EpisodeProperty;
  intervention: InterventionProperty;
  review: ReviewProperty;
}

/** Tells whether a SIR is post-discharge: dated after its episode's discharge date (derived, not a field). */
export function isPostDischarge(episode: Episode, review: SubInterventionReview): boolean {
  return episode.dischargeDate !== undefined && review.reviewDate !== undefined && review.reviewDate > episode.dischargeDate;
}

/** Tells whether an intervention is open on a date: started on or before it and not ended before it. */
export function isInterventionOpenOn(intervention: Intervention, date: PlainDate): boolean {
  const start = intervention.startDate;
  if (start === undefined || start > date) return false;
  return intervention.endDate === undefined || intervention.endDate >= date;
}
