import { describe, expect, it } from 'vitest';
import { organisationRoles, type CurrentUser, type OrganisationRole } from '../../shared/current-user.ts';
import { actorRolesOf, can, lifecycleActions } from './lifecycle.permissions.ts';

const bodyId = 'body-1';
const userWith = (role: OrganisationRole | 'admin' | 'none', policingBodyId = bodyId): CurrentUser => ({
  id: 'u',
  email: 'u@example.org',
  displayName: 'U',
  isAdmin: role === 'admin',
  memberships: role === 'admin' || role === 'none' ? [] : [{ policingBodyId, role, scrutinyBodyId: null, partnerId: null }],
});

const expected: Record<OrganisationRole | 'admin' | 'none', boolean> = {
  commissioner: true,
  officer: true,
  force: false,
  partner: false,
  panel_member: false,
  panel_officer: false,
  admin: true,
  none: false,
};

describe('process settings: every role × action', () => {
  for (const role of [...organisationRoles, 'admin', 'none'] as const)
    for (const action of lifecycleActions)
      it(`${role} ${action}`, () => {
        expect(can(userWith(role), action, { policingBodyId: bodyId })).toBe(expected[role]);
        // Never for another body's settings, except administrators.
        expect(can(userWith(role, 'other-body'), action, { policingBodyId: bodyId })).toBe(role === 'admin');
      });

  it('nobody signed out', () => {
    expect(can(null, 'settings.view', { policingBodyId: bodyId })).toBe(false);
  });

  it('gives the machine the user’s roles in this body only, with admin', () => {
    expect(actorRolesOf(userWith('officer'), bodyId)).toEqual(['officer']);
    expect(actorRolesOf(userWith('commissioner', 'other-body'), bodyId)).toEqual([]);
    expect(actorRolesOf(userWith('admin'), bodyId)).toEqual(['admin']);
  });
});
