import { crimeTypeBySlug, type StreetCrimeType } from './crime-types.ts';
import { shiftPeriod } from './periods.ts';

/**
 * The crime data explorer's filters, read from the query string of its GET form: a month range
 * ("2018-10" to "2019-02") and one crime type or all. Without months the range is the last 12
 * loaded months, so the first visit shows a year's picture.
 */
export const MAX_RANGE_MONTHS = 36;

export type ExplorerFilter = {
  /** First days of the months, inclusive. */
  from: string;
  to: string;
  crimeType: StreetCrimeType | null;
};

export type FilterValues = { from: string; to: string; type: string };

export type FilterResult =
  { ok: true; filter: ExplorerFilter; values: FilterValues } | { ok: false; errors: Record<string, string>; values: FilterValues };

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : Array.isArray(value) ? String(value[0] ?? '').trim() : '');

/** "2019-01" (or "2019-1") to "2019-01-01"; null if it is not a year and month. */
export function parseMonth(value: string): string | null {
  const match = /^(\d{4})-(\d{1,2})$/.exec(value);
  if (!match) return null;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  return `${match[1]}-${String(month).padStart(2, '0')}-01`;
}

/** "2019-01-01" to "2019-01", as the form and URLs write months. */
export const monthKey = (month: string) => month.slice(0, 7);

/** How many months from `from` to `to` inclusive. */
export function monthsBetween(from: string, to: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  return index(to) - index(from) + 1;
}

/** Every month from `from` to `to` inclusive. */
export function monthRange(from: string, to: string): string[] {
  return Array.from({ length: Math.max(0, monthsBetween(from, to)) }, (_, i) => shiftPeriod({ kind: 'month', start: from }, i).start);
}

/** The default range: the 12 months to the latest loaded month (no earlier than the first loaded). */
export function defaultRange(loaded: readonly string[]): { from: string; to: string } | null {
  if (loaded.length === 0) return null;
  const sorted = [...loaded].sort();
  const to = sorted[sorted.length - 1]!;
  const yearBefore = shiftPeriod({ kind: 'month', start: to }, -11).start;
  return { from: yearBefore > sorted[0]! ? yearBefore : sorted[0]!, to };
}

/** Reads and checks the filters; on failure the user's values come back with one message per field. */
export function parseExplorerQuery(query: unknown, loaded: readonly string[]): FilterResult {
  const q = (query ?? {}) as Record<string, unknown>;
  const values: FilterValues = { from: text(q.from), to: text(q.to), type: text(q.type) };
  const fallback = defaultRange(loaded);
  const errors: Record<string, string> = {};
  const from = values.from === '' ? (fallback?.from ?? null) : parseMonth(values.from);
  const to = values.to === '' ? (fallback?.to ?? null) : parseMonth(values.to);
  if (values.from !== '' && !from) errors.from = 'Enter the start month as a year and month, for example 2018-10';
  if (values.to !== '' && !to) errors.to = 'Enter the end month as a year and month, for example 2019-02';
  if (from && to && from > to) errors.to = 'The end month must be the same as or after the start month';
  else if (from && to && monthsBetween(from, to) > MAX_RANGE_MONTHS) {
    errors.from = `Choose a range of ${MAX_RANGE_MONTHS} months or fewer`;
  }
  const crimeType = values.type === '' ? null : (crimeTypeBySlug(values.type) ?? null);
  if (values.type !== '' && !crimeType) errors.type = 'Choose a crime type from the list';
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  if (!from || !to) return { ok: false, errors: {}, values };
  return { ok: true, filter: { from, to, crimeType }, values: { from: monthKey(from), to: monthKey(to), type: values.type } };
}

/** The query string for a filter, optionally narrowed (a table cell's month, a row's type). */
export function filterQuery(filter: ExplorerFilter, change: { month?: string; type?: StreetCrimeType | null; page?: number } = {}): string {
  const type = change.type === undefined ? filter.crimeType : change.type;
  const params = new URLSearchParams({
    from: monthKey(change.month ?? filter.from),
    to: monthKey(change.month ?? filter.to),
  });
  if (type) params.set('type', type.slug);
  if (change.page && change.page > 1) params.set('page', String(change.page));
  return params.toString();
}
