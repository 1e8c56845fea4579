import { describe, expect, it } from 'vitest';
import type { CurrentUser, Membership, OrganisationRole } from '../../shared/current-user.ts';
import { can, commentActions, type CommentAction, type CommentResource } from './comments.permissions.ts';

const BODY = '00000000-0000-4000-8000-00000000000a';
const OTHER_BODY = '00000000-0000-4000-8000-00000000000b';
const roles = ['commissioner', 'officer', 'force', 'partner', 'panel_member', 'panel_officer'] as const;

const membership = (role: OrganisationRole, policingBodyId = BODY): Membership => ({
  policingBodyId,
  role,
  scrutinyBodyId: role === 'panel_member' || role === 'panel_officer' ? '00000000-0000-4000-8000-0000000000a1' : null,
  partnerId: role === 'partner' ? '00000000-0000-4000-8000-0000000000a2' : null,
});
const user = (memberships: Membership[], isAdmin = false): CurrentUser => ({
  id: '00000000-0000-4000-8000-000000000001',
  email: 'someone@example.org',
  displayName: 'Someone',
  isAdmin,
  memberships,
});

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
  ...roles.map((role) => ({ who: `${role} of another body`, user: user([membership(role, OTHER_BODY)]), allowed: nothing })),
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
