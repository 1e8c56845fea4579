import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countOverdue, isFormerMember, isMemberOn, isOverdue, listLines, moveInOrder } from './rules.ts';

describe('membership periods', () => {
  const member = { startsOn: '2024-06-01', endsOn: '2025-05-31' };
  it('covers the first and last days and nothing outside', () => {
    expect(isMemberOn(member, '2024-05-31')).toBe(false);
    expect(isMemberOn(member, '2024-06-01')).toBe(true);
    expect(isMemberOn(member, '2025-05-31')).toBe(true);
    expect(isMemberOn(member, '2025-06-01')).toBe(false);
    expect(isMemberOn({ startsOn: '2024-06-01', endsOn: null }, '2099-01-01')).toBe(true);
  });
  it('a former member left before today', () => {
    expect(isFormerMember(member, '2025-05-31')).toBe(false);
    expect(isFormerMember(member, '2025-06-01')).toBe(true);
    expect(isFormerMember({ startsOn: '2024-06-01', endsOn: null }, '2099-01-01')).toBe(false);
  });
});

describe('overdue actions', () => {
  it('only open or in-progress actions past their due date are overdue', () => {
    const today = '2026-11-23';
    expect(isOverdue({ status: 'open', dueOn: '2026-11-22' }, today)).toBe(true);
    expect(isOverdue({ status: 'in_progress', dueOn: '2026-11-22' }, today)).toBe(true);
    expect(isOverdue({ status: 'open', dueOn: today }, today)).toBe(false);
    expect(isOverdue({ status: 'done', dueOn: '2026-01-01' }, today)).toBe(false);
    expect(isOverdue({ status: 'cancelled', dueOn: '2026-01-01' }, today)).toBe(false);
    expect(
      countOverdue(
        [
          { status: 'open', dueOn: '2026-11-01' },
          { status: 'done', dueOn: '2026-11-01' },
          { status: 'open', dueOn: '2026-12-01' },
        ],
        today,
      ),
    ).toBe(1);
  });
});

describe('listLines', () => {
  it('strips bullets and blank lines from pasted lists (seed 000)', () => {
    expect(listLines('- Circulate outputs of the day\n\n• Revise draft\n1. Publication – April 2019\n  ')).toEqual([
      'Circulate outputs of the day',
      'Revise draft',
      'Publication – April 2019',
    ]);
  });
});

describe('moveInOrder', () => {
  it('keeps the same ids, moving one by at most one place', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 8 }), fc.nat(), fc.boolean(), (ids, pick, up) => {
        const id = ids[pick % ids.length]!;
        const moved = moveInOrder(ids, id, up ? 'up' : 'down');
        expect([...moved].sort()).toEqual([...ids].sort());
        expect(Math.abs(moved.indexOf(id) - ids.indexOf(id))).toBeLessThanOrEqual(1);
        // A move that happened is undone by the opposite move.
        if (moved.indexOf(id) !== ids.indexOf(id)) expect(moveInOrder(moved, id, up ? 'down' : 'up')).toEqual(ids);
      }),
    );
  });
});
