import type { Client } from '../domain/model.js';
import type { ReportingPeriod } from '../domain/reporting-period.js';
import { clientsInTreatmentReport } from './clients-in-treatment.js';
import { ostDoseReport } from './ost-doses.js';
import { recoverySupportUptakeReport } from './recovery-support-uptake.js';
import {
  clientsInTreatmentCharts,
  clientsInTreatmentHeadlines,
  ostDosesCharts,
  ostDosesHeadlines,
  recoverySupportCharts,
  recoverySupportHeadlines,
  subInterventionsCharts,
  subInterventionsHeadlines,
  waitingTimesCharts,
  waitingTimesHeadlines,
  type ReportChart,
  type ReportHeadline,
} from './report-charts.js';
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

/**
 * A computed report: its table, the full result with any measure that is not a count (such
 * as a median), and the exact charts and headline figures the report page shows.
 */
export interface ComputedReport {
  table: ReportTable;
  details: unknown;
  charts: ReportChart[];
  headlines: ReportHeadline[];
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
    compute: (clients, period) => computed(clientsInTreatmentReport(clients, period), { table: clientsInTreatmentTable, charts: clientsInTreatmentCharts, headlines: clientsInTreatmentHeadlines }),
  },
  {
    name: 'sub-interventions',
    title: 'Sub-interventions delivered in the month, by group and item',
    monthsOfHistory: 1,
    compute: (clients, period) => computed(subInterventionsDeliveredReport(clients, period), { table: subInterventionsTable, charts: subInterventionsCharts, headlines: subInterventionsHeadlines }),
  },
  {
    name: 'ost-doses',
    title: 'Oral methadone and buprenorphine doses on the last day of the month',
    monthsOfHistory: 1,
    compute: (clients, period) => computed(ostDoseReport(clients, period), { table: ostDosesTable, charts: ostDosesCharts, headlines: ostDosesHeadlines }),
  },
  {
    name: 'recovery-support',
    title: 'Recovery support uptake among clients in treatment in the month',
    monthsOfHistory: 1,
    compute: (clients, period) => computed(recoverySupportUptakeReport(clients, period), { table: recoverySupportTable, charts: recoverySupportCharts, headlines: recoverySupportHeadlines }),
  },
  {
    name: 'waiting-times',
    title: 'Waits from referral to start of the interventions started in the month',
    monthsOfHistory: 1,
    compute: (clients, period) => computed(waitingTimesReport(clients, period), { table: waitingTimesTable, charts: waitingTimesCharts, headlines: waitingTimesHeadlines }),
  },
];

interface ReportLayout<T> {
  table: (details: T) => ReportTable;
  charts: (details: T) => ReportChart[];
  headlines: (details: T) => ReportHeadline[];
}

function computed<T>(details: T, layout: ReportLayout<T>): ComputedReport {
  return { table: layout.table(details), details, charts: layout.charts(details), headlines: layout.headlines(details) };
}

export const reportNames: readonly string[] = reportCatalogue.map((entry) => entry.name);

/** Returns the report with this name, or undefined for a name not in the catalogue. */
export function reportNamed(name: string): ReportEntry | undefined {
  return reportCatalogue.find((entry) => entry.name === name);
}
