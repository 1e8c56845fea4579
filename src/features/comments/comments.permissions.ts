import { hasRoleIn, type CurrentUser } from '../../shared/current-user.ts';

export const commentActions = ['comment.read', 'comment.create', 'comment.set_status'] as const;
export type CommentAction = (typeof commentActions)[number];

/** `isShared`: the draft has been sent to the panel (lifecycle/domain/sharing.ts); `isFrozen`: issued. */
export type CommentResource = { policingBodyId: string; isShared: boolean; isFrozen: boolean };

const sharedWith = ['force', 'partner', 'panel_member', 'panel_officer'] as const;

/**
 * Once a draft has gone to the panel (PRSRA 2011 s.5(6)(c)) the panel's members and officer, the
 * force, the body's partners and the office may comment on it; the office alone says whether a
 * comment has been addressed or noted. Before then a draft and its comments stay with the office.
 * An issued (frozen) edition's comments are a record: read, never added to.
 */
export function can(user: CurrentUser | null, action: CommentAction, resource: CommentResource): boolean {
  if (!user) return false;
  const isOffice = user.isAdmin || hasRoleIn(user, resource.policingBodyId, ['commissioner', 'officer']);
  const isSharedWith = resource.isShared && hasRoleIn(user, resource.policingBodyId, sharedWith);
  switch (action) {
    case 'comment.read':
      return isOffice || isSharedWith || (resource.isFrozen && hasRoleIn(user, resource.policingBodyId, sharedWith));
    case 'comment.create':
      return resource.isShared && !resource.isFrozen && (isOffice || isSharedWith);
    case 'comment.set_status':
      return resource.isShared && !resource.isFrozen && isOffice;
  }
}
