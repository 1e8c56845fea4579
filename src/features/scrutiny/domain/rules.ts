import type { actionStatuses } from './kinds.ts';

type Period = { startsOn: string; endsOn: string | null };

/** A panel member sits on the panel on `date` if their membership covers it (Sch.6 terms of appointment). */
export function isMemberOn(member: Period, date: string): boolean {
  return member.startsOn <= date && (member.endsOn === null || member.endsOn >= date);
}

/** Current members have not left yet (they may not have started); former members left before `today`. */
export function isFormerMember(member: Period, today: string): boolean {
  return member.endsOn !== null && member.endsOn < today;
}

type ActionLike = { status: (typeof actionStatuses)[number]; dueOn: string };

/** An action is overdue when it is still to do and its due date has passed. */
export function isOverdue(action: ActionLike, today: string): boolean {
  return (action.status === 'open' || action.status === 'in_progress') && action.dueOn < today;
}

export function countOverdue(actions: readonly ActionLike[], today: string): number {
  return actions.filter((a) => isOverdue(a, today)).length;
}

/** Lines of a free-text list (highlights, next steps), without bullets or blank lines. */
export function listLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•–]|\d+[.)])\s*/, '').trim())
    .filter((line) => line !== '');
}

/** Moves one id up or down a list; the list is unchanged at either end or if the id is absent. */
export function moveInOrder(ids: readonly string[], id: string, direction: 'up' | 'down'): string[] {
  const order = [...ids];
  const from = order.indexOf(id);
  const to = direction === 'up' ? from - 1 : from + 1;
  if (from < 0 || to < 0 || to >= order.length) return order;
  [order[from], order[to]] = [order[to]!, order[from]!];
  return order;
}
