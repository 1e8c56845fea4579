import { formatNumber } from './grading.ts';

/**
 * The text alternative for a chart: what a sighted reader takes from it at a glance (where the
 * series ended, where it started, the target). WCAG 1.1.1 wants the chart's purpose in words;
 * the data table beside the chart carries every figure.
 */

/** Units written before the number. */
const prefixUnits = new Set(['£', '$', '€']);

/** "73%", "£1,200", "120 seconds", "4.5"; units that are symbols glue on, words take a space. */
export function formatValue(value: number, unit: string): string {
  const number = formatNumber(value);
  const trimmed = unit.trim();
  if (trimmed === '') return number;
  if (prefixUnits.has(trimmed)) return number.startsWith('-') ? `-${trimmed}${number.slice(1)}` : `${trimmed}${number}`;
  if (trimmed === '%' || trimmed === '‰') return `${number}${trimmed}`;
  return `${number} ${trimmed}`;
}

export type SummaryInput = {
  name: string;
  unit: string;
  points: readonly { label: string; value: number }[];
  target?: number | null;
  baseline?: number | null;
  polarity?: 'higher_is_better' | 'lower_is_better';
};

export function summariseSeries(input: SummaryInput): string {
  const name = input.name.trim() || 'The measure';
  const value = (n: number) => formatValue(n, input.unit);
  const points = input.points.filter((point) => Number.isFinite(point.value));
  const figures = [
    input.target !== null && input.target !== undefined && Number.isFinite(input.target) ? `the target is ${value(input.target)}` : null,
    input.baseline !== null && input.baseline !== undefined && Number.isFinite(input.baseline)
      ? `the baseline is ${value(input.baseline)}`
      : null,
  ].filter((text): text is string => text !== null);
  const tail = figures.length === 0 ? '.' : `; ${figures.join(' and ')}.`;

  const latest = points.at(-1);
  if (!latest) return `${name}: no values have been recorded yet${tail}`;
  const now = `${name} was ${value(latest.value)} in ${latest.label}`;
  if (points.length === 1) return `${now}${tail}`;

  const first = points[0]!;
  const change = latest.value - first.value;
  const direction = change > 0 ? 'up from' : change < 0 ? 'down from' : 'the same as';
  const judgement =
    change === 0 || !input.polarity
      ? ''
      : change > 0 === (input.polarity === 'higher_is_better')
        ? ', an improvement'
        : ', a deterioration';
  const range = points.length > 2 ? rangeText(points, value) : '';
  return `${now}, ${direction} ${value(first.value)} in ${first.label}${judgement}${range}${tail}`;
}

/** Over three or more points the lowest and highest help; named by period, first occurrence. */
function rangeText(points: readonly { label: string; value: number }[], value: (n: number) => string): string {
  let low = points[0]!;
  let high = points[0]!;
  for (const point of points) {
    if (point.value < low.value) low = point;
    if (point.value > high.value) high = point;
  }
  if (low.value === high.value) return '';
  return ` (lowest ${value(low.value)} in ${low.label}, highest ${value(high.value)} in ${high.label})`;
}
