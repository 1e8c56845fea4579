import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import type { GradingRule } from './domain/performance-model.ts';
import { measureSettings } from './performance.tables.ts';

export type MeasureSettingsRow = typeof measureSettings.$inferSelect;

/** Every measure_settings row of a plan (one query for the whole dashboard). */
export async function listMeasureSettings(db: Executor, planId: string): Promise<MeasureSettingsRow[]> {
  return db.select().from(measureSettings).where(eq(measureSettings.planId, planId));
}

export async function findMeasureSettings(db: Executor, planId: string, measureLineageId: string): Promise<MeasureSettingsRow | undefined> {
  const [row] = await db
    .select()
    .from(measureSettings)
    .where(and(eq(measureSettings.planId, planId), eq(measureSettings.measureLineageId, measureLineageId)));
  return row;
}

export type GradingSettingsChange = {
  gradingRule: GradingRule;
  amberMarginPercent: number;
  nationalMeasureCode: string | null;
};

/**
 * Writes a measure's grading settings when the version the user saw is still current: version 0
 * means "there was no row yet". Returns the new row, or undefined when someone else saved first
 * (or created the row meanwhile).
 */
export async function saveGradingSettings(
  db: Executor,
  planId: string,
  measureLineageId: string,
  change: GradingSettingsChange,
  expectedVersion: number,
  userId: string,
): Promise<MeasureSettingsRow | undefined> {
  if (expectedVersion === 0) {
    const inserted = await db
      .insert(measureSettings)
      .values({ planId, measureLineageId, ...change, version: 1, updatedBy: userId })
      .onConflictDoNothing()
      .returning();
    return inserted[0];
  }
  const [updated] = await db
    .update(measureSettings)
    .set({ ...change, version: sql`${measureSettings.version} + 1`, updatedBy: userId, updatedAt: new Date() })
    .where(
      and(
        eq(measureSettings.planId, planId),
        eq(measureSettings.measureLineageId, measureLineageId),
        eq(measureSettings.version, expectedVersion),
      ),
    )
    .returning();
  return updated;
}
