import type { ClientsInTreatmentReport } from './clients-in-treatment.js';
import type { MedicationDoses, OstDoseReport } from './ost-doses.js';
import type { RecoverySupportUptakeReport } from './recovery-support-uptake.js';
import type { SubInterventionsDeliveredReport } from './sub-interventions-delivered.js';
import type { WaitingTimesReport } from './waiting-times.js';

/** One bar chart of a report, with the headings of the data table shown beside it. */
export interface ReportChart {
  /** Prefix for the chart's element ids, unique on the page. */
  id: string;
  title: string;
  /** A sentence on what the chart shows, before the values in the SVG description. */
  description: string;
  /** Word after each value, such as "clients". */
  unit: string;
  labelHeading: string;
  valueHeading: string;
  points: { label: string; value: number }[];
}

/** A figure that is not a count of the table, such as a median or a share, already formatted for the page. */
export interface ReportHeadline {
  label: string;
  value: string;
}

const shortMonthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Formats `YYYY-MM` as `Mar 24`, short enough for 12 bars side by side. */
function shortMonth(month: string): string {
  const [year, monthNumber] = month.split('-');
  return `${shortMonthNames[Number(monthNumber) - 1] ?? month} ${year?.slice(2) ?? ''}`;
}

/** Formats a fraction from 0 to 1 as a whole percentage, or "none counted" when there was nothing to divide. */
export function formatShare(share: number | null): string {
  return share === null ? 'None counted' : `${Math.round(share * 100)}%`;
}

export function clientsInTreatmentCharts(report: ClientsInTreatmentReport): ReportChart[] {
  return [
    {
      id: 'chart-clients-in-treatment',
      title: 'Clients in treatment in each of the 12 months',
      description: 'Bar chart of the clients with an episode open on any day of each month, oldest month first.',
      unit: 'clients',
      labelHeading: 'Month',
      valueHeading: 'Clients in treatment',
      points: report.months.map((month) => ({ label: shortMonth(month.month), value: month.inTreatment })),
    },
  ];
}

export function clientsInTreatmentHeadlines(report: ClientsInTreatmentReport): ReportHeadline[] {
  const last = report.months.at(-1);
  if (last === undefined) return [];
  return [
    { label: `Clients in treatment in ${last.month}`, value: String(last.inTreatment) },
    ...last.byType.map((type) => ({ label: `With an open ${type.label.toLowerCase()} intervention in ${last.month}`, value: String(type.clients) })),
  ];
}

export function subInterventionsCharts(report: SubInterventionsDeliveredReport): ReportChart[] {
  return [
    {
      id: 'chart-sub-interventions',
      title: 'Clients who received each group of sub-interventions in the month',
      description: 'Bar chart of the clients with at least one item of each group marked delivered on a review dated in the month.',
      unit: 'clients',
      labelHeading: 'Group',
      valueHeading: 'Clients',
      points: report.groups.map((group) => ({ label: group.label, value: group.clients })),
    },
  ];
}

export function subInterventionsHeadlines(report: SubInterventionsDeliveredReport): ReportHeadline[] {
  return [
    { label: 'Sub-intervention reviews dated in the month', value: String(report.reviews) },
    { label: 'Clients with a review dated in the month', value: String(report.clients) },
  ];
}

export function ostDosesCharts(report: OstDoseReport): ReportChart[] {
  return [doseChart('chart-ost-methadone', 'Oral methadone', report.methadone), doseChart('chart-ost-buprenorphine', 'Oral buprenorphine', report.buprenorphine)];
}

function doseChart(id: string, medication: string, doses: MedicationDoses): ReportChart {
  return {
    id,
    title: `Clients on ${medication.toLowerCase()} by daily dose`,
    description: `Bar chart of the clients on ${medication.toLowerCase()} on the last day of the month, by daily dose in ${doses.unit}.`,
    unit: 'clients',
    labelHeading: `Daily dose (${doses.unit})`,
    valueHeading: 'Clients',
    points: [...doses.bands.map((band) => ({ label: band.label, value: band.clients })), { label: 'Not recorded', value: doses.doseNotRecorded }],
  };
}

export function ostDosesHeadlines(report: OstDoseReport): ReportHeadline[] {
  return [
    { label: 'Clients on oral methadone', value: String(report.methadone.clients) },
    { label: 'Oral methadone: share supervised', value: formatShare(report.methadone.supervisedShare) },
    { label: 'Clients on oral buprenorphine', value: String(report.buprenorphine.clients) },
    { label: 'Oral buprenorphine: share supervised', value: formatShare(report.buprenorphine.supervisedShare) },
  ];
}

export function recoverySupportCharts(report: RecoverySupportUptakeReport): ReportChart[] {
  return [
    {
      id: 'chart-recovery-support',
      title: 'Clients with and without recovery support in the month',
      description: 'Bar chart of the clients in treatment in the month with and without recovery support, and of the clients supported after an earlier discharge.',
      unit: 'clients',
      labelHeading: 'Clients',
      valueHeading: 'Count',
      points: [
        { label: 'With support', value: report.withRecoverySupport },
        { label: 'Without support', value: report.inTreatment - report.withRecoverySupport },
        { label: 'Supported after discharge', value: report.outsideTreatmentWithRecoverySupport },
      ],
    },
  ];
}

export function recoverySupportHeadlines(report: RecoverySupportUptakeReport): ReportHeadline[] {
  return [
    { label: 'Clients in treatment in the month', value: String(report.inTreatment) },
    { label: 'Share with recovery support', value: formatShare(report.share) },
  ];
}

export function waitingTimesCharts(report: WaitingTimesReport): ReportChart[] {
  const measured = report.byType.filter((type) => type.medianDays !== null);
  return [
    {
      id: 'chart-waiting-times',
      title: 'Median wait from referral to start, by intervention type',
      description:
        'Bar chart of the median wait in days for the interventions started in the month, one bar per intervention type. ' +
        'Types with no intervention started in the month have no bar.',
      unit: 'days',
      labelHeading: 'Intervention type',
      valueHeading: 'Median wait (days)',
      points: measured.map((type) => ({ label: type.label, value: type.medianDays as number })),
    },
  ];
}

export function waitingTimesHeadlines(report: WaitingTimesReport): ReportHeadline[] {
  const median = report.overall.medianDays;
  return [
    { label: 'Waits measured', value: String(report.overall.counted) },
    { label: 'Median wait', value: median === null ? 'None counted' : `${median} days` },
    { label: `Share started within ${report.targetDays} days`, value: formatShare(report.overall.withinTargetShare) },
    { label: 'Left out: no referral date', value: String(report.excluded.missingReferralDate) },
    { label: 'Left out: start before referral', value: String(report.excluded.startBeforeReferral) },
  ];
}
