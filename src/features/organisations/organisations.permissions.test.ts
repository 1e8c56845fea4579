import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../shared/current-user.ts';
import { BODY, PANEL, OTHER_BODY, OTHER_PANEL, membership, user } from '../../../test/support/permissions.ts';
import { can, organisationActions, type OrganisationAction } from './organisations.permissions.ts';

type Row = { who: string; user: CurrentUser | null; allowed: Record<OrganisationAction, boolean> };
const only = (...actions: OrganisationAction[]) =>
  Object.fromEntries(organisationActions.map((a) => [a, actions.includes(a)])) as Record<OrganisationAction, boolean>;

// What each person may do to BODY (whose panel is PANEL). `body.create` is asked with no resource.
const table: Row[] = [
  { who: 'administrator', user: user([], true), allowed: only('body.create', 'body.view', 'body.edit', 'panel.manage', 'partner.manage') },
  {
    who: 'commissioner',
    user: user([membership('commissioner')]),
    allowed: only('body.view', 'body.edit', 'panel.manage', 'partner.manage'),
  },
  { who: 'officer', user: user([membership('officer')]), allowed: only('body.view', 'body.edit', 'panel.manage', 'partner.manage') },
  { who: 'force', user: user([membership('force')]), allowed: only('body.view') },
  { who: 'partner', user: user([membership('partner')]), allowed: only('body.view') },
  { who: 'panel_member', user: user([membership('panel_member')]), allowed: only('body.view') },
  { who: 'panel_officer', user: user([membership('panel_officer')]), allowed: only('body.view', 'panel.manage') },
  { who: 'anonymous', user: null, allowed: only() },
  { who: 'commissioner of another body', user: user([membership('commissioner', { policingBodyId: OTHER_BODY })]), allowed: only() },
  { who: 'officer of another body', user: user([membership('officer', { policingBodyId: OTHER_BODY })]), allowed: only() },
  {
    who: 'panel_officer of another body’s panel',
    user: user([membership('panel_officer', { policingBodyId: OTHER_BODY, scrutinyBodyId: OTHER_PANEL })]),
    allowed: only(),
  },
  { who: 'user with no roles', user: user([]), allowed: only() },
];

const resourceFor = (action: OrganisationAction) => (action === 'body.create' ? null : { policingBodyId: BODY, scrutinyBodyId: PANEL });

describe('organisation permissions', () => {
  it('the table covers every action for every row', () => {
    for (const row of table) expect(Object.keys(row.allowed).sort()).toEqual([...organisationActions].sort());
  });

  describe.each(table)('$who', ({ user: who, allowed }) => {
    it.each(organisationActions.map((action) => [action, allowed[action]] as const))('%s → %s', (action, expected) => {
      expect(can(who, action, resourceFor(action))).toBe(expected);
    });
  });

  it('a panel officer manages only the panel they support, not one they are not attached to', () => {
    const officer = user([membership('panel_officer', { scrutinyBodyId: OTHER_PANEL })]);
    expect(can(officer, 'panel.manage', { policingBodyId: BODY, scrutinyBodyId: PANEL })).toBe(false);
    expect(can(officer, 'body.view', { policingBodyId: BODY, scrutinyBodyId: PANEL })).toBe(true);
  });

  it('a panel officer cannot create the panel when none exists yet (their membership names a panel)', () => {
    expect(can(user([membership('panel_officer')]), 'panel.manage', { policingBodyId: BODY, scrutinyBodyId: null })).toBe(false);
  });

  it('no one but an administrator may create a body, whatever resource is passed', () => {
    const commissioner = user([membership('commissioner')]);
    expect(can(commissioner, 'body.create', null)).toBe(false);
    expect(can(commissioner, 'body.create', { policingBodyId: BODY })).toBe(false);
  });

  it('roles in several bodies give rights only in the body where they are held', () => {
    const both = user([membership('commissioner'), membership('force', { policingBodyId: OTHER_BODY })]);
    expect(can(both, 'body.edit', { policingBodyId: BODY })).toBe(true);
    expect(can(both, 'body.edit', { policingBodyId: OTHER_BODY })).toBe(false);
    expect(can(both, 'body.view', { policingBodyId: OTHER_BODY })).toBe(true);
  });
});
