import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crimeTypesText, derivedValues, monthlyStatistic, percentChange, windowSum } from './derived-values.ts';
import { shiftPeriod } from './periods.ts';

const month = (start: string, steps: number) => shiftPeriod({ kind: 'month', start }, steps).start;
const monthsFrom = (start: string, count: number) => Array.from({ length: count }, (_, i) => month(start, i));

describe('derived measure values', () => {
  it('gives a monthly count for every loaded month, zero where a loaded month has none of the chosen crimes', () => {
    const loaded = ['2018-10-01', '2018-11-01', '2018-12-01'];
    const counts = new Map([
      ['2018-10-01', 12],
      ['2018-12-01', 7],
    ]);
    expect(derivedValues('monthly_count', 'month', loaded, counts)).toEqual([
      { periodStart: '2018-10-01', value: 12 },
      { periodStart: '2018-11-01', value: 0 },
      { periodStart: '2018-12-01', value: 7 },
    ]);
  });

  it('leaves a gap for a month that is not loaded, even if a stray count exists for it', () => {
    const counts = new Map([
      ['2019-01-01', 5],
      ['2019-02-01', 6],
      ['2019-03-01', 9],
    ]);
    const values = derivedValues('monthly_count', 'month', ['2019-01-01', '2019-03-01'], counts);
    expect(values.map((v) => v.periodStart)).toEqual(['2019-01-01', '2019-03-01']);
  });

  it('gives a rolling 12-month sum only where all 12 months to it are loaded', () => {
    const loaded = monthsFrom('2018-01-01', 14);
    const counts = new Map(loaded.map((m, i) => [m, i + 1]));
    const values = derivedValues('rolling_12_months', 'month', loaded, counts);
    // The first 11 months have too short a history; December 2018 is the first with 12 months.
    expect(values.map((v) => v.periodStart)).toEqual(['2018-12-01', '2019-01-01', '2019-02-01']);
    expect(values[0]!.value).toBe(78); // 1 + 2 + … + 12
    expect(values[1]!.value).toBe(78 - 1 + 13);

    // Take one month out of the middle: every window containing it has no value.
    const holed = loaded.filter((m) => m !== '2018-06-01');
    expect(derivedValues('rolling_12_months', 'month', holed, counts)).toEqual([]);
  });

  it('compares the last 12 months with the 12 before as a percentage, needing all 24', () => {
    const loaded = monthsFrom('2017-01-01', 24);
    const counts = new Map(loaded.map((m, i) => [m, i < 12 ? 10 : 12]));
    expect(derivedValues('rolling_12_change_percent', 'month', loaded, counts)).toEqual([{ periodStart: '2018-12-01', value: 20 }]);
    expect(derivedValues('rolling_12_change_percent', 'month', loaded.slice(1), counts)).toEqual([]);
  });

  it('gives no change when the earlier 12 months had no crime of the type', () => {
    const loaded = monthsFrom('2017-01-01', 24);
    const counts = new Map(loaded.slice(12).map((m) => [m, 3]));
    expect(derivedValues('rolling_12_change_percent', 'month', loaded, counts)).toEqual([]);
    expect(percentChange(0, 5)).toBeNull();
    expect(percentChange(3, 2)).toBe(-33.3);
  });

  it('adds up a quarter only when its three months are loaded, and takes the rolling figure at its last month', () => {
    const loaded = monthsFrom('2018-01-01', 15); // January 2018 to March 2019
    const counts = new Map(loaded.map((m) => [m, 2]));
    const quarters = derivedValues('monthly_count', 'quarter', loaded.slice(1), counts);
    // Q4 2017/18 (Jan–Mar 2018) lacks January; the rest are whole.
    expect(quarters[0]).toEqual({ periodStart: '2018-04-01', value: 6 });
    expect(quarters.map((q) => q.periodStart)).toEqual(['2018-04-01', '2018-07-01', '2018-10-01', '2019-01-01']);
    const rolling = derivedValues('rolling_12_months', 'quarter', loaded, counts);
    expect(rolling).toEqual([
      { periodStart: '2018-10-01', value: 24 },
      { periodStart: '2019-01-01', value: 24 },
    ]);
    const years = derivedValues('monthly_count', 'financial_year', monthsFrom('2018-04-01', 12), counts);
    expect(years).toEqual([{ periodStart: '2018-04-01', value: 24 }]);
  });

  it('names the crime types in the source note', () => {
    expect(crimeTypesText([])).toBe('all crime types');
    expect(crimeTypesText(['Robbery', 'Drugs'])).toBe('Robbery, Drugs');
  });

  const series = fc
    .record({
      start: fc.integer({ min: 2010 * 12, max: 2030 * 12 }),
      counts: fc.array(fc.option(fc.nat({ max: 5000 }), { nil: undefined, freq: 6 }), { minLength: 1, maxLength: 40 }),
    })
    .map(({ start, counts }) => {
      const first = `${Math.floor(start / 12)}-${String((start % 12) + 1).padStart(2, '0')}-01`;
      const months = counts.map((_, i) => month(first, i));
      // undefined: the month is not loaded (a gap).
      return {
        months,
        loaded: months.filter((_, i) => counts[i] !== undefined),
        counts: new Map(months.map((m, i) => [m, counts[i] ?? 0])),
      };
    });

  it('rolling sums equal the naive sum of the 12 months, and exist exactly where all 12 are loaded', () => {
    fc.assert(
      fc.property(series, ({ months, loaded, counts }) => {
        const loadedSet = new Set(loaded);
        const values = new Map(derivedValues('rolling_12_months', 'month', loaded, counts).map((v) => [v.periodStart, v.value]));
        for (const m of months) {
          const window = Array.from({ length: 12 }, (_, i) => month(m, -i));
          const complete = window.every((w) => loadedSet.has(w));
          expect(values.has(m)).toBe(complete);
          if (complete) expect(values.get(m)).toBe(window.reduce((sum, w) => sum + counts.get(w)!, 0));
        }
      }),
    );
  });

  it('the change is the naive percentage of two naive 12-month sums', () => {
    fc.assert(
      fc.property(series, ({ months, loaded, counts }) => {
        const loadedSet = new Set(loaded);
        for (const m of months) {
          const sum = (end: string) => windowSum(end, 12, loadedSet, counts);
          const latest = sum(m);
          const before = sum(month(m, -12));
          const expected = latest === null || before === null || before === 0 ? null : Math.round(((latest - before) / before) * 1000) / 10;
          expect(monthlyStatistic('rolling_12_change_percent', m, loadedSet, counts)).toBe(expected);
        }
      }),
    );
  });

  it('monthly counts never invent a month and never lose a loaded one', () => {
    fc.assert(
      fc.property(series, ({ loaded, counts }) => {
        const values = derivedValues('monthly_count', 'month', loaded, counts);
        expect(values.map((v) => v.periodStart)).toEqual([...loaded].sort());
        for (const v of values) expect(v.value).toBe(counts.get(v.periodStart));
      }),
    );
  });
});
