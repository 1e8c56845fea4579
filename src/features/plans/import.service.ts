import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { withEveryStatutoryPart, type ImportedPlan } from './domain/plan-json.ts';
import type { EditionTree } from './domain/plan-tree.ts';
import * as repository from './plans.repository.ts';
import { editionLabel } from './plans.service.ts';

/**
 * Makes a new plan from an import (a plan-v1 document, or a Word outline the officer confirmed):
 * the plan, its first draft edition and the whole tree in one transaction with its audit event,
 * so an import either happens completely or not at all.
 */
export async function importPlan(
  db: Database,
  actor: CurrentUser,
  policingBodyId: string,
  imported: ImportedPlan,
  audit: { action: 'plan.imported' | 'plan.imported_from_word'; source: unknown },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const { plan, edition, tree } = await insertImportedPlan(tx, policingBodyId, imported);
    await appendAuditEvent(tx, {
      actor: { userId: actor.id, label: actor.displayName },
      policingBodyId,
      action: audit.action,
      subject: { type: 'plan', id: plan.id },
      after: {
        plan,
        edition: { id: edition.id, number: edition.number, label: edition.label, kind: edition.kind },
        source: audit.source,
        counts: { ...elementCounts(tree), measures: tree.measures.length, grants: tree.grants.length },
      },
      occurredAt: now,
    });
    return { plan, edition };
  });
}

/** The plan, its first draft edition and the whole tree, inside the caller's transaction. */
export async function insertImportedPlan(tx: Executor, policingBodyId: string, imported: ImportedPlan) {
  const plan = await repository.insertPlan(tx, { policingBodyId, ...imported.plan });
  const edition = await repository.insertEdition(tx, {
    planId: plan.id,
    number: 1,
    label: editionLabel(plan.periodStartsOn, plan.periodEndsOn, 1),
    kind: 'new_plan',
    vision: imported.tree.vision,
  });
  const tree = withEveryStatutoryPart(imported.tree, randomUUID);
  await repository.insertEditionTree(tx, edition.id, tree);
  return { plan, edition, tree };
}

export const elementCounts = (tree: EditionTree) => ({
  priorities: tree.priorities.length,
  objectives: tree.priorities.flatMap((p) => p.objectives).length,
  commitments: tree.priorities.flatMap((p) => p.objectives.flatMap((o) => o.commitments)).length,
});
