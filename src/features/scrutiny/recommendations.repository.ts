import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { recommendationElements, recommendations } from './scrutiny.tables.ts';
import type { recommendationSources, responseStatuses } from './domain/kinds.ts';

export type RecommendationRow = typeof recommendations.$inferSelect;
export type ResponseStatus = (typeof responseStatuses)[number];
export type NewRecommendation = {
  text: string;
  /** The plan elements it concerns, by lineage id. */
  elements?: { lineageId: string; elementType: 'priority' | 'objective' | 'commitment' | 'measure' }[];
};

/**
 * Records the recommendations of one panel report (or further-draft request) on an edition's
 * draft, numbered R1, R2... within the edition, each due a response by `responseDueOn`.
 */
export async function insertRecommendations(
  tx: Executor,
  input: {
    policingBodyId: string;
    scrutinyBodyId: string;
    editionId: string | null;
    draftNumber: number | null;
    meetingId: string | null;
    source: (typeof recommendationSources)[number];
    madeOn: string;
    responseDueOn: string;
    items: NewRecommendation[];
  },
): Promise<RecommendationRow[]> {
  if (input.items.length === 0) return [];
  const [counted] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(recommendations)
    .where(input.editionId ? eq(recommendations.editionId, input.editionId) : eq(recommendations.policingBodyId, input.policingBodyId));
  const count = counted?.count ?? 0;
  const rows = await tx
    .insert(recommendations)
    .values(
      input.items.map((item, index) => ({
        policingBodyId: input.policingBodyId,
        scrutinyBodyId: input.scrutinyBodyId,
        editionId: input.editionId,
        draftNumber: input.draftNumber,
        meetingId: input.meetingId,
        source: input.source,
        reference: `R${count + index + 1}`,
        position: count + index + 1,
        text: item.text,
        madeOn: input.madeOn,
        responseDueOn: input.responseDueOn,
      })),
    )
    .returning();
  const links = input.items.flatMap((item, index) =>
    (item.elements ?? []).map((e) => ({ recommendationId: rows[index]!.id, lineageId: e.lineageId, elementType: e.elementType })),
  );
  if (links.length) await tx.insert(recommendationElements).values(links).onConflictDoNothing();
  return rows;
}

/** Every recommendation made on an edition, in order, across all its drafts. */
export function listForEdition(db: Executor, editionId: string): Promise<RecommendationRow[]> {
  return db.select().from(recommendations).where(eq(recommendations.editionId, editionId)).orderBy(asc(recommendations.position));
}

/** Recommendations on the edition still waiting for the commissioner's response (s.5(6)(e)). */
export function listUnanswered(db: Executor, editionId: string): Promise<RecommendationRow[]> {
  return db
    .select()
    .from(recommendations)
    .where(and(eq(recommendations.editionId, editionId), isNull(recommendations.responseStatus)))
    .orderBy(asc(recommendations.position));
}

/** Records the response to one recommendation, if nobody else changed it since `version`. */
export async function recordResponse(
  tx: Executor,
  input: { id: string; version: number; status: ResponseStatus; text: string; respondedOn: string; respondedBy: string },
): Promise<RecommendationRow | undefined> {
  const [row] = await tx
    .update(recommendations)
    .set({
      responseStatus: input.status,
      responseText: input.text,
      respondedOn: input.respondedOn,
      respondedBy: input.respondedBy,
      version: sql`${recommendations.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(recommendations.id, input.id), eq(recommendations.version, input.version)))
    .returning();
  return row;
}

/** Publishes every answered, unpublished response on the edition (s.5(6)(f)). */
export async function publishResponses(tx: Executor, editionId: string, publishedOn: string): Promise<number> {
  const rows = await tx
    .update(recommendations)
    .set({ responsePublishedOn: publishedOn, version: sql`${recommendations.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(recommendations.editionId, editionId),
        isNull(recommendations.responsePublishedOn),
        sql`${recommendations.responseStatus} is not null`,
      ),
    )
    .returning({ id: recommendations.id });
  return rows.length;
}
