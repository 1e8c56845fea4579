/**
 * The statutory calendar of a policing body and its panel, computed from what the body has
 * recorded. Pure: every date comes in as an ISO string and "today" is a parameter.
 */

export type IsoDate = string;

export type DeadlineKind =
  | 'election'
  | 'plan_issue'
  | 'plan_period_end'
  | 'panel_review'
  | 'recommendation_response'
  | 'annual_report'
  | 'quarterly_report'
  | 'action'
  | 'meeting'
  | 'precept'
  | 'other';

export const kindLabels: Record<DeadlineKind, string> = {
  election: 'Election',
  plan_issue: 'Plan',
  plan_period_end: 'Plan',
  panel_review: 'Panel review',
  recommendation_response: 'Response to the panel',
  annual_report: 'Annual report',
  quarterly_report: 'Performance report',
  action: 'Action',
  meeting: 'Meeting',
  precept: 'Precept',
  other: 'Other',
};

export type DeadlineStatus = 'done' | 'overdue' | 'due_soon' | 'upcoming';

export type CalendarEntry = {
  /** Stable across recomputations: used for iCalendar UIDs. */
  uid: string;
  title: string;
  dueOn: IsoDate;
  statutoryBasis: string;
  kind: DeadlineKind;
  /** When the thing was done, if it was. */
  doneOn: IsoDate | null;
  /** A date that passes rather than something to do (an election, the end of a plan period, a meeting). */
  informational: boolean;
  /** Shown on the panel's calendar as well as the body's. */
  panel: boolean;
  link: string;
};

export type Settings = {
  panelReviewDays: number;
  responseDueDays: number;
  actionReminderDays: number;
  annualReportMonth: number;
  quarterlyReportLagDays: number;
};

/** The column defaults of lifecycle_settings, for a body that has not saved its own. */
export const defaultSettings: Settings = {
  panelReviewDays: 28,
  responseDueDays: 28,
  actionReminderDays: 7,
  annualReportMonth: 7,
  quarterlyReportLagDays: 60,
};

/** Items within this many days are "due soon". */
export const DUE_SOON_DAYS = 14;

const DAY_MS = 86_400_000;

