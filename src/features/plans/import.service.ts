import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { withEveryStatutoryPart, type ImportedPlan, type PlanJson } from './domain/plan-json.ts';
import type { EditionTree } from './domain/plan-tree.ts';
import * as repository from './plans.repository.ts';
import { editionLabel } from './plans.service.ts';

/**
 * Makes a new plan from an imported plan-v1 document: the plan, its first draft edition and the
 * whole tree (keeping the document's lineage ids) in one transaction with its audit event, so
 * an import either happens completely or not at all.
 */
export async function importPlan(
  db: Database,
  actor: CurrentUser,
  policingBodyId: string,
  imported: ImportedPlan,
  source: PlanJson,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const { plan, edition, tree } = await insertImportedPlan(tx, policingBodyId, imported);
    await appendAuditEvent(tx, {
      actor: { userId: actor.id, label: actor.displayName },
      policingBodyId,
      action: 'plan.imported',
      subject: { type: 'plan', id: plan.id },
      after: {
        plan,
        edition: { id: edition.id, number: edition.number, label: edition.label, kind: edition.kind },
        source: { schema: source.schema, plan: source.plan, edition: source.edition, body: source.body },
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
