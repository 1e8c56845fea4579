import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { editions } from '../plans/plans.tables.ts';
import { elementComments } from './comments.tables.ts';

export type CommentRow = typeof elementComments.$inferSelect;
/** A comment with the edition it was made on, for "made on edition 1, draft 2". */
export type CommentWithEdition = CommentRow & { editionNumber: number; editionLabel: string };

/** Every comment on the plan, oldest first: threads follow lineage across drafts and editions. */
export async function listForPlan(db: Executor, planId: string, lineageId?: string): Promise<CommentWithEdition[]> {
  const rows = await db
    .select({ comment: elementComments, editionNumber: editions.number, editionLabel: editions.label })
    .from(elementComments)
    .innerJoin(editions, eq(editions.id, elementComments.editionId))
    .where(and(eq(elementComments.planId, planId), lineageId ? eq(elementComments.lineageId, lineageId) : undefined))
    .orderBy(asc(elementComments.createdAt), asc(elementComments.id));
  return rows.map(({ comment, ...edition }) => ({ ...comment, ...edition }));
}

/** Open threads on the plan's elements (a cheap count for links). */
export async function countOpenThreads(db: Executor, planId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(elementComments)
    .where(and(eq(elementComments.planId, planId), isNull(elementComments.parentId), eq(elementComments.status, 'open')));
  return row?.n ?? 0;
}

export async function findThread(db: Executor, planId: string, lineageId: string, id: string): Promise<CommentRow | undefined> {
  const [row] = await db
    .select()
    .from(elementComments)
    .where(
      and(
        eq(elementComments.id, id),
        eq(elementComments.planId, planId),
        eq(elementComments.lineageId, lineageId),
        isNull(elementComments.parentId),
      ),
    );
  return row;
}

export async function insertComment(db: Executor, values: typeof elementComments.$inferInsert): Promise<CommentRow> {
  const [row] = await db.insert(elementComments).values(values).returning();
  return row!;
}

/** Sets a thread's status, if nobody else changed it since `version`. */
export async function updateStatus(
  db: Executor,
  id: string,
  version: number,
  status: CommentRow['status'],
): Promise<CommentRow | undefined> {
  const [row] = await db
    .update(elementComments)
    .set({ status, version: sql`${elementComments.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(elementComments.id, id), eq(elementComments.version, version), isNull(elementComments.parentId)))
    .returning();
  return row;
}
