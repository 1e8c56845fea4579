import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import type { Period } from './domain/periods.ts';
import { measureCommentaries, prioritySummaries } from './performance.tables.ts';

export type CommentaryRow = typeof measureCommentaries.$inferSelect;
export type PrioritySummaryRow = typeof prioritySummaries.$inferSelect;

/** Commentary of the given measures (all of the plan's when omitted), newest period first. */
export async function listCommentaries(db: Executor, planId: string, measureLineageIds?: readonly string[]): Promise<CommentaryRow[]> {
  if (measureLineageIds && measureLineageIds.length === 0) return [];
  return db
    .select()
    .from(measureCommentaries)
    .where(
      and(
        eq(measureCommentaries.planId, planId),
        measureLineageIds ? inArray(measureCommentaries.measureLineageId, [...measureLineageIds]) : undefined,
      ),
    )
    .orderBy(desc(measureCommentaries.periodStart));
}

export async function findCommentary(
  db: Executor,
  planId: string,
  measureLineageId: string,
  period: Period,
): Promise<CommentaryRow | undefined> {
  const [row] = await db
    .select()
    .from(measureCommentaries)
    .where(
      and(
        eq(measureCommentaries.planId, planId),
        eq(measureCommentaries.measureLineageId, measureLineageId),
        eq(measureCommentaries.periodKind, period.kind),
        eq(measureCommentaries.periodStart, period.start),
      ),
    );
  return row;
}

export type CommentaryText = { whatIsHappening: string; whatIsBeingDone: string };

/**
 * Writes the commentary for a measure and period if the version the user saw is still current
 * (0: there was none). Undefined when someone else wrote it meanwhile.
 */
export async function saveCommentary(
  db: Executor,
  planId: string,
  measureLineageId: string,
  period: Period,
  text: CommentaryText,
  expectedVersion: number,
  userId: string,
): Promise<CommentaryRow | undefined> {
  if (expectedVersion === 0) {
    const inserted = await db
      .insert(measureCommentaries)
      .values({ planId, measureLineageId, periodKind: period.kind, periodStart: period.start, ...text, writtenBy: userId, version: 1 })
      .onConflictDoNothing()
      .returning();
    return inserted[0];
  }
  const [updated] = await db
    .update(measureCommentaries)
    .set({ ...text, writtenBy: userId, writtenAt: new Date(), version: sql`${measureCommentaries.version} + 1` })
    .where(
      and(
        eq(measureCommentaries.planId, planId),
        eq(measureCommentaries.measureLineageId, measureLineageId),
        eq(measureCommentaries.periodKind, period.kind),
        eq(measureCommentaries.periodStart, period.start),
        eq(measureCommentaries.version, expectedVersion),
      ),
    )
    .returning();
  return updated;
}

/** Officer's summaries of the plan's priorities, for the given quarters (all when omitted). */
export async function listPrioritySummaries(
  db: Executor,
  planId: string,
  quarterStarts?: readonly string[],
): Promise<PrioritySummaryRow[]> {
  if (quarterStarts && quarterStarts.length === 0) return [];
  return db
    .select()
    .from(prioritySummaries)
    .where(
      and(eq(prioritySummaries.planId, planId), quarterStarts ? inArray(prioritySummaries.quarterStart, [...quarterStarts]) : undefined),
    )
    .orderBy(desc(prioritySummaries.quarterStart));
}

export async function findPrioritySummary(
  db: Executor,
  planId: string,
  priorityLineageId: string,
  quarterStart: string,
): Promise<PrioritySummaryRow | undefined> {
  const [row] = await db
    .select()
    .from(prioritySummaries)
    .where(
      and(
        eq(prioritySummaries.planId, planId),
        eq(prioritySummaries.priorityLineageId, priorityLineageId),
        eq(prioritySummaries.quarterStart, quarterStart),
      ),
    );
  return row;
}

/** Writes the officer's summary if the version the user saw is still current (0: none yet). */
export async function savePrioritySummary(
  db: Executor,
  planId: string,
  priorityLineageId: string,
  quarterStart: string,
  summary: string,
  expectedVersion: number,
  userId: string,
): Promise<PrioritySummaryRow | undefined> {
  if (expectedVersion === 0) {
    const inserted = await db
      .insert(prioritySummaries)
      .values({ planId, priorityLineageId, quarterStart, summary, writtenBy: userId, version: 1 })
      .onConflictDoNothing()
      .returning();
    return inserted[0];
  }
  const [updated] = await db
    .update(prioritySummaries)
    .set({ summary, writtenBy: userId, writtenAt: new Date(), version: sql`${prioritySummaries.version} + 1` })
    .where(
      and(
        eq(prioritySummaries.planId, planId),
        eq(prioritySummaries.priorityLineageId, priorityLineageId),
        eq(prioritySummaries.quarterStart, quarterStart),
        eq(prioritySummaries.version, expectedVersion),
      ),
    )
    .returning();
  return updated;
}
