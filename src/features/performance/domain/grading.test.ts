import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatNumber,
  gradeLabels,
  gradeMeasure,
  gradeTagClasses,
  gradingRuleHints,
  gradingRuleLabels,
  MIN_TREND_POINTS,
  SHIFT_RUN_LENGTH,
  type GradingInput,
  type SeriesPoint,
  ungradedReasonLabels,
} from './grading.ts';
import { grades, gradingRules, ungradedReasons, type Grade } from './performance-model.ts';

type Polarity = GradingInput['polarity'];

const monthStart = (i: number) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
const series = (values: readonly number[]): SeriesPoint[] => values.map((value, i) => ({ start: monthStart(i), value }));
const input = (overrides: Partial<GradingInput>): GradingInput => ({
  rule: 'target',
  polarity: 'higher_is_better',
  target: null,
  baseline: null,
  amberMarginPercent: 5,
  series: [],
  ...overrides,
});
const grade = (overrides: Partial<GradingInput>) => gradeMeasure(input(overrides)).grade;

describe('labels', () => {
  it('every grade, reason and rule has a label, a tag class and a hint', () => {
    for (const g of grades) {
      expect(gradeLabels[g]).toMatch(/\w/);
      expect(gradeTagClasses[g]).toMatch(/^govuk-tag--[a-z]+$/);
    }
    for (const reason of ungradedReasons) expect(ungradedReasonLabels[reason]).toMatch(/\w/);
    for (const rule of gradingRules) {
      expect(gradingRuleLabels[rule]).toMatch(/\w/);
      expect(gradingRuleHints[rule]).toMatch(/\.$/);
    }
    expect(gradeTagClasses.ungraded).toBe('govuk-tag--grey');
    expect(new Set(Object.values(gradeTagClasses)).size).toBe(grades.length);
  });
  it('names the colour in the label, so a grade does not rely on colour alone', () => {
    expect(gradeLabels.green).toMatch(/^Green/);
    expect(gradeLabels.amber).toMatch(/^Amber/);
    expect(gradeLabels.red).toMatch(/^Red/);
  });
});

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [73, '73'],
    [2.6666, '2.67'],
    [1234567.5, '1,234,567.5'],
    [-12.5, '-12.5'],
    [0.001, '0.001'],
    [0.012345, '0.0123'],
    [-0.5, '-0.5'],
    [0.999, '0.999'],
    [1.004, '1'],
  ])('%s → %s', (value, text) => expect(formatNumber(value)).toBe(text));
});

describe('ungraded reasons', () => {
  it('the rule none is never graded, even with data and a target', () => {
    expect(gradeMeasure(input({ rule: 'none', target: 75, series: series([80]) }))).toMatchObject({
      grade: 'ungraded',
      reason: 'not_graded',
    });
  });
  it.each(['target', 'baseline', 'trend'] as const)('%s with no values is ungraded for lack of data', (rule) => {
    expect(gradeMeasure(input({ rule, target: 75, baseline: 70, series: [] }))).toMatchObject({ grade: 'ungraded', reason: 'no_data' });
  });
  it('no data is reported before a missing target or baseline', () => {
    expect(gradeMeasure(input({ rule: 'target', series: [] })).reason).toBe('no_data');
    expect(gradeMeasure(input({ rule: 'baseline', series: [] })).reason).toBe('no_data');
  });
  it('target without a target, baseline without a baseline', () => {
    expect(gradeMeasure(input({ rule: 'target', baseline: 70, series: series([80]) })).reason).toBe('no_target');
    expect(gradeMeasure(input({ rule: 'baseline', target: 75, series: series([80]) })).reason).toBe('no_baseline');
  });
  it('trend with fewer than the minimum points', () => {
    const result = gradeMeasure(input({ rule: 'trend', series: series(Array.from({ length: MIN_TREND_POINTS - 1 }, (_, i) => i)) }));
    expect(result).toMatchObject({ grade: 'ungraded', reason: 'too_few_points' });
    expect(result.explanation).toContain(`at least ${MIN_TREND_POINTS} values`);
    expect(result.explanation).toContain(`are ${MIN_TREND_POINTS - 1}`);
    expect(gradeMeasure(input({ rule: 'trend', series: series([4]) })).explanation).toContain('there is 1.');
    expect(grade({ rule: 'trend', series: series(Array.from({ length: MIN_TREND_POINTS }, () => 3)) })).toBe('green');
  });
});

