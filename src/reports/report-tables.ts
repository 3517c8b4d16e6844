import { formatReportingPeriod } from '../domain/reporting-period.js';
import type { ClientsInTreatmentReport } from './clients-in-treatment.js';
import { disclosedTableToCsv, type CsvCell, type CsvTable } from './csv.js';
import type { MedicationDoses, OstDoseReport } from './ost-doses.js';
import type { RecoverySupportUptakeReport } from './recovery-support-uptake.js';
import type { SubInterventionsDeliveredReport } from './sub-interventions-delivered.js';
import { discloseCount, suppressTable, withTotals, type CountTable, type DisclosedTable } from './suppression.js';
import type { WaitingTimesReport } from './waiting-times.js';

/**
 * A report laid out as a table of counts, ready for disclosure control and download.
 *
 * In an additive table every row and column adds up to its total, so the totals are
 * shown and secondary suppression protects the hidden cells. In a table that is not
 * additive (a client counted under several columns, or the same client in every month)
 * no total is meaningful, so none is shown and each count is disclosed on its own.
 */
export interface ReportTable {
  name: string;
  title: string;
  explanation: string;
  /** Heading of the label column. */
  cornerLabel: string;
  table: CountTable;
  additive: boolean;
}

/** A table as written out: exact counts, or counts after disclosure control, with the reasons for each hidden cell. */
export interface ShownTable {
  csv: CsvTable;
  /** The reason for each cell shown as `*`. Empty for exact counts. */
  suppressed: string[];
}

/** Lays out the table with exact counts, or with disclosure control when `shareable` is set. */
export function showTable(report: ReportTable, shareable: boolean): ShownTable {
  if (report.additive) {
    const disclosed = shareable ? suppressTable(report.table) : exactTable(report.table);
    const csv = disclosedTableToCsv(disclosed, report.cornerLabel);
    return { csv: report.table.columnLabels.length === 1 ? withoutTotalColumn(csv) : csv, suppressed: disclosed.suppressed.map((cell) => cell.explanation) };
  }

  const show = (count: number): CsvCell => (shareable ? discloseCount(count) : count);
  const rows = report.table.rowLabels.map((label, row) => [label, ...(report.table.counts[row] ?? []).map(show)]);
  const suppressed = shareable ? smallCountNotes(report.table) : [];
  return { csv: { header: [report.cornerLabel, ...report.table.columnLabels], rows }, suppressed };
}

/** Drops the Total column of a one-column table, where it would repeat the column beside it. */
function withoutTotalColumn(csv: CsvTable): CsvTable {
  return { header: csv.header.slice(0, -1), rows: csv.rows.map((row) => row.slice(0, -1)) };
}

function exactTable(table: CountTable): DisclosedTable {
  return {
    rowLabels: table.rowLabels,
    columnLabels: table.columnLabels,
    cells: table.counts,
    rowTotals: table.rowTotals,
    columnTotals: table.columnTotals,
    grandTotal: table.grandTotal,
    suppressed: [],
  };
}

function smallCountNotes(table: CountTable): string[] {
  const notes: string[] = [];
  table.counts.forEach((row, rowIndex) =>
    row.forEach((count, column) => {
      if (discloseCount(count) === '*') {
        notes.push(`The cell in row "${table.rowLabels[rowIndex]}", column "${table.columnLabels[column]}" is a count from 1 to 4, so it is shown as *.`);
      }
    }),
  );
  return notes;
}

/** Lays out clients in treatment with a row per month and a column per intervention type. The table is not additive. */
export function clientsInTreatmentTable(report: ClientsInTreatmentReport): ReportTable {
  const typeLabels = report.months[0]?.byType.map((type) => `${type.label} (${type.type})`) ?? [];
  const counts = report.months.map((month) => [month.inTreatment, ...month.byType.map((type) => type.clients)]);
  return {
    name: 'clients-in-treatment',
    title: 'Clients in treatment, by month and intervention type',
    explanation: report.explanation,
    cornerLabel: 'Month',
    table: withTotals(report.months.map((month) => month.month), ['In treatment', ...typeLabels], counts),
    additive: false,
  };
}

