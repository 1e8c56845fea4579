import type { Database } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import type { ImportedPlan } from './domain/plan-json.ts';
import { elementCounts, insertImportedPlan } from './import.service.ts';

/**
 * Makes a new plan from the outline an officer confirmed on the Word import preview: the plan,
 * its first draft edition and the tree, with its audit event, in one transaction.
 */
export async function importPlanFromWord(
  db: Database,
  actor: CurrentUser,
  policingBodyId: string,
  imported: ImportedPlan,
  source: { fileName: string },
  now: Date,
) {
  return db.transaction(async (tx) => {
    const { plan, edition, tree } = await insertImportedPlan(tx, policingBodyId, imported);
    await appendAuditEvent(tx, {
      actor: { userId: actor.id, label: actor.displayName },
      policingBodyId,
      action: 'plan.imported_from_word',
      subject: { type: 'plan', id: plan.id },
      after: {
        plan,
        edition: { id: edition.id, number: edition.number, label: edition.label, kind: edition.kind },
        source: { fileName: source.fileName },
        counts: elementCounts(tree),
      },
      occurredAt: now,
    });
    return { plan, edition };
  });
}