/**
 * Boundaries for the target and baseline rules: target 80, 5% margin (4). Values are given as
 * "higher is better"; the lower-is-better rows are the same distances on the other side.
 */
describe.each(['target', 'baseline'] as const)('against the %s', (rule) => {
  const figure = (value: number) => (rule === 'target' ? { target: value } : { baseline: value });
  const cases: [Polarity, number, Grade][] = [
    ['higher_is_better', 90, 'green'],
    ['higher_is_better', 80, 'green'], // exactly on the figure
    ['higher_is_better', 79.99, 'amber'],
    ['higher_is_better', 76, 'amber'], // exactly at the margin
    ['higher_is_better', 75.99, 'red'],
    ['higher_is_better', 0, 'red'],
    ['lower_is_better', 70, 'green'],
    ['lower_is_better', 80, 'green'],
    ['lower_is_better', 80.01, 'amber'],
    ['lower_is_better', 84, 'amber'],
    ['lower_is_better', 84.01, 'red'],
    ['lower_is_better', 200, 'red'],
  ];
  it.each(cases)('%s, latest %s → %s', (polarity, latest, expected) => {
    expect(grade({ rule, polarity, ...figure(80), series: series([1000, latest]) })).toBe(expected);
  });
  it('only the latest value counts', () => {
    expect(grade({ rule, ...figure(80), series: series([10, 10, 90]) })).toBe('green');
    expect(grade({ rule, ...figure(80), series: series([90, 90, 10]) })).toBe('red');
  });
  it('a margin at the edge of floating point is still within it', () => {
    // 0.3 − 0.27 is 0.030000000000000027 in binary; it is exactly 10% of 0.3.
    expect(grade({ rule, ...figure(0.3), amberMarginPercent: 10, series: series([0.27]) })).toBe('amber');
    expect(grade({ rule, polarity: 'lower_is_better', ...figure(0.3), amberMarginPercent: 10, series: series([0.33]) })).toBe('amber');
  });
  it('a zero margin makes any miss red', () => {
    expect(grade({ rule, ...figure(80), amberMarginPercent: 0, series: series([79.9]) })).toBe('red');
    expect(grade({ rule, ...figure(80), amberMarginPercent: 0, series: series([80]) })).toBe('green');
  });
  it('a figure of zero has no margin', () => {
    expect(grade({ rule, polarity: 'lower_is_better', ...figure(0), series: series([0]) })).toBe('green');
    expect(grade({ rule, polarity: 'lower_is_better', ...figure(0), series: series([1]) })).toBe('red');
  });
  it('a negative figure takes its margin from the size of the figure', () => {
    // A target of −10 (a 10-point fall) with a 10% margin accepts −9 as amber.
    expect(grade({ rule, polarity: 'lower_is_better', ...figure(-10), amberMarginPercent: 10, series: series([-9]) })).toBe('amber');
    expect(grade({ rule, polarity: 'lower_is_better', ...figure(-10), amberMarginPercent: 10, series: series([-8.9]) })).toBe('red');
    expect(grade({ rule, polarity: 'higher_is_better', ...figure(-10), amberMarginPercent: 10, series: series([-11]) })).toBe('amber');
  });
});

describe('explanations give the numbers', () => {
  it('amber within the margin', () => {
    expect(gradeMeasure(input({ target: 75, series: series([73]) })).explanation).toBe(
      '73 against a target of 75: 2 short (2.7% of the target), within the 5% margin.',
    );
  });
  it('red beyond it, lower is better', () => {
    expect(gradeMeasure(input({ polarity: 'lower_is_better', target: 120, series: series([150]) })).explanation).toBe(
      '150 against a target of 120: 30 over (25% of the target), beyond the 5% margin.',
    );
  });
  it('green, on or better than the figure', () => {
    expect(gradeMeasure(input({ rule: 'baseline', baseline: 70, series: series([70]) })).explanation).toBe(
      '70 against a baseline of 70: exactly on the baseline.',
    );
    expect(gradeMeasure(input({ target: 70, series: series([72.5]) })).explanation).toBe('72.5 against a target of 70: 2.5 better.');
  });
});

/**
 * Survey values with a confidence interval are judged by the interval: green when it lies wholly
 * on the good side, amber when it contains the figure, red when it lies wholly on the bad side.
 */
