import { cdsQDataset } from '../dataset/index.js';
import type { Client, Episode, Intervention, SubInterventionReview } from '../domain/model.js';
import { parseIsoDate, type PlainDate } from '../domain/plain-date.js';
import type { RuleContext } from '../rules/rule.js';
import { defaultThresholds, type RuleThresholds } from '../rules/thresholds.js';

// Builders of synthetic CDS-Q records for tests. The defaults make one valid client: a
// man born in 1980, referred in January 2024, on oral methadone maintenance with peer
// support, reviewed once in February. Every rule finds nothing in it, so a test changes
// only what its case needs. Codes are literal because they describe input data.

/** Converts an ISO `YYYY-MM-DD` string to a PlainDate. Throws on an impossible date, because that is a mistake in the test. */
export function isoDate(text: string): PlainDate {
  const date = parseIsoDate(text);
  if (date === undefined) throw new Error(`Test date ${text} is not a real YYYY-MM-DD date`);
  return date;
}

export function buildPharmacologicalIntervention(overrides: Partial<Intervention> = {}): Intervention {
  return {
    interventionId: 'M1',
    interventionType: '94',
    setting: '1',
    referralDate: isoDate('2024-01-15'),
    firstAppointmentOfferedDate: isoDate('2024-01-18'),
    startDate: isoDate('2024-01-22'),
    endDate: undefined,
    exitStatus: undefined,
    line: 2,
    ...overrides,
  };
}

export function buildPsychosocialIntervention(overrides: Partial<Intervention> = {}): Intervention {
  return buildPharmacologicalIntervention({ interventionId: 'M3', interventionType: '95', line: 4, ...overrides });
}

export function buildRecoveryIntervention(overrides: Partial<Intervention> = {}): Intervention {
  return buildPharmacologicalIntervention({ interventionId: 'M2', interventionType: '96', line: 3, ...overrides });
}

export function buildReview(overrides: Partial<SubInterventionReview> = {}): SubInterventionReview {
  return {
    reviewId: 'S1',
    reviewDate: isoDate('2024-02-01'),
    delivered: ['PHMETHMNT', 'RECPEER'],
    methadoneDose: 60,
    buprenorphineDose: undefined,
    ostSupervision: '1',
    relapsePreventionPrescribing: undefined,
    line: 4,
    ...overrides,
  };
}

/** Builds a SIR dated after a successful discharge that records only post-structured recovery support. */
export function buildPostDischargeReview(overrides: Partial<SubInterventionReview> = {}): SubInterventionReview {
  return buildReview({
    reviewId: 'S9',
    reviewDate: isoDate('2024-05-01'),
    delivered: ['RECCHKP'],
    methadoneDose: undefined,
    ostSupervision: '99',
    line: 9,
    ...overrides,
  });
}

export function buildEpisode(overrides: Partial<Episode> = {}): Episode {
  return {
    episodeId: 'E1',
    referralDate: isoDate('2024-01-10'),
    triageDate: isoDate('2024-01-15'),
    dischargeDate: undefined,
    dischargeReason: undefined,
    interventions: [buildPharmacologicalIntervention(), buildRecoveryIntervention()],
    reviews: [buildReview()],
    line: 2,
    ...overrides,
  };
}

/**
 * Builds an episode discharged on 2024-04-01 with a successful completion reason, its
 * interventions ended that day, and one post-discharge SIR.
 */
export function buildDischargedEpisode(overrides: Partial<Episode> = {}): Episode {
  const ended = { endDate: isoDate('2024-04-01'), exitStatus: 'A' };
  return buildEpisode({
    dischargeDate: isoDate('2024-04-01'),
    dischargeReason: '80',
    interventions: [buildPharmacologicalIntervention(ended), buildRecoveryIntervention(ended)],
    reviews: [buildReview(), buildPostDischargeReview()],
    ...overrides,
  });
}

export function buildClient(overrides: Partial<Client> = {}): Client {
  return {
    agency: 'AB123',
    clientId: 'C0001',
    firstInitial: 'J',
    surnameInitial: 'S',
    dateOfBirth: isoDate('1980-05-14'),
    sex: 'M',
    consent: 'Y',
    episodes: [buildEpisode()],
    line: 2,
    ...overrides,
  };
}

/** Builds a valid client whose one episode has the given changes. */
export function clientWithEpisode(overrides: Partial<Episode>): Client {
  return buildClient({ episodes: [buildEpisode(overrides)] });
}

/** Builds a valid client whose one episode has exactly these SIRs. */
export function clientWithReviews(...reviews: SubInterventionReview[]): Client {
  return clientWithEpisode({ reviews });
}

/** Builds a valid client whose one SIR has the given changes. */
export function clientWithReview(overrides: Partial<SubInterventionReview>): Client {
  return clientWithReviews(buildReview(overrides));
}

/** Builds a rule context on CDS-Q with default thresholds, except those given, that accepts dates up to the end of 2024. */
export function buildRuleContext(thresholds: Partial<RuleThresholds> = {}, latestAllowedDate = isoDate('2024-12-31')): RuleContext {
  return { dataset: cdsQDataset, thresholds: { ...defaultThresholds, ...thresholds }, latestAllowedDate };
}
