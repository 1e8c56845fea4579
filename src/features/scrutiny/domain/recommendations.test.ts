import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, elementChoices, isOverdue, londonDate, matchesFilter, registerFilters } from './recommendations.ts';

type Standing = { responseStatus: string | null; responseDueOn: string; responsePublishedOn: string | null };
const awaiting: Standing = { responseStatus: null, responseDueOn: '2026-12-01', responsePublishedOn: null };
const responded: Standing = { responseStatus: 'accepted', responseDueOn: '2026-12-01', responsePublishedOn: null };
const published: Standing = { responseStatus: 'accepted', responseDueOn: '2026-12-01', responsePublishedOn: '2026-12-02' };

describe('the recommendations register', () => {
  it('is overdue only after the due date, and only while unanswered', () => {
    expect(isOverdue(awaiting, '2026-12-01')).toBe(false);
    expect(isOverdue(awaiting, '2026-12-02')).toBe(true);
    expect(isOverdue(responded, '2027-01-01')).toBe(false);
  });

  it('files each recommendation under the filters it matches', () => {
    const today = '2026-12-05';
    const matched = (r: Standing) => registerFilters.filter((f) => matchesFilter(r, f, today));
    expect(matched(awaiting)).toEqual(['awaiting', 'overdue']);
    expect(matched(responded)).toEqual(['responded']);
    expect(matched(published)).toEqual(['responded', 'published']);
  });

  it('never calls a recommendation both awaiting and responded', () => {
    fc.assert(
      fc.property(fc.option(fc.constantFrom('accepted', 'not_accepted')), fc.date({ noInvalidDate: true }), (status, day) => {
        const r = { responseStatus: status, responseDueOn: '2026-06-01', responsePublishedOn: null };
        const today = day.toISOString().slice(0, 10);
        return matchesFilter(r, 'awaiting', today) !== matchesFilter(r, 'responded', today);
      }),
    );
  });

  it('counts days across month and leap-year ends, and dates in England', () => {
    expect(addDays('2028-02-01', 28)).toBe('2028-02-29');
    expect(addDays('2026-12-20', 28)).toBe('2027-01-17');
    expect(londonDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(londonDate(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });
});

describe('the elements a recommendation may concern', () => {
  it('numbers them as the plan does', () => {
    const tree = {
      priorities: [
        { lineageId: 'p1', title: 'Connecting communities', objectives: [] },
        {
          lineageId: 'p2',
          title: 'Preventing crime',
          objectives: [{ lineageId: 'o1', title: 'Fewer repeat victims', commitments: [{ lineageId: 'c1', text: 'Fund advisers' }] }],
        },
      ],
      measures: [{ lineageId: 'm1', name: 'Victim satisfaction' }],
    };
    expect(elementChoices(tree).map((c) => c.label)).toEqual([
      'Priority 1: Connecting communities',
      'Priority 2: Preventing crime',
      'Objective 2.1: Fewer repeat victims',
      'Commitment 2.1.1: Fund advisers',
      'Measure: Victim satisfaction',
    ]);
  });
});
