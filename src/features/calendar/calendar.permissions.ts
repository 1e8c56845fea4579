import { hasRoleIn, type CurrentUser } from '../../shared/current-user.ts';

export const calendarActions = ['calendar.view', 'elections.manage', 'items.manage', 'panel_items.manage'] as const;
export type CalendarAction = (typeof calendarActions)[number];

export type CalendarResource = { policingBodyId: string; scrutinyBodyId?: string | null };

/**
 * Everyone with a role in the body sees its calendar and its panel's. The commissioner's office
 * keeps election dates and the body's dated items; the panel's support officer may add and keep
 * dated items on the panel's own calendar (its meetings, its reports), nothing else.
 */
export function can(user: CurrentUser | null, action: CalendarAction, resource: CalendarResource): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  const bodyId = resource.policingBodyId;
  switch (action) {
    case 'calendar.view':
      return user.memberships.some((m) => m.policingBodyId === bodyId);
    case 'elections.manage':
    case 'items.manage':
      return hasRoleIn(user, bodyId, ['commissioner', 'officer']);
    case 'panel_items.manage':
      return (
        hasRoleIn(user, bodyId, ['commissioner', 'officer']) ||
        user.memberships.some(
          (m) =>
            m.policingBodyId === bodyId &&
            m.role === 'panel_officer' &&
            resource.scrutinyBodyId != null &&
            m.scrutinyBodyId === resource.scrutinyBodyId,
        )
      );
  }
}
