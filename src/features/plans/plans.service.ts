import type { Database, Executor } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { dutyKinds, statutorySectionKinds } from './domain/plan-tree.ts';
import * as repository from './plans.repository.ts';
import { dutyStatements, statutorySections } from './plans.tables.ts';
import type { NewPlanInput, PriorityInput } from './plans.schemas.ts';

export type EditRefusal = { kind: 'frozen' } | { kind: 'not_found' } | { kind: 'conflict'; current: Record<string, unknown> } | { kind: 'has_children'; count: number };

const actorOf = (user: CurrentUser) => ({ userId: user.id, label: user.displayName });

/** "2025–29, edition 1": how offices name editions. */
export function editionLabel(periodStartsOn: string, periodEndsOn: string, number: number): string {
  return `${periodStartsOn.slice(0, 4)}–${periodEndsOn.slice(2, 4)}, edition ${number}`;
}

/** A new plan with its first draft edition, ready for the statutory sections and duties. */
export async function createPlan(db: Database, actor: CurrentUser, policingBodyId: string, input: NewPlanInput, now: Date) {
  return db.transaction(async (tx) => {
    const plan = await repository.insertPlan(tx, { policingBodyId, title: input.title, periodStartsOn: input.periodStartsOn, periodEndsOn: input.periodEndsOn });
    const edition = await repository.insertEdition(tx, {
      planId: plan.id,
      number: 1,
      label: editionLabel(input.periodStartsOn, input.periodEndsOn, 1),
      kind: 'new_plan',
      vision: input.vision,
    });
    // Every s.7(1) section and "have regard to" duty exists from the start, empty, so each has a lineage.
    await tx.insert(statutorySections).values(statutorySectionKinds.map((kind) => ({ editionId: edition.id, kind })));
    await tx.insert(dutyStatements).values(dutyKinds.map((duty) => ({ editionId: edition.id, duty })));
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId,
      action: 'plan.created',
      subject: { type: 'plan', id: plan.id },
      after: { plan, edition: { id: edition.id, number: edition.number, label: edition.label, kind: edition.kind } },
      occurredAt: now,
    });
    return { plan, edition };
  });
}

/**
 * Runs an edit to a draft edition: locks the edition row (so edits queue), refuses a frozen
 * edition, and writes the audit event in the same transaction.
 */
export async function editDraft<T>(
  db: Database,
  editionId: string,
  change: (tx: Executor, edition: repository.EditionRow) => Promise<Result<T, EditRefusal>>,
): Promise<Result<T, EditRefusal>> {
  return db.transaction(async (tx) => {
    const edition = await repository.lockEdition(tx, editionId);
    if (!edition) return fail({ kind: 'not_found' as const });
    if (edition.isFrozen) return fail({ kind: 'frozen' as const });
    const result = await change(tx, edition);
    if (result.ok) await repository.touchEdition(tx, editionId);
    return result;
  });
}

type AuditContext = { actor: CurrentUser; policingBodyId: string; now: Date };

const audit = (tx: Executor, context: AuditContext, action: string, subject: { type: string; id: string }, before?: unknown, after?: unknown) =>
  appendAuditEvent(tx, { actor: actorOf(context.actor), policingBodyId: context.policingBodyId, action, subject, before, after, occurredAt: context.now });

export async function addPriority(db: Database, context: AuditContext, editionId: string, input: PriorityInput, frameworkItemIds: readonly string[]) {
  return editDraft(db, editionId, async (tx) => {
    const priority = await repository.insertPriority(tx, { editionId, ...input });
    await repository.replaceFrameworkLinks(tx, editionId, priority.lineageId, await repository.existingFrameworkItemIds(tx, frameworkItemIds));
    await audit(tx, context, 'priority.added', { type: 'priority', id: priority.id }, undefined, { ...priority, frameworkItemIds });
    return ok(priority);
  });
}

export async function updatePriority(db: Database, context: AuditContext, editionId: string, priorityId: string, version: number, input: PriorityInput, frameworkItemIds: readonly string[]) {
  return editDraft(db, editionId, async (tx) => {
    const before = await repository.findPriority(tx, editionId, priorityId);
    if (!before) return fail({ kind: 'not_found' as const });
    const updated = await repository.updatePriority(tx, priorityId, version, input);
    if (!updated) return fail({ kind: 'conflict' as const, current: before });
    await repository.replaceFrameworkLinks(tx, editionId, updated.lineageId, await repository.existingFrameworkItemIds(tx, frameworkItemIds));
    await audit(tx, context, 'priority.updated', { type: 'priority', id: priorityId }, before, { ...updated, frameworkItemIds });
    return ok(updated);
  });
}

/** Deleting a priority that has objectives needs `isConfirmed`: it removes them too. */
export async function removePriority(db: Database, context: AuditContext, editionId: string, priorityId: string, isConfirmed: boolean) {
  return editDraft(db, editionId, async (tx) => {
    const before = await repository.findPriority(tx, editionId, priorityId);
    if (!before) return fail({ kind: 'not_found' as const });
    const count = await repository.countObjectivesOf(tx, priorityId);
    if (count > 0 && !isConfirmed) return fail({ kind: 'has_children' as const, count });
    await repository.replaceFrameworkLinks(tx, editionId, before.lineageId, []);
    await repository.deletePriority(tx, priorityId);
    await audit(tx, context, 'priority.removed', { type: 'priority', id: priorityId }, { ...before, objectiveCount: count });
    return ok(before);
  });
}

export async function movePriority(db: Database, context: AuditContext, editionId: string, priorityId: string, direction: 'up' | 'down') {
  return editDraft(db, editionId, async (tx) => {
    const priority = await repository.findPriority(tx, editionId, priorityId);
    if (!priority) return fail({ kind: 'not_found' as const });
    const isMoved = await repository.movePriority(tx, priorityId, direction);
    if (isMoved) await audit(tx, context, 'priority.moved', { type: 'priority', id: priorityId }, undefined, { direction });
    return ok(isMoved);
  });
}

export async function updateVision(db: Database, context: AuditContext, editionId: string, version: number, vision: string) {
  return editDraft(db, editionId, async (tx, edition) => {
    if (edition.version !== version) return fail({ kind: 'conflict' as const, current: { vision: edition.vision } });
    const updated = await repository.updateEditionVision(tx, editionId, version, vision);
    await audit(tx, context, 'edition.vision_updated', { type: 'edition', id: editionId }, { vision: edition.vision }, { vision });
    return ok(updated);
  });
}
