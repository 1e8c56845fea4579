import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isFinancialYear } from './financial-year.ts';

describe('financial years', () => {
  it.each(['2025/26', '2029/30', '1999/00', '2099/00'])('accepts %s', (year) => {
    expect(isFinancialYear(year)).toBe(true);
  });

  it.each(['2025/27', '2025/25', '2025-26', '2025/2026', '25/26', '2025', '', ' 2025/26', 'abcd/ef'])('refuses %j', (year) => {
    expect(isFinancialYear(year)).toBe(false);
  });

  it('accepts exactly the year followed by the next one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 99 }), (first, second) => {
        const text = `${first}/${String(second).padStart(2, '0')}`;
        expect(isFinancialYear(text)).toBe((first + 1) % 100 === second);
      }),
    );
  });
});
