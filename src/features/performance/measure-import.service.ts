import { and, desc, eq } from 'drizzle-orm';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { isUuid } from '../../shared/ids.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import type { UploadedFile } from '../plans/index.ts';
import { previewChanges, readMeasureFile, type ImportedValue, type MeasureRef, type PreviewChange } from './domain/measure-file.ts';
import type { RejectedRow } from './domain/performance-model.ts';
import { readSpreadsheet } from './measure-import.files.ts';
import { currentValues, recordValues } from './measure-values.repository.ts';
import type { PerformanceContext } from './performance-context.ts';
import { measureImports } from './performance.tables.ts';

export type MeasureImport = typeof measureImports.$inferSelect;

const actorOf = (user: CurrentUser) => ({ userId: user.id, label: user.displayName });

/** The measures of the monitored edition, as a values file names them. */
export const measureRefsOf = (context: PerformanceContext): MeasureRef[] =>
  context.tree.measures.map((m) => ({ lineageId: m.lineageId, name: m.name, unit: m.unit, frequency: m.frequency }));

/** The rows an import holds, as stored (jsonb keeps them as the domain wrote them). */
export const valuesOf = (row: MeasureImport): ImportedValue[] => row.rows as ImportedValue[];

/**
 * Reads an uploaded file and keeps what it says for the preview; nothing reaches measure_values
 * until the user applies it. Refuses (writing nothing) a file that is not a readable CSV or XLSX
 * or whose header is not one of the two layouts; a file with rejected rows is kept, so the
 * preview can list every one of them.
 */
export async function uploadMeasureFile(
  db: Database,
  actor: CurrentUser,
  context: PerformanceContext,
  file: UploadedFile,
  now: Date,
): Promise<Result<MeasureImport, string>> {
  const rows = await readSpreadsheet(file);
  if (!rows.ok) return rows;
  const parsed = readMeasureFile(rows.value, measureRefsOf(context), now.toISOString().slice(0, 10));
  if (!parsed.ok) return parsed;
  const { values, rejected, layout } = parsed.value;
  if (values.length === 0 && rejected.length === 0)
    return fail('The selected file has no values: fill in the value column (or the cells under each measure) and upload it again');
  const saved = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(measureImports)
      .values({
        planId: context.plan.id,
        fileName: file.name,
        status: 'previewed',
        rows: values,
        rejected,
        uploadedBy: actor.id,
        uploadedAt: now,
      })
      .returning();
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId: context.body.id,
      action: 'measure_import.uploaded',
      subject: { type: 'measure_import', id: row!.id },
      after: { planId: context.plan.id, fileName: file.name, layout, values: values.length, rejected: rejected.length },
      occurredAt: now,
    });
    return row!;
  });
  return ok(saved);
}

/** An import of this plan, or undefined (an unknown id, or another plan's import). */
export async function findMeasureImport(db: Executor, planId: string, importId: string): Promise<MeasureImport | undefined> {
  if (!isUuid(importId)) return undefined;
  const [row] = await db
    .select()
    .from(measureImports)
    .where(and(eq(measureImports.id, importId), eq(measureImports.planId, planId)));
  return row;
}

/** The plan's latest imports, newest first, for the upload page. */
export async function recentMeasureImports(db: Executor, planId: string, limit = 10): Promise<MeasureImport[]> {
  return db.select().from(measureImports).where(eq(measureImports.planId, planId)).orderBy(desc(measureImports.uploadedAt)).limit(limit);
}

/** What applying the import would change, against the values recorded now. */
export async function previewOf(db: Executor, row: MeasureImport): Promise<PreviewChange[]> {
  const values = valuesOf(row);
  const current = await currentValues(db, row.planId, [...new Set(values.map((v) => v.measureLineageId))]);
  return previewChanges(values, current);
}

export type ApplyRefusal = 'applied' | 'discarded' | 'has_rejected_rows' | 'measures_changed';

/**
 * Records every value of the import in one transaction, or none: the import row is locked first,
 * so two people pressing "Apply" at once record the values once, and a second apply is refused.
 */
export async function applyMeasureImport(
  db: Database,
  actor: CurrentUser,
  context: PerformanceContext,
  importId: string,
  now: Date,
): Promise<Result<{ recorded: number }, ApplyRefusal>> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(measureImports)
      .where(and(eq(measureImports.id, importId), eq(measureImports.planId, context.plan.id)))
      .for('update');
    if (!row) throw new Error(`measure import ${importId} vanished`);
    if (row.status !== 'previewed') return fail(row.status);
    if (row.rejected.length > 0) return fail('has_rejected_rows' as const);
    const values = valuesOf(row);
    // A plan issued again since the upload may have dropped a measure; the preview no longer holds.
    const lineages = new Set(context.tree.measures.map((m) => m.lineageId));
    if (values.some((v) => !lineages.has(v.measureLineageId))) return fail('measures_changed' as const);
    const recorded = await recordValues(
      tx,
      values.map((v) => ({
        planId: context.plan.id,
        measureLineageId: v.measureLineageId,
        periodKind: v.periodKind,
        periodStart: v.periodStart,
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        confidenceLower: v.confidenceLower,
        confidenceUpper: v.confidenceUpper,
        mostSimilarGroupAverage: v.mostSimilarGroupAverage,
        source: 'file' as const,
        sourceNote: v.sourceNote,
        note: v.note,
        measureImportId: row.id,
        enteredBy: actor.id,
      })),
    );
    await tx.update(measureImports).set({ status: 'applied', appliedAt: now }).where(eq(measureImports.id, row.id));
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId: context.body.id,
      action: 'measure_import.applied',
      subject: { type: 'measure_import', id: row.id },
      before: { status: row.status },
      after: { status: 'applied', planId: context.plan.id, fileName: row.fileName, values: values.length, recorded },
      occurredAt: now,
    });
    return ok({ recorded });
  });
}

/** Sets an import aside without recording anything; only a previewed import can be discarded. */
export async function discardMeasureImport(
  db: Database,
  actor: CurrentUser,
  context: PerformanceContext,
  importId: string,
  now: Date,
): Promise<Result<MeasureImport, 'applied' | 'discarded'>> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(measureImports)
      .where(and(eq(measureImports.id, importId), eq(measureImports.planId, context.plan.id)))
      .for('update');
    if (!row) throw new Error(`measure import ${importId} vanished`);
    if (row.status !== 'previewed') return fail(row.status);
    await tx.update(measureImports).set({ status: 'discarded' }).where(eq(measureImports.id, row.id));
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId: context.body.id,
      action: 'measure_import.discarded',
      subject: { type: 'measure_import', id: row.id },
      before: { status: row.status },
      after: { status: 'discarded' },
      occurredAt: now,
    });
    return ok(row);
  });
}

export type { RejectedRow };
