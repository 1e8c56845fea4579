import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../../platform/db/database.ts';
import type { FieldErrors } from '../../../platform/http/forms.ts';
import { isoDateFromParts, isoDateParts } from '../../../shared/dates.ts';
import { listPartners } from '../../organisations/index.ts';
import {
  deliveryStatuses,
  ownerKinds,
  ownerRoles,
  timescales,
  type OwnerKind,
  type OwnerRole,
  type Timescale,
} from '../domain/plan-tree.ts';
import { ownerKindLabels, ownerRoleLabels, statusLabels, timescaleLabels } from '../domain/labels.ts';
import { commitmentPartners, commitments } from '../plans.tables.ts';
import { requiredText } from '../plans.schemas.ts';
import { moveAmongSiblings, nextPosition, updateIfVersion } from '../ordered-elements.ts';
import type { ElementSpec } from './element-spec.ts';
import { frameworkItemIdsField, frameworksFor, saveFrameworkLinks } from './frameworks.ts';

/** A radio group that may be left unanswered in a draft ('' means not decided yet). */
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.enum(['', ...values], { error: message }).default('');

const schema = z
  .object({
    objectiveId: z.string({ error: 'Select the objective this commitment serves' }).min(1, 'Select the objective this commitment serves'),
    text: requiredText('the commitment', 2000),
    ownerKind: optionalChoice(ownerKinds, 'Select who owns this commitment'),
    partnerIds: z.array(z.string()).max(50).default([]),
    ownerRole: optionalChoice(ownerRoles, 'Select whether the owner controls or influences this'),
    timescale: optionalChoice(timescales, 'Select the timescale'),
    'targetDate-day': z.string().default(''),
    'targetDate-month': z.string().default(''),
    'targetDate-year': z.string().default(''),
    status: z.enum(deliveryStatuses, { error: 'Select the delivery status' }).default('not_started'),
    frameworkItemIds: frameworkItemIdsField,
  })
  .superRefine((value, context) => {
    if (value.ownerKind === 'partners' && value.partnerIds.length === 0) {
      context.addIssue({ code: 'custom', path: ['partnerIds'], message: 'Select the partner organisations that own this commitment' });
    }
    if (value.timescale === 'by_date' && !isoDateFromParts(value['targetDate-day'], value['targetDate-month'], value['targetDate-year'])) {
      context.addIssue({ code: 'custom', path: ['targetDate'], message: 'Enter a real target date, like 31 3 2026' });
    }
  })
  .transform((value) => ({
    objectiveId: value.objectiveId,
    text: value.text,
    ownerKind: (value.ownerKind || null) as OwnerKind | null,
    partnerIds: value.ownerKind === 'partners' ? [...new Set(value.partnerIds)] : [],
    ownerRole: (value.ownerRole || null) as OwnerRole | null,
    timescale: (value.timescale || null) as Timescale | null,
    targetDate:
      value.timescale === 'by_date' ? isoDateFromParts(value['targetDate-day'], value['targetDate-month'], value['targetDate-year']) : null,
    status: value.status,
    frameworkItemIds: value.frameworkItemIds,
  }));
type Input = z.infer<typeof schema>;
type Row = typeof commitments.$inferSelect;

const columnsOf = (input: Input) => ({
  objectiveId: input.objectiveId,
  text: input.text,
  ownerKind: input.ownerKind,
  ownerRole: input.ownerRole,
  timescale: input.timescale,
  targetDate: input.targetDate,
  status: input.status,
});

async function find(db: Executor, editionId: string, id: string): Promise<Row | undefined> {
  const [row] = await db
    .select()
    .from(commitments)
    .where(and(eq(commitments.id, id), eq(commitments.editionId, editionId)));
  return row;
}

