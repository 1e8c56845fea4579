import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { memberships } from '../accounts/accounts.tables.ts';
import { editionDrafts, editionTransitions, lifecycleSettings, panelReports } from '../lifecycle/lifecycle.tables.ts';
import { scrutinyBodies } from '../organisations/organisations.tables.ts';
import { editions, plans } from '../plans/plans.tables.ts';
import { performanceReports } from '../performance/performance.tables.ts';
import { meetings, recommendations, scrutinyActions } from '../scrutiny/scrutiny.tables.ts';
import { calendarItems, elections } from './calendar.tables.ts';
import { defaultSettings, type Settings } from './domain/deadlines.ts';

export type ElectionRow = typeof elections.$inferSelect;
export type ItemRow = typeof calendarItems.$inferSelect;

export async function listElections(db: Executor, policingBodyId: string): Promise<ElectionRow[]> {
  return db.select().from(elections).where(eq(elections.policingBodyId, policingBodyId)).orderBy(asc(elections.scheduledOn));
}

export async function findElection(db: Executor, policingBodyId: string, id: string): Promise<ElectionRow | undefined> {
  const [row] = await db
    .select()
    .from(elections)
    .where(and(eq(elections.policingBodyId, policingBodyId), eq(elections.id, id)));
  return row;
}

export async function insertElection(db: Executor, values: typeof elections.$inferInsert): Promise<ElectionRow> {
  const [row] = await db.insert(elections).values(values).returning();
  return row!;
}

/** Updates only if nobody saved since `version` was read; undefined means stale. */
export async function updateElection(
  db: Executor,
  id: string,
  version: number,
  values: Pick<ElectionRow, 'scheduledOn' | 'heldOn' | 'note'>,
): Promise<ElectionRow | undefined> {
  const [row] = await db
    .update(elections)
    .set({ ...values, version: sql`${elections.version} + 1` })
    .where(and(eq(elections.id, id), eq(elections.version, version)))
    .returning();
  return row;
}

export async function deleteElection(db: Executor, id: string, version: number): Promise<boolean> {
  const rows = await db
    .delete(elections)
    .where(and(eq(elections.id, id), eq(elections.version, version)))
    .returning({ id: elections.id });
  return rows.length > 0;
}

export async function listItems(db: Executor, policingBodyId: string): Promise<ItemRow[]> {
  return db
    .select()
    .from(calendarItems)
    .where(eq(calendarItems.policingBodyId, policingBodyId))
    .orderBy(asc(calendarItems.dueOn), asc(calendarItems.title));
}

export async function findItem(db: Executor, policingBodyId: string, id: string): Promise<ItemRow | undefined> {
  const [row] = await db
    .select()
    .from(calendarItems)
    .where(and(eq(calendarItems.policingBodyId, policingBodyId), eq(calendarItems.id, id)));
  return row;
}

export async function insertItem(db: Executor, values: typeof calendarItems.$inferInsert): Promise<ItemRow> {
  const [row] = await db.insert(calendarItems).values(values).returning();
  return row!;
}

export async function updateItem(
  db: Executor,
  id: string,
  version: number,
  values: Partial<Pick<ItemRow, 'title' | 'kind' | 'dueOn' | 'statutoryBasis' | 'notes' | 'scrutinyBodyId' | 'completedOn'>>,
): Promise<ItemRow | undefined> {
  const [row] = await db
    .update(calendarItems)
    .set({ ...values, version: sql`${calendarItems.version} + 1` })
    .where(and(eq(calendarItems.id, id), eq(calendarItems.version, version)))
    .returning();
  return row;
}

/** The body's settings, or the column defaults when it has never saved any. */
export async function findSettings(db: Executor, policingBodyId: string): Promise<Settings> {
  const [row] = await db.select().from(lifecycleSettings).where(eq(lifecycleSettings.policingBodyId, policingBodyId));
  if (!row) return defaultSettings;
  return {
    panelReviewDays: row.panelReviewDays,
    responseDueDays: row.responseDueDays,
    actionReminderDays: row.actionReminderDays,
    annualReportMonth: row.annualReportMonth,
    quarterlyReportLagDays: row.quarterlyReportLagDays,
  };
}

