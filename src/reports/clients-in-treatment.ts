import type { Client } from '../domain/model.js';
import { formatReportingPeriod, type ReportingPeriod } from '../domain/reporting-period.js';
import { interventionTypes, isInTreatmentInPeriod, isInterventionOpenInPeriod, periodsEndingWith } from './treatment-activity.js';

export interface InterventionTypeCount {
  /** MODAL code. */
  type: string;
  label: string;
  clients: number;
}

export interface MonthInTreatment {
  period: ReportingPeriod;
  /** The month as `YYYY-MM`. */
  month: string;
  /** Clients with an episode open on any day of the month. */
  inTreatment: number;
  byType: InterventionTypeCount[];
}

export interface ClientsInTreatmentReport {
  explanation: string;
  /** The 12 months ending with the requested period, oldest first. */
  months: MonthInTreatment[];
}

const monthsShown = 12;

export const clientsInTreatmentExplanation =
  'For each of the 12 months ending with the chosen month, a client is in treatment when one of their episodes was open ' +
  'on any day of that month: triaged on or before its last day and not discharged before its first day. ' +
  'Under each intervention type, a client is counted when an intervention of that type had started by the last day of ' +
  'the month and had not ended before its first day. A client is counted once per type however many interventions of ' +
  'that type they had, and a client with several types is counted under each, so the types do not add up to the total. ' +
  'A client still waiting for their first intervention is in the total but under no type.';

/** Counts the clients in treatment, overall and by intervention type, in each of the 12 months ending with the period. */
export function clientsInTreatmentReport(clients: Client[], period: ReportingPeriod): ClientsInTreatmentReport {
  const types = interventionTypes();
  const months = periodsEndingWith(period, monthsShown).map((month): MonthInTreatment => ({
    period: month,
    month: formatReportingPeriod(month),
    inTreatment: clients.filter((client) => isInTreatmentInPeriod(client, month)).length,
    byType: types.map((type) => ({
      type: type.code,
      label: type.label,
      clients: clients.filter((client) => hasOpenInterventionOfType(client, type.code, month)).length,
    })),
  }));
  return { explanation: clientsInTreatmentExplanation, months };
}

function hasOpenInterventionOfType(client: Client, type: string, period: ReportingPeriod): boolean {
  return client.episodes.some((episode) =>
    episode.interventions.some((intervention) => intervention.interventionType === type && isInterventionOpenInPeriod(intervention, period)),
  );
}
