import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../platform/db/database.ts';
import type { MeasureValueSource, PeriodKind } from './domain/performance-model.ts';
import { measureValues } from './performance.tables.ts';

export type MeasureValueRow = typeof measureValues.$inferSelect;

/** A figure to record for one measure and period; the revision is worked out here. */
export type NewMeasureValue = {
  planId: string;
  measureLineageId: string;
  periodKind: PeriodKind;
  periodStart: string;
  value: number;
  numerator?: number | null;
  denominator?: number | null;
  confidenceLower?: number | null;
  confidenceUpper?: number | null;
  mostSimilarGroupAverage?: number | null;
  source: MeasureValueSource;
  sourceNote?: string;
  note?: string;
  measureImportId?: string | null;
  enteredBy: string | null;
};

/** The figures that decide whether a new value differs from the current one. */
const sameFigures = (a: NewMeasureValue, b: MeasureValueRow) =>
  a.value === b.value &&
  (a.numerator ?? null) === b.numerator &&
  (a.denominator ?? null) === b.denominator &&
  (a.confidenceLower ?? null) === b.confidenceLower &&
  (a.confidenceUpper ?? null) === b.confidenceUpper &&
  (a.mostSimilarGroupAverage ?? null) === b.mostSimilarGroupAverage;

/**
 * Records values as the next revision of their measure and period. Values are append-only
 * (a trigger refuses UPDATE): a correction keeps the figure it corrects. A value identical to the
 * current one is skipped, so re-applying a file or recomputing a derived measure adds nothing.
 * Returns how many revisions were written. Call inside a transaction for all-or-nothing.
 */
export async function recordValues(db: Executor, values: readonly NewMeasureValue[]): Promise<number> {
  if (values.length === 0) return 0;
  const planId = values[0]!.planId;
  const current = await currentValues(db, planId, [...new Set(values.map((v) => v.measureLineageId))]);
  const byKey = new Map(current.map((row) => [keyOf(row), row]));
  const rows = [];
  for (const value of values) {
    const existing = byKey.get(keyOf(value));
    if (existing && sameFigures(value, existing)) continue;
    const revision = (existing?.revision ?? 0) + 1;
    const row = {
      ...value,
      numerator: value.numerator ?? null,
      denominator: value.denominator ?? null,
      confidenceLower: value.confidenceLower ?? null,
      confidenceUpper: value.confidenceUpper ?? null,
      mostSimilarGroupAverage: value.mostSimilarGroupAverage ?? null,
      sourceNote: value.sourceNote ?? '',
      note: value.note ?? '',
      measureImportId: value.measureImportId ?? null,
      revision,
    };
    rows.push(row);
    byKey.set(keyOf(value), { ...row, id: '', enteredAt: new Date() } as MeasureValueRow);
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(measureValues).values(rows.slice(i, i + 500));
  return rows.length;
}

const keyOf = (v: { measureLineageId: string; periodKind: string; periodStart: string }) =>
  `${v.measureLineageId}|${v.periodKind}|${v.periodStart}`;

/** The latest revision of every period of the given measures (all measures of the plan when omitted), oldest period first. */
export async function currentValues(db: Executor, planId: string, measureLineageIds?: readonly string[]): Promise<MeasureValueRow[]> {
  if (measureLineageIds && measureLineageIds.length === 0) return [];
  const filter = measureLineageIds
    ? sql`and measure_lineage_id in (${sql.join(
        measureLineageIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql``;
  const result = await db.execute(sql`
    select distinct on (measure_lineage_id, period_kind, period_start) id
    from measure_values
    where plan_id = ${planId} ${filter}
    order by measure_lineage_id, period_kind, period_start, revision desc`);
  const ids = rowsOf<{ id: string }>(result).map((r) => r.id);
  if (ids.length === 0) return [];
  return db
    .select()
    .from(measureValues)
    .where(inArray(measureValues.id, ids))
    .orderBy(asc(measureValues.measureLineageId), asc(measureValues.periodStart));
}

/** Every revision of one measure's values, newest period first and newest revision first within it. */
export async function valueHistory(db: Executor, planId: string, measureLineageId: string): Promise<MeasureValueRow[]> {
  return db
    .select()
    .from(measureValues)
    .where(and(eq(measureValues.planId, planId), eq(measureValues.measureLineageId, measureLineageId)))
    .orderBy(desc(measureValues.periodStart), desc(measureValues.revision));
}

/** The current (latest) revision of one measure's value for one period, if any. */
export async function currentValueFor(
  db: Executor,
  planId: string,
  measureLineageId: string,
  period: { kind: PeriodKind; start: string },
): Promise<MeasureValueRow | undefined> {
  const [row] = await db
    .select()
    .from(measureValues)
    .where(
      and(
        eq(measureValues.planId, planId),
        eq(measureValues.measureLineageId, measureLineageId),
        eq(measureValues.periodKind, period.kind),
        eq(measureValues.periodStart, period.start),
      ),
    )
    .orderBy(desc(measureValues.revision))
    .limit(1);
  return row;
}
