import { cdsQDataset } from '../dataset/index.js';
import type { Client } from '../domain/model.js';
import type { ReportingPeriod } from '../domain/reporting-period.js';
import { isDateInPeriod, isInTreatmentInPeriod } from './treatment-activity.js';

export interface RecoverySupportUptakeReport {
  explanation: string;
  period: ReportingPeriod;
  /** Clients with an episode open on any day of the month. */
  inTreatment: number;
  /** Of those, clients with a recovery support item on a review dated in the month. */
  withRecoverySupport: number;
  /** `withRecoverySupport` as a fraction (0 to 1) of `inTreatment`, or null when no client was in treatment. */
  share: number | null;
  /** Clients not in treatment in the month, discharged earlier, who had recovery support after discharge. */
  outsideTreatmentWithRecoverySupport: number;
}

export const recoverySupportUptakeExplanation =
  'Out of the clients in treatment in the month (an episode open on any day of it), counts those with at least one ' +
  'recovery support item marked on a sub-intervention review dated in the month. A review after discharge counts ' +
  'when the client was still in treatment earlier in the same month. Clients discharged before the month who had ' +
  'recovery support after discharge are counted separately and are not in the share.';

/** Counts the clients in treatment in the period who had at least one recovery support item in it. */
export function recoverySupportUptakeReport(clients: Client[], period: ReportingPeriod): RecoverySupportUptakeReport {
  let inTreatment = 0;
  let withRecoverySupport = 0;
  let outsideTreatmentWithRecoverySupport = 0;

  for (const client of clients) {
    const treated = isInTreatmentInPeriod(client, period);
    const supported = hadRecoverySupportIn(client, period);
    if (treated) inTreatment += 1;
    if (treated && supported) withRecoverySupport += 1;
    if (!treated && supported) outsideTreatmentWithRecoverySupport += 1;
  }

  return {
    explanation: recoverySupportUptakeExplanation,
    period,
    inTreatment,
    withRecoverySupport,
    share: inTreatment === 0 ? null : withRecoverySupport / inTreatment,
    outsideTreatmentWithRecoverySupport,
  };
}

function hadRecoverySupportIn(client: Client, period: ReportingPeriod): boolean {
  return client.episodes.some((episode) =>
    episode.reviews.some(
      (review) =>
        isDateInPeriod(review.reviewDate, period) &&
        review.delivered.some((code) => cdsQDataset.subIntervention(code)?.group === 'recovery-support'),
    ),
  );
}
