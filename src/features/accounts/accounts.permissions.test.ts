import { describe, expect, it } from 'vitest';
import { organisationRoles, type CurrentUser, type OrganisationRole } from '../../shared/current-user.ts';
import { accountActions, can, type AccountAction } from './accounts.permissions.ts';

const OWN_BODY = '11111111-1111-4111-8111-111111111111';
const OTHER_BODY = '22222222-2222-4222-8222-222222222222';

type Who = 'admin' | OrganisationRole | 'anonymous';

function userWith(who: Who, policingBodyId = OWN_BODY): CurrentUser | null {
  if (who === 'anonymous') return null;
  return {
    id: '33333333-3333-4333-8333-333333333333',
    email: 'someone@example.org',
    displayName: 'Someone',
    isAdmin: who === 'admin',
    memberships:
      who === 'admin'
        ? []
        : [
            {
              policingBodyId,
              role: who,
              partnerId: who === 'partner' ? '44444444-4444-4444-8444-444444444444' : null,
              scrutinyBodyId: who === 'panel_member' || who === 'panel_officer' ? '55555555-5555-4555-8555-555555555555' : null,
            },
          ],
  };
}

// What each kind of person may do to their own body (or system-wide, for users.list and administrator.invite).
const Y = true;
const N = false;
const expected: Record<Who, Record<AccountAction, boolean>> = {
  admin: { 'users.list': Y, 'administrator.invite': Y, 'member.invite': Y, 'members.list': Y, 'member.remove': Y },
  commissioner: { 'users.list': N, 'administrator.invite': N, 'member.invite': Y, 'members.list': Y, 'member.remove': Y },
  officer: { 'users.list': N, 'administrator.invite': N, 'member.invite': Y, 'members.list': Y, 'member.remove': Y },
  force: { 'users.list': N, 'administrator.invite': N, 'member.invite': N, 'members.list': N, 'member.remove': N },
  partner: { 'users.list': N, 'administrator.invite': N, 'member.invite': N, 'members.list': N, 'member.remove': N },
  panel_member: { 'users.list': N, 'administrator.invite': N, 'member.invite': N, 'members.list': N, 'member.remove': N },
  panel_officer: { 'users.list': N, 'administrator.invite': N, 'member.invite': N, 'members.list': N, 'member.remove': N },
  anonymous: { 'users.list': N, 'administrator.invite': N, 'member.invite': N, 'members.list': N, 'member.remove': N },
};

const systemWide = new Set<AccountAction>(['users.list', 'administrator.invite']);
const everyone: Who[] = ['admin', ...organisationRoles, 'anonymous'];

describe('who may manage accounts', () => {
  it('has an expectation for every role and every action', () => {
    expect(Object.keys(expected).sort()).toEqual([...everyone].sort());
    for (const who of everyone) expect(Object.keys(expected[who]).sort()).toEqual([...accountActions].sort());
  });

  const ownBodyCases = everyone.flatMap((who) => accountActions.map((action) => [who, action, expected[who][action]] as const));

  it.each(ownBodyCases)('%s: %s on their own body → %s', (who, action, allowed) => {
    const resource = systemWide.has(action) ? null : { policingBodyId: OWN_BODY };
    expect(can(userWith(who), action, resource)).toBe(allowed);
  });

  const otherBodyCases = everyone.flatMap((who) =>
    accountActions.filter((action) => !systemWide.has(action)).map((action) => [who, action, who === 'admin'] as const),
  );

  it.each(otherBodyCases)('%s of another body: %s → %s', (who, action, allowed) => {
    expect(can(userWith(who, OTHER_BODY), action, { policingBodyId: OWN_BODY })).toBe(allowed);
  });

  it.each(accountActions.filter((action) => !systemWide.has(action)))('a commissioner cannot %s without saying which body', (action) => {
    expect(can(userWith('commissioner'), action, null)).toBe(false);
    expect(can(userWith('commissioner'), action)).toBe(false);
  });

  it('a commissioner of one body and panel member of another manages only the first', () => {
    const user: CurrentUser = {
      ...userWith('commissioner')!,
      memberships: [...userWith('commissioner')!.memberships, ...userWith('panel_member', OTHER_BODY)!.memberships],
    };
    expect(can(user, 'member.invite', { policingBodyId: OWN_BODY })).toBe(true);
    expect(can(user, 'member.invite', { policingBodyId: OTHER_BODY })).toBe(false);
  });
});
