import { describe, expect, it } from 'vitest';
import { formatValue, summariseSeries } from './chart-summary.ts';

const name = 'Victims satisfied with the service';

describe('summariseSeries', () => {
  it('many points: latest, first, range and target', () => {
    expect(
      summariseSeries({
        name,
        unit: '%',
        points: [
          { label: 'Q1 2024/25', value: 70 },
          { label: 'Q2 2024/25', value: 68.5 },
          { label: 'Q3 2024/25', value: 73 },
        ],
        target: 75,
      }),
    ).toBe(
      'Victims satisfied with the service was 73% in Q3 2024/25, up from 70% in Q1 2024/25 (lowest 68.5% in Q2 2024/25, highest 73% in Q3 2024/25); the target is 75%.',
    );
  });
  it('two points, going down, judged by polarity', () => {
    const points = [
      { label: 'Jan 2019', value: 120 },
      { label: 'Feb 2019', value: 95 },
    ];
    expect(summariseSeries({ name: 'Average answer time', unit: 'seconds', points, polarity: 'lower_is_better' })).toBe(
      'Average answer time was 95 seconds in Feb 2019, down from 120 seconds in Jan 2019, an improvement.',
    );
    expect(summariseSeries({ name: 'Average answer time', unit: 'seconds', points, polarity: 'higher_is_better' })).toBe(
      'Average answer time was 95 seconds in Feb 2019, down from 120 seconds in Jan 2019, a deterioration.',
    );
  });
  it('no change', () => {
    expect(
      summariseSeries({
        name: 'Officers',
        unit: '',
        points: [
          { label: '2023/24', value: 3100 },
          { label: '2024/25', value: 3100 },
        ],
        polarity: 'higher_is_better',
        baseline: 3000,
      }),
    ).toBe('Officers was 3,100 in 2024/25, the same as 3,100 in 2023/24; the baseline is 3,000.');
  });
  it('one point', () => {
    expect(summariseSeries({ name, unit: '%', points: [{ label: 'Q1 2024/25', value: 70 }], target: 75, baseline: 65 })).toBe(
      'Victims satisfied with the service was 70% in Q1 2024/25; the target is 75% and the baseline is 65%.',
    );
  });
  it('no points', () => {
    expect(summariseSeries({ name, unit: '%', points: [] })).toBe('Victims satisfied with the service: no values have been recorded yet.');
    expect(summariseSeries({ name, unit: '%', points: [], target: 75 })).toBe(
      'Victims satisfied with the service: no values have been recorded yet; the target is 75%.',
    );
  });
  it('ignores values that are not numbers and a null target', () => {
    expect(
      summariseSeries({
        name: 'ASB incidents',
        unit: '',
        points: [
          { label: 'Jan 2019', value: Number.NaN },
          { label: 'Feb 2019', value: 10 },
        ],
        target: null,
        baseline: undefined,
      }),
    ).toBe('ASB incidents was 10 in Feb 2019.');
  });
});

describe('formatValue', () => {
  it.each([
    [73, '%', '73%'],
    [120, 'seconds', '120 seconds'],
    [120, ' seconds ', '120 seconds'],
    [1234.567, '', '1,234.57'],
    [1200, '£', '£1,200'],
    [-5, '£', '-£5'],
    [60.3, 'per 1,000 people', '60.3 per 1,000 people'],
    [0, '%', '0%'],
  ])('%s %s → %s', (value, unit, text) => expect(formatValue(value, unit)).toBe(text));
});
