import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { users } from '../accounts/accounts.tables.ts';
import { scrutinyBodies } from '../organisations/organisations.tables.ts';
import { editions, measures, plans } from '../plans/plans.tables.ts';
import {
  agendaDocuments,
  agendaItemMeasures,
  agendaItems,
  linkMemberReports,
  meetingAttendance,
  meetings,
  panelMembers,
  resolutions,
  scrutinyActions,
} from './scrutiny.tables.ts';

export type PanelMember = typeof panelMembers.$inferSelect;
export type Meeting = typeof meetings.$inferSelect;
export type AgendaItem = typeof agendaItems.$inferSelect;
export type Resolution = typeof resolutions.$inferSelect;
export type LinkMemberReport = typeof linkMemberReports.$inferSelect;
export type ScrutinyActionRow = typeof scrutinyActions.$inferSelect;
export type AttendanceRow = typeof meetingAttendance.$inferSelect;

const bumped = () => ({ version: sql<number>`version + 1`, updatedAt: sql`now()` });

// Panel members.
const roleOrder = sql`case ${panelMembers.role} when 'chair' then 0 when 'vice_chair' then 1 else 2 end`;

export function listPanelMembers(db: Executor, scrutinyBodyId: string): Promise<PanelMember[]> {
  return db
    .select()
    .from(panelMembers)
    .where(eq(panelMembers.scrutinyBodyId, scrutinyBodyId))
    .orderBy(roleOrder, asc(sql`lower(${panelMembers.name})`));
}

export async function findPanelMember(db: Executor, scrutinyBodyId: string, id: string): Promise<PanelMember | undefined> {
  const [row] = await db
    .select()
    .from(panelMembers)
    .where(and(eq(panelMembers.scrutinyBodyId, scrutinyBodyId), eq(panelMembers.id, id)));
  return row;
}

type MemberValues = Omit<typeof panelMembers.$inferInsert, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'userId'>;

export async function insertPanelMember(tx: Executor, values: MemberValues): Promise<PanelMember> {
  const [row] = await tx.insert(panelMembers).values(values).returning();
  return row!;
}

export async function updatePanelMember(
  tx: Executor,
  id: string,
  version: number,
  values: Omit<MemberValues, 'scrutinyBodyId'>,
): Promise<PanelMember | undefined> {
  const [row] = await tx
    .update(panelMembers)
    .set({ ...values, ...bumped() })
    .where(and(eq(panelMembers.id, id), eq(panelMembers.version, version)))
    .returning();
  return row;
}

// Meetings.
export function listMeetings(db: Executor, scrutinyBodyId: string): Promise<Meeting[]> {
  return db
    .select()
    .from(meetings)
    .where(eq(meetings.scrutinyBodyId, scrutinyBodyId))
    .orderBy(desc(meetings.heldOn), desc(meetings.startsAt), asc(meetings.title));
}

export async function findMeeting(db: Executor, scrutinyBodyId: string, id: string): Promise<Meeting | undefined> {
  const [row] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.scrutinyBodyId, scrutinyBodyId), eq(meetings.id, id)));
  return row;
}

type MeetingValues = Omit<typeof meetings.$inferInsert, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

export async function insertMeeting(tx: Executor, values: MeetingValues): Promise<Meeting> {
  const [row] = await tx.insert(meetings).values(values).returning();
  return row!;
}

export async function updateMeeting(
  tx: Executor,
  id: string,
  version: number,
  values: Partial<Omit<MeetingValues, 'scrutinyBodyId'>>,
): Promise<Meeting | undefined> {
  const [row] = await tx
    .update(meetings)
    .set({ ...values, ...bumped() })
    .where(and(eq(meetings.id, id), eq(meetings.version, version)))
    .returning();
  return row;
}

export function listAttendance(db: Executor, meetingId: string) {
  return db
    .select({
      panelMemberId: meetingAttendance.panelMemberId,
      attendance: meetingAttendance.attendance,
      declarationOfInterest: meetingAttendance.declarationOfInterest,
      name: panelMembers.name,
    })
    .from(meetingAttendance)
    .innerJoin(panelMembers, eq(panelMembers.id, meetingAttendance.panelMemberId))
    .where(eq(meetingAttendance.meetingId, meetingId))
    .orderBy(asc(sql`lower(${panelMembers.name})`));
}

