import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../shared/current-user.ts';
import { BODY, PANEL, OTHER_BODY, OTHER_PANEL, ME, membership, user } from '../../../test/support/permissions.ts';
import { can, scrutinyActions, type ScrutinyAction, type ScrutinyResource } from './scrutiny.permissions.ts';

const SOMEONE_ELSE = '00000000-0000-4000-8000-000000000002';

// Actions are asked about an action owned by someone outside the office, so the owner rule is tested separately.
const resource: ScrutinyResource = { policingBodyId: BODY, scrutinyBodyId: PANEL, owner: { userId: SOMEONE_ELSE, isOffice: false } };

type Row = { who: string; user: CurrentUser | null; allowed: ScrutinyAction[] };
const everything = [...scrutinyActions];

const table: Row[] = [
  { who: 'administrator', user: user([], true), allowed: everything },
  { who: 'commissioner', user: user([membership('commissioner')]), allowed: ['scrutiny.view'] },
  { who: 'officer', user: user([membership('officer')]), allowed: ['scrutiny.view'] },
  { who: 'force', user: user([membership('force')]), allowed: ['scrutiny.view'] },
  { who: 'partner', user: user([membership('partner')]), allowed: ['scrutiny.view'] },
  { who: 'panel_member', user: user([membership('panel_member')]), allowed: ['scrutiny.view', 'link_report.write'] },
  { who: 'panel_officer', user: user([membership('panel_officer')]), allowed: everything },
  { who: 'anonymous', user: null, allowed: [] },
  { who: 'user with no roles', user: user([]), allowed: [] },
  { who: 'commissioner of another body', user: user([membership('commissioner', { policingBodyId: OTHER_BODY })]), allowed: [] },
  {
    who: 'panel_officer of another body’s panel',
    user: user([membership('panel_officer', { policingBodyId: OTHER_BODY, scrutinyBodyId: OTHER_PANEL })]),
    allowed: [],
  },
  {
    who: 'panel_member of another body’s panel',
    user: user([membership('panel_member', { policingBodyId: OTHER_BODY, scrutinyBodyId: OTHER_PANEL })]),
    allowed: [],
  },
];

describe('scrutiny permissions', () => {
  describe.each(table)('$who', ({ user: who, allowed }) => {
    it.each(scrutinyActions.map((action) => [action, allowed.includes(action)] as const))('%s → %s', (action, expected) => {
      expect(can(who, action, resource)).toBe(expected);
    });
  });

  it('the commissioner and office update progress of actions they own or the office owns, and no others', () => {
    for (const role of ['commissioner', 'officer'] as const) {
      const person = user([membership(role)]);
      expect(can(person, 'action.update_progress', { ...resource, owner: { userId: ME, isOffice: true } })).toBe(true);
      expect(can(person, 'action.update_progress', { ...resource, owner: { userId: SOMEONE_ELSE, isOffice: true } })).toBe(true);
      expect(can(person, 'action.update_progress', { ...resource, owner: { userId: null, isOffice: false } })).toBe(false);
      expect(can(person, 'action.update_progress', { policingBodyId: BODY, scrutinyBodyId: PANEL })).toBe(false);
    }
  });

  it('owning an action gives no rights in a body where the owner has no office role', () => {
    const force = user([membership('force')]);
    expect(can(force, 'action.update_progress', { ...resource, owner: { userId: ME, isOffice: false } })).toBe(false);
    const elsewhere = user([membership('officer', { policingBodyId: OTHER_BODY })]);
    expect(can(elsewhere, 'action.update_progress', { ...resource, owner: { userId: ME, isOffice: true } })).toBe(false);
  });

  it('a panel officer or member of this body attached to another panel gets no panel rights here', () => {
    const officer = user([membership('panel_officer', { scrutinyBodyId: OTHER_PANEL })]);
    expect(can(officer, 'scrutiny.manage', resource)).toBe(false);
    expect(can(officer, 'scrutiny.view', resource)).toBe(true);
    const member = user([membership('panel_member', { scrutinyBodyId: OTHER_PANEL })]);
    expect(can(member, 'link_report.write', resource)).toBe(false);
  });

  it('without a panel nobody but an administrator manages scrutiny', () => {
    const noPanel = { policingBodyId: BODY, scrutinyBodyId: null };
    expect(can(user([membership('panel_officer')]), 'scrutiny.manage', noPanel)).toBe(false);
    expect(can(user([], true), 'scrutiny.manage', noPanel)).toBe(true);
  });
});
