import type { ReportingFrequency } from '../../plans/domain/plan-tree.ts';
import type { PeriodKind } from './performance-model.ts';

/**
 * Reporting periods. A period is its kind and its first day (ISO date). Quarters and years are
 * financial: the year runs from 1 April, quarter 1 is April to June, quarter 4 January to March,
 * as police budgets, precepts and panel performance reports use them.
 *
 * Keys used in URLs and files: month "2019-01", quarter "fy2024-25-q1", financial year "fy2024-25"
 * (the "fy" keeps "2011-12", December 2011, apart from the financial year 2011/12).
 */
export type Period = { kind: PeriodKind; start: string };

export const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (year: number, month: number) => `${year}-${pad(month)}-01`;
const partsOf = (date: string) => ({ year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) });
/** The financial year (its first calendar year) a month falls in. */
const financialYearOf = (year: number, month: number) => (month >= 4 ? year : year - 1);
const shortYear = (year: number) => `${year}/${pad((year + 1) % 100)}`;

/** The period of this kind that contains the date. */
export function periodContaining(kind: PeriodKind, date: string): Period {
  const { year, month } = partsOf(date);
  if (kind === 'month') return { kind, start: iso(year, month) };
  const fy = financialYearOf(year, month);
  if (kind === 'financial_year') return { kind, start: iso(fy, 4) };
  const quarterIndex = Math.floor((((month - 4 + 12) % 12) as number) / 3);
  const startMonth = ((3 + quarterIndex * 3) % 12) + 1;
  return { kind, start: iso(startMonth >= 4 ? fy : fy + 1, startMonth) };
}

const monthsIn: Record<PeriodKind, number> = { month: 1, quarter: 3, financial_year: 12 };

/** The period `steps` periods after this one (negative for earlier). */
export function shiftPeriod(period: Period, steps: number): Period {
  const { year, month } = partsOf(period.start);
  const index = year * 12 + (month - 1) + steps * monthsIn[period.kind];
  return { kind: period.kind, start: iso(Math.floor(index / 12), (index % 12) + 1) };
}

/** The last day of the period. */
export function periodEnd(period: Period): string {
  const next = shiftPeriod(period, 1);
  const day = new Date(`${next.start}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

/** The months (first days) inside a period, in order. */
export function monthsOf(period: Period): string[] {
  const first = { kind: 'month' as const, start: period.start };
  return Array.from({ length: monthsIn[period.kind] }, (_, i) => shiftPeriod(first, i).start);
}

/** Quarter number within the financial year: 1 for April to June … 4 for January to March. */
export function quarterNumber(start: string): number {
  const { month } = partsOf(start);
  return Math.floor(((month - 4 + 12) % 12) / 3) + 1;
}

export function periodKey(period: Period): string {
  const { year, month } = partsOf(period.start);
  if (period.kind === 'month') return `${year}-${pad(month)}`;
  const fy = financialYearOf(year, month);
  const yearKey = `fy${fy}-${pad((fy + 1) % 100)}`;
  return period.kind === 'financial_year' ? yearKey : `${yearKey}-q${quarterNumber(period.start)}`;
}

/** Reads a key back; null for anything that is not exactly a key this module writes. */
export function parsePeriodKey(key: string): Period | null {
  let match = /^(\d{4})-(\d{2})$/.exec(key);
  if (match) {
    const month = Number(match[2]);
    return month >= 1 && month <= 12 ? { kind: 'month', start: iso(Number(match[1]), month) } : null;
  }
  match = /^fy(\d{4})-(\d{2})(?:-q([1-4]))?$/.exec(key);
  if (!match) return null;
  const fy = Number(match[1]);
  if ((fy + 1) % 100 !== Number(match[2])) return null;
  if (!match[3]) return { kind: 'financial_year', start: iso(fy, 4) };
  return shiftPeriod({ kind: 'quarter', start: iso(fy, 4) }, Number(match[3]) - 1);
}

/** "January 2019", "Quarter 1 2024/25 (April to June 2024)", "2024/25". */
export function periodLabel(period: Period): string {
  const { year, month } = partsOf(period.start);
  if (period.kind === 'month') return `${monthNames[month - 1]} ${year}`;
  const fy = financialYearOf(year, month);
  if (period.kind === 'financial_year') return shortYear(fy);
  const end = partsOf(periodEnd(period));
  return `Quarter ${quarterNumber(period.start)} ${shortYear(fy)} (${monthNames[month - 1]} to ${monthNames[end.month - 1]} ${end.year})`;
}

/** A short label for charts and tables: "Jan 2019", "Q1 2024/25", "2024/25". */
export function periodShortLabel(period: Period): string {
  const { year, month } = partsOf(period.start);
  if (period.kind === 'month') return `${monthNames[month - 1]!.slice(0, 3)} ${year}`;
  const fy = financialYearOf(year, month);
  return period.kind === 'financial_year' ? shortYear(fy) : `Q${quarterNumber(period.start)} ${shortYear(fy)}`;
}

export function comparePeriods(a: Period, b: Period): number {
  return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
}

/** The period a measure's values are recorded by, from the reporting frequency the plan gives it. */
export function periodKindFor(frequency: ReportingFrequency): PeriodKind {
  return frequency === 'monthly' ? 'month' : frequency === 'quarterly' ? 'quarter' : 'financial_year';
}
