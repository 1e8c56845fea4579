import type { Polarity } from '../../plans/domain/plan-tree.ts';
import type { Grade, GradingRule, UngradedReason } from './performance-model.ts';

/**
 * RAG grading of a measure, as panels hear it (domain.md §2.4, Devon and Cornwall): green
 * "content", amber "requires additional scrutiny", red, or ungraded with its reason. Pure: the
 * caller passes the series, the plan's figures and the owner's chosen rule.
 */

/** One period's value, oldest first. `lower`/`upper` are a survey's confidence interval. */
export type SeriesPoint = { start: string; value: number; lower?: number | null; upper?: number | null };
export type GradingInput = {
  rule: GradingRule;
  polarity: Polarity;
  target: number | null;
  baseline: number | null;
  amberMarginPercent: number;
  /** Oldest first, one point per period. */
  series: readonly SeriesPoint[];
};
export type GradeResult = {
  grade: Grade;
  reason: UngradedReason | null;
  /** One plain-English sentence for the page and the report. Numbers carry no unit; callers know it. */
  explanation: string;
};

/** The colour is named in the text too, so the grade reads the same in print and without colour (WCAG 1.4.1). */
export const gradeLabels: Record<Grade, string> = {
  green: 'Green: content',
  amber: 'Amber: requires additional scrutiny',
  red: 'Red: off track',
  ungraded: 'Ungraded',
};

export const gradeTagClasses: Record<Grade, string> = {
  green: 'govuk-tag--green',
  amber: 'govuk-tag--orange',
  red: 'govuk-tag--red',
  ungraded: 'govuk-tag--grey',
};

export const ungradedReasonLabels: Record<UngradedReason, string> = {
  no_data: 'No data yet',
  too_few_points: 'Too few points to judge a trend',
  no_target: 'No target set',
  no_baseline: 'No baseline set',
  not_graded: 'Not graded by choice',
};

export const gradingRuleLabels: Record<GradingRule, string> = {
  target: 'Against the target',
  baseline: 'Against the baseline',
  trend: 'Trend (statistical process control)',
  none: 'Not graded',
};

export const gradingRuleHints: Record<GradingRule, string> = {
  target: 'Green when the latest value meets the target, amber when it misses by no more than the margin, red otherwise.',
  baseline:
    'Green when the latest value is at least as good as the baseline, amber when it is worse by no more than the margin, red otherwise.',
  trend:
    'Red when the latest value is outside the normal range of variation in the wrong direction, amber when the last 6 values are all worse than the average, green otherwise.',
  none: 'Shown for context; the panel sees the values but no grade.',
};

/**
 * Trend grading needs six earlier values to set the centre line and limits, then the latest to
 * judge: Wheeler (Understanding Variation) finds XmR limits useful from about six values, and a
 * run of six below the centre line can only be seen once at least one earlier value sits above it.
 * For a quarterly measure that is under two years of data; fewer and the "normal variation" is
 * a guess, so the measure stays ungraded with that reason rather than being graded on noise.
 */
export const MIN_TREND_POINTS = 7;

/** Points in a row on the wrong side of the centre line that count as a shift (NHS "Making Data Count" uses 6+ for a shift). */
export const SHIFT_RUN_LENGTH = 6;

/** Wheeler's scaling constant for XmR limits: 3 / d2, with d2 = 1.128 for moving ranges of two. */
const XMR_SCALING = 2.66;

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const smallNumberFormat = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });
const percentFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/**
 * A number as a sentence shows it: grouped thousands, at most two decimals, no trailing zeros;
 * below 1, three significant figures, so a rate of 0.0012 does not read as 0.
 */
export function formatNumber(value: number): string {
  const text = (Math.abs(value) < 1 ? smallNumberFormat : numberFormat).format(value);
  return text === '-0' ? '0' : text;
}

/** Floating-point slack, so 0.3 − 0.27 still counts as exactly a 10% margin of 0.3. */
const slack = (...values: number[]) => 1e-9 * Math.max(1, ...values.map(Math.abs));

