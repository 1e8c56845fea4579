import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { policingBodies } from '../organisations/organisations.tables.ts';
import { listPlanEditions } from '../plans/index.ts';
import { measures, plans } from '../plans/plans.tables.ts';
import { loadedMonths, monthlyTotals } from './crime-data.repository.ts';
import { crimeTypesText, derivedValues } from './domain/derived-values.ts';
import type { DerivedMeasureDefinition, PeriodKind } from './domain/performance-model.ts';
import { periodKindFor } from './domain/periods.ts';
import { recordValues } from './measure-values.repository.ts';
import { monitoredEdition } from './performance-context.ts';
import { measureSettings } from './performance.tables.ts';

export type MeasureSettingsRow = typeof measureSettings.$inferSelect;

/** What a derived measure's values need: where they go, their period kind and the query. */
export type DerivedTarget = {
  planId: string;
  measureLineageId: string;
  periodKind: PeriodKind;
  definition: DerivedMeasureDefinition;
};

/** The note recorded with each derived value, saying where it came from. */
export const derivedSourceNote = (definition: DerivedMeasureDefinition) =>
  `data.police.uk street-level crime, ${crimeTypesText(definition.crimeTypes)}`;

/**
 * Computes one derived measure from the force area's aggregates and records the values that
 * changed (recordValues skips a value equal to the current one, so a recompute over the same data
 * writes nothing, and a corrected month becomes the next revision). Returns how many were written.
 */
export async function recomputeMeasure(db: Executor, forceAreaId: string, target: DerivedTarget): Promise<number> {
  const [months, counts] = await Promise.all([loadedMonths(db, forceAreaId), monthlyTotals(db, forceAreaId, target.definition.crimeTypes)]);
  const values = derivedValues(target.definition.statistic, target.periodKind, months.street, counts);
  return recordValues(
    db,
    values.map((v) => ({
      planId: target.planId,
      measureLineageId: target.measureLineageId,
      periodKind: target.periodKind,
      periodStart: v.periodStart,
      value: v.value,
      source: 'derived' as const,
      sourceNote: derivedSourceNote(target.definition),
      enteredBy: null,
    })),
  );
}

/**
 * The derived measures fed by a force area's data: every plan of every body in the force area,
 * each measure of the plan's monitored edition (the latest issued, or before the first issue the
 * latest draft, where the office may already set measures up) whose settings define a query.
 */
export async function derivedTargets(db: Executor, forceAreaId: string): Promise<DerivedTarget[]> {
  const settings = await db
    .select({ planId: measureSettings.planId, measureLineageId: measureSettings.measureLineageId, derived: measureSettings.derived })
    .from(measureSettings)
    .innerJoin(plans, eq(plans.id, measureSettings.planId))
    .innerJoin(policingBodies, eq(policingBodies.id, plans.policingBodyId))
    .where(and(eq(policingBodies.forceAreaId, forceAreaId), isNotNull(measureSettings.derived)));
  const targets: DerivedTarget[] = [];
  for (const planId of new Set(settings.map((s) => s.planId))) {
    const edition = monitoredEdition(await listPlanEditions(db, planId), true);
    if (!edition) continue;
    const ofPlan = settings.filter((s) => s.planId === planId);
    const frequencies = await db
      .select({ lineageId: measures.lineageId, frequency: measures.frequency })
      .from(measures)
      .where(
        and(
          eq(measures.editionId, edition.id),
          inArray(
            measures.lineageId,
            ofPlan.map((s) => s.measureLineageId),
          ),
        ),
      );
    for (const measure of frequencies) {
      const setting = ofPlan.find((s) => s.measureLineageId === measure.lineageId)!;
      targets.push({
        planId,
        measureLineageId: measure.lineageId,
        periodKind: periodKindFor(measure.frequency),
        definition: setting.derived!,
      });
    }
  }
  return targets;
}

/**
 * Recomputes the values of every derived measure that reads the force area's open police data
 * (measure_settings.derived), after an import made new data current. Returns how many values
 * changed. Called inside the import's activation transaction.
 */
export async function recomputeDerivedMeasures(db: Executor, forceAreaId: string): Promise<number> {
  let written = 0;
  for (const target of await derivedTargets(db, forceAreaId)) written += await recomputeMeasure(db, forceAreaId, target);
  return written;
}

export async function findSettings(db: Executor, planId: string, measureLineageId: string): Promise<MeasureSettingsRow | undefined> {
  const [row] = await db
    .select()
    .from(measureSettings)
    .where(and(eq(measureSettings.planId, planId), eq(measureSettings.measureLineageId, measureLineageId)));
  return row;
}

export type DefinitionChange = {
  actor: CurrentUser;
  policingBodyId: string;
  forceAreaId: string;
  planId: string;
  measure: { lineageId: string; name: string; frequency: Parameters<typeof periodKindFor>[0] };
  /** The new definition, or null to remove it (the values already computed stay on record). */
  definition: DerivedMeasureDefinition | null;
  /** The settings version the form was shown with; 0 when there was no settings row. */
  expectedVersion: number;
  now: Date;
};

export type DefinitionRefusal = { kind: 'conflict'; current: MeasureSettingsRow | undefined };

/**
 * Saves (or removes) a measure's derived definition if nobody saved the measure's settings since
 * the form was shown, records the change in the audit log and computes the measure's values from
 * the data already imported, all in one transaction. Only the `derived` column is written here
 * (with the row's version and stamp): the grading columns of the same row belong to the grading form.
 */
export async function saveDerivedDefinition(
  db: Database,
  change: DefinitionChange,
): Promise<Result<{ settings: MeasureSettingsRow; written: number }, DefinitionRefusal>> {
  return db.transaction(async (tx) => {
    const before = await findSettings(tx, change.planId, change.measure.lineageId);
    if ((before?.version ?? 0) !== change.expectedVersion) return fail({ kind: 'conflict' as const, current: before });
    const [saved] = await tx
      .insert(measureSettings)
      .values({
        planId: change.planId,
        measureLineageId: change.measure.lineageId,
        derived: change.definition,
        version: 1,
        updatedBy: change.actor.id,
        updatedAt: change.now,
      })
      .onConflictDoUpdate({
        target: [measureSettings.planId, measureSettings.measureLineageId],
        set: {
          derived: change.definition,
          version: sql`${measureSettings.version} + 1`,
          updatedBy: change.actor.id,
          updatedAt: change.now,
        },
        setWhere: sql`${measureSettings.version} = ${change.expectedVersion}`,
      })
      .returning();
    // No row back: someone saved the row between the read above and this write.
    if (!saved) return fail({ kind: 'conflict' as const, current: await findSettings(tx, change.planId, change.measure.lineageId) });
    await appendAuditEvent(tx, {
      actor: { userId: change.actor.id, label: change.actor.displayName },
      policingBodyId: change.policingBodyId,
      action: change.definition ? 'measure.derived_defined' : 'measure.derived_removed',
      subject: { type: 'measure', id: change.measure.lineageId },
      before: { planId: change.planId, measure: change.measure.name, derived: before?.derived ?? null },
      after: { planId: change.planId, measure: change.measure.name, derived: change.definition },
      occurredAt: change.now,
    });
    const written = change.definition
      ? await recomputeMeasure(tx, change.forceAreaId, {
          planId: change.planId,
          measureLineageId: change.measure.lineageId,
          periodKind: periodKindFor(change.measure.frequency),
          definition: change.definition,
        })
      : 0;
    return ok({ settings: saved, written });
  });
}
