import { cdsQDataset, type Code } from '../dataset/index.js';
import type { Client, Episode, Intervention } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { periodEnd, periodStart, previousPeriod, type ReportingPeriod } from '../domain/reporting-period.js';

// Every date here is a PlainDate, an ISO `YYYY-MM-DD` string, so comparing the strings
// compares the calendar dates and no clock change can move a record into another month.

/** Tells whether a date falls in the period, its first and last days included. */
export function isDateInPeriod(date: PlainDate | undefined, period: ReportingPeriod): boolean {
  return date !== undefined && date >= periodStart(period) && date <= periodEnd(period);
}

/** Tells whether an episode was open on any day of the period: triaged by its last day and not discharged before its first. */
export function isEpisodeOpenInPeriod(episode: Episode, period: ReportingPeriod): boolean {
  if (episode.triageDate === undefined || episode.triageDate > periodEnd(period)) return false;
  return episode.dischargeDate === undefined || episode.dischargeDate >= periodStart(period);
}

/** Tells whether an intervention was open on any day of the period: started by its last day and not ended before its first. */
export function isInterventionOpenInPeriod(intervention: Intervention, period: ReportingPeriod): boolean {
  if (intervention.startDate === undefined || intervention.startDate > periodEnd(period)) return false;
  return intervention.endDate === undefined || intervention.endDate >= periodStart(period);
}

/** Tells whether a client was in structured treatment in the period, meaning that one of their episodes was open. */
export function isInTreatmentInPeriod(client: Client, period: ReportingPeriod): boolean {
  return client.episodes.some((episode) => isEpisodeOpenInPeriod(episode, period));
}

/** Lists the periods of the given length that end with `last`, oldest first. */
export function periodsEndingWith(last: ReportingPeriod, count: number): ReportingPeriod[] {
  const periods: ReportingPeriod[] = [last];
  while (periods.length < count) {
    periods.unshift(previousPeriod(periods[0] as ReportingPeriod));
  }
  return periods;
}

/** Lists the intervention types (MODAL codes) with their labels, in the order the dataset defines them. */
export function interventionTypes(): Code[] {
  const format = cdsQDataset.field('intervention', 'interventionType').format;
  if (format.kind !== 'code') throw new Error(`${cdsQDataset.name} defines the intervention type field without a code list`);
  return cdsQDataset.codeList(format.codeList).codes;
}