describe('confidence intervals', () => {
  const survey = (value: number, lower: number, upper: number): SeriesPoint[] => [{ start: '2024-04-01', value, lower, upper }];
  const cases: [Polarity, number, number, number, Grade][] = [
    ['higher_is_better', 80, 77, 83, 'green'],
    ['higher_is_better', 78, 75, 81, 'green'], // lower limit exactly on the target
    ['higher_is_better', 76, 73, 79, 'amber'], // point above, interval contains it
    ['higher_is_better', 74, 71, 77, 'amber'], // point below, not significantly
    ['higher_is_better', 72, 69, 75, 'amber'], // upper limit exactly on the target
    ['higher_is_better', 70, 67, 74.9, 'red'],
    ['lower_is_better', 70, 67, 74.9, 'green'],
    ['lower_is_better', 72, 69, 75, 'green'],
    ['lower_is_better', 76, 73, 79, 'amber'],
    ['lower_is_better', 78, 75, 81, 'amber'],
    ['lower_is_better', 80, 75.1, 83, 'red'],
  ];
  it.each(cases)('%s, %s (%s to %s) against 75 → %s', (polarity, value, lower, upper, expected) => {
    expect(grade({ polarity, target: 75, amberMarginPercent: 0, series: survey(value, lower, upper) })).toBe(expected);
    expect(grade({ rule: 'baseline', polarity, baseline: 75, amberMarginPercent: 50, series: survey(value, lower, upper) })).toBe(expected);
  });
  it('explains that the difference is not significant', () => {
    expect(gradeMeasure(input({ target: 75, series: survey(73, 70, 76) })).explanation).toBe(
      '73 (confidence interval 70 to 76) against a target of 75: the interval includes the target, so the difference is not significant.',
    );
  });
  it('accepts limits given the wrong way round', () => {
    expect(grade({ target: 75, series: survey(80, 83, 77) })).toBe('green');
  });
  it('falls back to the point value when the interval is incomplete', () => {
    expect(grade({ target: 75, series: [{ start: '2024-04-01', value: 73, lower: 70, upper: null }] })).toBe('amber');
    expect(grade({ target: 75, series: [{ start: '2024-04-01', value: 80, lower: null, upper: 90 }] })).toBe('green');
  });
});

describe('trend (XmR)', () => {
  const steady = [10, 11, 9, 10, 11, 10]; // centre 10.17, average moving range 1.2 → limits 6.97 to 13.36
  it.each([
    ['higher_is_better', 10.5, 'green'],
    ['higher_is_better', 6.98, 'green'], // just inside the lower limit, 6.9747
    ['higher_is_better', 6.9, 'red'],
    ['higher_is_better', 2, 'red'],
    ['higher_is_better', 20, 'green'], // a real improvement
    ['lower_is_better', 13.3, 'green'],
    ['lower_is_better', 13.4, 'red'],
    ['lower_is_better', 2, 'green'],
  ] as const)('%s, latest %s after a steady series → %s', (polarity, latest, expected) => {
    expect(grade({ rule: 'trend', polarity, series: series([...steady, latest]) })).toBe(expected);
  });
  it('flags a sustained shift of six values on the wrong side of the centre line as amber', () => {
    expect(grade({ rule: 'trend', series: series([12, 9, 9, 9, 9, 9, 9]) })).toBe('amber');
    expect(grade({ rule: 'trend', polarity: 'lower_is_better', series: series([8, 11, 11, 11, 11, 11, 11]) })).toBe('amber');
    // Five in a row is not yet a shift.
    expect(grade({ rule: 'trend', series: series([12, 12, 9, 9, 9, 9, 9]) })).toBe('green');
    // The same run is good news the other way round.
    expect(grade({ rule: 'trend', polarity: 'lower_is_better', series: series([12, 9, 9, 9, 9, 9, 9]) })).toBe('green');
    expect(SHIFT_RUN_LENGTH).toBe(6);
  });
  it('a value beyond the limit is red even during a shift', () => {
    expect(grade({ rule: 'trend', series: series([12, 9, 9, 9, 9, 9, 1]) })).toBe('red');
  });
  it('a steady series that then worsens by any amount is a real change', () => {
    expect(grade({ rule: 'trend', polarity: 'lower_is_better', series: series([5, 5, 5, 5, 5, 5, 6]) })).toBe('red');
  });
  it('explains the limits', () => {
    const result = gradeMeasure(input({ rule: 'trend', series: series([...steady, 2]) }));
    expect(result.explanation).toBe(
      'The latest value, 2, is below 6.97, the edge of normal variation (the normal range is 6.97 to 13.36 around an average of 10.17): a real change for the worse.',
    );
  });
});

