import { z } from 'zod';
import { isoDateFromParts } from '../../shared/dates.ts';
import { responseStatuses } from './domain/kinds.ts';

type Issues = { addIssue: z.RefinementCtx['addIssue'] };

/** Reads a GOV.UK date input (three boxes) into an ISO date, adding a field error if it is not real. */
function dateFromBoxes(values: Record<string, string>, name: string, label: string, context: Issues, isRequired: boolean) {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => values[`${name}-${part}`] ?? '') as [string, string, string];
  if (!day.trim() && !month.trim() && !year.trim()) {
    if (isRequired) context.addIssue({ code: 'custom', path: [name], message: `Enter the ${label}` });
    return null;
  }
  const iso = isoDateFromParts(day, month, year);
  if (!iso) context.addIssue({ code: 'custom', path: [name], message: `The ${label} must be a real date, like 14 12 2016` });
  return iso;
}

const textIssue = (values: Record<string, string>, name: string, label: string, max: number, context: Issues) => {
  const text = (values[name] ?? '').trim();
  if (!text) context.addIssue({ code: 'custom', path: [name], message: `Enter ${label}` });
  else if (text.length > max) context.addIssue({ code: 'custom', path: [name], message: `The text must be ${max} characters or fewer` });
  return text;
};

/**
 * A recommendation the panel made at a meeting. The elements it concerns arrive separately
 * (checkboxes repeat a field name) and are checked against the chosen edition by the route.
 */
export const meetingRecommendationSchema = z.record(z.string(), z.string()).transform((values, context) => {
  let isValid = true;
  const issue: Issues = {
    addIssue: (i) => {
      isValid = false;
      context.addIssue(i);
    },
  };
  const text = textIssue(values, 'text', 'what the panel recommended', 5000, issue);
  const madeOn = dateFromBoxes(values, 'madeOn', 'date the panel made the recommendation', issue, true);
  const responseDueOn = dateFromBoxes(values, 'responseDueOn', 'date the response is due', issue, false);
  if (madeOn && responseDueOn && responseDueOn < madeOn) {
    issue.addIssue({ code: 'custom', path: ['responseDueOn'], message: 'The response cannot be due before the recommendation was made' });
  }
  if (!isValid || !madeOn) return z.NEVER;
  return { text, madeOn, responseDueOn, meetingId: values.meetingId ?? '', editionId: values.editionId ?? '' };
});

export const responseStatusSchemaMessage = 'Select whether the commissioner accepts the recommendation';

/** The commissioner's response; the route adds "not before the recommendation" (it knows that date). */
export const responseSchema = z.record(z.string(), z.string()).transform((values, context) => {
  const status = values.status ?? '';
  if (!(responseStatuses as readonly string[]).includes(status)) {
    context.addIssue({ code: 'custom', path: ['status'], message: responseStatusSchemaMessage });
  }
  const text = textIssue(values, 'text', 'the response', 10000, context);
  const respondedOn = dateFromBoxes(values, 'respondedOn', 'date of the response', context, true);
  if (!(responseStatuses as readonly string[]).includes(status) || !text || text.length > 10000 || !respondedOn) return z.NEVER;
  return { status: status as (typeof responseStatuses)[number], text, respondedOn };
});
