import type { responseStatuses } from './kinds.ts';

/**
 * The recommendations register's rules, pure: where a recommendation stands (awaiting a
 * response, overdue, responded, published) and the plan-JSON shape the principal-changes diff
 * compares. The commissioner must respond to the panel's report and publish the response
 * (PRSRA 2011 s.5(6)(e)–(f)); the due date is the body's own setting.
 */
export const registerFilters = ['awaiting', 'overdue', 'responded', 'published'] as const;
export type RegisterFilter = (typeof registerFilters)[number];

export const registerFilterLabels: Record<RegisterFilter, string> = {
  awaiting: 'Awaiting a response',
  overdue: 'Response overdue',
  responded: 'Responded',
  published: 'Response published',
};

export const responseStatusLabels: Record<(typeof responseStatuses)[number], string> = {
  accepted: 'Accepted',
  partly_accepted: 'Partly accepted',
  not_accepted: 'Not accepted',
};

export const sourceLabels = {
  panel_report: 'Panel report on a draft',
  further_draft_request: 'Request for a further draft',
  meeting: 'Panel meeting',
} as const;

type Standing = { responseStatus: string | null; responseDueOn: string; responsePublishedOn: string | null };

/** A response is overdue once its due date has passed without one (the due date itself is still in time). */
export function isOverdue(recommendation: Standing, today: string): boolean {
  return recommendation.responseStatus === null && recommendation.responseDueOn < today;
}

export function matchesFilter(recommendation: Standing, filter: RegisterFilter, today: string): boolean {
  switch (filter) {
    case 'awaiting':
      return recommendation.responseStatus === null;
    case 'overdue':
      return isOverdue(recommendation, today);
    case 'responded':
      return recommendation.responseStatus !== null;
    case 'published':
      return recommendation.responsePublishedOn !== null;
  }
}

/** The ISO date in England for an instant: the register's "today". */
export function londonDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** Adds whole days to an ISO date. */
export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export type ConcernedType = 'priority' | 'objective' | 'commitment' | 'measure';
export type ElementChoice = { lineageId: string; elementType: ConcernedType; label: string };

/** The shape of an edition this needs: its numbered priorities, objectives, commitments and measures. */
export type NumberedTree = {
  priorities: readonly {
    lineageId: string;
    title: string;
    objectives: readonly { lineageId: string; title: string; commitments: readonly { lineageId: string; text: string }[] }[];
  }[];
  measures: readonly { lineageId: string; name: string }[];
};

/** Every element a recommendation may concern, numbered as the plan numbers them (1, 1.2, 1.2.3). */
export function elementChoices(tree: NumberedTree): ElementChoice[] {
  const choices: ElementChoice[] = [];
  tree.priorities.forEach((p, i) => {
    choices.push({ lineageId: p.lineageId, elementType: 'priority', label: `Priority ${i + 1}: ${p.title}` });
    p.objectives.forEach((o, j) => {
      choices.push({ lineageId: o.lineageId, elementType: 'objective', label: `Objective ${i + 1}.${j + 1}: ${o.title}` });
      o.commitments.forEach((c, k) => {
        choices.push({ lineageId: c.lineageId, elementType: 'commitment', label: `Commitment ${i + 1}.${j + 1}.${k + 1}: ${c.text}` });
      });
    });
  });
  for (const m of tree.measures) choices.push({ lineageId: m.lineageId, elementType: 'measure', label: `Measure: ${m.name}` });
  return choices;
}
