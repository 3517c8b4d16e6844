import { cdsQDataset, type Code } from '../dataset/index.js';
import { isInterventionOpenOn, type Client } from '../domain/model.js';
import { periodEnd, type ReportingPeriod } from '../domain/reporting-period.js';
import { oralOstStatusOn } from '../reports/oral-ost.js';
import { interventionTypes, isDateInPeriod } from '../reports/treatment-activity.js';

/** The headline figures of one reporting month, compared month on month to catch extraction problems. */
export interface MonthFigures {
  period: ReportingPeriod;
  /** Episodes triaged in the month. */
  newEpisodes: number;
  /** Episodes discharged in the month, by DISRSN code. Every listed code is present, and an empty reason is keyed `''`. */
  dischargesByReason: Record<string, number>;
  /** Interventions open on the last day of the month, by MODAL code. Every listed code is present. */
  activeInterventionsByType: Record<string, number>;
  /** Sub-intervention reviews dated in the month, during treatment or after discharge. */
  reviews: number;
  /** Clients on oral methadone on the last day of the month. */
  clientsOnOralMethadone: number;
  /** Clients on oral buprenorphine on the last day of the month. */
  clientsOnOralBuprenorphine: number;
}

/** One figure with a stable key and a label for people, as a comparison row needs it. */
export interface NamedFigure {
  key: string;
  label: string;
  value: number;
}

/** Computes the month's headline figures from the domain model. */
export function monthFigures(clients: Client[], period: ReportingPeriod): MonthFigures {
  const lastDay = periodEnd(period);
  const dischargesByReason = zeroFor(dischargeReasons());
  const activeInterventionsByType = zeroFor(interventionTypes());
  let newEpisodes = 0;
  let reviews = 0;

  for (const episode of clients.flatMap((client) => client.episodes)) {
    if (isDateInPeriod(episode.triageDate, period)) newEpisodes += 1;
    if (isDateInPeriod(episode.dischargeDate, period)) increment(dischargesByReason, episode.dischargeReason ?? '');
    for (const intervention of episode.interventions) {
      if (isInterventionOpenOn(intervention, lastDay)) increment(activeInterventionsByType, intervention.interventionType ?? '');
    }
    reviews += episode.reviews.filter((review) => isDateInPeriod(review.reviewDate, period)).length;
  }

  const statuses = clients.map((client) => oralOstStatusOn(client, lastDay));
  return {
    period,
    newEpisodes,
    dischargesByReason,
    activeInterventionsByType,
    reviews,
    clientsOnOralMethadone: statuses.filter((status) => status?.markers.has('oral-methadone')).length,
    clientsOnOralBuprenorphine: statuses.filter((status) => status?.markers.has('oral-buprenorphine')).length,
  };
}

/** Flattens the figures into labelled rows in a fixed order, for comparison and display. */
export function namedFigures(figures: MonthFigures): NamedFigure[] {
  return [
    { key: 'new-episodes', label: 'New episodes (triaged in the month)', value: figures.newEpisodes },
    ...Object.entries(figures.dischargesByReason).map(([code, value]) => ({
      key: `discharges:${code}`,
      label: `Discharges in the month: ${reasonLabel(code)}`,
      value,
    })),
    ...Object.entries(figures.activeInterventionsByType).map(([code, value]) => ({
      key: `active-interventions:${code}`,
      label: `Interventions open on the last day of the month: ${typeLabel(code)}`,
      value,
    })),
    { key: 'reviews', label: 'Sub-intervention reviews dated in the month', value: figures.reviews },
    { key: 'oral-methadone', label: 'Clients on oral methadone on the last day of the month', value: figures.clientsOnOralMethadone },
    { key: 'oral-buprenorphine', label: 'Clients on oral buprenorphine on the last day of the month', value: figures.clientsOnOralBuprenorphine },
  ];
}

function dischargeReasons(): Code[] {
  const format = cdsQDataset.field('episode', 'dischargeReason').format;
  if (format.kind !== 'code') throw new Error(`${cdsQDataset.name} defines the discharge reason field without a code list`);
  return cdsQDataset.codeList(format.codeList).codes;
}

function reasonLabel(code: string): string {
  if (code === '') return 'reason not recorded';
  const label = dischargeReasons().find((reason) => reason.code === code)?.label;
  return label === undefined ? `unlisted reason ${code}` : `${label} (${code})`;
}

function typeLabel(code: string): string {
  if (code === '') return 'type not recorded';
  const label = interventionTypes().find((type) => type.code === code)?.label;
  return label === undefined ? `unlisted type ${code}` : `${label} (${code})`;
}

function zeroFor(codes: Code[]): Record<string, number> {
  return Object.fromEntries(codes.map((entry) => [entry.code, 0]));
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
