import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '../../shared/current-user.ts';
import { BODY, OTHER_BODY, OTHER_PANEL, membership, user } from '../../../test/support/permissions.ts';
import { can, performanceActions, type PerformanceAction, type PerformanceResource } from './performance.permissions.ts';

const resource: PerformanceResource = { policingBodyId: BODY };

type Row = { who: string; user: CurrentUser | null; allowed: PerformanceAction[] };
const everything = [...performanceActions];
const readOnly: PerformanceAction[] = ['performance.view', 'police_data.view'];
const owner: PerformanceAction[] = [...readOnly, 'performance.record', 'performance.grade', 'police_data.import'];

const table: Row[] = [
  { who: 'administrator', user: user([], true), allowed: everything },
  { who: 'commissioner', user: user([membership('commissioner')]), allowed: everything },
  { who: 'officer', user: user([membership('officer')]), allowed: everything },
  { who: 'force', user: user([membership('force')]), allowed: owner },
  { who: 'partner', user: user([membership('partner')]), allowed: readOnly },
  { who: 'panel_member', user: user([membership('panel_member')]), allowed: readOnly },
  { who: 'panel_officer', user: user([membership('panel_officer')]), allowed: readOnly },
  { who: 'anonymous', user: null, allowed: [] },
  { who: 'user with no roles', user: user([]), allowed: [] },
  { who: 'commissioner of another body', user: user([membership('commissioner', { policingBodyId: OTHER_BODY })]), allowed: [] },
  { who: 'force of another body', user: user([membership('force', { policingBodyId: OTHER_BODY })]), allowed: [] },
  {
    who: 'panel_officer of another body’s panel',
    user: user([membership('panel_officer', { policingBodyId: OTHER_BODY, scrutinyBodyId: OTHER_PANEL })]),
    allowed: [],
  },
];

describe('performance permissions', () => {
  describe.each(table)('$who', ({ user: who, allowed }) => {
    it.each(performanceActions.map((action) => [action, allowed.includes(action)] as const))('%s → %s', (action, expected) => {
      expect(can(who, action, resource)).toBe(expected);
    });
  });

  it('a role in another body adds nothing to a read-only role here', () => {
    const person = user([membership('partner'), membership('officer', { policingBodyId: OTHER_BODY })]);
    expect(can(person, 'performance.view', resource)).toBe(true);
    expect(can(person, 'performance.record', resource)).toBe(false);
    expect(can(person, 'performance.summarise', resource)).toBe(false);
  });
});
