import { hasRoleIn, type CurrentUser } from '../../shared/current-user.ts';

export const accountActions = ['users.list', 'administrator.invite', 'member.invite', 'members.list', 'member.remove'] as const;
export type AccountAction = (typeof accountActions)[number];

/** The organisation an action is about; absent for system-wide actions. */
export type AccountResource = { policingBodyId: string } | null;

/**
 * Who may manage accounts. Administrators manage everything; a commissioner or the
 * commissioner's office can see and invite the people of their own body, no other.
 */
export function can(user: CurrentUser | null, action: AccountAction, resource: AccountResource = null): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  switch (action) {
    case 'users.list':
    case 'administrator.invite':
      return false;
    case 'member.invite':
    case 'members.list':
    case 'member.remove':
      return resource !== null && hasRoleIn(user, resource.policingBodyId, ['commissioner', 'officer']);
  }
}
