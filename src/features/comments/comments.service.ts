import type { Database } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import { roleLabels, rolesIn, type CurrentUser } from '../../shared/current-user.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import type { EditionContext } from '../plans/index.ts';
import type { CommentableElement, CommentStatus } from './domain/threads.ts';
import * as repository from './comments.repository.ts';

const actorOf = (user: CurrentUser) => ({ userId: user.id, label: user.displayName });

/** "Jo Bloggs, Panel member": who said it and in what capacity, kept as it was at the time. */
export function authorLabel(user: CurrentUser, policingBodyId: string): string {
  const [role] = rolesIn(user, policingBodyId);
  return `${user.displayName}, ${role ? roleLabels[role] : 'Administrator'}`;
}

/** A new thread on an element (parentId null) or a reply to one, audited with it. */
export async function addComment(
  db: Database,
  actor: CurrentUser,
  context: EditionContext,
  element: CommentableElement,
  text: string,
  thread: repository.CommentRow | null,
  now: Date,
): Promise<repository.CommentRow> {
  return db.transaction(async (tx) => {
    const row = await repository.insertComment(tx, {
      planId: context.plan.id,
      editionId: context.edition.id,
      draftNumber: context.edition.draftNumber,
      lineageId: element.lineageId,
      elementType: element.elementType,
      parentId: thread?.id ?? null,
      authorUserId: actor.id,
      authorLabel: authorLabel(actor, context.body.id),
      body: text,
      status: thread ? null : 'open',
    });
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId: context.body.id,
      action: thread ? 'comment.replied' : 'comment.created',
      subject: { type: 'element_comment', id: row.id },
      after: { ...row },
      occurredAt: now,
    });
    return row;
  });
}

export type StatusRefusal = { kind: 'conflict'; current: repository.CommentRow };

/** The office settles a thread (open, addressed or noted), with its reply if it gives one. */
export async function setStatus(
  db: Database,
  actor: CurrentUser,
  context: EditionContext,
  element: CommentableElement,
  thread: repository.CommentRow,
  version: number,
  status: CommentStatus,
  reply: string,
  now: Date,
): Promise<Result<repository.CommentRow, StatusRefusal>> {
  return db.transaction(async (tx) => {
    const row = await repository.updateStatus(tx, thread.id, version, status);
    if (!row) {
      const current = await repository.findThread(tx, thread.planId, thread.lineageId, thread.id);
      return fail({ kind: 'conflict' as const, current: current ?? thread });
    }
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId: context.body.id,
      action: 'comment.status_changed',
      subject: { type: 'element_comment', id: thread.id },
      before: { status: thread.status },
      after: { status },
      occurredAt: now,
    });
    if (reply) {
      const answer = await repository.insertComment(tx, {
        planId: context.plan.id,
        editionId: context.edition.id,
        draftNumber: context.edition.draftNumber,
        lineageId: element.lineageId,
        elementType: element.elementType,
        parentId: thread.id,
        authorUserId: actor.id,
        authorLabel: authorLabel(actor, context.body.id),
        body: reply,
        status: null,
      });
      await appendAuditEvent(tx, {
        actor: actorOf(actor),
        policingBodyId: context.body.id,
        action: 'comment.replied',
        subject: { type: 'element_comment', id: answer.id },
        after: { ...answer },
        occurredAt: now,
      });
    }
    return ok(row);
  });
}