describe('trend boundaries and wording', () => {
  // Earlier values 10, 12, 10, 12, 10, 12: centre 11, average moving range 2, limits 11 ± 5.32.
  const zigzag = [10, 12, 10, 12, 10, 12];
  it.each([
    ['higher_is_better', 5.68, 'green'], // exactly on the lower limit is within it
    ['higher_is_better', 5.67, 'red'],
    ['lower_is_better', 16.32, 'green'], // exactly on the upper limit
    ['lower_is_better', 16.33, 'red'],
    ['lower_is_better', 5.67, 'green'],
    ['higher_is_better', 16.33, 'green'],
  ] as const)('%s, latest %s → %s', (polarity, latest, expected) => {
    expect(grade({ rule: 'trend', polarity, series: series([...zigzag, latest]) })).toBe(expected);
  });
  it('a value exactly on the centre line breaks a run', () => {
    // Centre of the earlier values is 10; the sixth-from-last value sits on it.
    expect(grade({ rule: 'trend', series: series([15, 10, 9, 9, 9, 8, 9]) })).toBe('green');
    expect(grade({ rule: 'trend', series: series([16, 9.5, 9, 9, 9, 8, 9]) })).toBe('amber');
  });
  it('uses every earlier value for the limits, not only the recent ones', () => {
    const long = [...Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 100 : 104)), 95];
    // Centre 102, average moving range 4, lower limit 91.36: 95 is normal variation.
    expect(grade({ rule: 'trend', series: series(long) })).toBe('green');
    expect(grade({ rule: 'trend', series: series([...long.slice(0, -1), 91]) })).toBe('red');
  });
  it('explains a shift, an improvement and a steady series', () => {
    expect(gradeMeasure(input({ rule: 'trend', series: series([12, 9, 9, 9, 9, 9, 9]) })).explanation).toBe(
      'The last 6 values are all below the average of 9.5: a sustained shift for the worse, though the latest, 9, is within normal variation (the normal range is 7.9 to 11.1 around an average of 9.5).',
    );
    expect(gradeMeasure(input({ rule: 'trend', series: series([...zigzag, 20]) })).explanation).toBe(
      'The latest value, 20, is above 16.32, the edge of normal variation (the normal range is 5.68 to 16.32 around an average of 11): a real improvement.',
    );
    expect(gradeMeasure(input({ rule: 'trend', series: series([4, 4, 4, 4, 4, 4, 4]) })).explanation).toBe(
      'The latest value, 4, is within normal variation: the earlier values were all 4.',
    );
  });
});

describe('every ungraded reason explains itself', () => {
  it.each([
    [{ rule: 'none', series: series([1]) }, 'Not graded: the owner has chosen to report this measure for context only.'],
    [{ rule: 'target', series: [] }, 'Not graded: no values have been recorded yet.'],
    [{ rule: 'target', series: series([1]) }, 'Not graded: no target has been set for this measure.'],
    [{ rule: 'baseline', series: series([1]) }, 'Not graded: no baseline has been set for this measure.'],
    [{ rule: 'trend', series: series([1, 2]) }, 'Not graded: a trend needs at least 7 values and there are 2.'],
  ] as const)('%o', (overrides, explanation) => {
    expect(gradeMeasure(input(overrides)).explanation).toBe(explanation);
  });
});

describe('values that are not numbers', () => {
  it('are skipped, so the latest real value is graded', () => {
    expect(grade({ target: 75, series: series([80, Number.NaN]) })).toBe('green');
    expect(gradeMeasure(input({ target: 75, series: series([Number.NaN]) })).reason).toBe('no_data');
  });
  it('a target or baseline that is not a number counts as not set', () => {
    expect(gradeMeasure(input({ target: Number.NaN, series: series([1]) })).reason).toBe('no_target');
    expect(gradeMeasure(input({ rule: 'baseline', baseline: Number.POSITIVE_INFINITY, series: series([1]) })).reason).toBe('no_baseline');
  });
  it('a margin that is not a number, or negative, counts as no margin', () => {
    expect(grade({ target: 75, amberMarginPercent: Number.NaN, series: series([74]) })).toBe('red');
    expect(grade({ target: 75, amberMarginPercent: -5, series: series([74]) })).toBe('red');
    expect(gradeMeasure(input({ target: 75, amberMarginPercent: Number.NaN, series: series([74]) })).explanation).toContain(
      'the 0% margin',
    );
  });
});