function toUtc(iso: IsoDate): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function fromUtc(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return fromUtc(toUtc(iso) + days * DAY_MS);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** The year in which the financial year (1 April to 31 March) containing this date begins. */
export function financialYearStart(iso: IsoDate): number {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  return m >= 4 ? y : y - 1;
}

/** 31 March ending the financial year that contains this date. */
export function financialYearEnd(iso: IsoDate): IsoDate {
  return `${financialYearStart(iso) + 1}-03-31`;
}

export function lastDayOfMonth(year: number, month: number): IsoDate {
  return fromUtc(Date.UTC(year, month, 0));
}

export type Election = { id: string; scheduledOn: IsoDate; heldOn: IsoDate | null; note?: string };

/** The date an election actually took place: the held date when it was postponed (as in 2020 to 2021). */
export function electionDate(election: Election): IsoDate {
  return election.heldOn ?? election.scheduledOn;
}

/**
 * PRSRA 2011 s.5(1)–(2): a plan must be issued within the financial year in which the ordinary
 * election is held, so by 31 March of that year. A postponed election moves the deadline with it.
 */
export function planIssueDeadline(election: Election): IsoDate {
  return financialYearEnd(electionDate(election));
}

/** PRSRA 2011 s.7: a plan runs until 31 March of the financial year of the next ordinary election. */
export function planPeriodEnd(nextElection: Election): IsoDate {
  return financialYearEnd(electionDate(nextElection));
}

/** The panel's review of a draft ends `panelReviewDays` after it is sent (s.5(7) says only "a reasonable amount of time"). */
export function panelReviewWindowEnds(sentOn: IsoDate, panelReviewDays: number): IsoDate {
  return addDays(sentOn, panelReviewDays);
}

/** The commissioner's response to the panel's report is due `responseDueDays` after it is made (s.5(6)(d)–(e)). */
export function responseDueOn(madeOn: IsoDate, responseDueDays: number): IsoDate {
  return addDays(madeOn, responseDueDays);
}

/** The four quarters of a financial year beginning in April of `fyStart`, with their report due dates. */
export function quarterlyReports(fyStart: number, lagDays: number): { quarter: number; endsOn: IsoDate; dueOn: IsoDate }[] {
  const ends = [`${fyStart}-06-30`, `${fyStart}-09-30`, `${fyStart}-12-31`, `${fyStart + 1}-03-31`];
  return ends.map((endsOn, index) => ({ quarter: index + 1, endsOn, dueOn: addDays(endsOn, lagDays) }));
}

/** The day before a quarter begins, from the quarter's last day (quarters end in Jun, Sep, Dec, Mar). */
function lastDayOfPreviousQuarter(endsOn: IsoDate): IsoDate {
  const year = Number(endsOn.slice(0, 4));
  const month = Number(endsOn.slice(5, 7));
  return month === 3 ? `${year - 1}-12-31` : lastDayOfMonth(year, month - 3);
}

/** s.28(4): the panel's public meeting on the annual report, due by the end of the body's chosen month. */
export function annualReportMeetingDue(year: number, month: number): IsoDate {
  return lastDayOfMonth(year, month);
}

export function statusOf(entry: Pick<CalendarEntry, 'dueOn' | 'doneOn' | 'informational'>, today: IsoDate): DeadlineStatus {
  if (entry.doneOn) return 'done';
  if (entry.dueOn < today) return entry.informational ? 'done' : 'overdue';
  if (entry.dueOn <= addDays(today, DUE_SOON_DAYS)) return 'due_soon';
  return 'upcoming';
}

export type Draft = {
  editionId: string;
  planTitle: string;
  draftNumber: number;
  sentOn: IsoDate;
  reviewWindowEndsOn: IsoDate;
  /** When the panel's report (or request for a further draft) on this draft was received. */
  reportReceivedOn: IsoDate | null;
  link: string;
};

export type Recommendation = {
  id: string;
  reference: string;
  responseDueOn: IsoDate;
  respondedOn: IsoDate | null;
  link: string;
};

export type Action = {
  id: string;
  description: string;
  ownerName: string;
  dueOn: IsoDate;
  status: 'open' | 'in_progress' | 'done' | 'cancelled';
  completedOn: IsoDate | null;
  /** The owner is a member or officer of the panel. */
  ownedByPanel: boolean;
  link: string;
};

export type Meeting = { id: string; title: string; heldOn: IsoDate; link: string };

export type Item = {
  id: string;
  kind: 'precept' | 'annual_report' | 'meeting' | 'other';
  title: string;
  dueOn: IsoDate;
  statutoryBasis: string;
  completedOn: IsoDate | null;
  forPanel: boolean;
  link: string;
};

export type CalendarInput = {
  today: IsoDate;
  settings: Settings;
  elections: readonly Election[];
  /** Dates on which the body issued an edition of a plan. */
  planIssuedOn: readonly IsoDate[];
  drafts: readonly Draft[];
  recommendations: readonly Recommendation[];
  actions: readonly Action[];
  meetings: readonly Meeting[];
  items: readonly Item[];
  /** Quarterly performance reports the office has made (features/performance), by quarter. */
  quarterlyReportsMade?: readonly { quarterStartsOn: IsoDate; madeOn: IsoDate }[];
  links: { elections: string; items: string };
};

/** How far ahead recurring dates (quarterly reports, annual report meetings) are listed. */
export const RECURRING_HORIZON_DAYS = 366;

/** Every dated thing for the body, earliest first. */
export function buildCalendar(input: CalendarInput): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  const { today, settings } = input;
  const elections = [...input.elections].sort((a, b) => electionDate(a).localeCompare(electionDate(b)));

  elections.forEach((election, index) => {
    const held = electionDate(election);
    const postponed = election.heldOn && election.heldOn !== election.scheduledOn;
    entries.push({
      uid: `election-${election.id}`,
      title: postponed ? `Ordinary election (postponed from ${election.scheduledOn})` : 'Ordinary election',
      dueOn: held,
      statutoryBasis: 'PRSRA 2011 s.50',
      kind: 'election',
      doneOn: null,
      informational: true,
      panel: true,
      link: input.links.elections,
    });
    const deadline = planIssueDeadline(election);
    const issued = input.planIssuedOn.filter((on) => on >= held && on <= deadline).sort()[0] ?? null;
    entries.push({
      uid: `plan-issue-${election.id}`,
      title: `Issue the police and crime plan (election of ${held})`,
      dueOn: deadline,
      statutoryBasis: 'PRSRA 2011 s.5(1)–(2)',
      kind: 'plan_issue',
      doneOn: issued,
      informational: false,
      panel: true,
      link: input.links.elections,
    });
    const next = elections[index + 1];
    if (next) {
      entries.push({
        uid: `plan-period-end-${election.id}`,
        title: `Plan period ends (plan after the election of ${held})`,
        dueOn: planPeriodEnd(next),
        statutoryBasis: 'PRSRA 2011 s.7',
        kind: 'plan_period_end',
        doneOn: null,
        informational: true,
        panel: true,
        link: input.links.elections,
      });
    }
  });

  for (const draft of input.drafts) {
    entries.push({
      uid: `panel-review-${draft.editionId}-${draft.draftNumber}`,
      title: `Panel review of draft ${draft.draftNumber} of ${draft.planTitle} ends`,
      dueOn: draft.reviewWindowEndsOn,
      statutoryBasis: 'PRSRA 2011 s.5(6)(c), s.5(7), s.28(3)',
      kind: 'panel_review',
      doneOn: draft.reportReceivedOn,
      informational: false,
      panel: true,
      link: draft.link,
    });
  }

  for (const recommendation of input.recommendations) {
    entries.push({
      uid: `response-${recommendation.id}`,
      title: `Response to recommendation ${recommendation.reference}`,
      dueOn: recommendation.responseDueOn,
      statutoryBasis: 'PRSRA 2011 s.5(6)(d)–(e)',
      kind: 'recommendation_response',
      doneOn: recommendation.respondedOn,
      informational: false,
      panel: true,
      link: recommendation.link,
    });
  }

  for (const action of input.actions) {
    if (action.status === 'cancelled') continue;
    entries.push({
      uid: `action-${action.id}`,
      title: `Action (${action.ownerName}): ${action.description}`,
      dueOn: action.dueOn,
      statutoryBasis: '',
      kind: 'action',
      doneOn: action.status === 'done' ? (action.completedOn ?? action.dueOn) : null,
      informational: false,
      panel: action.ownedByPanel,
      link: action.link,
    });
  }

  for (const meeting of input.meetings) {
    entries.push({
      uid: `meeting-${meeting.id}`,
      title: meeting.title,
      dueOn: meeting.heldOn,
      statutoryBasis: 'PRSRA 2011 s.28',
      kind: 'meeting',
      doneOn: null,
      informational: true,
      panel: true,
      link: meeting.link,
    });
  }

  for (const item of input.items) {
    entries.push({
      uid: `item-${item.id}`,
      title: item.title,
      dueOn: item.dueOn,
      statutoryBasis: item.statutoryBasis,
      kind: item.kind,
      doneOn: item.completedOn,
      informational: false,
      panel: item.forPanel,
      link: item.link,
    });
  }

  // Recurring dates are listed from today up to a year ahead. A quarterly report made in the
  // service marks its quarter done; once a body makes them here, a later quarter with no report
  // is overdue. Before its first report nothing records whether a past one was done, so those
  // (and annual report meetings) are never shown as overdue (enter a dated item to track one).
  const horizon = addDays(today, RECURRING_HORIZON_DAYS);
  const thisYear = financialYearStart(today);
  const made = new Map<IsoDate, IsoDate>();
  for (const report of input.quarterlyReportsMade ?? []) {
    const earlier = made.get(report.quarterStartsOn);
    if (!earlier || report.madeOn < earlier) made.set(report.quarterStartsOn, report.madeOn);
  }
  const firstTracked = [...made.keys()].sort()[0];
  for (const fy of [thisYear - 1, thisYear, thisYear + 1]) {
    for (const report of quarterlyReports(fy, settings.quarterlyReportLagDays)) {
      const quarterStartsOn = addDays(lastDayOfPreviousQuarter(report.endsOn), 1);
      const madeOn = made.get(quarterStartsOn) ?? null;
      const tracked = firstTracked !== undefined && quarterStartsOn >= firstTracked;
      if (report.dueOn > horizon || (report.dueOn < today && !madeOn && !tracked)) continue;
      entries.push({
        uid: `quarterly-${fy}-q${report.quarter}`,
        title: `Quarterly performance report to the panel: quarter ${report.quarter} of ${fy}–${String(fy + 1).slice(2)}`,
        dueOn: report.dueOn,
        statutoryBasis: 'PRSRA 2011 s.13 (information to the panel)',
        kind: 'quarterly_report',
        doneOn: madeOn,
        informational: false,
        panel: true,
        link: input.links.items,
      });
    }
  }
  const year = Number(today.slice(0, 4));
  for (const y of [year, year + 1]) {
    const dueOn = annualReportMeetingDue(y, settings.annualReportMonth);
    if (dueOn < today || dueOn > horizon) continue;
    entries.push({
      uid: `annual-report-${y}`,
      title: `Panel’s public meeting on the annual report (${y})`,
      dueOn,
      statutoryBasis: 'PRSRA 2011 s.12, s.28(4)',
      kind: 'annual_report',
      doneOn: null,
      informational: false,
      panel: true,
      link: input.links.items,
    });
  }

  return entries.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.title.localeCompare(b.title));
}

