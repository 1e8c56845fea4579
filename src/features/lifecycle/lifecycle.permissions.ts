import { rolesIn, type CurrentUser } from '../../shared/current-user.ts';
import type { ActorRole } from './domain/machine.ts';

export const lifecycleActions = ['settings.view', 'settings.manage'] as const;
export type LifecycleAction = (typeof lifecycleActions)[number];

/**
 * The process settings (review and response times, internal approval steps) are the
 * commissioner's office's to keep. Who may take each step of the process is in the machine's
 * table (domain/machine.ts): `actorRolesOf` gives the roles it checks.
 */
export function can(user: CurrentUser | null, action: LifecycleAction, resource: { policingBodyId: string }): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  const roles = rolesIn(user, resource.policingBodyId);
  switch (action) {
    case 'settings.view':
    case 'settings.manage':
      return roles.includes('commissioner') || roles.includes('officer');
  }
}

/** The user's roles in the body as the machine sees them, with `admin` for administrators. */
export function actorRolesOf(user: CurrentUser, policingBodyId: string): ActorRole[] {
  return [...rolesIn(user, policingBodyId), ...(user.isAdmin ? (['admin'] as const) : [])];
}
