import { z } from 'zod';
import { isoDateFromParts } from '../../shared/dates.ts';
import { calendarItemKinds } from './calendar.tables.ts';

/** A GOV.UK date input submits three boxes: <name>-day, <name>-month, <name>-year. */
function dateField(values: Record<string, string>, name: string, label: string, context: z.RefinementCtx, optional = false): string | null {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => (values[`${name}-${part}`] ?? '').trim()) as [string, string, string];
  if (!day && !month && !year) {
    if (!optional) context.addIssue({ code: 'custom', path: [name], message: `Enter the ${label}` });
    return null;
  }
  const iso = isoDateFromParts(day, month, year);
  if (!iso) context.addIssue({ code: 'custom', path: [name], message: `The ${label} must be a real date, like 6 5 2021` });
  return iso;
}

export type ElectionForm = { scheduledOn: string; heldOn: string | null; note: string };

export const electionFormSchema = z.record(z.string(), z.string()).transform((values, context): ElectionForm => {
  let valid = true;
  const fail = (path: string, message: string) => {
    valid = false;
    context.addIssue({ code: 'custom', path: [path], message });
  };
  const scheduledOn = dateField(values, 'scheduledOn', 'date the election was due', context);
  const heldGiven = ['day', 'month', 'year'].some((part) => (values[`heldOn-${part}`] ?? '').trim() !== '');
  const heldOn = dateField(values, 'heldOn', 'date the election was held', context, true);
  const note = (values.note ?? '').trim();
  if (note.length > 1000) fail('note', 'Note must be 1000 characters or fewer');
  // A postponed election is held after the date set in law, never before (PRSRA 2011 s.50).
  if (scheduledOn && heldOn && heldOn < scheduledOn) fail('heldOn', 'The date held must be the same as or after the date it was due');
  if (!valid || !scheduledOn || (heldGiven && !heldOn)) return z.NEVER;
  return { scheduledOn, heldOn, note };
});

export const itemKindLabels: Record<(typeof calendarItemKinds)[number], string> = {
  precept: 'Precept timetable',
  annual_report: 'Annual report',
  meeting: 'Meeting',
  other: 'Other',
};

export type ItemForm = {
  title: string;
  kind: (typeof calendarItemKinds)[number];
  dueOn: string;
  statutoryBasis: string;
  notes: string;
  forPanel: boolean;
};

export const itemFormSchema = z.record(z.string(), z.string()).transform((values, context): ItemForm => {
  const fields = z
    .object({
      title: z.string().trim().min(1, 'Enter what is due').max(200, 'What is due must be 200 characters or fewer'),
      kind: z.enum(calendarItemKinds, { error: 'Select the kind of date' }),
      statutoryBasis: z.string().trim().max(200, 'Statutory basis must be 200 characters or fewer').default(''),
      notes: z.string().trim().max(2000, 'Notes must be 2000 characters or fewer').default(''),
      forPanel: z.enum(['yes', 'no'], { error: 'Select whether this date is on the panel’s calendar' }),
    })
    .safeParse(values);
  if (!fields.success)
    for (const issue of fields.error.issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  const dueOn = dateField(values, 'dueOn', 'date it is due', context);
  if (!fields.success || !dueOn) return z.NEVER;
  return { ...fields.data, dueOn, forPanel: fields.data.forPanel === 'yes' };
});

export const versionOf = (values: Record<string, string>): number | null => {
  const version = Number(values.version);
  return Number.isInteger(version) && version > 0 ? version : null;
};
