import { z } from 'zod';
import type { FormResult } from '../../platform/http/forms.ts';
import { formatDate, isoDateFromParts } from '../../shared/dates.ts';
import { actionStatuses, attendanceKinds, meetingKinds, panelMemberKinds, panelMemberRoles } from './domain/kinds.ts';

/** `Enter the title` when blank; `Title must be … or fewer` when too long. */
const text = (label: string, max: number) => {
  const subject = label.replace(/^(the|a|an) /, '');
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `${subject[0]!.toUpperCase()}${subject.slice(1)} must be ${max} characters or fewer`);
};
const optionalText = (label: string, max: number) => z.string().trim().max(max, `${label} must be ${max} characters or fewer`).default('');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalId = z
  .string()
  .trim()
  .default('')
  .refine((value) => value === '' || UUID.test(value), 'Select one of the options')
  .transform((value) => value || null);

/**
 * A GOV.UK date input (<name>-day, -month, -year) as an ISO date. Blank gives null, with an
 * error only if the date is required.
 */
function dateField(values: Record<string, string>, name: string, label: string, context: z.RefinementCtx, required = true): string | null {
  const day = values[`${name}-day`] ?? '';
  const month = values[`${name}-month`] ?? '';
  const year = values[`${name}-year`] ?? '';
  if (!day.trim() && !month.trim() && !year.trim()) {
    if (required) context.addIssue({ code: 'custom', path: [name], message: `Enter the ${label}` });
    return null;
  }
  const iso = isoDateFromParts(day, month, year);
  if (!iso) context.addIssue({ code: 'custom', path: [name], message: `The ${label} must be a real date, like 9 11 2018` });
  return iso;
}

/** Copies a zod object's issues onto the outer form, so every field's error shows at once. */
function fieldsOf<T extends z.ZodType>(schema: T, values: Record<string, string>, context: z.RefinementCtx): z.infer<T> | null {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return null;
}

export const panelMemberFormSchema = z.record(z.string(), z.string()).transform((values, context) => {
  const fields = fieldsOf(
    z.object({
      name: text('the member’s name', 200),
      kind: z.enum(panelMemberKinds, { error: 'Select whether the member is a councillor or an independent co-opted member' }),
      council: optionalText('Council', 200),
      party: optionalText('Party', 200),
      role: z.enum(panelMemberRoles, { error: 'Select the member’s role on the panel' }),
      linkThemes: optionalText('Link-member themes', 2000),
      email: z
        .string()
        .trim()
        .max(320, 'Email address must be 320 characters or fewer')
        .default('')
        .refine(
          (value) => value === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
          'Enter an email address in the correct format, like name@example.org',
        )
        .transform((value) => value || null),
    }),
    values,
    context,
  );
  // PRSRA 2011 Sch.6: councillor members are appointed by the councils of the force area, so the council is part of who they are.
  const isCouncilMissing = values.kind === 'councillor' && !values.council?.trim();
  if (isCouncilMissing) context.addIssue({ code: 'custom', path: ['council'], message: 'Enter the council that appointed the councillor' });
  const startsOn = dateField(values, 'startsOn', 'date the membership started', context);
  const endsOn = dateField(values, 'endsOn', 'date the membership ended', context, false);
  const isEndTyped = Boolean(values['endsOn-day']?.trim() || values['endsOn-month']?.trim() || values['endsOn-year']?.trim());
  const isOutOfOrder = startsOn !== null && endsOn !== null && endsOn < startsOn;
  if (isOutOfOrder) {
    context.addIssue({
      code: 'custom',
      path: ['endsOn'],
      message: 'The date the membership ended must be on or after the date it started',
    });
  }
  if (!fields || !startsOn || isCouncilMissing || (isEndTyped && !endsOn) || isOutOfOrder) return z.NEVER;
  return { ...fields, council: fields.kind === 'councillor' ? fields.council : '', startsOn, endsOn };
});
export type PanelMemberInput = z.infer<typeof panelMemberFormSchema>;

