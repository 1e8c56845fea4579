import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import type { DutyKind, StatutorySectionKind } from './domain/plan-tree.ts';
import { dutyLinks, dutyStatements, sprExplanations, statutorySections } from './plans.tables.ts';

/** The single-record texts of an edition: s.7(1) sections, duty statements, SPR explanations. */
export async function findSection(db: Executor, editionId: string, kind: StatutorySectionKind) {
  const [row] = await db
    .select()
    .from(statutorySections)
    .where(and(eq(statutorySections.editionId, editionId), eq(statutorySections.kind, kind)));
  return row;
}

export async function updateSection(db: Executor, id: string, expectedVersion: number, narrative: string) {
  const [row] = await db
    .update(statutorySections)
    .set({ narrative, version: sql`${statutorySections.version} + 1` })
    .where(and(eq(statutorySections.id, id), eq(statutorySections.version, expectedVersion)))
    .returning();
  return row;
}

export async function findDuty(db: Executor, editionId: string, duty: DutyKind) {
  const [row] = await db
    .select()
    .from(dutyStatements)
    .where(and(eq(dutyStatements.editionId, editionId), eq(dutyStatements.duty, duty)));
  return row;
}

export async function updateDuty(
  db: Executor,
  id: string,
  expectedVersion: number,
  statement: string,
  elementLineageIds: readonly string[],
) {
  const [row] = await db
    .update(dutyStatements)
    .set({ statement, version: sql`${dutyStatements.version} + 1` })
    .where(and(eq(dutyStatements.id, id), eq(dutyStatements.version, expectedVersion)))
    .returning();
  if (!row) return undefined;
  await db.delete(dutyLinks).where(eq(dutyLinks.dutyStatementId, id));
  if (elementLineageIds.length)
    await db.insert(dutyLinks).values(elementLineageIds.map((elementLineageId) => ({ dutyStatementId: id, elementLineageId })));
  return row;
}

export async function findSprExplanation(db: Executor, editionId: string, frameworkItemId: string) {
  const [row] = await db
    .select()
    .from(sprExplanations)
    .where(and(eq(sprExplanations.editionId, editionId), eq(sprExplanations.frameworkItemId, frameworkItemId)));
  return row;
}

/** Version 0 means "there was none when the form was loaded": insert, unless someone else did. */
export async function saveSprExplanation(
  db: Executor,
  editionId: string,
  frameworkItemId: string,
  expectedVersion: number,
  explanation: string,
) {
  if (expectedVersion === 0) {
    const [row] = await db.insert(sprExplanations).values({ editionId, frameworkItemId, explanation }).onConflictDoNothing().returning();
    return row;
  }
  const [row] = await db
    .update(sprExplanations)
    .set({ explanation, version: sql`${sprExplanations.version} + 1` })
    .where(
      and(
        eq(sprExplanations.editionId, editionId),
        eq(sprExplanations.frameworkItemId, frameworkItemId),
        eq(sprExplanations.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}
