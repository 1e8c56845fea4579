import type { CurrentUser, Membership, OrganisationRole } from '../../src/shared/current-user.ts';

// Fixed ids for the role × action tables of the `*.permissions.test.ts` files.
export const BODY = '00000000-0000-4000-8000-00000000000a';
export const PANEL = '00000000-0000-4000-8000-0000000000a1';
export const OTHER_BODY = '00000000-0000-4000-8000-00000000000b';
export const OTHER_PANEL = '00000000-0000-4000-8000-0000000000b1';
export const PARTNER = '00000000-0000-4000-8000-0000000000a2';
export const ME = '00000000-0000-4000-8000-000000000001';

/** A membership of `role` in BODY (panel roles on PANEL, partners of PARTNER), with any field overridden. */
export const membership = (role: OrganisationRole, overrides: Partial<Membership> = {}): Membership => ({
  policingBodyId: BODY,
  role,
  scrutinyBodyId: role === 'panel_member' || role === 'panel_officer' ? PANEL : null,
  partnerId: role === 'partner' ? PARTNER : null,
  ...overrides,
});

/** The signed-in user ME with these memberships. */
export const user = (memberships: Membership[], isAdmin = false): CurrentUser => ({
  id: ME,
  email: 'someone@example.org',
  displayName: 'Someone',
  isAdmin,
  memberships,
});
