import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodKinds, type PeriodKind } from './performance-model.ts';
import {
  comparePeriods,
  monthsOf,
  parsePeriodKey,
  periodContaining,
  periodEnd,
  periodKey,
  periodKindFor,
  periodLabel,
  periodShortLabel,
  quarterNumber,
  shiftPeriod,
  type Period,
} from './periods.ts';

const month = (start: string): Period => ({ kind: 'month', start });
const quarter = (start: string): Period => ({ kind: 'quarter', start });
const year = (start: string): Period => ({ kind: 'financial_year', start });

/** Any day from 1900 to 2999, as an ISO date. */
const arbitraryDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const arbitraryKind = fc.constantFrom<PeriodKind>(...periodKinds);
const arbitraryPeriod = fc.tuple(arbitraryKind, arbitraryDate).map(([kind, date]) => periodContaining(kind, date));

describe('periodContaining', () => {
  it.each([
    ['month', '2019-01-31', '2019-01-01'],
    ['month', '2024-02-29', '2024-02-01'],
    ['quarter', '2024-04-01', '2024-04-01'],
    ['quarter', '2024-06-30', '2024-04-01'],
    ['quarter', '2024-07-01', '2024-07-01'],
    ['quarter', '2024-09-30', '2024-07-01'],
    ['quarter', '2024-10-01', '2024-10-01'],
    ['quarter', '2024-12-31', '2024-10-01'],
    ['quarter', '2025-01-01', '2025-01-01'],
    ['quarter', '2025-03-31', '2025-01-01'],
    ['financial_year', '2024-04-01', '2024-04-01'],
    ['financial_year', '2025-03-31', '2024-04-01'],
    ['financial_year', '2025-01-15', '2024-04-01'],
    ['financial_year', '2024-03-31', '2023-04-01'],
  ] as const)('%s containing %s starts %s', (kind, date, start) => {
    expect(periodContaining(kind, date)).toEqual({ kind, start });
  });

  it('contains the date: the start is on or before it and the end on or after it', () => {
    fc.assert(
      fc.property(arbitraryKind, arbitraryDate, (kind, date) => {
        const period = periodContaining(kind, date);
        expect(period.start <= date).toBe(true);
        expect(periodEnd(period) >= date).toBe(true);
      }),
    );
  });
});

describe('shiftPeriod', () => {
  it.each([
    [month('2019-01-01'), 1, '2019-02-01'],
    [month('2019-01-01'), -1, '2018-12-01'],
    [month('2019-01-01'), -13, '2017-12-01'],
    [month('2019-12-01'), 1, '2020-01-01'],
    [quarter('2024-04-01'), 1, '2024-07-01'],
    [quarter('2024-10-01'), 1, '2025-01-01'],
    [quarter('2025-01-01'), 1, '2025-04-01'],
    [quarter('2024-04-01'), -1, '2024-01-01'],
    [quarter('2024-04-01'), -5, '2023-01-01'],
    [year('2024-04-01'), -5, '2019-04-01'],
    [year('2024-04-01'), 0, '2024-04-01'],
  ])('%o shifted by %s starts %s', (period, steps, start) => {
    expect(shiftPeriod(period, steps)).toEqual({ kind: period.kind, start });
  });

  it('shifting forward then back returns the same period, and shifts add up', () => {
    fc.assert(
      fc.property(arbitraryPeriod, fc.integer({ min: -200, max: 200 }), fc.integer({ min: -200, max: 200 }), (period, a, b) => {
        expect(shiftPeriod(shiftPeriod(period, a), -a)).toEqual(period);
        expect(shiftPeriod(shiftPeriod(period, a), b)).toEqual(shiftPeriod(period, a + b));
      }),
    );
  });

  it('the next period starts the day after this one ends', () => {
    fc.assert(
      fc.property(arbitraryPeriod, (period) => {
        const dayAfter = new Date(`${periodEnd(period)}T00:00:00Z`);
        dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
        expect(shiftPeriod(period, 1).start).toBe(dayAfter.toISOString().slice(0, 10));
      }),
    );
  });
});

describe('periodEnd', () => {
  it.each([
    [month('2024-02-01'), '2024-02-29'], // leap year
    [month('2023-02-01'), '2023-02-28'],
    [month('2000-02-01'), '2000-02-29'], // divisible by 400
    [month('2100-02-01'), '2100-02-28'], // divisible by 100, not 400
    [month('2019-12-01'), '2019-12-31'],
    [month('2019-04-01'), '2019-04-30'],
    [quarter('2023-01-01'), '2023-03-31'],
    [quarter('2024-01-01'), '2024-03-31'],
    [quarter('2024-04-01'), '2024-06-30'],
    [quarter('2024-07-01'), '2024-09-30'],
    [quarter('2024-10-01'), '2024-12-31'],
    [year('2023-04-01'), '2024-03-31'],
    [year('2019-04-01'), '2020-03-31'],
  ])('%o ends %s', (period, end) => {
    expect(periodEnd(period)).toBe(end);
  });
});