const ungraded = (reason: UngradedReason, explanation: string): GradeResult => ({ grade: 'ungraded', reason, explanation });
const graded = (grade: Exclude<Grade, 'ungraded'>, explanation: string): GradeResult => ({ grade, reason: null, explanation });

export function gradeMeasure(input: GradingInput): GradeResult {
  if (input.rule === 'none') return ungraded('not_graded', 'Not graded: the owner has chosen to report this measure for context only.');
  // A value that is not a number (a bad import, a division by zero upstream) is no value at all.
  const series = input.series.filter((point) => Number.isFinite(point.value));
  const latest = series.at(-1);
  if (!latest) return ungraded('no_data', 'Not graded: no values have been recorded yet.');
  const margin = Number.isFinite(input.amberMarginPercent) ? Math.max(0, input.amberMarginPercent) : 0;
  if (input.rule === 'target') {
    if (!isFiniteNumber(input.target)) return ungraded('no_target', 'Not graded: no target has been set for this measure.');
    return gradeAgainst('target', input.target, latest, input.polarity, margin);
  }
  if (input.rule === 'baseline') {
    if (!isFiniteNumber(input.baseline)) return ungraded('no_baseline', 'Not graded: no baseline has been set for this measure.');
    return gradeAgainst('baseline', input.baseline, latest, input.polarity, margin);
  }
  return gradeTrend(series, input.polarity);
}

const isFiniteNumber = (value: number | null): value is number => value !== null && Number.isFinite(value);

/**
 * Target and baseline rules. Meeting the figure exactly is on track. A miss within the margin
 * (a percentage of the figure itself) is amber; a bigger miss is red. With a target of 0 the
 * margin is 0, so any miss is red.
 *
 * A survey value with a confidence interval is judged with the interval, because a sample
 * estimate a point or two short may not differ from the target at all: the whole interval on the
 * good side (touching the figure counts) is green; an interval that contains the figure is amber
 * ("not significantly different"); the whole interval on the bad side is red. The margin is not
 * used then: the interval already says how sure we are.
 */
function gradeAgainst(
  figureName: 'target' | 'baseline',
  figure: number,
  latest: SeriesPoint,
  polarity: Polarity,
  amberMarginPercent: number,
): GradeResult {
  const higher = polarity === 'higher_is_better';
  const value = latest.value;
  const against = `${formatNumber(value)} against a ${figureName} of ${formatNumber(figure)}`;
  const interval = intervalOf(latest);
  if (interval) {
    const [lower, upper] = interval;
    const range = `${formatNumber(value)} (confidence interval ${formatNumber(lower)} to ${formatNumber(upper)}) against a ${figureName} of ${formatNumber(figure)}`;
    const good = higher ? lower >= figure : upper <= figure;
    const bad = higher ? upper < figure : lower > figure;
    if (good) return graded('green', `${range}: the whole interval meets the ${figureName}.`);
    if (bad) return graded('red', `${range}: the whole interval misses the ${figureName}, so the shortfall is significant.`);
    return graded('amber', `${range}: the interval includes the ${figureName}, so the difference is not significant.`);
  }
  const shortfall = higher ? figure - value : value - figure;
  if (shortfall <= 0) {
    return graded(
      'green',
      shortfall === 0 ? `${against}: exactly on the ${figureName}.` : `${against}: ${formatNumber(-shortfall)} better.`,
    );
  }
  const margin = (Math.abs(figure) * amberMarginPercent) / 100;
  const shareOfFigure = (shortfall / Math.abs(figure)) * 100;
  const share = Number.isFinite(shareOfFigure) ? ` (${percentFormat.format(shareOfFigure)}% of the ${figureName})` : '';
  const missBy = `${formatNumber(shortfall)} ${higher ? 'short' : 'over'}${share}`;
  const marginText = `the ${percentFormat.format(amberMarginPercent)}% margin`;
  if (shortfall <= margin + slack(figure, value)) return graded('amber', `${against}: ${missBy}, within ${marginText}.`);
  return graded('red', `${against}: ${missBy}, beyond ${marginText}.`);
}

