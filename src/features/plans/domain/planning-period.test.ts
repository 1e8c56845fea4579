import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPlanningPeriod, endOfFinancialYear, financialYearOf } from './planning-period.ts';

describe('the default planning period', () => {
  it('runs to 31 March of the financial year of the next ordinary election', () => {
    // Avon & Somerset: issued 1 Oct 2016, election then due May 2020 → 31 Mar 2021 (domain.md §1.3).
    expect(defaultPlanningPeriod('2016-10-01', '2020-05-11')).toEqual({ startsOn: '2016-10-01', endsOn: '2021-03-31' });
    expect(defaultPlanningPeriod('2024-07-01', '2028-05-12')).toEqual({ startsOn: '2024-07-01', endsOn: '2029-03-31' });
  });

  it('places 31 March and 1 April in different financial years', () => {
    expect(endOfFinancialYear('2025-03-31')).toBe('2025-03-31');
    expect(endOfFinancialYear('2025-04-01')).toBe('2026-03-31');
    expect(financialYearOf('2025-03-31')).toBe('2024/25');
    expect(financialYearOf('2025-04-01')).toBe('2025/26');
    expect(financialYearOf('2099-06-01')).toBe('2099/00');
  });

  it('always ends on a 31 March on or after the day it starts', () => {
    const day = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (issuedOn, termEndsOn) => {
        const period = defaultPlanningPeriod(issuedOn, termEndsOn);
        expect(period.endsOn.slice(5)).toBe('03-31');
        expect(period.endsOn >= issuedOn).toBe(true);
      }),
    );
  });
});
