import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import type { Disposition, Operation } from './domain/review-board.ts';
import { nextPosition } from './ordered-elements.ts';
import { commitments, objectives, priorities, reviewBoards, reviewDispositions } from './plans.tables.ts';

export type BoardRow = typeof reviewBoards.$inferSelect;

export async function findBoard(db: Executor, editionId: string): Promise<BoardRow | undefined> {
  const [row] = await db.select().from(reviewBoards).where(eq(reviewBoards.editionId, editionId));
  return row;
}

export async function insertBoard(db: Executor, values: typeof reviewBoards.$inferInsert): Promise<BoardRow> {
  const [row] = await db.insert(reviewBoards).values(values).onConflictDoNothing().returning();
  return row ?? (await findBoard(db, values.editionId))!;
}

export async function listDispositions(db: Executor, boardId: string): Promise<(Disposition & { id: string })[]> {
  return db
    .select({
      id: reviewDispositions.id,
      elementType: reviewDispositions.elementType,
      lineageId: reviewDispositions.lineageId,
      parentLineageId: reviewDispositions.parentLineageId,
      disposition: reviewDispositions.disposition,
      wording: reviewDispositions.wording,
      rationale: reviewDispositions.rationale,
    })
    .from(reviewDispositions)
    .where(eq(reviewDispositions.boardId, boardId))
    .orderBy(asc(reviewDispositions.createdAt), asc(reviewDispositions.id));
}

/** One decision per reviewed element: recording it again replaces the earlier one. */
export async function saveDecision(db: Executor, boardId: string, decision: Disposition): Promise<void> {
  await db
    .insert(reviewDispositions)
    .values({ boardId, ...decision })
    .onConflictDoUpdate({
      target: [reviewDispositions.boardId, reviewDispositions.lineageId],
      set: { disposition: decision.disposition, wording: decision.wording, rationale: decision.rationale, updatedAt: sql`now()` },
    });
}

export async function addNewItem(db: Executor, boardId: string, decision: Disposition): Promise<void> {
  await db.insert(reviewDispositions).values({ boardId, ...decision });
}

export async function markApplied(db: Executor, boardId: string, at: Date, by: string): Promise<void> {
  await db.update(reviewBoards).set({ appliedAt: at, appliedBy: by }).where(eq(reviewBoards.id, boardId));
}

/** Carries out one of the board's operations on the draft edition. */
export async function applyOperation(db: Executor, editionId: string, operation: Operation): Promise<void> {
  const table = operation.elementType === 'objective' ? objectives : commitments;
  if (operation.kind === 'retire') {
    await db.delete(table).where(and(eq(table.editionId, editionId), eq(table.lineageId, operation.lineageId)));
    return;
  }
  if (operation.kind === 'reword') {
    if (operation.elementType === 'objective') {
      await db
        .update(objectives)
        .set({ title: operation.wording })
        .where(and(eq(objectives.editionId, editionId), eq(objectives.lineageId, operation.lineageId)));
    } else {
      await db
        .update(commitments)
        .set({ text: operation.wording })
        .where(and(eq(commitments.editionId, editionId), eq(commitments.lineageId, operation.lineageId)));
    }
    return;
  }
  if (operation.elementType === 'objective') {
    const [parent] = await db
      .select({ id: priorities.id })
      .from(priorities)
      .where(and(eq(priorities.editionId, editionId), eq(priorities.lineageId, operation.parentLineageId)));
    await db.insert(objectives).values({
      editionId,
      priorityId: parent!.id,
      title: operation.wording,
      position: nextPosition(objectives, objectives.priorityId, parent!.id),
    });
  } else {
    const [parent] = await db
      .select({ id: objectives.id })
      .from(objectives)
      .where(and(eq(objectives.editionId, editionId), eq(objectives.lineageId, operation.parentLineageId)));
    await db.insert(commitments).values({
      editionId,
      objectiveId: parent!.id,
      text: operation.wording,
      position: nextPosition(commitments, commitments.objectiveId, parent!.id),
    });
  }
}
