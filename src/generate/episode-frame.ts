import { addDays, daysBetween, type PlainDate } from '../domain/plain-date.js';
import { financialYearStart, periodEnd, type ReportingPeriod } from '../domain/reporting-period.js';
import type { DatasetChoices } from './dataset-choices.js';
import type { EpisodeFrame } from './episode-builder.js';
import type { Random } from './random.js';

/** The main substance group of a client, in roughly the national shares of people in treatment. */
export type Profile = 'opiate' | 'alcohol' | 'non-opiate';

export const profileShares: (readonly [Profile, number])[] = [
  ['opiate', 44],
  ['alcohol', 30],
  ['non-opiate', 26],
];

/** Share of discharges that are successful completions, by profile (about half overall). */
const successfulShare: Record<Profile, number> = { opiate: 0.4, alcohol: 0.6, 'non-opiate': 0.6 };

/** Days from triage to discharge: opiate clients often stay in treatment for years. */
function episodeLength(random: Random, profile: Profile): number {
  switch (profile) {
    case 'opiate':
      return random.weighted([[random.integer(90, 365), 30], [random.integer(366, 1095), 35], [random.integer(1096, 3000), 35]]);
    case 'alcohol':
      return random.chance(0.5) ? random.integer(60, 180) : random.integer(181, 400);
    case 'non-opiate':
      return random.chance(0.6) ? random.integer(42, 180) : random.integer(181, 365);
  }
}

interface FrameOptions {
  /** No date of the episode may be earlier (a client's previous episode ends before it). */
  earliest?: PlainDate;
  /** Referred in the last weeks and not yet discharged, so possibly waiting. */
  recent?: boolean;
  /** Ends with an unsuccessful reason before the end of the period, leaving room for another episode. */
  endsEarly?: boolean;
}

/**
 * Chooses an episode's dates and outcome so that it is open at some time between 1 April
 * of the financial year and the end of the period, which is what the monthly file extracts.
 * Returns undefined when no such episode fits after `earliest`.
 */
export function sampleFrame(random: Random, choices: DatasetChoices, profile: Profile, period: ReportingPeriod, options: FrameOptions = {}): EpisodeFrame | undefined {
  const yearStart = financialYearStart(period);
  const end = periodEnd(period);
  const length = options.endsEarly ? random.integer(30, 150) : episodeLength(random, profile);

  let first = options.recent ? addDays(end, -60) : addDays(yearStart, -length);
  let latest = options.endsEarly ? addDays(end, -length - 60) : end;
  if (options.earliest !== undefined && options.earliest > first) first = options.earliest;
  if (options.recent && latest > end) latest = end;
  if (first > latest) return undefined;

  const triage = addDays(first, random.integer(0, daysBetween(first, latest)));
  const referredBefore = addDays(triage, -random.integer(0, 21));
  const referral = options.earliest !== undefined && options.earliest > referredBefore ? options.earliest : referredBefore;
  const discharge = addDays(triage, length);
  if (options.recent || discharge > end) {
    return { referral, triage, discharge: undefined, dischargeReason: undefined, successful: false, periodEnd: end, horizon: end };
  }

  const successful = !options.endsEarly && random.chance(successfulShare[profile]);
  const dischargeReason = successful ? successfulReason(random, choices, profile) : random.weighted(choices.discharge.unsuccessful);
  return { referral, triage, discharge, dischargeReason, successful, periodEnd: end, horizon: discharge };
}

function successfulReason(random: Random, choices: DatasetChoices, profile: Profile): string {
  const { drugFree, alcoholFree, occasionalUser } = choices.discharge;
  switch (profile) {
    case 'opiate':
      return drugFree;
    case 'alcohol':
      return alcoholFree;
    case 'non-opiate':
      return random.chance(0.6) ? drugFree : occasionalUser;
  }
}