describe('properties', () => {
  const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
  const polarity = fc.constantFrom<Polarity>('higher_is_better', 'lower_is_better');
  const arbitraryInput = fc.record({
    rule: fc.constantFrom(...gradingRules),
    polarity,
    target: fc.option(finite, { nil: null }),
    baseline: fc.option(finite, { nil: null }),
    amberMarginPercent: fc.double({ min: 0, max: 100, noNaN: true }),
    series: fc.array(
      fc.record({
        start: fc.constant('2024-04-01'),
        value: finite,
        lower: fc.option(finite, { nil: null }),
        upper: fc.option(finite, { nil: null }),
      }),
      { maxLength: 20 },
    ),
  });

  it('a constant series is never red or amber on trend', () => {
    fc.assert(
      fc.property(finite, polarity, fc.integer({ min: MIN_TREND_POINTS, max: 40 }), (value, polarity, length) => {
        expect(grade({ rule: 'trend', polarity, series: series(Array.from({ length }, () => value)) })).toBe('green');
      }),
    );
  });

  it('flipping the polarity and mirroring the values gives the same grade', () => {
    fc.assert(
      fc.property(arbitraryInput, (original) => {
        const mirrored: GradingInput = {
          ...original,
          polarity: original.polarity === 'higher_is_better' ? 'lower_is_better' : 'higher_is_better',
          target: original.target === null ? null : -original.target,
          baseline: original.baseline === null ? null : -original.baseline,
          series: original.series.map((point) => ({
            ...point,
            value: -point.value,
            lower: point.upper === null ? null : -point.upper,
            upper: point.lower === null ? null : -point.lower,
          })),
        };
        const a = gradeMeasure(original);
        const b = gradeMeasure(mirrored);
        expect(b.grade).toBe(a.grade);
        expect(b.reason).toBe(a.reason);
      }),
    );
  });

  it('on the target rule, a better latest value never gets a worse grade', () => {
    const rank: Record<Grade, number> = { red: 0, amber: 1, green: 2, ungraded: -1 };
    fc.assert(
      fc.property(polarity, finite, fc.double({ min: 0, max: 100, noNaN: true }), finite, finite, (polarity, target, margin, a, b) => {
        const [worse, better] = polarity === 'higher_is_better' ? [Math.min(a, b), Math.max(a, b)] : [Math.max(a, b), Math.min(a, b)];
        const gradeOf = (value: number) => grade({ polarity, target, amberMarginPercent: margin, series: series([value]) });
        expect(rank[gradeOf(better)]).toBeGreaterThanOrEqual(rank[gradeOf(worse)]);
      }),
    );
  });

  it('on the target rule, moving a confidence interval the better way never gets a worse grade', () => {
    const rank: Record<Grade, number> = { red: 0, amber: 1, green: 2, ungraded: -1 };
    fc.assert(
      fc.property(
        polarity,
        finite,
        finite,
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (polarity, target, value, halfWidth, move) => {
          const better = polarity === 'higher_is_better' ? move : -move;
          const gradeOf = (centre: number) =>
            grade({
              polarity,
              target,
              series: [{ start: '2024-04-01', value: centre, lower: centre - halfWidth, upper: centre + halfWidth }],
            });
          expect(rank[gradeOf(value + better)]).toBeGreaterThanOrEqual(rank[gradeOf(value)]);
        },
      ),
    );
  });

  it('never shows NaN or Infinity, even when given them', () => {
    const anything = fc.oneof(finite, fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY));
    fc.assert(
      fc.property(
        fc.constantFrom(...gradingRules),
        polarity,
        fc.option(anything, { nil: null }),
        anything,
        fc.array(anything, { maxLength: 12 }),
        (rule, polarity, figure, margin, values) => {
          const result = gradeMeasure(
            input({ rule, polarity, target: figure, baseline: figure, amberMarginPercent: margin, series: series(values) }),
          );
          expect(result.explanation).not.toMatch(/NaN|Infinity|∞/);
        },
      ),
    );
  });

  it('is ungraded exactly when it gives a reason, and always explains itself in one sentence', () => {
    fc.assert(
      fc.property(arbitraryInput, (original) => {
        const result = gradeMeasure(original);
        expect(result.grade === 'ungraded').toBe(result.reason !== null);
        expect(result.explanation).toMatch(/^[A-Z0-9-].*\.$/);
        expect(result.explanation).not.toMatch(/NaN|Infinity|undefined/);
      }),
    );
  });
});
