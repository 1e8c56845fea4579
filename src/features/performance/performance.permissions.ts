import { hasRoleIn, type CurrentUser } from '../../shared/current-user.ts';

export const performanceActions = [
  'performance.view',
  'performance.record',
  'performance.grade',
  'performance.summarise',
  'performance.report',
  'police_data.view',
  'police_data.import',
] as const;
export type PerformanceAction = (typeof performanceActions)[number];

export type PerformanceResource = { policingBodyId: string };

/**
 * Who may do what in delivery monitoring.
 *
 * - Everyone with a role in the body reads the dashboard, measure pages, reports and the crime
 *   data explorer: the panel scrutinises delivery (PRSRA 2011 s.28(6)) and partners deliver it.
 * - Measure owners record values and commentary and choose how their measure is graded. Owners
 *   are the commissioner's office or the force (the chief constable owns most operational
 *   measures), so both record. Partners and the panel read only.
 * - The officer's summary per priority and the quarterly report for the panel are the
 *   commissioner's account to the panel, so only the office writes them.
 * - Imports of open police data: the office and the force.
 * - Nobody sees another body's performance pages; the open police data themselves are public.
 */
export function can(user: CurrentUser | null, action: PerformanceAction, resource: PerformanceResource): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  const bodyId = resource.policingBodyId;
  switch (action) {
    case 'performance.view':
    case 'police_data.view':
      return user.memberships.some((m) => m.policingBodyId === bodyId);
    case 'performance.record':
    case 'performance.grade':
    case 'police_data.import':
      return hasRoleIn(user, bodyId, ['commissioner', 'officer', 'force']);
    case 'performance.summarise':
    case 'performance.report':
      return hasRoleIn(user, bodyId, ['commissioner', 'officer']);
  }
}