export type Grouped = {
  overdue: (CalendarEntry & { status: DeadlineStatus })[];
  next: (CalendarEntry & { status: DeadlineStatus })[];
  later: (CalendarEntry & { status: DeadlineStatus })[];
};

/** "What's due": everything overdue first, then the next `nextDays` days, then later. Past, done things drop off. */
export function whatsDue(entries: readonly CalendarEntry[], today: IsoDate, nextDays = 90): Grouped {
  const until = addDays(today, nextDays);
  const grouped: Grouped = { overdue: [], next: [], later: [] };
  for (const entry of entries) {
    const status = statusOf(entry, today);
    const withStatus = { ...entry, status };
    if (status === 'overdue') grouped.overdue.push(withStatus);
    else if (entry.dueOn < today) continue;
    else if (entry.dueOn <= until) grouped.next.push(withStatus);
    else grouped.later.push(withStatus);
  }
  return grouped;
}

/** The precept timetable as Hertfordshire's panel describes it (domain.md §3), for the financial year starting in April of `fyStart`. */
export function preceptTimetable(fyStart: number): { title: string; dueOn: IsoDate; statutoryBasis: string }[] {
  const y = fyStart;
  const basis = 'PRSRA 2011 Sch.5; Police and Crime Panels (Precepts and Chief Constable Appointments) Regulations 2012';
  return [
    { title: `Precept ${y}–${String(y + 1).slice(2)}: proposed precept to the panel`, dueOn: `${y}-01-31`, statutoryBasis: basis },
    { title: `Precept ${y}–${String(y + 1).slice(2)}: panel’s report (or veto)`, dueOn: `${y}-02-07`, statutoryBasis: basis },
    { title: `Precept ${y}–${String(y + 1).slice(2)}: commissioner’s response`, dueOn: `${y}-02-15`, statutoryBasis: basis },
    { title: `Precept ${y}–${String(y + 1).slice(2)}: final precept`, dueOn: `${y}-02-22`, statutoryBasis: basis },
  ];
}

const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in England and Wales at an instant (the clock is the caller's). */
export function isoDateInLondon(instant: Date): IsoDate {
  return londonDay.format(instant);
}
