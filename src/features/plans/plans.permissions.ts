import { hasRoleIn, type CurrentUser } from '../../shared/current-user.ts';

export const planActions = ['plan.list', 'plan.create', 'edition.view_draft', 'edition.view_frozen', 'edition.edit'] as const;
export type PlanAction = (typeof planActions)[number];

export type PlanResource = { policingBodyId: string };

/**
 * Drafts belong to the commissioner's office until the lifecycle shares them: only the
 * commissioner, office staff and administrators see or edit them. Anyone with a role in the
 * body may read its frozen (issued) editions. Nobody sees another body's plans.
 */
export function can(user: CurrentUser | null, action: PlanAction, resource: PlanResource): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  const isOffice = hasRoleIn(user, resource.policingBodyId, ['commissioner', 'officer']);
  switch (action) {
    case 'plan.list':
    case 'edition.view_frozen':
      return user.memberships.some((m) => m.policingBodyId === resource.policingBodyId);
    case 'plan.create':
    case 'edition.view_draft':
    case 'edition.edit':
      return isOffice;
  }
}
