import type { DerivedStatistic, PeriodKind } from './performance-model.ts';
import { monthsOf, periodContaining, shiftPeriod, type Period } from './periods.ts';

/**
 * The values of a derived measure, computed from monthly counts of street-level crime.
 *
 * Only months whose street file is loaded count as data: a loaded month with no crime of the
 * chosen types is a real zero, a month not loaded is a gap. A value that needs a gap is not
 * given at all rather than understated: the 12-month sum needs all 12 months, the change on the
 * previous 12 months needs all 24.
 *
 * Measures reported quarterly or annually get one value per financial quarter or year: the count
 * of its months (all of them loaded) for `monthly_count`, and the rolling figure at the period's
 * last month for the rolling statistics (so a quarter's "last 12 months" is the 12 months to its
 * end, as a panel report at quarter end reads it).
 */
export type DerivedValue = { periodStart: string; value: number };

/** Month (first day, ISO date) → crimes of the chosen types. Months missing here but loaded are zero. */
export type MonthlyCounts = ReadonlyMap<string, number>;

const previousMonths = (month: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => shiftPeriod({ kind: 'month', start: month }, -i).start);

/** Sum of the `length` months to `month` inclusive, or null if any of them is not loaded. */
export function windowSum(month: string, length: number, loaded: ReadonlySet<string>, counts: MonthlyCounts): number | null {
  let sum = 0;
  for (const m of previousMonths(month, length)) {
    if (!loaded.has(m)) return null;
    sum += counts.get(m) ?? 0;
  }
  return sum;
}

/** Percentage change rounded to one decimal place; null when the earlier figure is zero (no meaningful ratio). */
export function percentChange(previous: number, latest: number): number | null {
  if (previous === 0) return null;
  return Math.round(((latest - previous) / previous) * 1000) / 10;
}

/** The statistic for one month, or null when the data it needs are not all loaded. */
export function monthlyStatistic(
  statistic: DerivedStatistic,
  month: string,
  loaded: ReadonlySet<string>,
  counts: MonthlyCounts,
): number | null {
  if (statistic === 'monthly_count') return loaded.has(month) ? (counts.get(month) ?? 0) : null;
  const last = windowSum(month, 12, loaded, counts);
  if (statistic === 'rolling_12_months' || last === null) return last;
  const before = windowSum(shiftPeriod({ kind: 'month', start: month }, -12).start, 12, loaded, counts);
  return before === null ? null : percentChange(before, last);
}

/** Every value the statistic gives for the measure's period kind, oldest first. */
export function derivedValues(
  statistic: DerivedStatistic,
  periodKind: PeriodKind,
  loadedMonths: readonly string[],
  counts: MonthlyCounts,
): DerivedValue[] {
  const loaded = new Set(loadedMonths);
  const periods = new Map<string, Period>();
  for (const month of [...loaded].sort()) {
    const period = periodContaining(periodKind, month);
    periods.set(period.start, period);
  }
  const values: DerivedValue[] = [];
  for (const period of periods.values()) {
    const months = monthsOf(period);
    let value: number | null;
    if (statistic === 'monthly_count' && months.length > 1) {
      value = months.every((m) => loaded.has(m)) ? months.reduce((sum, m) => sum + (counts.get(m) ?? 0), 0) : null;
    } else {
      value = monthlyStatistic(statistic, months[months.length - 1]!, loaded, counts);
    }
    if (value !== null) values.push({ periodStart: period.start, value });
  }
  return values;
}

/** "Violence and sexual offences, Robbery" or "all crime types", for the values' source note. */
export function crimeTypesText(crimeTypes: readonly string[]): string {
  return crimeTypes.length === 0 ? 'all crime types' : crimeTypes.join(', ');
}
