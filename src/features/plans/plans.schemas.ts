import { z } from 'zod';
import { isoDateFromParts, isoDateParts } from '../../shared/dates.ts';
import { defaultPlanningPeriod } from './domain/planning-period.ts';

/** Required text, trimmed, with GOV.UK-style messages. */
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `${capitalise(label.replace(/^(the|a|an) /, ''))} must be ${max} characters or fewer`);

export const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${capitalise(label.replace(/^(the|a|an) /, ''))} must be ${max} characters or fewer`)
    .default('');

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Reads a GOV.UK date input (three boxes) into an ISO date, adding a field error if it is not real. */
export function dateFromBoxes(
  values: Record<string, string>,
  name: string,
  label: string,
  context: z.RefinementCtx,
  isRequired = true,
): string | null {
  const day = values[`${name}-day`] ?? '';
  const month = values[`${name}-month`] ?? '';
  const year = values[`${name}-year`] ?? '';
  if (!day.trim() && !month.trim() && !year.trim()) {
    if (isRequired) context.addIssue({ code: 'custom', path: [name], message: `Enter the ${label}` });
    return null;
  }
  const iso = isoDateFromParts(day, month, year);
  if (!iso) context.addIssue({ code: 'custom', path: [name], message: `The ${label} must be a real date, like 1 4 2025` });
  return iso;
}

export const newPlanSchema = z.record(z.string(), z.string()).transform((values, context) => {
  const title = requiredText('the title of the plan', 200).safeParse(values.title ?? '');
  if (!title.success) context.addIssue({ code: 'custom', path: ['title'], message: title.error.issues[0]!.message });
  const vision = optionalText('the vision', 5000).safeParse(values.vision ?? '');
  if (!vision.success) context.addIssue({ code: 'custom', path: ['vision'], message: vision.error.issues[0]!.message });
  const startsOn = dateFromBoxes(values, 'periodStartsOn', 'start of the plan period', context);
  const endsOn = dateFromBoxes(values, 'periodEndsOn', 'end of the plan period', context);
  if (startsOn && endsOn && endsOn <= startsOn)
    context.addIssue({ code: 'custom', path: ['periodEndsOn'], message: 'The end of the plan period must be after its start' });
  if (!title.success || !vision.success || !startsOn || !endsOn || endsOn <= startsOn) return z.NEVER;
  return { title: title.data, vision: vision.data, periodStartsOn: startsOn, periodEndsOn: endsOn };
});
export type NewPlanInput = z.infer<typeof newPlanSchema>;

export const visionSchema = z.object({ vision: optionalText('the vision', 10000) });

/** The version the form was loaded at, for optimistic locking. */
export const versionOf = (values: Record<string, string>): number => {
  const version = Number(values.version);
  return Number.isInteger(version) && version > 0 ? version : 0;
};

/** The new-plan form's starting values: the default planning period and a title from its years. */
export function newPlanDefaults(today: string, termEndsOn: string): Record<string, string> {
  const period = defaultPlanningPeriod(today, termEndsOn);
  const start = isoDateParts(period.startsOn);
  const end = isoDateParts(period.endsOn);
  return {
    title: `Police and Crime Plan ${period.startsOn.slice(0, 4)}–${period.endsOn.slice(0, 4)}`,
    'periodStartsOn-day': start.day,
    'periodStartsOn-month': start.month,
    'periodStartsOn-year': start.year,
    'periodEndsOn-day': end.day,
    'periodEndsOn-month': end.month,
    'periodEndsOn-year': end.year,
  };
}

/** The new end of the plan period an addendum or variation sets; `clear` removes the change. */
export const periodChangeSchema = (periodStartsOn: string) =>
  z.record(z.string(), z.string()).transform((values, context): { newPeriodEndsOn: string | null } => {
    if (values.action === 'clear') return { newPeriodEndsOn: null };
    const endsOn = dateFromBoxes(values, 'newPeriodEndsOn', 'new end of the plan period', context);
    if (endsOn && endsOn <= periodStartsOn)
      context.addIssue({ code: 'custom', path: ['newPeriodEndsOn'], message: 'The new end of the plan period must be after its start' });
    if (!endsOn || endsOn <= periodStartsOn) return z.NEVER;
    return { newPeriodEndsOn: endsOn };
  });