export async function replaceAttendance(
  tx: Executor,
  meetingId: string,
  rows: { panelMemberId: string; attendance: AttendanceRow['attendance']; declarationOfInterest: string }[],
): Promise<void> {
  await tx.delete(meetingAttendance).where(eq(meetingAttendance.meetingId, meetingId));
  if (rows.length) await tx.insert(meetingAttendance).values(rows.map((r) => ({ ...r, meetingId })));
}

// Agenda items.
export function listAgendaItems(db: Executor, meetingId: string): Promise<AgendaItem[]> {
  return db.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position));
}

export async function findAgendaItem(db: Executor, meetingId: string, id: string): Promise<AgendaItem | undefined> {
  const [row] = await db
    .select()
    .from(agendaItems)
    .where(and(eq(agendaItems.meetingId, meetingId), eq(agendaItems.id, id)));
  return row;
}

export async function insertAgendaItem(
  tx: Executor,
  values: { meetingId: string; title: string; purpose: string; editionId: string | null },
): Promise<AgendaItem> {
  const [last] = await tx
    .select({ position: sql<number>`coalesce(max(${agendaItems.position}), 0)::int` })
    .from(agendaItems)
    .where(eq(agendaItems.meetingId, values.meetingId));
  const [row] = await tx
    .insert(agendaItems)
    .values({ ...values, position: (last?.position ?? 0) + 1 })
    .returning();
  return row!;
}

export async function updateAgendaItem(
  tx: Executor,
  id: string,
  version: number,
  values: Partial<{ title: string; purpose: string; editionId: string | null; minutes: string }>,
): Promise<AgendaItem | undefined> {
  const [row] = await tx
    .update(agendaItems)
    .set({ ...values, ...bumped() })
    .where(and(eq(agendaItems.id, id), eq(agendaItems.version, version)))
    .returning();
  return row;
}

/** Numbers a meeting's items 1, 2, 3… in the given order. */
export async function renumberAgendaItems(tx: Executor, orderedIds: readonly string[]): Promise<void> {
  for (const [index, id] of orderedIds.entries()) {
    await tx
      .update(agendaItems)
      .set({ position: index + 1 })
      .where(eq(agendaItems.id, id));
  }
}

export async function listItemMeasures(db: Executor, itemIds: readonly string[]) {
  if (!itemIds.length) return [];
  return db
    .select()
    .from(agendaItemMeasures)
    .where(inArray(agendaItemMeasures.agendaItemId, [...itemIds]));
}

export async function replaceItemMeasures(tx: Executor, itemId: string, lineageIds: readonly string[]): Promise<void> {
  await tx.delete(agendaItemMeasures).where(eq(agendaItemMeasures.agendaItemId, itemId));
  if (lineageIds.length)
    await tx.insert(agendaItemMeasures).values(lineageIds.map((measureLineageId) => ({ agendaItemId: itemId, measureLineageId })));
}

// Report documents: listed without their bytes, which are read only to download one.
const documentColumns = {
  id: agendaDocuments.id,
  agendaItemId: agendaDocuments.agendaItemId,
  title: agendaDocuments.title,
  fileName: agendaDocuments.fileName,
  mediaType: agendaDocuments.mediaType,
  sizeBytes: agendaDocuments.sizeBytes,
  sha256: agendaDocuments.sha256,
  createdAt: agendaDocuments.createdAt,
};
export type DocumentMetadata = { [K in keyof typeof documentColumns]: (typeof agendaDocuments.$inferSelect)[K] };

export async function listDocuments(db: Executor, itemIds: readonly string[]): Promise<DocumentMetadata[]> {
  if (!itemIds.length) return [];
  return db
    .select(documentColumns)
    .from(agendaDocuments)
    .where(inArray(agendaDocuments.agendaItemId, [...itemIds]))
    .orderBy(asc(agendaDocuments.createdAt), asc(agendaDocuments.title));
}