/** Lays out review and client counts for each group, then for each item delivered in the month. The table is not additive. */
export function subInterventionsTable(report: SubInterventionsDeliveredReport): ReportTable {
  const labels = ['All reviews in the month'];
  const counts = [[report.reviews, report.clients]];
  for (const group of report.groups) {
    labels.push(`${group.label}: any item`);
    counts.push([group.reviews, group.clients]);
    for (const item of group.items) {
      labels.push(`${group.label}: ${item.name} (${item.code})`);
      counts.push([item.reviews, item.clients]);
    }
  }
  return {
    name: 'sub-interventions',
    title: `Sub-interventions delivered in ${formatReportingPeriod(report.period)}`,
    explanation: report.explanation,
    cornerLabel: 'Sub-intervention',
    table: withTotals(labels, ['Reviews', 'Clients'], counts),
    additive: false,
  };
}

/** Lays out clients by the dose band of each medication, one row per band. The table is additive. */
export function ostDosesTable(report: OstDoseReport): ReportTable {
  const rows = [...doseRows('Oral methadone', report.methadone), ...doseRows('Oral buprenorphine', report.buprenorphine)];
  return {
    name: 'ost-doses',
    title: `Oral OST doses on ${report.date}`,
    explanation: report.explanation,
    cornerLabel: 'Medication and daily dose',
    table: withTotals(rows.map((row) => row.label), ['Clients'], rows.map((row) => [row.clients])),
    additive: true,
  };
}

function doseRows(medication: string, doses: MedicationDoses): { label: string; clients: number }[] {
  return [
    ...doses.bands.map((band) => ({ label: `${medication}: ${band.label}`, clients: band.clients })),
    { label: `${medication}: ${doses.doseField} not recorded`, clients: doses.doseNotRecorded },
  ];
}

/** Splits clients in treatment by whether they had recovery support, and adds clients supported after discharge. The table is additive. */
export function recoverySupportTable(report: RecoverySupportUptakeReport): ReportTable {
  const labels = [
    'In treatment, with recovery support in the month',
    'In treatment, without recovery support in the month',
    'Discharged before the month, with recovery support in it',
  ];
  const counts = [[report.withRecoverySupport], [report.inTreatment - report.withRecoverySupport], [report.outsideTreatmentWithRecoverySupport]];
  return {
    name: 'recovery-support',
    title: `Recovery support uptake in ${formatReportingPeriod(report.period)}`,
    explanation: report.explanation,
    cornerLabel: 'Clients in the month',
    table: withTotals(labels, ['Clients'], counts),
    additive: true,
  };
}

/** Lays out waits within and over the target by intervention type. The table is additive, and medians stay in the exact details. */
export function waitingTimesTable(report: WaitingTimesReport): ReportTable {
  const labels = report.byType.map((type) => `${type.label} (${type.type})`);
  const counts = report.byType.map((type) => [type.withinTarget, type.counted - type.withinTarget]);

  // Waits of interventions without a recognised type are in the overall figures but under no type.
  const untypedCounted = report.overall.counted - report.byType.reduce((sum, type) => sum + type.counted, 0);
  const untypedWithin = report.overall.withinTarget - report.byType.reduce((sum, type) => sum + type.withinTarget, 0);
  if (untypedCounted > 0) {
    labels.push('Type not recorded');
    counts.push([untypedWithin, untypedCounted - untypedWithin]);
  }

  return {
    name: 'waiting-times',
    title: `Waits from referral to start for interventions started in ${formatReportingPeriod(report.period)}`,
    explanation: report.explanation,
    cornerLabel: 'Intervention type',
    table: withTotals(labels, [`Within ${report.targetDays} days`, `Over ${report.targetDays} days`], counts),
    additive: true,
  };
}
