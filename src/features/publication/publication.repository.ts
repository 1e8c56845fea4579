import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { editions, plans } from '../plans/plans.tables.ts';
import { publishedEditions } from './publication.tables.ts';

export type PublishedEditionRow = typeof publishedEditions.$inferSelect;

/** One published edition as the archive lists it: what the snapshot says, and where the edition is now. */
export type PublishedSummary = {
  id: string;
  editionId: string;
  publishedAt: Date;
  planId: string;
  title: string;
  periodStartsOn: string;
  periodEndsOn: string;
  editionNumber: number;
  editionLabel: string;
  lifecycleState: string;
};

/** The edition to publish with its plan, or nothing if it is not the body's. */
export async function findEditionToPublish(tx: Executor, policingBodyId: string, editionId: string) {
  const [row] = await tx
    .select({ edition: editions, plan: plans })
    .from(editions)
    .innerJoin(plans, eq(plans.id, editions.planId))
    .where(and(eq(editions.id, editionId), eq(plans.policingBodyId, policingBodyId)));
  return row;
}

export async function insertPublishedEdition(tx: Executor, values: typeof publishedEditions.$inferInsert): Promise<PublishedEditionRow> {
  const [row] = await tx.insert(publishedEditions).values(values).returning();
  return row!;
}

/**
 * Every edition the body has published, oldest first, read from the snapshots (title, period and
 * label as published) with the edition's lifecycle state now (in force, superseded, expired).
 */
export async function listPublished(db: Executor, policingBodyId: string): Promise<PublishedSummary[]> {
  const json = publishedEditions.planJson;
  return db
    .select({
      id: publishedEditions.id,
      editionId: publishedEditions.editionId,
      publishedAt: publishedEditions.publishedAt,
      planId: editions.planId,
      title: sql<string>`${json}->'plan'->>'title'`,
      periodStartsOn: sql<string>`${json}->'plan'->>'periodStartsOn'`,
      periodEndsOn: sql<string>`${json}->'plan'->>'periodEndsOn'`,
      editionNumber: sql<number>`(${json}->'edition'->>'number')::int`,
      editionLabel: sql<string>`${json}->'edition'->>'label'`,
      lifecycleState: editions.lifecycleState,
    })
    .from(publishedEditions)
    .innerJoin(editions, eq(editions.id, publishedEditions.editionId))
    .where(eq(publishedEditions.policingBodyId, policingBodyId))
    .orderBy(asc(publishedEditions.publishedAt), asc(publishedEditions.id));
}

export async function findPublished(db: Executor, policingBodyId: string, id: string): Promise<PublishedEditionRow | undefined> {
  const [row] = await db
    .select()
    .from(publishedEditions)
    .where(and(eq(publishedEditions.policingBodyId, policingBodyId), eq(publishedEditions.id, id)));
  return row;
}

export async function listPublishedPlanJson(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: publishedEditions.id, planJson: publishedEditions.planJson })
    .from(publishedEditions)
    .where(inArray(publishedEditions.id, [...ids]));
}
