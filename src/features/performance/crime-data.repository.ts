import { and, asc, desc, eq, gte, inArray, lte, ne, sql, type AnyColumn } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../platform/db/database.ts';
import type { PoliceDataKind } from './domain/performance-model.ts';
import {
  crimeCountsByLsoaMonth,
  crimeCountsByMonth,
  crimeCountsByOutcome,
  policeDatasets,
  stopSearchCounts,
} from './performance.tables.ts';

/**
 * Every query of the crime data explorer and of derived measures. They read the aggregates
 * only (never street_crimes), and each filters on the force area and a month range first, so
 * the leading columns of the aggregate indexes (force_area_id, month[, crime_type]) bound the
 * scan. Months are ISO dates of the first day ("2019-01-01"); ranges are inclusive.
 */
export type CrimeFilter = {
  forceAreaId: string;
  from: string;
  to: string;
  /** A crime type label as data.police.uk writes it, or null for every type. */
  crimeType: string | null;
};

const count = (column: AnyColumn) => sql<number>`sum(${column})`.mapWith(Number);

/** The months loaded for the force area, per kind of file, oldest first. */
export async function loadedMonths(db: Executor, forceAreaId: string): Promise<Record<PoliceDataKind, string[]>> {
  const rows = await db
    .select({ kind: policeDatasets.kind, month: policeDatasets.month })
    .from(policeDatasets)
    .where(eq(policeDatasets.forceAreaId, forceAreaId))
    .orderBy(asc(policeDatasets.month));
  const months: Record<PoliceDataKind, string[]> = { street: [], outcomes: [], stop_and_search: [] };
  for (const row of rows) months[row.kind].push(row.month);
  return months;
}

export type MonthTypeCount = { month: string; crimeType: string; count: number };

/** Street crimes per month and crime type over the range. */
export async function countsByMonthAndType(db: Executor, filter: CrimeFilter): Promise<MonthTypeCount[]> {
  const t = crimeCountsByMonth;
  return db
    .select({ month: t.month, crimeType: t.crimeType, count: count(t.count) })
    .from(t)
    .where(
      and(
        eq(t.forceAreaId, filter.forceAreaId),
        gte(t.month, filter.from),
        lte(t.month, filter.to),
        filter.crimeType === null ? undefined : eq(t.crimeType, filter.crimeType),
      ),
    )
    .groupBy(t.month, t.crimeType)
    .orderBy(asc(t.month), asc(t.crimeType));
}

/**
 * Street crimes of the given types (every type when the list is empty) per month, for derived
 * measures: all months loaded for the force area.
 */
export async function monthlyTotals(db: Executor, forceAreaId: string, crimeTypes: readonly string[]): Promise<Map<string, number>> {
  const t = crimeCountsByMonth;
  const rows = await db
    .select({ month: t.month, count: count(t.count) })
    .from(t)
    .where(and(eq(t.forceAreaId, forceAreaId), crimeTypes.length > 0 ? inArray(t.crimeType, [...crimeTypes]) : undefined))
    .groupBy(t.month);
  return new Map(rows.map((r) => [r.month, r.count]));
}

export type AreaCount = { lsoaCode: string; lsoaName: string; count: number };

/**
 * LSOAs by street crimes over the range (or one month of it), most first, a page at a time,
 * with how many LSOAs have any. Ties are broken by code so pages never overlap. Reads
 * crime_counts_by_lsoa_month, a row per file and LSOA: its total for every crime type, or one
 * type's count from by_crime_type (rows without that type are left out by the `?` test).
 */
