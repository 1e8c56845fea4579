import type { Agent } from './app.ts';

/**
 * Starts a plan through the real "Start a new plan" form and returns its first edition's
 * editor URL (`/bodies/<slug>/plans/<id>/editions/1`).
 */
export async function startPlan(
  agent: Agent,
  slug: string,
  options: { title?: string; startsOn?: string; endsOn?: string; vision?: string } = {},
): Promise<string> {
  const [startYear, startMonth, startDay] = (options.startsOn ?? '2025-04-01').split('-');
  const [endYear, endMonth, endDay] = (options.endsOn ?? '2029-03-31').split('-');
  const response = await agent.submit(`/bodies/${slug}/plans/new`, {
    title: options.title ?? 'Police and Crime Plan',
    'periodStartsOn-day': String(Number(startDay)),
    'periodStartsOn-month': String(Number(startMonth)),
    'periodStartsOn-year': startYear!,
    'periodEndsOn-day': String(Number(endDay)),
    'periodEndsOn-month': String(Number(endMonth)),
    'periodEndsOn-year': endYear!,
    vision: options.vision ?? '',
  });
  if (response.statusCode !== 302) throw new Error(`could not start a plan: ${response.statusCode}`);
  return response.headers.location as string;
}

/** Ids of the elements of one kind, in page order, from the editor's change links. */
export function elementIds(html: string, segment: string): string[] {
  return [...html.matchAll(new RegExp(`/${segment}/([0-9a-f-]{36})/edit`, 'g'))].map((m) => m[1]!);
}

/** The `version` a form was rendered with, for optimistic locking. */
export function formVersion(html: string): string {
  const match = /name="version" value="(\d+)"/.exec(html);
  if (!match) throw new Error('the page has no version field');
  return match[1]!;
}
