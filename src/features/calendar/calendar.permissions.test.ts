import { describe, expect, it } from 'vitest';
import type { CurrentUser, OrganisationRole } from '../../shared/current-user.ts';
import { calendarActions, can, type CalendarAction } from './calendar.permissions.ts';

const BODY = 'body-1';
const OTHER = 'body-2';
const PANEL = 'panel-1';

function user(role: OrganisationRole | 'admin' | 'none', bodyId = BODY): CurrentUser {
  return {
    id: 'u',
    email: 'u@example.org',
    displayName: 'U',
    isAdmin: role === 'admin',
    memberships:
      role === 'admin' || role === 'none'
        ? []
        : [{ policingBodyId: bodyId, role, scrutinyBodyId: role.startsWith('panel') ? PANEL : null, partnerId: null }],
  };
}

// role → actions allowed on the body's own calendar (with its panel as the resource's panel).
const allowed: Record<string, CalendarAction[]> = {
  admin: [...calendarActions],
  commissioner: [...calendarActions],
  officer: [...calendarActions],
  force: ['calendar.view'],
  partner: ['calendar.view'],
  panel_member: ['calendar.view'],
  panel_officer: ['calendar.view', 'panel_items.manage'],
  none: [],
};

describe('calendar permissions', () => {
  for (const [role, actions] of Object.entries(allowed)) {
    for (const action of calendarActions) {
      const expected = actions.includes(action);
      it(`${role} ${expected ? 'may' : 'may not'} ${action}`, () => {
        expect(can(user(role as OrganisationRole), action, { policingBodyId: BODY, scrutinyBodyId: PANEL })).toBe(expected);
      });
    }
  }

  it('nobody but an administrator acts on another body’s calendar', () => {
    for (const role of ['commissioner', 'officer', 'force', 'partner', 'panel_member', 'panel_officer'] as const) {
      for (const action of calendarActions) {
        expect(can(user(role, OTHER), action, { policingBodyId: BODY, scrutinyBodyId: PANEL })).toBe(false);
      }
    }
  });

  it('a panel officer manages only their own panel’s items, and not body items', () => {
    expect(can(user('panel_officer'), 'panel_items.manage', { policingBodyId: BODY, scrutinyBodyId: 'another-panel' })).toBe(false);
    expect(can(user('panel_officer'), 'panel_items.manage', { policingBodyId: BODY, scrutinyBodyId: null })).toBe(false);
  });

  it('anonymous visitors can do nothing', () => {
    for (const action of calendarActions) expect(can(null, action, { policingBodyId: BODY })).toBe(false);
  });
});
