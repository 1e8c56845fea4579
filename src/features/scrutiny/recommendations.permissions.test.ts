import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../shared/current-user.ts';
import { BODY, OTHER_BODY, membership, user } from '../../../test/support/permissions.ts';
import { can, recommendationActions, type RecommendationAction } from './recommendations.permissions.ts';

const only = (...actions: RecommendationAction[]) =>
  Object.fromEntries(recommendationActions.map((a) => [a, actions.includes(a)])) as Record<RecommendationAction, boolean>;

const table: { who: string; user: CurrentUser | null; allowed: Record<RecommendationAction, boolean> }[] = [
  { who: 'administrator', user: user([], true), allowed: only(...recommendationActions) },
  {
    who: 'commissioner',
    user: user([membership('commissioner')]),
    allowed: only('recommendation.read', 'recommendation.respond', 'recommendation.publish'),
  },
  {
    who: 'officer',
    user: user([membership('officer')]),
    allowed: only('recommendation.read', 'recommendation.respond', 'recommendation.publish'),
  },
  { who: 'force', user: user([membership('force')]), allowed: only('recommendation.read') },
  { who: 'partner', user: user([membership('partner')]), allowed: only('recommendation.read') },
  { who: 'panel_member', user: user([membership('panel_member')]), allowed: only('recommendation.read') },
  { who: 'panel_officer', user: user([membership('panel_officer')]), allowed: only('recommendation.read', 'recommendation.record') },
  { who: 'anonymous', user: null, allowed: only() },
  ...(['commissioner', 'officer', 'force', 'partner', 'panel_member', 'panel_officer'] as const).map((role) => ({
    who: `${role} of another body`,
    user: user([membership(role, { policingBodyId: OTHER_BODY })]),
    allowed: only(),
  })),
];

describe('who may do what in the recommendations register', () => {
  for (const row of table) {
    for (const action of recommendationActions) {
      it(`${row.who}: ${action} → ${row.allowed[action] ? 'allowed' : 'refused'}`, () => {
        expect(can(row.user, action, { policingBodyId: BODY })).toBe(row.allowed[action]);
      });
    }
  }
});