export const meetingFormSchema = z.record(z.string(), z.string()).transform((values, context) => {
  const fields = fieldsOf(
    z.object({
      kind: z.enum(meetingKinds, { error: 'Select the kind of meeting' }),
      title: text('the title of the meeting', 300),
      startsAt: z
        .string()
        .trim()
        .default('')
        .refine(
          (value) => value === '' || /^([01]?[0-9]|2[0-3]):[0-5][0-9]$/.test(value),
          'Enter the time in hours and minutes, like 10:30 or 14:00',
        )
        .transform((value) => (value.length === 4 ? `0${value}` : value)),
      place: optionalText('Place', 500),
      onlineLink: z
        .string()
        .trim()
        .max(1000, 'Online link must be 1000 characters or fewer')
        .default('')
        .refine((value) => value === '' || /^https:\/\/[^\s]+\.[^\s]+$/.test(value), 'Enter an online link starting with https://')
        .transform((value) => value || null),
    }),
    values,
    context,
  );
  const isNowhere = !values.place?.trim() && !values.onlineLink?.trim();
  if (isNowhere) context.addIssue({ code: 'custom', path: ['place'], message: 'Enter where the meeting is held, or an online link' });
  const heldOn = dateField(values, 'heldOn', 'date of the meeting', context);
  if (!fields || !heldOn || isNowhere) return z.NEVER;
  return { ...fields, heldOn };
});
export type MeetingInput = z.infer<typeof meetingFormSchema>;

export const agendaItemFormSchema = z.object({
  title: text('the title of the agenda item', 300),
  purpose: optionalText('Purpose', 5000),
  editionId: optionalId,
});
export type AgendaItemInput = z.infer<typeof agendaItemFormSchema>;

export const minutesFormSchema = z.object({ minutes: optionalText('Minutes', 100_000) });

export const documentFormSchema = z.object({ title: text('the title of the document', 300) });

const voteKinds = ['counted', 'unanimous', 'without_vote'] as const;
const count = (label: string) =>
  z
    .string()
    .trim()
    .default('')
    .refine((value) => value === '' || (/^\d{1,4}$/.test(value) && Number(value) <= 1000), `${label} must be a whole number, like 7`)
    .transform((value) => (value === '' ? null : Number(value)));

export const resolutionFormSchema = z.record(z.string(), z.string()).transform((values, context) => {
  const fields = fieldsOf(
    z.object({
      text: text('what the panel resolved', 10_000),
      voteKind: z.enum(voteKinds, { error: 'Select how the panel agreed the resolution' }),
      votesFor: count('Votes for'),
      votesAgainst: count('Votes against'),
      abstentions: count('Abstentions'),
      isEndorsement: z
        .string()
        .default('')
        .transform((value) => value === 'yes'),
    }),
    values,
    context,
  );
  if (!fields) return z.NEVER;
  if (fields.voteKind === 'counted' && fields.votesFor === null) {
    context.addIssue({ code: 'custom', path: ['votesFor'], message: 'Enter the number of votes for' });
    return z.NEVER;
  }
  if (fields.voteKind === 'unanimous' && (fields.votesAgainst ?? 0) > 0) {
    context.addIssue({
      code: 'custom',
      path: ['votesAgainst'],
      message: 'A unanimous resolution has no votes against. Choose “Voted on” to record votes against',
    });
    return z.NEVER;
  }
  const withoutVote = fields.voteKind === 'without_vote';
  return {
    text: fields.text,
    // Agreed without a vote: no counts at all, so nobody reads a 0–0 vote into it.
    votesFor: withoutVote ? null : fields.votesFor,
    votesAgainst: withoutVote ? null : fields.voteKind === 'counted' ? (fields.votesAgainst ?? 0) : fields.votesAgainst,
    abstentions: withoutVote ? null : fields.voteKind === 'counted' ? (fields.abstentions ?? 0) : fields.abstentions,
    unanimous: fields.voteKind === 'unanimous',
    isEndorsement: fields.isEndorsement,
  };
});
export type ResolutionInput = z.infer<typeof resolutionFormSchema>;

/** How a stored resolution was agreed, for its form and its page. */
export const voteKindOf = (r: { unanimous: boolean; votesFor: number | null; votesAgainst: number | null; abstentions: number | null }) =>
  r.unanimous ? 'unanimous' : r.votesFor === null && r.votesAgainst === null && r.abstentions === null ? 'without_vote' : 'counted';

export const linkMemberReportFormSchema = (today: string) =>
  z.record(z.string(), z.string()).transform((values, context) => {
    const fields = fieldsOf(
      z.object({
        panelMemberId: z.string({ error: 'Select the link member' }).trim().regex(UUID, 'Select the link member'),
        title: text('the title of the report', 300),
        meetingId: optionalId,
        highlights: optionalText('Key highlights', 20_000),
        nextSteps: optionalText('Next steps', 20_000),
      }),
      values,
      context,
    );
    const eventOn = dateField(values, 'eventOn', 'date of the event', context);
    if (eventOn && eventOn > today) {
      context.addIssue({ code: 'custom', path: ['eventOn'], message: 'The date of the event must be today or in the past' });
      return z.NEVER;
    }
    if (!fields || !eventOn) return z.NEVER;
    return { ...fields, eventOn };
  });
