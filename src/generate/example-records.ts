import { cdsQDataset, type Dataset } from '../dataset/index.js';
import type { Client, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import { parseIsoDate, type PlainDate } from '../domain/plain-date.js';
import { chooseFromDataset, type DatasetChoices } from './dataset-choices.js';

/**
 * Small builders for the hand-written example file, so that each example client reads as
 * a short story of dates and items. Identifiers follow the order the records are given in.
 */

export const dataset: Dataset = cdsQDataset;
export const choices: DatasetChoices = chooseFromDataset(dataset);

/** Returns the code of the one sub-intervention whose name matches, so examples name items by meaning. */
export function itemNamed(pattern: RegExp): string {
  const matches = dataset.subInterventions.filter((item) => pattern.test(item.name));
  if (matches.length !== 1) throw new Error(`Expected one sub-intervention named like ${pattern.source}, found ${matches.length}`);
  return (matches[0] as { code: string }).code;
}

export function date(text: string): PlainDate {
  const parsed = parseIsoDate(text);
  if (!parsed) throw new Error(`Example date ${text} is not a real YYYY-MM-DD date`);
  return parsed;
}

export interface InterventionSpec {
  type: string;
  setting: string;
  referral: string;
  firstOffered?: string;
  start?: string;
  end?: string;
  exit?: string;
}

export interface ReviewSpec {
  date: string;
  items: string[];
  methadoneDose?: number;
  buprenorphineDose?: number;
  supervision?: string;
  relapsePrevention?: string;
}

export interface EpisodeSpec {
  referral: string;
  triage: string;
  discharge?: string;
  reason?: string;
  interventions?: InterventionSpec[];
  reviews?: ReviewSpec[];
}

export interface ClientSpec {
  clientId: string;
  initials: string;
  dateOfBirth: string;
  sex: string;
  episodes: EpisodeSpec[];
}

export function buildClient(agency: string, spec: ClientSpec): Client {
  return {
    agency,
    clientId: spec.clientId,
    firstInitial: spec.initials.charAt(0),
    surnameInitial: spec.initials.charAt(1),
    dateOfBirth: date(spec.dateOfBirth),
    sex: spec.sex,
    consent: choices.consent.given,
    episodes: spec.episodes.map((episode, index) => buildEpisode(`${spec.clientId}-E${index + 1}`, episode)),
  };
}

/** Builds a client who has not consented, of whom only agency, client reference and consent are sent. */
export function buildClientWithoutConsent(agency: string, clientId: string): Client {
  return { agency, clientId, firstInitial: undefined, surnameInitial: undefined, dateOfBirth: undefined, sex: undefined, consent: choices.consent.refused, episodes: [] };
}

function buildEpisode(episodeId: string, spec: EpisodeSpec): Episode {
  return {
    episodeId,
    referralDate: date(spec.referral),
    triageDate: date(spec.triage),
    dischargeDate: optionalDate(spec.discharge),
    dischargeReason: spec.reason,
    interventions: (spec.interventions ?? []).map((intervention, index) => buildIntervention(`${episodeId}-M${index + 1}`, intervention)),
    reviews: [...(spec.reviews ?? [])].sort((a, b) => a.date.localeCompare(b.date)).map((review, index) => buildReview(`${episodeId}-S${index + 1}`, review)),
  };
}

function buildIntervention(interventionId: string, spec: InterventionSpec): Intervention {
  return {
    interventionId,
    interventionType: spec.type,
    setting: spec.setting,
    referralDate: date(spec.referral),
    firstAppointmentOfferedDate: optionalDate(spec.firstOffered ?? spec.start),
    startDate: optionalDate(spec.start),
    endDate: optionalDate(spec.end),
    exitStatus: spec.exit,
  };
}

function buildReview(reviewId: string, spec: ReviewSpec): SubInterventionReview {
  const order = (code: string): number => dataset.subInterventions.findIndex((item) => item.code === code);
  return {
    reviewId,
    reviewDate: date(spec.date),
    delivered: [...spec.items].sort((a, b) => order(a) - order(b)),
    methadoneDose: spec.methadoneDose,
    buprenorphineDose: spec.buprenorphineDose,
    ostSupervision: spec.supervision ?? choices.supervision.notApplicable,
    relapsePreventionPrescribing: spec.relapsePrevention,
  };
}

function optionalDate(text: string | undefined): PlainDate | undefined {
  return text === undefined ? undefined : date(text);
}
