import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { editions, plans } from '../plans/plans.tables.ts';
import {
  agendaDocuments,
  agendaItems,
  meetingAttendance,
  meetings,
  panelMembers,
  recommendations,
  resolutions,
} from '../scrutiny/scrutiny.tables.ts';
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

/**
 * The panel's recommendations whose responses the commissioner has published (PRSRA 2011
 * s.28(4): the response is published), newest first. Unpublished responses never leave here.
 */
export async function listPublishedRecommendations(db: Executor, policingBodyId: string) {
  return db
    .select({
      id: recommendations.id,
      reference: recommendations.reference,
      text: recommendations.text,
      madeOn: recommendations.madeOn,
      source: recommendations.source,
      responseStatus: recommendations.responseStatus,
      responseText: recommendations.responseText,
      respondedOn: recommendations.respondedOn,
      responsePublishedOn: recommendations.responsePublishedOn,
      editionLabel: editions.label,
      draftNumber: recommendations.draftNumber,
    })
    .from(recommendations)
    .leftJoin(editions, eq(editions.id, recommendations.editionId))
    .where(and(eq(recommendations.policingBodyId, policingBodyId), isNotNull(recommendations.responsePublishedOn)))
    .orderBy(desc(recommendations.madeOn), asc(recommendations.position));
}

/** Only formal public meetings: development days, workshops and private sessions are not published. */
const isPublicMeeting = eq(meetings.kind, 'formal_public');

export async function listPublicMeetings(db: Executor, scrutinyBodyId: string) {
  return db
    .select({ id: meetings.id, title: meetings.title, heldOn: meetings.heldOn, startsAt: meetings.startsAt, place: meetings.place })
    .from(meetings)
    .where(and(eq(meetings.scrutinyBodyId, scrutinyBodyId), isPublicMeeting))
    .orderBy(desc(meetings.heldOn), asc(meetings.title));
}

export async function findPublicMeeting(db: Executor, scrutinyBodyId: string, meetingId: string) {
  const [meeting] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.id, meetingId), eq(meetings.scrutinyBodyId, scrutinyBodyId), isPublicMeeting));
  if (!meeting) return undefined;
  const items = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meeting.id)).orderBy(asc(agendaItems.position));
  const itemIds = items.map((i) => i.id);
  const [itemResolutions, documents, attendance] = await Promise.all([
    itemIds.length
      ? db.select().from(resolutions).where(inArray(resolutions.agendaItemId, itemIds)).orderBy(asc(resolutions.position))
      : [],
    itemIds.length
      ? db
          .select({
            id: agendaDocuments.id,
            agendaItemId: agendaDocuments.agendaItemId,
            title: agendaDocuments.title,
            fileName: agendaDocuments.fileName,
            mediaType: agendaDocuments.mediaType,
            sizeBytes: agendaDocuments.sizeBytes,
          })
          .from(agendaDocuments)
          .where(inArray(agendaDocuments.agendaItemId, itemIds))
          .orderBy(asc(agendaDocuments.createdAt))
      : [],
    db
      .select({
        name: panelMembers.name,
        kind: panelMembers.kind,
        council: panelMembers.council,
        role: panelMembers.role,
        attendance: meetingAttendance.attendance,
        declarationOfInterest: meetingAttendance.declarationOfInterest,
      })
      .from(meetingAttendance)
      .innerJoin(panelMembers, eq(panelMembers.id, meetingAttendance.panelMemberId))
      .where(eq(meetingAttendance.meetingId, meeting.id))
      .orderBy(asc(panelMembers.name)),
  ]);
  return {
    meeting,
    attendance,
    items: items.map((item) => ({
      ...item,
      resolutions: itemResolutions.filter((r) => r.agendaItemId === item.id),
      documents: documents.filter((d) => d.agendaItemId === item.id),
    })),
  };
}

/** A report document, only if its meeting is a formal public meeting of this panel. */
export async function findPublicDocument(db: Executor, scrutinyBodyId: string, meetingId: string, documentId: string) {
  const [row] = await db
    .select({
      fileName: agendaDocuments.fileName,
      mediaType: agendaDocuments.mediaType,
      sha256: agendaDocuments.sha256,
      content: agendaDocuments.content,
    })
    .from(agendaDocuments)
    .innerJoin(agendaItems, eq(agendaItems.id, agendaDocuments.agendaItemId))
    .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
    .where(
      and(eq(agendaDocuments.id, documentId), eq(meetings.id, meetingId), eq(meetings.scrutinyBodyId, scrutinyBodyId), isPublicMeeting),
    );
  return row;
}