export type LinkMemberReportInput = z.infer<ReturnType<typeof linkMemberReportFormSchema>>;

/** What an action came from, whose date it cannot precede. */
export type ActionOrigin = { label: string; date: string } | null;

function statusFields(values: Record<string, string>, context: z.RefinementCtx, today: string, origin: ActionOrigin) {
  const status = z.enum(actionStatuses, { error: 'Select the status of the action' }).safeParse(values.status);
  if (!status.success) context.addIssue({ code: 'custom', path: ['status'], message: 'Select the status of the action' });
  const update = optionalText('Progress update', 10_000).safeParse(values.update ?? '');
  if (!update.success) context.addIssue({ code: 'custom', path: ['update'], message: update.error.issues[0]!.message });
  let completedOn: string | null = null;
  let isValid = status.success && update.success;
  if (status.success && status.data === 'done') {
    completedOn = dateField(values, 'completedOn', 'date the action was completed', context);
    if (!completedOn) isValid = false;
    else if (completedOn > today) {
      context.addIssue({
        code: 'custom',
        path: ['completedOn'],
        message: 'The date the action was completed must be today or in the past',
      });
      isValid = false;
    } else if (origin && completedOn < origin.date) {
      context.addIssue({
        code: 'custom',
        path: ['completedOn'],
        message: `The date the action was completed must be on or after the ${origin.label} on ${formatDate(origin.date)}`,
      });
      isValid = false;
    }
  }
  return isValid && status.success && update.success ? { status: status.data, completedOn, update: update.data } : null;
}

/** Status and progress only: what the owner of an action in the commissioner's office may change. */
export const actionProgressFormSchema = (today: string, origin: ActionOrigin) =>
  z.record(z.string(), z.string()).transform((values, context) => statusFields(values, context, today, origin) ?? z.NEVER);
export type ActionProgressInput = z.infer<ReturnType<typeof actionProgressFormSchema>>;

export const actionFormSchema = (today: string, origin: ActionOrigin) =>
  z.record(z.string(), z.string()).transform((values, context) => {
    const fields = fieldsOf(
      z.object({
        description: text('what the action is', 5000),
        ownerName: text('who owns the action', 200),
        ownerUserId: optionalId,
      }),
      values,
      context,
    );
    const dueOn = dateField(values, 'dueOn', 'due date', context);
    let isDueValid = dueOn !== null;
    if (dueOn && origin && dueOn < origin.date) {
      context.addIssue({
        code: 'custom',
        path: ['dueOn'],
        message: `The due date must be on or after the ${origin.label} on ${formatDate(origin.date)}`,
      });
      isDueValid = false;
    }
    const progress = statusFields(values, context, today, origin);
    if (!fields || !dueOn || !isDueValid || !progress) return z.NEVER;
    return { ...fields, dueOn, ...progress };
  });
export type ActionInput = z.infer<ReturnType<typeof actionFormSchema>>;

/** Present, apologies or absent for each member, with any declaration of interest. */
export function parseAttendance(
  values: Record<string, string>,
  memberIds: readonly string[],
): FormResult<{ panelMemberId: string; attendance: (typeof attendanceKinds)[number]; declarationOfInterest: string }[]> {
  const errors: Record<string, string> = {};
  const rows = [];
  for (const id of memberIds) {
    const attendance = values[`attendance-${id}`] ?? '';
    const declaration = (values[`declaration-${id}`] ?? '').trim();
    if (declaration.length > 2000) errors[`declaration-${id}`] = 'Declaration of interest must be 2000 characters or fewer';
    if (!(attendanceKinds as readonly string[]).includes(attendance)) {
      // Not recorded yet: a member with neither an answer nor a declaration is simply left out.
      if (attendance === '' && declaration === '') continue;
      errors[`attendance-${id}`] = 'Select whether the member was present, sent apologies or was absent';
      continue;
    }
    rows.push({ panelMemberId: id, attendance: attendance as (typeof attendanceKinds)[number], declarationOfInterest: declaration });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: rows };
}

/** The version the form was loaded at, for optimistic locking. */
export const versionOf = (values: Record<string, string>): number => {
  const version = Number(values.version);
  return Number.isInteger(version) && version > 0 ? version : 0;
};
