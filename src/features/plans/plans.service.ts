import type { Database, Executor } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { isWithPanel } from '../lifecycle/index.ts';
import { withdrawnMessage, withPanelMessage } from './edition-context.ts';
import { dutyKinds, statutorySectionKinds, type EditionKind } from './domain/plan-tree.ts';
import { editionKindLabels } from './domain/labels.ts';
import * as repository from './plans.repository.ts';
import { dutyStatements, statutorySections } from './plans.tables.ts';
import type { NewPlanInput } from './plans.schemas.ts';

export type EditRefusal =
  /** `message`: why, when it is not simply frozen (e.g. with the panel for review). */
  | { kind: 'frozen'; message?: string }
  | { kind: 'not_found' }
  | { kind: 'conflict'; current: Record<string, unknown> }
  | { kind: 'has_children'; count: number };

const actorOf = (user: CurrentUser) => ({ userId: user.id, label: user.displayName });

/** "2025–29, edition 1": how offices name editions. */
export function editionLabel(periodStartsOn: string, periodEndsOn: string, number: number): string {
  return `${periodStartsOn.slice(0, 4)}–${periodEndsOn.slice(2, 4)}, edition ${number}`;
}

/** A new plan with its first draft edition, ready for the statutory sections and duties. */
export async function createPlan(db: Database, actor: CurrentUser, policingBodyId: string, input: NewPlanInput, now: Date) {
  return db.transaction(async (tx) => {
    const plan = await repository.insertPlan(tx, {
      policingBodyId,
      title: input.title,
      periodStartsOn: input.periodStartsOn,
      periodEndsOn: input.periodEndsOn,
    });
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
    // The panel reviews the text it was sent (PRSRA 2011 s.5(6)(c)); only states before issue are editable.
    if (isWithPanel(edition)) return fail({ kind: 'frozen' as const, message: withPanelMessage });
    if (edition.lifecycleState === 'withdrawn') return fail({ kind: 'frozen' as const, message: withdrawnMessage });
    const result = await change(tx, edition);
    if (result.ok) await repository.touchEdition(tx, editionId);
    return result;
  });
}

type AuditContext = { actor: CurrentUser; policingBodyId: string; now: Date };

const audit = (
  tx: Executor,
  context: AuditContext,
  action: string,
  subject: { type: string; id: string },
  before?: unknown,
  after?: unknown,
) =>
  appendAuditEvent(tx, {
    actor: actorOf(context.actor),
    policingBodyId: context.policingBodyId,
    action,
    subject,
    before,
    after,
    occurredAt: context.now,
  });

export async function updateVision(db: Database, context: AuditContext, editionId: string, version: number, vision: string) {
  return editDraft(db, editionId, async (tx, edition) => {
    if (edition.version !== version) return fail({ kind: 'conflict' as const, current: { vision: edition.vision } });
    const updated = await repository.updateEditionVision(tx, editionId, version, vision);
    await audit(tx, context, 'edition.vision_updated', { type: 'edition', id: editionId }, { vision: edition.vision }, { vision });
    return ok(updated);
  });
}

/**
 * A new draft edition made from any edition of the plan: the whole tree is copied with the
 * same lineage ids, so diffs, comments and history follow each element across editions.
 */
export async function createEdition(
  db: Database,
  actor: CurrentUser,
  policingBodyId: string,
  plan: repository.PlanRow,
  source: repository.EditionRow,
  kind: Exclude<EditionKind, 'new_plan'>,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const tree = await repository.loadEditionTree(tx, source.id, source.vision);
    const number = await repository.nextEditionNumber(tx, plan.id);
    const edition = await repository.insertEdition(tx, {
      planId: plan.id,
      number,
      label: `${editionLabel(plan.periodStartsOn, plan.periodEndsOn, number)} (${editionKindLabels[kind].toLowerCase()})`,
      kind,
      parentEditionId: source.id,
      vision: source.vision,
    });
    await repository.insertEditionTree(tx, edition.id, tree);
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId,
      action: 'edition.created',
      subject: { type: 'edition', id: edition.id },
      after: { planId: plan.id, number, kind, fromEdition: source.number },
      occurredAt: now,
    });
    return edition;
  });
}

/** Only an addendum or a variation changes the period of a plan already made; a new plan or refresh sets its own. */
export const periodChangeKinds: readonly EditionKind[] = ['addendum', 'variation'];

/**
 * Sets (or, with null, clears) the plan period end this draft edition will set when it is issued —
 * e.g. extending a plan when PCC elections were postponed a year (Coronavirus Act 2020 s.60).
 */
export async function setPeriodChange(
  db: Database,
  context: AuditContext,
  editionId: string,
  version: number,
  newPeriodEndsOn: string | null,
) {
  return editDraft(db, editionId, async (tx, edition) => {
    if (edition.version !== version) return fail({ kind: 'conflict' as const, current: { newPeriodEndsOn: edition.newPeriodEndsOn } });
    const updated = await repository.updateEditionPeriodChange(tx, editionId, version, newPeriodEndsOn);
    await audit(
      tx,
      context,
      'edition.period_change_set',
      { type: 'edition', id: editionId },
      { newPeriodEndsOn: edition.newPeriodEndsOn },
      { newPeriodEndsOn },
    );
    return ok(updated);
  });
}
