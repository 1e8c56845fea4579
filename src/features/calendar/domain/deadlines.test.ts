import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  annualReportMeetingDue,
  buildCalendar,
  daysBetween,
  defaultSettings,
  financialYearEnd,
  financialYearStart,
  panelReviewWindowEnds,
  planIssueDeadline,
  planPeriodEnd,
  preceptTimetable,
  quarterlyReports,
  responseDueOn,
  statusOf,
  whatsDue,
  type CalendarInput,
} from './deadlines.ts';

const isoDate = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function input(overrides: Partial<CalendarInput> = {}): CalendarInput {
  return {
    today: '2026-11-23',
    settings: defaultSettings,
    elections: [],
    planIssuedOn: [],
    drafts: [],
    recommendations: [],
    actions: [],
    meetings: [],
    items: [],
    links: { elections: '/e', items: '/i' },
    ...overrides,
  };
}

describe('financial years', () => {
  it.each([
    ['2024-04-01', 2024, '2025-03-31'],
    ['2024-03-31', 2023, '2024-03-31'],
    ['2021-05-06', 2021, '2022-03-31'],
    ['2020-05-07', 2020, '2021-03-31'],
    ['2025-01-01', 2024, '2025-03-31'],
    ['2024-12-31', 2024, '2025-03-31'],
  ])('%s is in the financial year starting April %i, ending %s', (date, start, end) => {
    expect(financialYearStart(date)).toBe(start);
    expect(financialYearEnd(date)).toBe(end);
  });

  it('every date lies within its financial year, which is under a year long', () => {
    fc.assert(
      fc.property(isoDate, (date) => {
        const end = financialYearEnd(date);
        const start = `${financialYearStart(date)}-04-01`;
        expect(start <= date && date <= end).toBe(true);
        expect(daysBetween(start, end)).toBeGreaterThanOrEqual(364);
        expect(daysBetween(start, end)).toBeLessThanOrEqual(365);
      }),
    );
  });
});

describe('addDays', () => {
  it('crosses a leap day: a 28-day window from 1 February 2024 ends on 29 February 2024', () => {
    expect(panelReviewWindowEnds('2024-02-01', 28)).toBe('2024-02-29');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(panelReviewWindowEnds('2023-02-01', 28)).toBe('2023-03-01');
  });

  it('crosses years and clock changes without drifting', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-03-29', 2)).toBe('2025-03-31');
    expect(addDays('2025-10-25', 2)).toBe('2025-10-27');
  });

  it('is undone by subtracting, and daysBetween measures it', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -2000, max: 2000 }), (date, days) => {
        expect(addDays(addDays(date, days), -days)).toBe(date);
        expect(daysBetween(date, addDays(date, days))).toBe(days);
      }),
    );
  });
});

describe('plan deadlines (PRSRA 2011 s.5(1)–(2), s.7)', () => {
  it('the plan is due by 31 March of the election’s financial year', () => {
    expect(planIssueDeadline({ id: 'e', scheduledOn: '2024-05-02', heldOn: null })).toBe('2025-03-31');
  });

  it('a postponed election moves the deadline: scheduled 7 May 2020, held 6 May 2021', () => {
    const postponed = { id: 'e', scheduledOn: '2020-05-07', heldOn: '2021-05-06' };
    expect(planIssueDeadline(postponed)).toBe('2022-03-31');
    expect(planIssueDeadline({ ...postponed, heldOn: null })).toBe('2021-03-31');
    // ...and so does the period of the plan made after the election before it.
    expect(planPeriodEnd(postponed)).toBe('2022-03-31');
  });

  it('the deadline is never before the election and never more than a year after', () => {
    fc.assert(
      fc.property(isoDate, (date) => {
        const deadline = planIssueDeadline({ id: 'e', scheduledOn: date, heldOn: null });
        expect(deadline >= date).toBe(true);
        expect(daysBetween(date, deadline)).toBeLessThan(366);
        expect(deadline.endsWith('-03-31')).toBe(true);
      }),
    );
  });

  it('lists the plan to issue for each election and the period end up to the next one', () => {
    const entries = buildCalendar(
      input({
        today: '2021-06-01',
        elections: [
          { id: 'a', scheduledOn: '2016-05-05', heldOn: null },
          { id: 'b', scheduledOn: '2020-05-07', heldOn: '2021-05-06' },
        ],
        planIssuedOn: ['2017-03-01'],
      }),
    );
    const byUid = Object.fromEntries(entries.map((e) => [e.uid, e]));
    expect(byUid['plan-issue-a']).toMatchObject({ dueOn: '2017-03-31', doneOn: '2017-03-01', statutoryBasis: 'PRSRA 2011 s.5(1)–(2)' });
    expect(byUid['plan-period-end-a']).toMatchObject({ dueOn: '2022-03-31' });
    expect(byUid['plan-issue-b']).toMatchObject({ dueOn: '2022-03-31', doneOn: null });
    expect(byUid['election-b']?.title).toContain('postponed from 2020-05-07');
    expect(statusOf(byUid['plan-issue-b']!, '2021-06-01')).toBe('upcoming');
    expect(statusOf(byUid['plan-issue-b']!, '2022-04-01')).toBe('overdue');
  });
});

describe('panel and response windows', () => {
  it('counts the response due date from the day a recommendation is made', () => {
    expect(responseDueOn('2024-02-01', 28)).toBe('2024-02-29');
  });

  it('shows a draft’s review window as done once the panel has reported', () => {
    const entries = buildCalendar(
      input({
        drafts: [
          {
            editionId: 'ed',
            planTitle: 'Plan',
            draftNumber: 2,
            sentOn: '2026-10-01',
            reviewWindowEndsOn: '2026-10-29',
            reportReceivedOn: null,
            link: '/d',
          },
        ],
      }),
    );
    const review = entries.find((e) => e.kind === 'panel_review')!;
    expect(review.title).toBe('Panel review of draft 2 of Plan ends');
    expect(statusOf(review, '2026-11-23')).toBe('overdue');
    expect(statusOf({ ...review, doneOn: '2026-10-20' }, '2026-11-23')).toBe('done');
  });
});