function intervalOf(point: SeriesPoint): [number, number] | null {
  const { lower, upper } = point;
  if (lower === null || lower === undefined || upper === null || upper === undefined) return null;
  if (!Number.isFinite(lower) || !Number.isFinite(upper)) return null;
  return [Math.min(lower, upper), Math.max(lower, upper)];
}

/**
 * Trend rule: an XmR (individuals and moving range) chart, the statistical process control chart
 * NHS "Making Data Count" recommends for board reports. The centre line is the mean of the values
 * before the latest, the natural process limits are the centre ± 2.66 × their average moving
 * range. The latest value beyond the unfavourable limit is a change bigger than normal variation
 * (red); the last 6 or more values all on the unfavourable side of the centre line is a sustained
 * shift (amber); anything else is normal variation or improvement (green). A value exactly on the
 * centre line is on neither side, so a constant series is always green.
 */
function gradeTrend(series: readonly SeriesPoint[], polarity: Polarity): GradeResult {
  if (series.length < MIN_TREND_POINTS) {
    return ungraded(
      'too_few_points',
      `Not graded: a trend needs at least ${MIN_TREND_POINTS} values and there ${series.length === 1 ? 'is 1' : `are ${series.length}`}.`,
    );
  }
  const values = series.map((point) => point.value);
  const latest = values.at(-1)!;
  const earlier = values.slice(0, -1);
  const centre = earlier.reduce((sum, value) => sum + value, 0) / earlier.length;
  let movingRangeSum = 0;
  for (let i = 1; i < earlier.length; i++) movingRangeSum += Math.abs(earlier[i]! - earlier[i - 1]!);
  const averageMovingRange = movingRangeSum / (earlier.length - 1);
  const lowerLimit = centre - XMR_SCALING * averageMovingRange;
  const upperLimit = centre + XMR_SCALING * averageMovingRange;
  const tolerance = slack(...values);
  const higher = polarity === 'higher_is_better';
  // Signed so that positive always means "worse than the centre line".
  const worseBy = (value: number) => (higher ? centre - value : value - centre);
  const normalRange =
    averageMovingRange === 0
      ? `the earlier values were all ${formatNumber(centre)}`
      : `the normal range is ${formatNumber(lowerLimit)} to ${formatNumber(upperLimit)} around an average of ${formatNumber(centre)}`;
  const unfavourableLimit = higher ? lowerLimit : upperLimit;
  const beyondUnfavourable = higher ? latest < lowerLimit - tolerance : latest > upperLimit + tolerance;
  if (beyondUnfavourable) {
    return graded(
      'red',
      `The latest value, ${formatNumber(latest)}, is ${higher ? 'below' : 'above'} ${formatNumber(unfavourableLimit)}, the edge of normal variation (${normalRange}): a real change for the worse.`,
    );
  }
  let run = 0;
  for (let i = values.length - 1; i >= 0 && worseBy(values[i]!) > tolerance; i--) run++;
  if (run >= SHIFT_RUN_LENGTH) {
    return graded(
      'amber',
      `The last ${run} values are all ${higher ? 'below' : 'above'} the average of ${formatNumber(centre)}: a sustained shift for the worse, though the latest, ${formatNumber(latest)}, is within normal variation (${normalRange}).`,
    );
  }
  const beyondFavourable = higher ? latest > upperLimit + tolerance : latest < lowerLimit - tolerance;
  if (beyondFavourable) {
    return graded(
      'green',
      `The latest value, ${formatNumber(latest)}, is ${higher ? 'above' : 'below'} ${formatNumber(higher ? upperLimit : lowerLimit)}, the edge of normal variation (${normalRange}): a real improvement.`,
    );
  }
  return graded('green', `The latest value, ${formatNumber(latest)}, is within normal variation: ${normalRange}.`);
}
