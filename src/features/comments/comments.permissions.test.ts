import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../shared/current-user.ts';
import { BODY, OTHER_BODY, membership, user } from '../../../test/support/permissions.ts';
import { can, commentActions, type CommentAction, type CommentResource } from './comments.permissions.ts';

const roles = ['commissioner', 'officer', 'force', 'partner', 'panel_member', 'panel_officer'] as const;

const stages: Record<string, CommentResource> = {
  'office draft': { policingBodyId: BODY, isShared: false, isFrozen: false },
  'shared draft': { policingBodyId: BODY, isShared: true, isFrozen: false },
  'issued edition': { policingBodyId: BODY, isShared: true, isFrozen: true },
};

type Allowed = Record<string, CommentAction[]>;
const office: Allowed = {
  'office draft': ['comment.read'],
  'shared draft': ['comment.read', 'comment.create', 'comment.set_status'],
  'issued edition': ['comment.read'],
};
const sharedWith: Allowed = { 'office draft': [], 'shared draft': ['comment.read', 'comment.create'], 'issued edition': ['comment.read'] };
const nothing: Allowed = { 'office draft': [], 'shared draft': [], 'issued edition': [] };

const table: { who: string; user: CurrentUser | null; allowed: Allowed }[] = [
  { who: 'administrator', user: user([], true), allowed: office },
  { who: 'commissioner', user: user([membership('commissioner')]), allowed: office },
  { who: 'officer', user: user([membership('officer')]), allowed: office },
  { who: 'force', user: user([membership('force')]), allowed: sharedWith },
  { who: 'partner', user: user([membership('partner')]), allowed: sharedWith },
  { who: 'panel_member', user: user([membership('panel_member')]), allowed: sharedWith },
  { who: 'panel_officer', user: user([membership('panel_officer')]), allowed: sharedWith },
  { who: 'anonymous', user: null, allowed: nothing },
  ...roles.map((role) => ({
    who: `${role} of another body`,
    user: user([membership(role, { policingBodyId: OTHER_BODY })]),
    allowed: nothing,
  })),
];

describe('who may read, make and settle comments', () => {
  for (const row of table) {
    for (const [stage, resource] of Object.entries(stages)) {
      for (const action of commentActions) {
        const expected = row.allowed[stage]!.includes(action);
        it(`${row.who}, ${stage}: ${action} → ${expected ? 'allowed' : 'refused'}`, () => {
          expect(can(row.user, action, resource)).toBe(expected);
        });
      }
    }
  }
});
