import { cdsQDataset } from '../dataset/index.js';
import type { Client, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { numberFromNumeric } from './database.js';
import type { ClientRow, EpisodeRow, InterventionRow, ReviewRow } from './schema.js';

// Conversions between database rows and the domain model, and the comparable form used to
// tell an unchanged record from an updated one. The domain model uses undefined for an
// empty value, the database NULL.

const columnOrder = new Map(cdsQDataset.subInterventions.map((item, index) => [item.code, index]));

/** Sorts sub-intervention codes into dataset column order, as the domain model keeps them. */
export function inColumnOrder(codes: Iterable<string>): string[] {
  return [...codes].sort((a, b) => (columnOrder.get(a) ?? Number.MAX_SAFE_INTEGER) - (columnOrder.get(b) ?? Number.MAX_SAFE_INTEGER) || compareText(a, b));
}

/** Compares strings by code unit, the same on every database and locale. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export function clientFromRow(row: ClientFileColumns, agencyCode: string, episodes: Episode[]): Client {
  return {
    agency: agencyCode,
    clientId: row.client_ref,
    firstInitial: row.first_initial ?? undefined,
    surnameInitial: row.surname_initial ?? undefined,
    dateOfBirth: row.date_of_birth ?? undefined,
    sex: row.sex ?? undefined,
    consent: row.consent ?? undefined,
    episodes,
  };
}

export function episodeFromRow(row: EpisodeRow, interventions: Intervention[], reviews: SubInterventionReview[]): Episode {
  return {
    episodeId: row.episode_ref,
    referralDate: row.referral_date,
    triageDate: row.triage_date,
    dischargeDate: row.discharge_date ?? undefined,
    dischargeReason: row.discharge_reason ?? undefined,
    interventions,
    reviews,
  };
}

export function interventionFromRow(row: InterventionRow): Intervention {
  return {
    interventionId: row.intervention_ref,
    interventionType: row.intervention_type,
    setting: row.setting,
    referralDate: row.referral_date,
    firstAppointmentOfferedDate: row.first_appointment_offered_date ?? undefined,
    startDate: row.start_date ?? undefined,
    endDate: row.end_date ?? undefined,
    exitStatus: row.exit_status ?? undefined,
  };
}

export function reviewFromRow(row: ReviewRow, delivered: string[]): SubInterventionReview {
  return {
    reviewId: row.review_ref,
    reviewDate: row.review_date,
    delivered: inColumnOrder(delivered),
    methadoneDose: numberFromNumeric(row.methadone_dose),
    buprenorphineDose: numberFromNumeric(row.buprenorphine_dose),
    ostSupervision: row.ost_supervision ?? undefined,
    relapsePreventionPrescribing: row.relapse_prevention_prescribing ?? undefined,
  };
}

/** Client columns that hold CDS-Q fields. */
export type ClientFileColumns = Pick<ClientRow, 'client_ref' | 'first_initial' | 'surname_initial' | 'date_of_birth' | 'sex' | 'consent'>;

/** Client columns a file import may set; team and keyworker belong to the service, not the file. */
export function clientValues(client: Client) {
  return {
    client_ref: client.clientId,
    first_initial: client.firstInitial ?? null,
    surname_initial: client.surnameInitial ?? null,
    date_of_birth: client.dateOfBirth ?? null,
    sex: client.sex ?? null,
    consent: client.consent ?? null,
  };
}

export function episodeValues(episode: Episode) {
  return {
    episode_ref: episode.episodeId,
    referral_date: required(episode.referralDate, 'episode', episode.episodeId, 'referral date'),
    triage_date: required(episode.triageDate, 'episode', episode.episodeId, 'triage date'),
    discharge_date: episode.dischargeDate ?? null,
    discharge_reason: episode.dischargeReason ?? null,
  };
}

export function interventionValues(intervention: Intervention) {
  const ref = intervention.interventionId;
  return {
    intervention_ref: ref,
    intervention_type: required(intervention.interventionType, 'intervention', ref, 'intervention type'),
    setting: required(intervention.setting, 'intervention', ref, 'setting'),
    referral_date: required(intervention.referralDate, 'intervention', ref, 'referral date'),
    first_appointment_offered_date: intervention.firstAppointmentOfferedDate ?? null,
    start_date: intervention.startDate ?? null,
    end_date: intervention.endDate ?? null,
    exit_status: intervention.exitStatus ?? null,
  };
}

export function reviewValues(review: SubInterventionReview) {
  const ref = review.reviewId;
  return {
    review_ref: ref,
    review_date: required(review.reviewDate, 'review', ref, 'review date'),
    methadone_dose: doseValue(review.methadoneDose, ref),
    buprenorphine_dose: doseValue(review.buprenorphineDose, ref),
    ost_supervision: review.ostSupervision ?? null,
    relapse_prevention_prescribing: review.relapsePreventionPrescribing ?? null,
  };
}

/** Serialises a review's columns and delivered items, so two versions compare with `===`. */
export function reviewContent(review: SubInterventionReview): string {
  return JSON.stringify({ ...reviewValues(review), delivered: inColumnOrder(review.delivered) });
}

/** Serialises a record's columns, so two versions compare with `===`. */
export function contentOf(values: object): string {
  return JSON.stringify(values);
}

/** Copies the client without file line numbers, as the audit trail stores it. */
export function snapshotOf(client: Client): Client {
  return JSON.parse(JSON.stringify(client, (key: string, value: unknown) => (key === 'line' ? undefined : value))) as Client;
}

function required(value: PlainDate | string | undefined, entity: string, ref: string, what: string): string {
  if (value === undefined) throw new Error(`The ${entity} ${ref} has no ${what}, so it cannot be saved. Record the ${what} first.`);
  return value;
}

// numeric(5,1) holds up to 9999.9; anything else would be rounded or rejected by the database.
function doseValue(dose: number | undefined, ref: string): number | null {
  if (dose === undefined) return null;
  const tenths = dose * 10;
  if (!Number.isFinite(dose) || dose <= 0 || dose >= 10000 || Math.abs(tenths - Math.round(tenths)) > 1e-9) {
    throw new Error(`The review ${ref} has dose ${dose}, which cannot be stored: doses are above 0, below 10000 and have at most one decimal place.`);
  }
  return dose;
}