export const commitmentSpec: ElementSpec<Row, Input> = {
  type: 'commitment',
  segment: 'commitments',
  noun: 'commitment',
  template: 'plans/views/commitment-form.njk',
  listFields: ['partnerIds', 'frameworkItemIds'],
  schema,
  titleOf: (row) => (row.text.length > 80 ? `${row.text.slice(0, 79)}…` : row.text),
  find,
  insert: async (tx, editionId, input) =>
    (
      await tx
        .insert(commitments)
        .values({ editionId, ...columnsOf(input), position: nextPosition(commitments, commitments.objectiveId, input.objectiveId) })
        .returning()
    )[0]!,
  update: async (tx, id, version, input) => {
    const current = (await tx.select().from(commitments).where(eq(commitments.id, id)))[0];
    const position =
      current && current.objectiveId !== input.objectiveId
        ? nextPosition(commitments, commitments.objectiveId, input.objectiveId)
        : undefined;
    return updateIfVersion<Row>(tx, commitments, id, version, { ...columnsOf(input), ...(position ? { position } : {}) });
  },
  remove: async (tx, id) => (await tx.delete(commitments).where(eq(commitments.id, id)).returning())[0],
  move: (tx, id, direction) => moveAmongSiblings(tx, commitments, commitments.objectiveId, id, direction),
  saveLinks: async (tx, editionId, row, input) => {
    await tx.delete(commitmentPartners).where(eq(commitmentPartners.commitmentId, row.id));
    if (input.partnerIds.length)
      await tx.insert(commitmentPartners).values(input.partnerIds.map((partnerId) => ({ commitmentId: row.id, partnerId })));
    await saveFrameworkLinks(tx, editionId, row.lineageId, input.frameworkItemIds);
  },
  checkReferences: async (db, context, input, tree): Promise<FieldErrors | null> => {
    if (!tree.priorities.some((p) => p.objectives.some((o) => o.id === input.objectiveId)))
      return { objectiveId: 'Select the objective this commitment serves' };
    const partnerIds = new Set((await listPartners(db, context.body.id)).map((p) => p.id));
    return input.partnerIds.every((id) => partnerIds.has(id)) ? null : { partnerIds: 'Select partner organisations of this body' };
  },
  valuesOf: (row, tree) => {
    const inTree = tree.priorities.flatMap((p) => p.objectives.flatMap((o) => o.commitments)).find((c) => c.id === row.id);
    const target = isoDateParts(row.targetDate);
    return {
      objectiveId: row.objectiveId,
      text: row.text,
      ownerKind: row.ownerKind ?? '',
      partnerIds: inTree?.partnerIds ?? [],
      ownerRole: row.ownerRole ?? '',
      timescale: row.timescale ?? '',
      'targetDate-day': target.day,
      'targetDate-month': target.month,
      'targetDate-year': target.year,
      status: row.status,
      frameworkItemIds: inTree?.frameworkItemIds ?? [],
    };
  },
  defaultsFrom: (query) => ({ objectiveId: query.objective ?? '', status: 'not_started' }),
  formContext: async (db, context, tree) => ({
    objectiveGroups: tree.priorities.map((p, i) => ({
      label: `${i + 1}. ${p.title}`,
      objectives: p.objectives.map((o, j) => ({ id: o.id, title: `${i + 1}.${j + 1} ${o.title}` })),
    })),
    partners: await listPartners(db, context.body.id),
    ownerKinds: ownerKinds.map((value) => ({ value, text: ownerKindLabels[value] })),
    ownerRoles: ownerRoles.map((value) => ({ value, text: ownerRoleLabels[value] })),
    timescales: timescales.map((value) => ({ value, text: timescaleLabels[value] })),
    statuses: deliveryStatuses.map((value) => ({ value, text: statusLabels[value] })),
    frameworks: await frameworksFor(db, context),
  }),
  savedSummary: (row) => [
    { label: 'Commitment', value: row.text },
    { label: 'Owner', value: row.ownerKind ? ownerKindLabels[row.ownerKind] : 'Not decided' },
    { label: 'Role', value: row.ownerRole ? ownerRoleLabels[row.ownerRole] : 'Not decided' },
    { label: 'Status', value: statusLabels[row.status] },
  ],
};
