import { hasRoleIn, type CurrentUser } from '../../shared/current-user.ts';

export const planActions = ['plan.list', 'plan.create', 'edition.view_draft', 'edition.view_frozen', 'edition.edit'] as const;
export type PlanAction = (typeof planActions)[number];

/** `isSharedDraft`: the lifecycle has shared this draft beyond the office (lifecycle/domain/sharing.ts). */
export type PlanResource = { policingBodyId: string; isSharedDraft?: boolean };

/**
 * Drafts belong to the commissioner's office until the lifecycle shares them: only the
 * commissioner, office staff and administrators see or edit them. Once a draft has been sent to
 * the panel (PRSRA 2011 s.5(6)(c)) the force, partners and the panel may read it too; editing
 * stays with the office. Anyone with a role in the body may read its frozen (issued) editions.
 * Nobody sees another body's plans.
 */
const sharedWith = ['force', 'partner', 'panel_member', 'panel_officer'] as const;

export function can(user: CurrentUser | null, action: PlanAction, resource: PlanResource): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  const isOffice = hasRoleIn(user, resource.policingBodyId, ['commissioner', 'officer']);
  switch (action) {
    case 'plan.list':
    case 'edition.view_frozen':
      return user.memberships.some((m) => m.policingBodyId === resource.policingBodyId);
    case 'edition.view_draft':
      return isOffice || (resource.isSharedDraft === true && hasRoleIn(user, resource.policingBodyId, sharedWith));
    case 'plan.create':
    case 'edition.edit':
      return isOffice;
  }
}