export async function insertDocument(tx: Executor, values: typeof agendaDocuments.$inferInsert): Promise<DocumentMetadata> {
  const [row] = await tx.insert(agendaDocuments).values(values).returning(documentColumns);
  return row!;
}

/** One document with its bytes, only if it belongs to a meeting of the given panel. */
export async function findDocument(db: Executor, scrutinyBodyId: string, documentId: string) {
  const [row] = await db
    .select({ ...documentColumns, content: agendaDocuments.content, meetingId: meetings.id, meetingKind: meetings.kind })
    .from(agendaDocuments)
    .innerJoin(agendaItems, eq(agendaItems.id, agendaDocuments.agendaItemId))
    .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
    .where(and(eq(agendaDocuments.id, documentId), eq(meetings.scrutinyBodyId, scrutinyBodyId)));
  return row;
}

// Resolutions.
export async function listResolutions(db: Executor, itemIds: readonly string[]): Promise<Resolution[]> {
  if (!itemIds.length) return [];
  return db
    .select()
    .from(resolutions)
    .where(inArray(resolutions.agendaItemId, [...itemIds]))
    .orderBy(asc(resolutions.position));
}

export async function findResolution(db: Executor, itemId: string, id: string): Promise<Resolution | undefined> {
  const [row] = await db
    .select()
    .from(resolutions)
    .where(and(eq(resolutions.agendaItemId, itemId), eq(resolutions.id, id)));
  return row;
}

type ResolutionValues = Omit<typeof resolutions.$inferInsert, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'position' | 'agendaItemId'>;

export async function insertResolution(tx: Executor, agendaItemId: string, values: ResolutionValues): Promise<Resolution> {
  const [last] = await tx
    .select({ position: sql<number>`coalesce(max(${resolutions.position}), 0)::int` })
    .from(resolutions)
    .where(eq(resolutions.agendaItemId, agendaItemId));
  const [row] = await tx
    .insert(resolutions)
    .values({ ...values, agendaItemId, position: (last?.position ?? 0) + 1 })
    .returning();
  return row!;
}

export async function updateResolution(tx: Executor, id: string, version: number, values: ResolutionValues) {
  const [row] = await tx
    .update(resolutions)
    .set({ ...values, ...bumped() })
    .where(and(eq(resolutions.id, id), eq(resolutions.version, version)))
    .returning();
  return row;
}

// Link-member reports.
export function listLinkMemberReports(db: Executor, scrutinyBodyId: string) {
  return db
    .select({ report: linkMemberReports, memberName: panelMembers.name, meetingTitle: meetings.title })
    .from(linkMemberReports)
    .innerJoin(panelMembers, eq(panelMembers.id, linkMemberReports.panelMemberId))
    .leftJoin(meetings, eq(meetings.id, linkMemberReports.meetingId))
    .where(eq(linkMemberReports.scrutinyBodyId, scrutinyBodyId))
    .orderBy(desc(linkMemberReports.eventOn), asc(linkMemberReports.title));
}

export async function findLinkMemberReport(db: Executor, scrutinyBodyId: string, id: string): Promise<LinkMemberReport | undefined> {
  const [row] = await db
    .select()
    .from(linkMemberReports)
    .where(and(eq(linkMemberReports.scrutinyBodyId, scrutinyBodyId), eq(linkMemberReports.id, id)));
  return row;
}

type ReportValues = Omit<typeof linkMemberReports.$inferInsert, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

export async function insertLinkMemberReport(tx: Executor, values: ReportValues): Promise<LinkMemberReport> {
  const [row] = await tx.insert(linkMemberReports).values(values).returning();
  return row!;
}

export async function updateLinkMemberReport(tx: Executor, id: string, version: number, values: Omit<ReportValues, 'scrutinyBodyId'>) {
  const [row] = await tx
    .update(linkMemberReports)
    .set({ ...values, ...bumped() })
    .where(and(eq(linkMemberReports.id, id), eq(linkMemberReports.version, version)))
    .returning();
  return row;
}

