import { cdsQDataset, type OstMarker } from '../dataset/index.js';
import type { Client, ReviewProperty, SubInterventionReview } from '../domain/model.js';
import type { PlainDate } from '../domain/plain-date.js';
import { periodEnd, type ReportingPeriod } from '../domain/reporting-period.js';
import { oralOstStatusOn, supervisedConsumptionCode } from './oral-ost.js';

export interface DoseBand {
  label: string;
  /** Doses above this value fall in the band; the first band starts at 0 and includes it. */
  above: number;
  /** Largest dose in the band, or null for the open top band. */
  upTo: number | null;
  clients: number;
}

export interface MedicationDoses {
  marker: OstMarker;
  /** Column name of the dose field, such as the oral methadone dose column. */
  doseField: string;
  unit: string;
  /** Clients on this medication at the end of the month. */
  clients: number;
  bands: DoseBand[];
  doseNotRecorded: number;
  supervised: number;
  /** Clients whose OSTSUP value is recorded but is not the supervised code. */
  notSupervised: number;
  supervisionNotRecorded: number;
  /** Supervised clients as a fraction (0 to 1) of all clients on the medication, or null when there are none. */
  supervisedShare: number | null;
}

export interface OstDoseReport {
  explanation: string;
  period: ReportingPeriod;
  /** The date the doses are current on, which is the last day of the period. */
  date: PlainDate;
  methadone: MedicationDoses;
  buprenorphine: MedicationDoses;
}

export interface OstDoseOptions {
  /** Upper limits of the methadone bands in ml. A last open band contains every dose above the largest. */
  methadoneBandLimits?: number[];
  /** Upper limits of the buprenorphine bands in mg. A last open band contains every dose above the largest. */
  buprenorphineBandLimits?: number[];
}

const defaultMethadoneBandLimits = [30, 60, 90, 120];
const defaultBuprenorphineBandLimits = [4, 8, 12, 16, 24];

export const ostDoseExplanation =
  'Counts the clients on oral methadone and on oral buprenorphine on the last day of the month. A client counts when ' +
  'their latest sub-intervention review during treatment, dated on or before that day, marks an oral methadone or oral ' +
  'buprenorphine item and a pharmacological intervention in the same episode is still open on that day. Depot ' +
  'buprenorphine and injected medication are not oral and are left out. The dose and the supervision answer come from ' +
  'that same review. Doses are recorded to one decimal place, so a band such as 30.1 to 60 ml starts just above 30. ' +
  'The supervised share is the supervised clients out of every client on the medication, including those whose answer ' +
  'is missing.';

/** Groups the oral methadone and oral buprenorphine doses current at the end of the period into bands, with the share supervised. */
export function ostDoseReport(clients: Client[], period: ReportingPeriod, options: OstDoseOptions = {}): OstDoseReport {
  const date = periodEnd(period);
  const statuses = clients.map((client) => oralOstStatusOn(client, date)).filter((status) => status !== undefined);
  const reviewsOn = (marker: OstMarker): SubInterventionReview[] =>
    statuses.filter((status) => status.markers.has(marker)).map((status) => status.review);

  return {
    explanation: ostDoseExplanation,
    period,
    date,
    methadone: summariseDoses('oral-methadone', 'methadoneDose', reviewsOn('oral-methadone'), options.methadoneBandLimits ?? defaultMethadoneBandLimits),
    buprenorphine: summariseDoses(
      'oral-buprenorphine',
      'buprenorphineDose',
      reviewsOn('oral-buprenorphine'),
      options.buprenorphineBandLimits ?? defaultBuprenorphineBandLimits,
    ),
  };
}

function summariseDoses(
  marker: OstMarker,
  property: Extract<ReviewProperty, 'methadoneDose' | 'buprenorphineDose'>,
  reviews: SubInterventionReview[],
  limits: number[],
): MedicationDoses {
  const field = cdsQDataset.field('review', property);
  const unit = field.format.kind === 'dose' ? field.format.unit : '';
  const bands = emptyBands(limits, unit);
  let doseNotRecorded = 0;
  for (const review of reviews) {
    const dose = review[property];
    if (dose === undefined) doseNotRecorded += 1;
    else bandFor(bands, dose).clients += 1;
  }

  const supervisedCode = supervisedConsumptionCode();
  const supervised = reviews.filter((review) => review.ostSupervision === supervisedCode).length;
  const supervisionNotRecorded = reviews.filter((review) => review.ostSupervision === undefined).length;
  return {
    marker,
    doseField: field.name,
    unit,
    clients: reviews.length,
    bands,
    doseNotRecorded,
    supervised,
    notSupervised: reviews.length - supervised - supervisionNotRecorded,
    supervisionNotRecorded,
    supervisedShare: reviews.length === 0 ? null : supervised / reviews.length,
  };
}

/** Builds the bands 0 to the first limit, then just above each limit to the next, then above the largest. */
export function emptyBands(limits: number[], unit: string): DoseBand[] {
  assertLimits(limits);
  const bands: DoseBand[] = [];
  let above = 0;
  for (const limit of limits) {
    const from = bands.length === 0 ? '0' : formatDose(above + 0.1);
    bands.push({ label: `${from} to ${formatDose(limit)} ${unit}`, above, upTo: limit, clients: 0 });
    above = limit;
  }
  bands.push({ label: `over ${formatDose(above)} ${unit}`, above, upTo: null, clients: 0 });
  return bands;
}

/** Returns the band a dose falls in. A dose of 0 or less falls in the first band. */
export function bandFor(bands: DoseBand[], dose: number): DoseBand {
  const band = bands.find((candidate) => candidate.upTo === null || dose <= candidate.upTo);
  return band as DoseBand;
}

function formatDose(value: number): string {
  // Rounds away binary noise such as 30.099999999999998 from adding 0.1.
  return String(Math.round(value * 10) / 10);
}

function assertLimits(limits: number[]): void {
  limits.forEach((limit, index) => {
    const previous = index === 0 ? 0 : (limits[index - 1] as number);
    if (!Number.isFinite(limit) || limit <= previous) {
      throw new RangeError(`Dose band limit ${index + 1} is ${limit}, but limits must be numbers above 0 in increasing order, such as 30, 60, 90.`);
    }
  });
}