export async function areasByCount(
  db: Executor,
  filter: CrimeFilter,
  page: { limit: number; offset: number },
): Promise<{ areas: AreaCount[]; total: number; crimes: number }> {
  const t = crimeCountsByLsoaMonth;
  const crimesOf = filter.crimeType === null ? sql`${t.count}` : sql`(${t.byCrimeType} ->> ${filter.crimeType})::int`;
  const crimes = sql<number>`sum(${crimesOf})`.mapWith(Number);
  // One pass: the window totals are computed over every group before the page is cut.
  const rows = await db
    .select({
      lsoaCode: t.lsoaCode,
      lsoaName: sql<string>`max(${t.lsoaName})`,
      count: crimes,
      total: sql<number>`count(*) over ()`.mapWith(Number),
      crimes: sql<number>`sum(sum(${crimesOf})) over ()`.mapWith(Number),
    })
    .from(t)
    .where(
      and(
        eq(t.forceAreaId, filter.forceAreaId),
        gte(t.month, filter.from),
        lte(t.month, filter.to),
        filter.crimeType === null ? undefined : sql`${t.byCrimeType} ? ${filter.crimeType}`,
        // Crimes data.police.uk could not place have no LSOA (the importer keeps them under '').
        ne(t.lsoaCode, ''),
      ),
    )
    .groupBy(t.lsoaCode)
    .orderBy(desc(crimes), asc(t.lsoaCode))
    .limit(page.limit)
    .offset(page.offset);
  return {
    areas: rows.map(({ lsoaCode, lsoaName, count }) => ({ lsoaCode, lsoaName, count })),
    // A page past the end has no rows, and so no totals: the caller treats it as not found.
    total: rows[0]?.total ?? 0,
    crimes: rows[0]?.crimes ?? 0,
  };
}

/** One LSOA's street crimes per month and crime type over the range, with its name (null if it has none). */
export async function areaCounts(
  db: Executor,
  forceAreaId: string,
  lsoaCode: string,
  range: { from: string; to: string },
): Promise<{ lsoaName: string | null; counts: MonthTypeCount[] }> {
  const rows = rowsOf<{ month: string; crime_type: string; count: number | string; lsoa_name: string }>(
    await db.execute(sql`
      select to_char(month, 'YYYY-MM-DD') as month, type.key as crime_type, sum(type.value::int) as count, max(lsoa_name) as lsoa_name
      from ${crimeCountsByLsoaMonth}, jsonb_each_text(by_crime_type) as type
      where force_area_id = ${forceAreaId} and lsoa_code = ${lsoaCode} and month >= ${range.from}::date and month <= ${range.to}::date
      group by month, type.key
      order by month, type.key`),
  );
  return {
    lsoaName: rows[0]?.lsoa_name ?? null,
    counts: rows.map((row) => ({ month: row.month, crimeType: row.crime_type, count: Number(row.count) })),
  };
}

/** Whether the force area has the LSOA at all (in any month), and its name. */
export async function findArea(db: Executor, forceAreaId: string, lsoaCode: string): Promise<{ lsoaName: string } | undefined> {
  const t = crimeCountsByLsoaMonth;
  const [row] = await db
    .select({ lsoaName: t.lsoaName })
    .from(t)
    .where(and(eq(t.forceAreaId, forceAreaId), eq(t.lsoaCode, lsoaCode)))
    .orderBy(desc(t.month))
    .limit(1);
  return row;
}

export type OutcomeCount = { outcomeCategory: string; count: number };

/** Street crimes over the range by their last outcome category (as published that month), most first. */
export async function outcomeSummary(db: Executor, filter: CrimeFilter): Promise<OutcomeCount[]> {
  const t = crimeCountsByOutcome;
  const crimes = count(t.count);
  return db
    .select({ outcomeCategory: t.outcomeCategory, count: crimes })
    .from(t)
    .where(
      and(
        eq(t.forceAreaId, filter.forceAreaId),
        gte(t.month, filter.from),
        lte(t.month, filter.to),
        filter.crimeType === null ? undefined : eq(t.crimeType, filter.crimeType),
      ),
    )
    .groupBy(t.outcomeCategory)
    .orderBy(desc(crimes), asc(t.outcomeCategory));
}

export type StopSearchCount = { objectOfSearch: string; outcome: string; count: number };

/** Stop-and-search records over the range by object of search and outcome. */
export async function stopSearchSummary(
  db: Executor,
  filter: Pick<CrimeFilter, 'forceAreaId' | 'from' | 'to'>,
): Promise<StopSearchCount[]> {
  const t = stopSearchCounts;
  const searches = count(t.count);
  return db
    .select({ objectOfSearch: t.objectOfSearch, outcome: t.outcome, count: searches })
    .from(t)
    .where(and(eq(t.forceAreaId, filter.forceAreaId), gte(t.month, filter.from), lte(t.month, filter.to)))
    .groupBy(t.objectOfSearch, t.outcome)
    .orderBy(desc(searches), asc(t.objectOfSearch), asc(t.outcome));
}
