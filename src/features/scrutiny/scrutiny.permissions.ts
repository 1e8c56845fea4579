import { hasRoleIn, type CurrentUser } from '../../shared/current-user.ts';

export const scrutinyActions = ['scrutiny.view', 'scrutiny.manage', 'link_report.write', 'action.update_progress'] as const;
export type ScrutinyAction = (typeof scrutinyActions)[number];

/**
 * The body and its panel an action concerns. For `action.update_progress`, also who owns the
 * action: a user of the body (or none), and whether that owner works in the commissioner's office.
 */
export type ScrutinyResource = {
  policingBodyId: string;
  scrutinyBodyId: string | null;
  owner?: { userId: string | null; isOffice: boolean };
};

/**
 * Who may do what in the panel's scrutiny pages.
 *
 * - The panel's support officer (of this body's panel, not another) keeps the panel's record:
 *   members, meetings, agenda items, report documents, minutes, resolutions and actions. The
 *   panel is the commissioner's scrutineer (PRSRA 2011 s.28), so the commissioner's office keeps
 *   none of this record: it must not write what the panel said of it.
 * - Panel members read everything and write link-member reports (for any member: the support
 *   officer often types them up, and a member may report for a colleague, as in seed 000).
 * - The commissioner and office staff may update the status and progress of actions that are
 *   theirs to do: owned by themselves, or by anyone in the commissioner's office. Nothing else.
 * - Everyone with a role in the body (including the force and named partners) reads every
 *   scrutiny page, private sessions included. Private sessions exclude the public, not the
 *   people the panel works with; the public site shows formal public meetings only. A finer
 *   rule would hide minutes from the very people who must act on them.
 * - Nobody sees another body's panel.
 */
export function can(user: CurrentUser | null, action: ScrutinyAction, resource: ScrutinyResource): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  const bodyId = resource.policingBodyId;
  const ofThisPanel = (role: 'panel_member' | 'panel_officer') =>
    resource.scrutinyBodyId !== null &&
    user.memberships.some((m) => m.policingBodyId === bodyId && m.role === role && m.scrutinyBodyId === resource.scrutinyBodyId);
  switch (action) {
    case 'scrutiny.view':
      return user.memberships.some((m) => m.policingBodyId === bodyId);
    case 'scrutiny.manage':
      return ofThisPanel('panel_officer');
    case 'link_report.write':
      return ofThisPanel('panel_officer') || ofThisPanel('panel_member');
    case 'action.update_progress': {
      if (ofThisPanel('panel_officer')) return true;
      if (!hasRoleIn(user, bodyId, ['commissioner', 'officer']) || !resource.owner) return false;
      return resource.owner.userId === user.id || resource.owner.isOffice;
    }
  }
}