// Actions.
export function listActions(db: Executor, policingBodyId: string) {
  return db
    .select({
      action: scrutinyActions,
      meetingTitle: meetings.title,
      itemTitle: agendaItems.title,
      reportTitle: linkMemberReports.title,
      ownerUserName: users.displayName,
    })
    .from(scrutinyActions)
    .leftJoin(meetings, eq(meetings.id, scrutinyActions.meetingId))
    .leftJoin(agendaItems, eq(agendaItems.id, scrutinyActions.agendaItemId))
    .leftJoin(linkMemberReports, eq(linkMemberReports.id, scrutinyActions.linkMemberReportId))
    .leftJoin(users, eq(users.id, scrutinyActions.ownerUserId))
    .where(eq(scrutinyActions.policingBodyId, policingBodyId))
    .orderBy(asc(scrutinyActions.dueOn), asc(scrutinyActions.createdAt));
}

export async function findAction(db: Executor, policingBodyId: string, id: string): Promise<ScrutinyActionRow | undefined> {
  const [row] = await db
    .select()
    .from(scrutinyActions)
    .where(and(eq(scrutinyActions.policingBodyId, policingBodyId), eq(scrutinyActions.id, id)));
  return row;
}

type ActionValues = Omit<typeof scrutinyActions.$inferInsert, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

export async function insertAction(tx: Executor, values: ActionValues): Promise<ScrutinyActionRow> {
  const [row] = await tx.insert(scrutinyActions).values(values).returning();
  return row!;
}

export async function updateAction(
  tx: Executor,
  id: string,
  version: number,
  values: Partial<Omit<ActionValues, 'policingBodyId'>>,
): Promise<ScrutinyActionRow | undefined> {
  const [row] = await tx
    .update(scrutinyActions)
    .set({ ...values, ...bumped() })
    .where(and(eq(scrutinyActions.id, id), eq(scrutinyActions.version, version)))
    .returning();
  return row;
}

/** Open and in-progress actions with their due dates and owners, soonest first (the calendar's feed). */
export function listActionsDue(db: Executor, policingBodyId: string) {
  return db
    .select({
      id: scrutinyActions.id,
      description: scrutinyActions.description,
      ownerName: scrutinyActions.ownerName,
      ownerUserId: scrutinyActions.ownerUserId,
      dueOn: scrutinyActions.dueOn,
      status: scrutinyActions.status,
      meetingId: scrutinyActions.meetingId,
    })
    .from(scrutinyActions)
    .where(and(eq(scrutinyActions.policingBodyId, policingBodyId), inArray(scrutinyActions.status, ['open', 'in_progress'])))
    .orderBy(asc(scrutinyActions.dueOn), asc(scrutinyActions.createdAt));
}

// The body's plan editions and their measures, for linking agenda items.
export function listEditionsOfBody(db: Executor, policingBodyId: string) {
  return db
    .select({
      id: editions.id,
      planId: plans.id,
      number: editions.number,
      label: editions.label,
      planTitle: plans.title,
      lifecycleState: editions.lifecycleState,
      draftNumber: editions.draftNumber,
    })
    .from(editions)
    .innerJoin(plans, eq(plans.id, editions.planId))
    .where(eq(plans.policingBodyId, policingBodyId))
    .orderBy(desc(plans.periodStartsOn), asc(plans.title), desc(editions.number));
}

export function listMeasuresOfEdition(db: Executor, editionId: string) {
  return db
    .select({ lineageId: measures.lineageId, name: measures.name, unit: measures.unit })
    .from(measures)
    .where(eq(measures.editionId, editionId))
    .orderBy(asc(measures.position), asc(measures.name));
}

// For the public site.
export async function findScrutinyBodyIdOf(db: Executor, policingBodyId: string): Promise<string | null> {
  const [row] = await db.select({ id: scrutinyBodies.id }).from(scrutinyBodies).where(eq(scrutinyBodies.policingBodyId, policingBodyId));
  return row?.id ?? null;
}

/** An agenda item with its meeting, only if the meeting is the given panel's. */
export async function findAgendaItemOfPanel(db: Executor, scrutinyBodyId: string, itemId: string) {
  const [row] = await db
    .select({ item: agendaItems, meeting: meetings })
    .from(agendaItems)
    .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
    .where(and(eq(agendaItems.id, itemId), eq(meetings.scrutinyBodyId, scrutinyBodyId)));
  return row;
}
