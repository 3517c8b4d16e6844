import { formatReportingPeriod, type ReportingPeriod } from '../domain/reporting-period.js';
import { namedFigures, type MonthFigures, type NamedFigure } from './month-figures.js';

export { monthFigures, namedFigures, type MonthFigures, type NamedFigure } from './month-figures.js';

export interface FigureChange {
  key: string;
  label: string;
  current: number;
  previous: number;
  difference: number;
  /** Change as a percentage of the previous value, or null when the previous value is 0 and the current one is not. */
  changePercent: number | null;
  /** True when the change may point to an extraction problem and the data officer should check it. */
  flagged: boolean;
  /** For a flagged figure, the change and what to check. Empty when the figure is not flagged. */
  message: string;
}

export interface MonthComparison {
  explanation: string;
  current: ReportingPeriod;
  previous: ReportingPeriod;
  thresholdPercent: number;
  rows: FigureChange[];
  flagged: FigureChange[];
}

export interface ComparisonOptions {
  /** Maximum change, up or down, as a percentage of the previous value, that is not flagged. Defaults to 20. */
  thresholdPercent?: number;
}

const defaultThresholdPercent = 20;

export function comparisonExplanation(thresholdPercent: number): string {
  return (
    'Compares each figure of the month with the month before. New episodes are those triaged in the month, discharges ' +
    'are episodes discharged in the month by reason, and reviews are the sub-intervention reviews dated in the month. ' +
    'Open interventions and clients on oral methadone or oral buprenorphine are counted on the last day of each month, ' +
    'from the latest review during treatment while a pharmacological intervention is still open. ' +
    `A figure is flagged when it rose or fell by more than ${thresholdPercent}% of the month before, and always when ` +
    'it was 0 the month before and is not 0 now. A flag is a prompt to check the extract, not proof of an error.'
  );
}

/**
 * Compares each headline figure of a month with the month before.
 *
 * A figure is flagged when it rose or fell by more than the threshold percentage of its
 * previous value, so a change of exactly the threshold is not flagged. When the previous
 * value is 0 no percentage exists. Then 0 followed by 0 is no change, and 0 followed by
 * any other value is always flagged, because a figure appearing from nothing can mean
 * that the earlier month's extract missed records.
 */
export function compareMonths(current: MonthFigures, previous: MonthFigures, options: ComparisonOptions = {}): MonthComparison {
  const thresholdPercent = options.thresholdPercent ?? defaultThresholdPercent;
  if (!Number.isFinite(thresholdPercent) || thresholdPercent < 0) {
    throw new RangeError(`The comparison threshold is ${thresholdPercent}%, but it must be a number of 0 or more, such as 20.`);
  }

  const previousByKey = new Map(namedFigures(previous).map((figure) => [figure.key, figure]));
  const currentFigures = namedFigures(current);
  const currentKeys = new Set(currentFigures.map((figure) => figure.key));
  // A key seen only last month, such as an unlisted discharge reason, still needs a row with a current value of 0.
  const droppedFigures = [...previousByKey.values()].filter((figure) => !currentKeys.has(figure.key)).map((figure) => ({ ...figure, value: 0 }));

  const rows = [...currentFigures, ...droppedFigures].map((figure) =>
    compareFigure(figure, previousByKey.get(figure.key)?.value ?? 0, thresholdPercent, current.period, previous.period),
  );
  return {
    explanation: comparisonExplanation(thresholdPercent),
    current: current.period,
    previous: previous.period,
    thresholdPercent,
    rows,
    flagged: rows.filter((row) => row.flagged),
  };
}

function compareFigure(
  figure: NamedFigure,
  previousValue: number,
  thresholdPercent: number,
  currentPeriod: ReportingPeriod,
  previousPeriod: ReportingPeriod,
): FigureChange {
  const difference = figure.value - previousValue;
  let changePercent: number | null;
  let flagged: boolean;
  if (previousValue === 0) {
    changePercent = figure.value === 0 ? 0 : null;
    flagged = figure.value !== 0;
  } else {
    changePercent = (difference / previousValue) * 100;
    // Compares products, not the quotient, because division can overshoot: (107 - 100) / 100 * 100 is 7.000000000000001.
    flagged = Math.abs(difference) * 100 > thresholdPercent * previousValue;
  }

  const row: FigureChange = { key: figure.key, label: figure.label, current: figure.value, previous: previousValue, difference, changePercent, flagged, message: '' };
  if (flagged) row.message = flagMessage(row, thresholdPercent, currentPeriod, previousPeriod);
  return row;
}

function flagMessage(row: FigureChange, thresholdPercent: number, currentPeriod: ReportingPeriod, previousPeriod: ReportingPeriod): string {
  const movement = `${row.label} went from ${row.previous} in ${formatReportingPeriod(previousPeriod)} to ${row.current} in ${formatReportingPeriod(currentPeriod)}`;
  const check = 'Check that both months were extracted in full before submitting. If the change is real, confirm it.';
  if (row.changePercent === null) {
    return `${movement}. A figure that was 0 the month before is always flagged, because it can mean the earlier extract missed records. ${check}`;
  }
  const direction = row.difference > 0 ? 'a rise' : 'a fall';
  const size = Math.round(Math.abs(row.changePercent) * 10) / 10;
  return `${movement}, ${direction} of ${size}%, more than the ${thresholdPercent}% threshold. ${check}`;
}
