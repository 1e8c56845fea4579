import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import type { LifecycleState } from '../../shared/lifecycle-states.ts';
import { editions, plans } from '../plans/plans.tables.ts';
import { approvalSteps, editionDrafts, editionTransitions, lifecycleSettings, panelReports } from './lifecycle.tables.ts';

export type TransitionRow = typeof editionTransitions.$inferSelect;
export type DraftRow = typeof editionDrafts.$inferSelect;
export type PanelReportRow = typeof panelReports.$inferSelect;
export type SettingsRow = typeof lifecycleSettings.$inferSelect;
export type ApprovalStepRow = typeof approvalSteps.$inferSelect;
export type EditionRow = typeof editions.$inferSelect;

/** The edition row, locked for the rest of the transaction: transitions of one edition queue up. */
export async function lockEdition(tx: Executor, editionId: string): Promise<EditionRow | undefined> {
  const [row] = await tx.select().from(editions).where(eq(editions.id, editionId)).for('update');
  return row;
}

export function listTransitions(db: Executor, editionId: string): Promise<TransitionRow[]> {
  return db
    .select()
    .from(editionTransitions)
    .where(eq(editionTransitions.editionId, editionId))
    .orderBy(asc(editionTransitions.recordedAt), asc(editionTransitions.id));
}

export async function insertTransition(tx: Executor, values: typeof editionTransitions.$inferInsert): Promise<TransitionRow> {
  const [row] = await tx.insert(editionTransitions).values(values).returning();
  return row!;
}

/** Compare-and-set: moves the edition only if it is still in `from` (nobody moved it meanwhile). */
export async function moveEdition(
  tx: Executor,
  editionId: string,
  from: LifecycleState,
  values: { lifecycleState: LifecycleState; draftNumber?: number; isFrozen?: boolean; frozenAt?: Date },
): Promise<boolean> {
  const rows = await tx
    .update(editions)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(editions.id, editionId), eq(editions.lifecycleState, from)))
    .returning({ id: editions.id });
  return rows.length === 1;
}

/** The other editions of the plan that are issued or in force, locked: issuing another supersedes them. */
export function lockOtherLiveEditions(tx: Executor, planId: string, editionId: string): Promise<EditionRow[]> {
  return tx
    .select()
    .from(editions)
    .where(and(eq(editions.planId, planId), ne(editions.id, editionId), inArray(editions.lifecycleState, ['issued', 'in_force'])))
    .for('update');
}

/** Editions the daily job may move on, with their plan's period. */
export function listLiveEditions(db: Executor) {
  return db
    .select({ edition: editions, plan: plans })
    .from(editions)
    .innerJoin(plans, eq(plans.id, editions.planId))
    .where(inArray(editions.lifecycleState, ['issued', 'in_force']))
    .orderBy(asc(editions.id));
}

export async function insertDraft(tx: Executor, values: typeof editionDrafts.$inferInsert): Promise<DraftRow> {
  const [row] = await tx.insert(editionDrafts).values(values).returning();
  return row!;
}

/** The latest draft of the edition the panel was sent. */
export async function findLastDraft(db: Executor, editionId: string): Promise<DraftRow | undefined> {
  const [row] = await db
    .select()
    .from(editionDrafts)
    .where(eq(editionDrafts.editionId, editionId))
    .orderBy(desc(editionDrafts.draftNumber))
    .limit(1);
  return row;
}

export function listDrafts(db: Executor, editionId: string): Promise<DraftRow[]> {
  return db.select().from(editionDrafts).where(eq(editionDrafts.editionId, editionId)).orderBy(asc(editionDrafts.draftNumber));
}

export async function insertPanelReport(tx: Executor, values: typeof panelReports.$inferInsert): Promise<PanelReportRow> {
  const [row] = await tx.insert(panelReports).values(values).returning();
  return row!;
}

export function listPanelReports(db: Executor, editionId: string): Promise<PanelReportRow[]> {
  return db.select().from(panelReports).where(eq(panelReports.editionId, editionId)).orderBy(asc(panelReports.draftNumber));
}

export const defaultSettings = {
  panelReviewDays: 28,
  responseDueDays: 28,
  actionReminderDays: 7,
  annualReportMonth: 7,
  quarterlyReportLagDays: 60,
  version: 0,
};

/** The body's settings; the defaults (version 0, not yet saved) when it has none. */
export async function findSettings(db: Executor, policingBodyId: string): Promise<Omit<SettingsRow, 'policingBodyId' | 'updatedAt'>> {
  const [row] = await db.select().from(lifecycleSettings).where(eq(lifecycleSettings.policingBodyId, policingBodyId));
  return row ?? defaultSettings;
}

type SettingsValues = Pick<
  SettingsRow,
  'panelReviewDays' | 'responseDueDays' | 'actionReminderDays' | 'annualReportMonth' | 'quarterlyReportLagDays'
>;

/** Optimistic lock: saves only if nobody else saved since `expectedVersion` (0: never saved). */
export async function saveSettings(
  tx: Executor,
  policingBodyId: string,
  expectedVersion: number,
  values: SettingsValues,
): Promise<SettingsRow | undefined> {
  if (expectedVersion === 0) {
    const [row] = await tx
      .insert(lifecycleSettings)
      .values({ policingBodyId, ...values })
      .onConflictDoNothing()
      .returning();
    return row;
  }
  const [row] = await tx
    .update(lifecycleSettings)
    .set({ ...values, version: sql`${lifecycleSettings.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(lifecycleSettings.policingBodyId, policingBodyId), eq(lifecycleSettings.version, expectedVersion)))
    .returning();
  return row;
}

export function listApprovalSteps(db: Executor, policingBodyId: string): Promise<ApprovalStepRow[]> {
  return db
    .select()
    .from(approvalSteps)
    .where(eq(approvalSteps.policingBodyId, policingBodyId))
    .orderBy(asc(approvalSteps.position), asc(approvalSteps.createdAt));
}

export async function insertApprovalStep(
  tx: Executor,
  values: { policingBodyId: string; name: string; requiredBefore: ApprovalStepRow['requiredBefore'] },
): Promise<ApprovalStepRow | undefined> {
  const [max] = await tx
    .select({ n: sql<number>`coalesce(max(${approvalSteps.position}), 0)::int` })
    .from(approvalSteps)
    .where(eq(approvalSteps.policingBodyId, values.policingBodyId));
  const [row] = await tx
    .insert(approvalSteps)
    .values({ ...values, position: (max?.n ?? 0) + 1 })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function deleteApprovalStep(tx: Executor, policingBodyId: string, id: string): Promise<ApprovalStepRow | undefined> {
  const [row] = await tx
    .delete(approvalSteps)
    .where(and(eq(approvalSteps.id, id), eq(approvalSteps.policingBodyId, policingBodyId)))
    .returning();
  return row;
}
