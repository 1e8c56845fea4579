import { z } from 'zod';
import { isoDateFromParts } from '../../shared/dates.ts';
import { partnerKinds, policingBodyKinds, scrutinyBodyKinds } from './organisations.tables.ts';
import { slugify } from './domain/labels.ts';
import { isReservedSlug } from './domain/reserved-slugs.ts';

/** `Enter the name of the body` when blank; `Name of the body must be …` (no article) when too long. */
const text = (label: string, max: number) => {
  const subject = label.replace(/^(the|a|an) /, '');
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `${subject[0]!.toUpperCase()}${subject.slice(1)} must be ${max} characters or fewer`);
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A GOV.UK date input submits three boxes: <name>-day, <name>-month, <name>-year. */
function dateField(values: Record<string, string>, name: string, label: string, context: z.RefinementCtx): string | null {
  const day = values[`${name}-day`] ?? '';
  const month = values[`${name}-month`] ?? '';
  const year = values[`${name}-year`] ?? '';
  if (!day.trim() && !month.trim() && !year.trim()) {
    context.addIssue({ code: 'custom', path: [name], message: `Enter the ${label}` });
    return null;
  }
  const iso = isoDateFromParts(day, month, year);
  if (!iso) context.addIssue({ code: 'custom', path: [name], message: `The ${label} must be a real date, like 9 5 2024` });
  return iso;
}

export const bodyFormSchema = z.record(z.string(), z.string()).transform((values, context) => {
  const fields = z
    .object({
      kind: z.enum(policingBodyKinds, { error: 'Select the kind of policing body' }),
      name: text('the name of the body', 200),
      slug: z.string().trim().toLowerCase().max(60, 'Web address name must be 60 characters or fewer').default(''),
      forceAreaId: z.string({ error: 'Select the force area' }).min(1, 'Select the force area'),
      holderName: text('the name of the holder', 200),
      holderTitle: text('the holder’s title', 200),
      publishesInWelsh: z.enum(['yes', 'no'], { error: 'Select whether the plan is published in Welsh' }),
    })
    .safeParse(values);
  if (!fields.success)
    for (const issue of fields.error.issues) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  const termStartsOn = dateField(values, 'termStartsOn', 'start of the term of office', context);
  const termEndsOn = dateField(values, 'termEndsOn', 'end of the term of office', context);
  if (termStartsOn && termEndsOn && termEndsOn <= termStartsOn) {
    context.addIssue({ code: 'custom', path: ['termEndsOn'], message: 'The end of the term must be after its start' });
  }
  if (!fields.success || !termStartsOn || !termEndsOn) return z.NEVER;
  const slug = fields.data.slug || slugify(fields.data.name);
  if (!SLUG.test(slug)) {
    context.addIssue({
      code: 'custom',
      path: ['slug'],
      message: 'Web address name must only include lower-case letters, numbers and hyphens',
    });
    return z.NEVER;
  }
  if (isReservedSlug(slug)) {
    // The public site answers at /<slug>/: a service path cannot be a body's web address.
    context.addIssue({ code: 'custom', path: ['slug'], message: `Web address name cannot be “${slug}”: the service uses that address` });
    return z.NEVER;
  }
  return {
    kind: fields.data.kind,
    name: fields.data.name,
    slug,
    forceAreaId: fields.data.forceAreaId,
    holderName: fields.data.holderName,
    holderTitle: fields.data.holderTitle,
    termStartsOn,
    termEndsOn,
    publishesInWelsh: fields.data.publishesInWelsh === 'yes',
  };
});
export type BodyInput = z.infer<typeof bodyFormSchema>;

export const scrutinyBodyFormSchema = z.object({
  kind: z.enum(scrutinyBodyKinds, { error: 'Select the kind of scrutiny body' }),
  name: text('the name of the panel or committee', 200),
  hostAuthority: text('the host authority', 200),
});
export type ScrutinyBodyInput = z.infer<typeof scrutinyBodyFormSchema>;

export const partnerFormSchema = z.object({
  kind: z.enum(partnerKinds, { error: 'Select the kind of partner' }),
  name: text('the name of the partner', 200),
  website: z
    .string()
    .trim()
    .max(500, 'Website must be 500 characters or fewer')
    .refine(
      (value) => value === '' || /^https?:\/\/[^\s]+\.[^\s]+$/.test(value),
      'Enter a website address starting with https://, like https://www.example.org',
    )
    .transform((value) => value || null)
    // A default on the pipe's output: a form that omits the field stores null, as a blank one does.
    .default(null),
});
export type PartnerInput = z.infer<typeof partnerFormSchema>;

/** The version the form was loaded at, for optimistic locking. */
export const versionOf = (values: Record<string, string>): number | null => {
  const version = Number(values.version);
  return Number.isInteger(version) && version > 0 ? version : null;
};
