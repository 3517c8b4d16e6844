import type { Client, Intervention } from '../domain/model.js';
import { daysBetween } from '../domain/plain-date.js';
import type { ReportingPeriod } from '../domain/reporting-period.js';
import { interventionTypes, isDateInPeriod } from './treatment-activity.js';

export interface WaitSummary {
  /** Interventions started in the month whose wait could be measured. */
  counted: number;
  /** Median wait in days, taken as the mean of the two middle waits when the count is even. Null when none were counted. */
  medianDays: number | null;
  withinTarget: number;
  /** `withinTarget` as a fraction (0 to 1) of `counted`, or null when none were counted. */
  withinTargetShare: number | null;
}

export interface TypeWaitSummary extends WaitSummary {
  /** MODAL code. */
  type: string;
  label: string;
}

export interface WaitingTimesReport {
  explanation: string;
  period: ReportingPeriod;
  targetDays: number;
  overall: WaitSummary;
  byType: TypeWaitSummary[];
  /** Interventions started in the month but left out, by reason. */
  excluded: { missingReferralDate: number; startBeforeReferral: number };
}

export interface WaitingTimesOptions {
  /** Maximum wait in days that still counts as starting within the target. Defaults to 21 (3 weeks). */
  targetDays?: number;
}

const defaultTargetDays = 21;

export function waitingTimesExplanation(targetDays: number): string {
  return (
    'Takes every intervention whose start date falls in the month and counts the days from the date the client was ' +
    'referred to that intervention to its start date. A client referred and started on the same day waited 0 days. ' +
    `The median is the middle wait, or the mean of the two middle waits when their number is even. "Within ${targetDays} ` +
    `days" counts waits of ${targetDays} days or fewer. Interventions with no referral date, or a start date before the ` +
    'referral date, cannot be measured and are listed as left out.'
  );
}

/** Measures the waits from referral to start for the interventions started in the period. */
export function waitingTimesReport(clients: Client[], period: ReportingPeriod, options: WaitingTimesOptions = {}): WaitingTimesReport {
  const targetDays = options.targetDays ?? defaultTargetDays;
  if (!Number.isInteger(targetDays) || targetDays < 0) {
    throw new RangeError(`The waiting time target is ${targetDays} days, but it must be a whole number of days, 0 or more.`);
  }

  const started = clients.flatMap((client) =>
    client.episodes.flatMap((episode) => episode.interventions.filter((intervention) => isDateInPeriod(intervention.startDate, period))),
  );
  const excluded = { missingReferralDate: 0, startBeforeReferral: 0 };
  const waits: { type: string | undefined; days: number }[] = [];
  for (const intervention of started) {
    const days = waitDays(intervention);
    if (days === 'missing-referral') excluded.missingReferralDate += 1;
    else if (days < 0) excluded.startBeforeReferral += 1;
    else waits.push({ type: intervention.interventionType, days });
  }

  return {
    explanation: waitingTimesExplanation(targetDays),
    period,
    targetDays,
    overall: summariseWaits(waits.map((wait) => wait.days), targetDays),
    byType: interventionTypes().map((type) => ({
      type: type.code,
      label: type.label,
      ...summariseWaits(waits.filter((wait) => wait.type === type.code).map((wait) => wait.days), targetDays),
    })),
    excluded,
  };
}

function waitDays(intervention: Intervention): number | 'missing-referral' {
  if (intervention.referralDate === undefined || intervention.startDate === undefined) return 'missing-referral';
  return daysBetween(intervention.referralDate, intervention.startDate);
}

function summariseWaits(days: number[], targetDays: number): WaitSummary {
  const withinTarget = days.filter((wait) => wait <= targetDays).length;
  return {
    counted: days.length,
    medianDays: median(days),
    withinTarget,
    withinTargetShare: days.length === 0 ? null : withinTarget / days.length,
  };
}

/** Returns the median, the mean of the two middle values for an even count, or null for no values. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