describe('monthsOf', () => {
  it('lists the months inside the period in order', () => {
    expect(monthsOf(month('2019-01-01'))).toEqual(['2019-01-01']);
    expect(monthsOf(quarter('2025-01-01'))).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
    expect(monthsOf(year('2024-04-01'))).toEqual([
      '2024-04-01',
      '2024-05-01',
      '2024-06-01',
      '2024-07-01',
      '2024-08-01',
      '2024-09-01',
      '2024-10-01',
      '2024-11-01',
      '2024-12-01',
      '2025-01-01',
      '2025-02-01',
      '2025-03-01',
    ]);
  });
  it('every month listed is contained in the period', () => {
    fc.assert(
      fc.property(arbitraryPeriod, (period) => {
        for (const start of monthsOf(period)) expect(periodContaining(period.kind, start)).toEqual(period);
      }),
    );
  });
});

describe('quarterNumber', () => {
  it.each([
    ['2024-04-01', 1],
    ['2024-05-01', 1],
    ['2024-06-01', 1],
    ['2024-07-01', 2],
    ['2024-09-01', 2],
    ['2024-10-01', 3],
    ['2024-12-01', 3],
    ['2025-01-01', 4],
    ['2025-03-01', 4],
  ])('%s is in quarter %s', (start, number) => {
    expect(quarterNumber(start)).toBe(number);
  });
});

describe('period keys', () => {
  it.each([
    [month('2019-01-01'), '2019-01'],
    [month('2011-12-01'), '2011-12'],
    [quarter('2024-04-01'), 'fy2024-25-q1'],
    [quarter('2025-01-01'), 'fy2024-25-q4'],
    [year('2011-04-01'), 'fy2011-12'],
    [year('1999-04-01'), 'fy1999-00'],
    [year('2099-04-01'), 'fy2099-00'],
  ])('%o has the key %s', (period, key) => {
    expect(periodKey(period)).toBe(key);
    expect(parsePeriodKey(key)).toEqual(period);
  });

  it('round-trips every period of every kind', () => {
    fc.assert(
      fc.property(arbitraryPeriod, (period) => {
        expect(parsePeriodKey(periodKey(period))).toEqual(period);
      }),
    );
  });

  it('keys sort the way periods do within a kind', () => {
    fc.assert(
      fc.property(arbitraryKind, arbitraryDate, arbitraryDate, (kind, a, b) => {
        const [p, q] = [periodContaining(kind, a), periodContaining(kind, b)];
        expect(Math.sign(periodKey(p).localeCompare(periodKey(q)))).toBe(comparePeriods(p, q));
      }),
    );
  });

  it.each([
    '',
    '2019-1',
    '2019-00',
    '2019-13',
    '19-01',
    '2019-01-01',
    'fy2024-26',
    'fy2024-25-q0',
    'fy2024-25-q5',
    'FY2024-25',
    'fy2024-2025',
    ' 2019-01',
    '2019-01 ',
    'fy2024-25-Q1',
  ])('rejects %j', (key) => {
    expect(parsePeriodKey(key)).toBeNull();
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string(), (key) => {
        const period = parsePeriodKey(key);
        if (period) expect(periodKey(period)).toBe(key);
      }),
    );
  });
});

describe('labels', () => {
  it.each([
    [month('2019-01-01'), 'January 2019', 'Jan 2019'],
    [month('2024-09-01'), 'September 2024', 'Sep 2024'],
    [quarter('2024-04-01'), 'Quarter 1 2024/25 (April to June 2024)', 'Q1 2024/25'],
    [quarter('2024-10-01'), 'Quarter 3 2024/25 (October to December 2024)', 'Q3 2024/25'],
    [quarter('2025-01-01'), 'Quarter 4 2024/25 (January to March 2025)', 'Q4 2024/25'],
    [year('2024-04-01'), '2024/25', '2024/25'],
    [year('1999-04-01'), '1999/00', '1999/00'],
  ])('%o reads "%s", short "%s"', (period, long, short) => {
    expect(periodLabel(period)).toBe(long);
    expect(periodShortLabel(period)).toBe(short);
  });
});

describe('comparePeriods', () => {
  it('orders by start', () => {
    expect(comparePeriods(month('2019-01-01'), month('2019-02-01'))).toBe(-1);
    expect(comparePeriods(month('2019-02-01'), month('2019-01-01'))).toBe(1);
    expect(comparePeriods(month('2019-01-01'), month('2019-01-01'))).toBe(0);
    const sorted = [quarter('2025-01-01'), quarter('2024-04-01'), quarter('2024-10-01')].sort(comparePeriods);
    expect(sorted.map(periodKey)).toEqual(['fy2024-25-q1', 'fy2024-25-q3', 'fy2024-25-q4']);
  });
});

describe('periodKindFor', () => {
  it('follows the reporting frequency', () => {
    expect(periodKindFor('monthly')).toBe('month');
    expect(periodKindFor('quarterly')).toBe('quarter');
    expect(periodKindFor('annually')).toBe('financial_year');
  });
});
