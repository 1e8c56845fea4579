import { hasRoleIn, type CurrentUser } from '../../shared/current-user.ts';

export const recommendationActions = [
  'recommendation.read',
  'recommendation.record',
  'recommendation.respond',
  'recommendation.publish',
] as const;
export type RecommendationAction = (typeof recommendationActions)[number];

export type RecommendationResource = { policingBodyId: string };

/**
 * The panel records what it recommended (its support officer keeps the register for it); the
 * commissioner and the office respond and publish the response (PRSRA 2011 s.5(6)(e)–(f));
 * everyone with a role in the body reads the register. Nobody sees another body's.
 */
export function can(user: CurrentUser | null, action: RecommendationAction, resource: RecommendationResource): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  switch (action) {
    case 'recommendation.read':
      return user.memberships.some((m) => m.policingBodyId === resource.policingBodyId);
    case 'recommendation.record':
      return hasRoleIn(user, resource.policingBodyId, ['panel_officer']);
    case 'recommendation.respond':
    case 'recommendation.publish':
      return hasRoleIn(user, resource.policingBodyId, ['commissioner', 'officer']);
  }
}
