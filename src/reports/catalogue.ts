import type { Client } from '../domain/model.js';
import type { ReportingPeriod } from '../domain/reporting-period.js';
import { clientsInTreatmentReport } from './clients-in-treatment.js';
import { ostDoseReport } from './ost-doses.js';
import { recoverySupportUptakeReport } from './recovery-support-uptake.js';
import {
  clientsInTreatmentTable,
  ostDosesTable,
  recoverySupportTable,
  subInterventionsTable,
  waitingTimesTable,
  type ReportTable,
} from './report-tables.js';
import { subInterventionsDeliveredReport } from './sub-interventions-delivered.js';
import { waitingTimesReport } from './waiting-times.js';

/** A computed report: its table, and the full result with any measure that is not a count, such as a median. */
export interface ComputedReport {
  table: ReportTable;
  details: unknown;
}

export interface ReportEntry {
  name: string;
  title: string;
  /** Months of history the report reads, ending with the requested month. */
  monthsOfHistory: number;
  compute(clients: Client[], period: ReportingPeriod): ComputedReport;
}

/** Every report `waymark report` can produce, by name. */
export const reportCatalogue: readonly ReportEntry[] = [
  {
    name: 'clients-in-treatment',
    title: 'Clients in treatment over 12 months, by intervention type',
    monthsOfHistory: 12,
    compute: (clients, period) => computed(clientsInTreatmentReport(clients, period), clientsInTreatmentTable),
  },
  {
    name: 'sub-interventions',
    title: 'Sub-interventions delivered in the month, by group and item',
    monthsOfHistory: 1,
    compute: (clients, period) => computed(subInterventionsDeliveredReport(clients, period), subInterventionsTable),
  },
  {
    name: 'ost-doses',
    title: 'Oral methadone and buprenorphine doses on the last day of the month',
    monthsOfHistory: 1,
    compute: (clients, period) => computed(ostDoseReport(clients, period), ostDosesTable),
  },
  {
    name: 'recovery-support',
    title: 'Recovery support uptake among clients in treatment in the month',
    monthsOfHistory: 1,
    compute: (clients, period) => computed(recoverySupportUptakeReport(clients, period), recoverySupportTable),
  },
  {
    name: 'waiting-times',
    title: 'Waits from referral to start of the interventions started in the month',
    monthsOfHistory: 1,
    compute: (clients, period) => computed(waitingTimesReport(clients, period), waitingTimesTable),
  },
];

function computed<T>(details: T, toTable: (details: T) => ReportTable): ComputedReport {
  return { table: toTable(details), details };
}

export const reportNames: readonly string[] = reportCatalogue.map((entry) => entry.name);

/** Returns the report with this name, or undefined for a name not in the catalogue. */
export function reportNamed(name: string): ReportEntry | undefined {
  return reportCatalogue.find((entry) => entry.name === name);
}
