import type { Database } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { fail, ok } from '../../shared/result.ts';
import { outcomeOperations, type Disposition } from './domain/review-board.ts';
import { loadEditionTree, type EditionRow } from './plans.repository.ts';
import { editDraft } from './plans.service.ts';
import * as repository from './review-board.repository.ts';

type Context = { actor: CurrentUser; policingBodyId: string; now: Date };

const audit = (tx: Parameters<typeof appendAuditEvent>[0], context: Context, action: string, boardId: string, after: unknown) =>
  appendAuditEvent(tx, {
    actor: { userId: context.actor.id, label: context.actor.displayName },
    policingBodyId: context.policingBodyId,
    action,
    subject: { type: 'review_board', id: boardId },
    after,
    occurredAt: context.now,
  });

export async function createBoard(
  db: Database,
  context: Context,
  edition: EditionRow,
  input: { title: string; heldOn: string; notes: string },
) {
  return editDraft(db, edition.id, async (tx) => {
    if (edition.kind !== 'refresh' || !edition.parentEditionId) return fail({ kind: 'not_found' as const });
    const board = await repository.insertBoard(tx, { editionId: edition.id, sourceEditionId: edition.parentEditionId, ...input });
    await audit(tx, context, 'review_board.created', board.id, input);
    return ok(board);
  });
}

/** Records a decision (or a new element) while the board is open; an applied board is a record and cannot change. */
export async function recordDecision(db: Database, context: Context, editionId: string, decision: Disposition) {
  return editDraft(db, editionId, async (tx) => {
    const board = await repository.findBoard(tx, editionId);
    if (!board) return fail({ kind: 'not_found' as const });
    if (board.appliedAt) return fail({ kind: 'frozen' as const });
    if (decision.disposition === 'new') await repository.addNewItem(tx, board.id, decision);
    else await repository.saveDecision(tx, board.id, decision);
    await audit(
      tx,
      context,
      decision.disposition === 'new' ? 'review_board.item_proposed' : 'review_board.decision_recorded',
      board.id,
      decision,
    );
    return ok(board);
  });
}

/** Applies every decision to the draft in one transaction, or nothing if any cannot be applied. */
export async function applyBoard(db: Database, context: Context, editionId: string) {
  return editDraft(db, editionId, async (tx, edition) => {
    const board = await repository.findBoard(tx, editionId);
    if (!board) return fail({ kind: 'not_found' as const });
    if (board.appliedAt) return fail({ kind: 'frozen' as const });
    const draft = await loadEditionTree(tx, editionId, edition.vision);
    const { operations, problems } = outcomeOperations(draft, await repository.listDispositions(tx, board.id));
    if (problems.length) return fail({ kind: 'conflict' as const, current: { problems } });
    for (const operation of operations) await repository.applyOperation(tx, editionId, operation);
    await repository.markApplied(tx, board.id, context.now, context.actor.displayName);
    await audit(tx, context, 'review_board.applied', board.id, { operations });
    return ok(operations);
  });
}