describe('recurring dates', () => {
  it('quarterly reports follow the quarters of the financial year', () => {
    expect(quarterlyReports(2024, 60)).toEqual([
      { quarter: 1, endsOn: '2024-06-30', dueOn: '2024-08-29' },
      { quarter: 2, endsOn: '2024-09-30', dueOn: '2024-11-29' },
      { quarter: 3, endsOn: '2024-12-31', dueOn: '2025-03-01' },
      { quarter: 4, endsOn: '2025-03-31', dueOn: '2025-05-30' },
    ]);
    // 2024 is a leap year: 60 days after 31 December 2023 is 29 February 2024.
    expect(quarterlyReports(2023, 60)[2]?.dueOn).toBe('2024-02-29');
  });

  it('the annual report meeting falls due at the end of the chosen month (s.28(4))', () => {
    expect(annualReportMeetingDue(2026, 7)).toBe('2026-07-31');
    expect(annualReportMeetingDue(2024, 2)).toBe('2024-02-29');
    expect(annualReportMeetingDue(2025, 2)).toBe('2025-02-28');
  });

  it('lists a year of recurring dates ahead and never shows them overdue', () => {
    const entries = buildCalendar(input({ today: '2026-11-23' }));
    const quarterly = entries.filter((e) => e.kind === 'quarterly_report');
    expect(quarterly.map((e) => e.dueOn)).toEqual(['2026-11-29', '2027-03-01', '2027-05-30', '2027-08-29']);
    expect(entries.filter((e) => e.kind === 'annual_report').map((e) => e.dueOn)).toEqual(['2027-07-31']);
    expect(entries.every((e) => statusOf(e, '2026-11-23') !== 'overdue')).toBe(true);
  });
});

describe('status and grouping', () => {
  const base = { doneOn: null, informational: false };
  it.each([
    ['2026-11-22', 'overdue'],
    ['2026-11-23', 'due_soon'],
    ['2026-12-07', 'due_soon'],
    ['2026-12-08', 'upcoming'],
  ])('due %s is %s on 23 November 2026', (dueOn, status) => {
    expect(statusOf({ ...base, dueOn }, '2026-11-23')).toBe(status);
  });

  it('a past informational date is not overdue', () => {
    expect(statusOf({ dueOn: '2020-01-01', doneOn: null, informational: true }, '2026-11-23')).toBe('done');
  });

  it('puts overdue first, then the next 90 days, then later, dropping past done things', () => {
    const entries = buildCalendar(
      input({
        today: '2026-11-23',
        items: [
          { id: '1', kind: 'other', title: 'Late', dueOn: '2026-11-01', statutoryBasis: '', completedOn: null, forPanel: false, link: '' },
          {
            id: '2',
            kind: 'other',
            title: 'Done',
            dueOn: '2026-11-02',
            statutoryBasis: '',
            completedOn: '2026-11-02',
            forPanel: false,
            link: '',
          },
          { id: '3', kind: 'other', title: 'Soon', dueOn: '2026-12-01', statutoryBasis: '', completedOn: null, forPanel: false, link: '' },
          { id: '4', kind: 'other', title: 'Later', dueOn: '2027-06-01', statutoryBasis: '', completedOn: null, forPanel: false, link: '' },
        ],
        actions: [
          {
            id: 'x',
            description: 'Cancelled',
            ownerName: 'A',
            dueOn: '2026-11-01',
            status: 'cancelled',
            completedOn: null,
            ownedByPanel: true,
            link: '',
          },
        ],
      }),
    );
    const grouped = whatsDue(entries, '2026-11-23');
    expect(grouped.overdue.map((e) => e.title)).toEqual(['Late']);
    expect(grouped.next.map((e) => e.title)).toContain('Soon');
    expect(grouped.next.map((e) => e.title)).not.toContain('Done');
    expect(grouped.later.map((e) => e.title)).toContain('Later');
  });

  it('every entry lands in exactly one group or is past and settled', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(isoDate, fc.option(isoDate, { nil: null }))), isoDate, (rows, today) => {
        const items = rows.map(([dueOn, completedOn], i) => ({
          id: String(i),
          kind: 'other' as const,
          title: `t${i}`,
          dueOn,
          statutoryBasis: '',
          completedOn,
          forPanel: false,
          link: '',
        }));
        const entries = buildCalendar(input({ today, items })).filter((e) => e.kind === 'other');
        const grouped = whatsDue(entries, today);
        const shown = [...grouped.overdue, ...grouped.next, ...grouped.later];
        expect(new Set(shown.map((e) => e.uid)).size).toBe(shown.length);
        for (const entry of entries) {
          const inGroup = shown.some((e) => e.uid === entry.uid);
          const settledPast = entry.dueOn < today && entry.doneOn !== null;
          expect(inGroup).toBe(!settledPast);
        }
        expect(grouped.overdue.every((e) => e.dueOn < today && e.doneOn === null)).toBe(true);
      }),
    );
  });
});

describe('precept timetable', () => {
  it('proposal by 31 January, panel report by 7 February, response by 15 February, final by 22 February', () => {
    expect(preceptTimetable(2027).map((i) => i.dueOn)).toEqual(['2027-01-31', '2027-02-07', '2027-02-15', '2027-02-22']);
  });
});
