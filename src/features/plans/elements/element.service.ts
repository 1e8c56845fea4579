import type { Database } from '../../../platform/db/database.ts';
import { appendAuditEvent } from '../../../platform/audit/index.ts';
import type { CurrentUser } from '../../../shared/current-user.ts';
import { fail, ok } from '../../../shared/result.ts';
import { editDraft } from '../plans.service.ts';
import type { ElementRow, ElementSpec } from './element-spec.ts';

export type ChangeContext = { actor: CurrentUser; policingBodyId: string; now: Date };

function audit(
  tx: Parameters<typeof appendAuditEvent>[0],
  context: ChangeContext,
  action: string,
  id: string,
  before?: unknown,
  after?: unknown,
) {
  const [type] = action.split('.');
  return appendAuditEvent(tx, {
    actor: { userId: context.actor.id, label: context.actor.displayName },
    policingBodyId: context.policingBodyId,
    action,
    subject: { type: type!, id },
    before,
    after,
    occurredAt: context.now,
  });
}

export async function addElement<Row extends ElementRow, Input>(
  db: Database,
  spec: ElementSpec<Row, Input>,
  context: ChangeContext,
  editionId: string,
  input: Input,
) {
  return editDraft(db, editionId, async (tx) => {
    const row = await spec.insert(tx, editionId, input);
    await spec.saveLinks?.(tx, editionId, row, input);
    await audit(tx, context, `${spec.type}.added`, row.id, undefined, { ...row, input });
    return ok(row);
  });
}

export async function updateElement<Row extends ElementRow, Input>(
  db: Database,
  spec: ElementSpec<Row, Input>,
  context: ChangeContext,
  editionId: string,
  id: string,
  version: number,
  input: Input,
) {
  return editDraft(db, editionId, async (tx) => {
    const before = await spec.find(tx, editionId, id);
    if (!before) return fail({ kind: 'not_found' as const });
    const updated = await spec.update(tx, id, version, input);
    if (!updated) return fail({ kind: 'conflict' as const, current: before as Record<string, unknown> });
    await spec.saveLinks?.(tx, editionId, updated, input);
    await audit(tx, context, `${spec.type}.updated`, id, before, { ...updated, input });
    return ok(updated);
  });
}

/** Removing an element that has children needs `isConfirmed`: they go with it. */
export async function removeElement<Row extends ElementRow, Input>(
  db: Database,
  spec: ElementSpec<Row, Input>,
  context: ChangeContext,
  editionId: string,
  id: string,
  isConfirmed: boolean,
) {
  return editDraft(db, editionId, async (tx) => {
    const before = await spec.find(tx, editionId, id);
    if (!before) return fail({ kind: 'not_found' as const });
    const count = (await spec.children?.count(tx, id)) ?? 0;
    if (count > 0 && !isConfirmed) return fail({ kind: 'has_children' as const, count });
    await spec.remove(tx, id);
    await audit(tx, context, `${spec.type}.removed`, id, { ...before, childCount: count });
    return ok(before);
  });
}

export async function moveElement<Row extends ElementRow, Input>(
  db: Database,
  spec: ElementSpec<Row, Input>,
  context: ChangeContext,
  editionId: string,
  id: string,
  direction: 'up' | 'down',
) {
  return editDraft(db, editionId, async (tx) => {
    if (!(await spec.find(tx, editionId, id))) return fail({ kind: 'not_found' as const });
    const isMoved = await spec.move(tx, id, direction);
    if (isMoved) await audit(tx, context, `${spec.type}.moved`, id, undefined, { direction });
    return ok(isMoved);
  });
}