export async function findPanelId(db: Executor, policingBodyId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: scrutinyBodies.id })
    .from(scrutinyBodies)
    .where(eq(scrutinyBodies.policingBodyId, policingBodyId))
    .limit(1);
  return row?.id ?? null;
}

/** Everything the calendar is computed from, for one body. */
export async function loadCalendarSources(db: Executor, policingBodyId: string) {
  const issued = await db
    .select({ happenedOn: editionTransitions.happenedOn })
    .from(editionTransitions)
    .innerJoin(editions, eq(editions.id, editionTransitions.editionId))
    .innerJoin(plans, eq(plans.id, editions.planId))
    .where(and(eq(plans.policingBodyId, policingBodyId), eq(editionTransitions.toState, 'issued')));

  const drafts = await db
    .select({
      editionId: editionDrafts.editionId,
      planId: plans.id,
      editionNumber: editions.number,
      planTitle: plans.title,
      draftNumber: editionDrafts.draftNumber,
      sentOn: editionDrafts.sentOn,
      reviewWindowEndsOn: editionDrafts.reviewWindowEndsOn,
      reportReceivedOn: panelReports.receivedOn,
    })
    .from(editionDrafts)
    .innerJoin(editions, eq(editions.id, editionDrafts.editionId))
    .innerJoin(plans, eq(plans.id, editions.planId))
    .leftJoin(
      panelReports,
      and(eq(panelReports.editionId, editionDrafts.editionId), eq(panelReports.draftNumber, editionDrafts.draftNumber)),
    )
    .where(eq(plans.policingBodyId, policingBodyId));

  const recs = await db
    .select({
      id: recommendations.id,
      reference: recommendations.reference,
      responseDueOn: recommendations.responseDueOn,
      respondedOn: recommendations.respondedOn,
    })
    .from(recommendations)
    .where(eq(recommendations.policingBodyId, policingBodyId));

  const panelUsers = db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.policingBodyId, policingBodyId), inArray(memberships.role, ['panel_member', 'panel_officer'])));
  const actions = await db
    .select({
      id: scrutinyActions.id,
      description: scrutinyActions.description,
      ownerName: scrutinyActions.ownerName,
      dueOn: scrutinyActions.dueOn,
      status: scrutinyActions.status,
      completedOn: scrutinyActions.completedOn,
      ownedByPanel: sql<boolean>`coalesce(${scrutinyActions.ownerUserId} in (${panelUsers}), false)`,
    })
    .from(scrutinyActions)
    .where(eq(scrutinyActions.policingBodyId, policingBodyId));

  const panelMeetings = await db
    .select({ id: meetings.id, title: meetings.title, heldOn: meetings.heldOn })
    .from(meetings)
    .innerJoin(scrutinyBodies, eq(scrutinyBodies.id, meetings.scrutinyBodyId))
    .where(eq(scrutinyBodies.policingBodyId, policingBodyId));

  const quarterlyReportsMade = await db
    .select({
      quarterStartsOn: performanceReports.periodStart,
      madeOn: sql<string>`min(${performanceReports.generatedAt} at time zone 'Europe/London')::date::text`,
    })
    .from(performanceReports)
    .innerJoin(plans, eq(plans.id, performanceReports.planId))
    .where(and(eq(plans.policingBodyId, policingBodyId), eq(performanceReports.kind, 'quarterly')))
    .groupBy(performanceReports.periodStart);

  return {
    elections: await listElections(db, policingBodyId),
    planIssuedOn: issued.map((row) => row.happenedOn),
    quarterlyReportsMade,
    drafts,
    recommendations: recs,
    actions: actions.map((a) => ({ ...a, ownedByPanel: a.ownedByPanel === true || String(a.ownedByPanel) === 't' })),
    meetings: panelMeetings,
    items: await listItems(db, policingBodyId),
    settings: await findSettings(db, policingBodyId),
  };
}
