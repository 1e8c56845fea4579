import { hasRoleIn, type CurrentUser } from '../../shared/current-user.ts';

export const organisationActions = ['body.create', 'body.view', 'body.edit', 'panel.manage', 'partner.manage'] as const;
export type OrganisationAction = (typeof organisationActions)[number];

/** The policing body an action concerns; null only for creating a new body. */
export type OrganisationResource = { policingBodyId: string; scrutinyBodyId?: string | null } | null;

/**
 * Least privilege per role. Administrators create bodies. A body's own commissioner and office
 * staff keep its details, panel and partners; the panel's support officer keeps the panel's
 * details. Everyone with any role in a body can view it; nobody sees another body's private pages.
 */
export function can(user: CurrentUser | null, action: OrganisationAction, resource: OrganisationResource): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  if (!resource) return false;
  const bodyId = resource.policingBodyId;
  switch (action) {
    case 'body.create':
      return false;
    case 'body.view':
      return user.memberships.some((m) => m.policingBodyId === bodyId);
    case 'body.edit':
    case 'partner.manage':
      return hasRoleIn(user, bodyId, ['commissioner', 'officer']);
    case 'panel.manage':
      return (
        hasRoleIn(user, bodyId, ['commissioner', 'officer']) ||
        user.memberships.some(
          (m) => m.policingBodyId === bodyId && m.role === 'panel_officer' && (resource.scrutinyBodyId ?? null) === m.scrutinyBodyId,
        )
      );
  }
}
