import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { editionDrafts, lifecycleSettings } from '../lifecycle/lifecycle.tables.ts';
import { editions, plans } from '../plans/plans.tables.ts';
import { meetings, recommendationElements, recommendations } from './scrutiny.tables.ts';
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

// ---- The register (features/scrutiny/recommendations.*): reads across the body, one at a time, publishing one.

/** A recommendation with where it was made: the plan edition and draft, or the meeting. */
export type RegisterRow = RecommendationRow & {
  planId: string | null;
  planTitle: string | null;
  editionNumber: number | null;
  editionLabel: string | null;
  editionVision: string | null;
  editionIsFrozen: boolean | null;
  meetingTitle: string | null;
  meetingHeldOn: string | null;
};

const registerColumns = {
  recommendation: recommendations,
  planId: plans.id,
  planTitle: plans.title,
  editionNumber: editions.number,
  editionLabel: editions.label,
  editionVision: editions.vision,
  editionIsFrozen: editions.isFrozen,
  meetingTitle: meetings.title,
  meetingHeldOn: meetings.heldOn,
};

type JoinedRow = { recommendation: RecommendationRow } & Omit<RegisterRow, keyof RecommendationRow>;
const flatten = ({ recommendation, ...rest }: JoinedRow): RegisterRow => ({ ...recommendation, ...rest });

const registerQuery = (db: Executor) =>
  db
    .select(registerColumns)
    .from(recommendations)
    .leftJoin(editions, eq(editions.id, recommendations.editionId))
    .leftJoin(plans, eq(plans.id, editions.planId))
    .leftJoin(meetings, eq(meetings.id, recommendations.meetingId));

/** Every recommendation made to the body, newest first; the edition filter is applied here. */
export async function listForBody(db: Executor, policingBodyId: string, editionId?: string): Promise<RegisterRow[]> {
  const rows = await registerQuery(db)
    .where(and(eq(recommendations.policingBodyId, policingBodyId), editionId ? eq(recommendations.editionId, editionId) : undefined))
    .orderBy(desc(recommendations.madeOn), asc(recommendations.editionId), asc(recommendations.position));
  return rows.map(flatten);
}

export async function findInBody(db: Executor, policingBodyId: string, id: string): Promise<RegisterRow | undefined> {
  const [row] = await registerQuery(db).where(and(eq(recommendations.id, id), eq(recommendations.policingBodyId, policingBodyId)));
  return row && flatten(row);
}

export type ElementLink = typeof recommendationElements.$inferSelect;

export async function listElementLinks(db: Executor, recommendationIds: readonly string[]): Promise<ElementLink[]> {
  if (recommendationIds.length === 0) return [];
  return db
    .select()
    .from(recommendationElements)
    .where(inArray(recommendationElements.recommendationId, [...recommendationIds]));
}

/** Publishes one answered response, if nobody else changed the recommendation since `version`. */
export async function publishResponse(
  tx: Executor,
  id: string,
  version: number,
  publishedOn: string,
): Promise<RecommendationRow | undefined> {
  const [row] = await tx
    .update(recommendations)
    .set({ responsePublishedOn: publishedOn, version: sql`${recommendations.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(recommendations.id, id),
        eq(recommendations.version, version),
        isNull(recommendations.responsePublishedOn),
        sql`${recommendations.responseStatus} is not null`,
      ),
    )
    .returning();
  return row;
}

export async function findRecommendation(db: Executor, id: string): Promise<RecommendationRow | undefined> {
  const [row] = await db.select().from(recommendations).where(eq(recommendations.id, id));
  return row;
}

/** The panel's meetings, newest first, to say where a recommendation was made. */
export function listMeetingsOf(db: Executor, scrutinyBodyId: string) {
  return db
    .select({ id: meetings.id, title: meetings.title, heldOn: meetings.heldOn })
    .from(meetings)
    .where(eq(meetings.scrutinyBodyId, scrutinyBodyId))
    .orderBy(desc(meetings.heldOn));
}

export async function findMeetingOf(db: Executor, scrutinyBodyId: string, meetingId: string) {
  const [row] = await db
    .select({ id: meetings.id, title: meetings.title, heldOn: meetings.heldOn })
    .from(meetings)
    .where(and(eq(meetings.id, meetingId), eq(meetings.scrutinyBodyId, scrutinyBodyId)));
  return row;
}

/** The body's plan editions, for choosing the one a recommendation concerns. */
export function listBodyEditions(db: Executor, policingBodyId: string) {
  return db
    .select({
      id: editions.id,
      number: editions.number,
      label: editions.label,
      vision: editions.vision,
      draftNumber: editions.draftNumber,
      isFrozen: editions.isFrozen,
      planId: plans.id,
      planTitle: plans.title,
    })
    .from(editions)
    .innerJoin(plans, eq(plans.id, editions.planId))
    .where(eq(plans.policingBodyId, policingBodyId))
    .orderBy(desc(plans.periodStartsOn), asc(editions.number));
}

/** The snapshot of a draft as the panel was sent it (features/lifecycle keeps them). */
export async function findDraftSnapshot(db: Executor, editionId: string, draftNumber: number): Promise<unknown> {
  const [row] = await db
    .select({ snapshot: editionDrafts.snapshot })
    .from(editionDrafts)
    .where(and(eq(editionDrafts.editionId, editionId), eq(editionDrafts.draftNumber, draftNumber)));
  return row?.snapshot;
}

export async function responseDueDays(db: Executor, policingBodyId: string): Promise<number | undefined> {
  const [row] = await db
    .select({ days: lifecycleSettings.responseDueDays })
    .from(lifecycleSettings)
    .where(eq(lifecycleSettings.policingBodyId, policingBodyId));
  return row?.days;
}

/** Published responses only: what the public site shows (s.5(6)(f)). */
export async function listPublishedRecommendations(db: Executor, policingBodyId: string): Promise<RegisterRow[]> {
  const rows = await registerQuery(db)
    .where(and(eq(recommendations.policingBodyId, policingBodyId), isNotNull(recommendations.responsePublishedOn)))
    .orderBy(desc(recommendations.madeOn), asc(recommendations.editionId), asc(recommendations.position));
  return rows.map(flatten);
}
