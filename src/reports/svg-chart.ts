import type { DisclosedCount } from './suppression.js';

/** One bar: a label under it and a value, or `*` for a count hidden by disclosure control. */
export interface BarChartPoint {
  label: string;
  value: number | DisclosedCount;
}

export interface BarChartOptions {
  /** Prefix for the ids of the title and description, unique on the page: a letter, then letters, digits, `-` or `_`. */
  id: string;
  title: string;
  /** A sentence on what the chart shows; the value of every bar is added after it. */
  description: string;
  /** Word after each value in the description, such as "clients". */
  unit?: string;
  width?: number;
  height?: number;
}

const margin = { top: 24, right: 16, bottom: 56, left: 48 };
const barShare = 0.7;
const idPattern = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * Renders a bar chart as an SVG string for a server-rendered page.
 *
 * The chart carries role="img" with a <title> and a <desc> that lists every value, so a
 * screen reader gets the data as well as the picture. It has no script and no style
 * attribute, only class names (`chart`, `chart__bar`, `chart__axis` and so on) for the
 * page's stylesheet to style. A hidden count (`*`) gets no bar, only the `*` mark.
 */
export function renderBarChartSvg(series: BarChartPoint[], options: BarChartOptions): string {
  assertOptions(series, options);
  const width = options.width ?? 640;
  const height = options.height ?? 320;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const axisTop = axisMaximum(series);
  const titleId = `${options.id}-title`;
  const descriptionId = `${options.id}-desc`;

  const slot = series.length === 0 ? plotWidth : plotWidth / series.length;
  const bars = series.map((point, index) => {
    const x = margin.left + slot * index + (slot * (1 - barShare)) / 2;
    return renderBar(point, x, slot * barShare, plotHeight, axisTop);
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="${titleId} ${descriptionId}" ` +
      `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title id="${titleId}">${escapeXml(options.title)}</title>`,
    `<desc id="${descriptionId}">${escapeXml(describeSeries(series, options))}</desc>`,
    renderAxis(width, plotHeight, axisTop),
    ...bars,
    '</svg>',
  ].join('\n');
}

function renderBar(point: BarChartPoint, x: number, barWidth: number, plotHeight: number, axisTop: number): string {
  const baseline = margin.top + plotHeight;
  const centre = x + barWidth / 2;
  const label = `<text class="chart__label" x="${round(centre)}" y="${round(baseline + 20)}" text-anchor="middle">${escapeXml(point.label)}</text>`;
  if (point.value === '*') {
    const mark = `<text class="chart__value chart__value--hidden" x="${round(centre)}" y="${round(baseline - 6)}" text-anchor="middle">*</text>`;
    return `<g class="chart__group">${mark}${label}</g>`;
  }

  const barHeight = axisTop === 0 ? 0 : (point.value / axisTop) * plotHeight;
  const top = baseline - barHeight;
  const rect = `<rect class="chart__bar" x="${round(x)}" y="${round(top)}" width="${round(barWidth)}" height="${round(barHeight)}"/>`;
  const value = `<text class="chart__value" x="${round(centre)}" y="${round(top - 6)}" text-anchor="middle">${formatValue(point.value)}</text>`;
  return `<g class="chart__group">${rect}${value}${label}</g>`;
}

function renderAxis(width: number, plotHeight: number, axisTop: number): string {
  const baseline = margin.top + plotHeight;
  const lines = [`<line class="chart__axis" x1="${margin.left}" y1="${baseline}" x2="${width - margin.right}" y2="${baseline}"/>`];
  for (const tick of [0, axisTop / 2, axisTop]) {
    const y = axisTop === 0 ? baseline : baseline - (tick / axisTop) * plotHeight;
    lines.push(`<text class="chart__tick" x="${margin.left - 8}" y="${round(y + 4)}" text-anchor="end">${formatValue(tick)}</text>`);
  }
  return lines.join('\n');
}

function describeSeries(series: BarChartPoint[], options: BarChartOptions): string {
  if (series.length === 0) return `${options.description} There is no data to show.`;
  const unit = options.unit === undefined ? '' : ` ${options.unit}`;
  const values = series.map((point) =>
    point.value === '*' ? `${point.label}: hidden to protect privacy` : `${point.label}: ${formatValue(point.value)}${unit}`,
  );
  return `${options.description} ${values.join('; ')}.`;
}

/**
 * Rounds the largest value up to the next multiple of half its power of ten, so 7 stays
 * 7, 130 becomes 150 and 0.57 becomes 0.6. The axis then ends close above the tallest bar.
 */
function axisMaximum(series: BarChartPoint[]): number {
  const largest = Math.max(0, ...series.map((point) => (point.value === '*' ? 0 : point.value)));
  if (largest === 0) return 0;
  const halfStep = 10 ** Math.floor(Math.log10(largest)) / 2;
  return Math.ceil(largest / halfStep) * halfStep;
}

/** Formats a value with at most two decimal places, which also drops floating-point noise such as 0.6000000000000001. */
function formatValue(value: number): string {
  return String(Number(value.toFixed(2)));
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Escapes text for SVG element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function assertOptions(series: BarChartPoint[], options: BarChartOptions): void {
  if (!idPattern.test(options.id)) {
    throw new RangeError(`The chart id "${options.id}" is not a valid id. Start with a letter and use only letters, digits, - and _.`);
  }
  for (const [name, size] of [['width', options.width], ['height', options.height]] as const) {
    if (size !== undefined && (!Number.isFinite(size) || size <= 200)) {
      throw new RangeError(`The chart ${name} is ${size}, but it must be a number above 200 to leave room for the axis and labels.`);
    }
  }
  series.forEach((point, index) => {
    if (point.value !== '*' && (!Number.isFinite(point.value) || point.value < 0)) {
      throw new RangeError(`Bar ${index + 1} ("${point.label}") has the value ${point.value}, but bars take a number of 0 or more, or * for a hidden count.`);
    }
  });
}
