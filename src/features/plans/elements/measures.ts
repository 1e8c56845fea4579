import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../../platform/db/database.ts';
import { evidenceSources, polarities, reportingFrequencies } from '../domain/plan-tree.ts';
import { evidenceSourceLabels, frequencyLabels, polarityLabels } from '../domain/labels.ts';
import { measures } from '../plans.tables.ts';
import { optionalText, requiredText } from '../plans.schemas.ts';
import { moveAmongSiblings, nextPosition, updateIfVersion } from '../ordered-elements.ts';
import type { ElementSpec } from './element-spec.ts';

const optionalNumber = (label: string) =>
  z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || /^-?\d+(\.\d+)?$/.test(v.replace(/,/g, '')), `${label} must be a number, like 72.5`)
    .transform((v) => (v === '' ? null : Number(v.replace(/,/g, ''))));

const schema = z
  .object({
    attachedTo: z
      .string({ error: 'Select the priority or objective this measures' })
      .regex(/^(priority|objective):[0-9a-f-]{36}$/, 'Select the priority or objective this measures'),
    name: requiredText('the name of the measure', 300),
    description: optionalText('the description', 5000),
    evidenceSource: z.enum(evidenceSources, { error: 'Select the source of evidence' }),
    unit: requiredText('the unit, for example % or crimes per 1,000 people', 100),
    polarity: z.enum(polarities, { error: 'Select whether higher or lower is better' }),
    baselineValue: optionalNumber('Baseline'),
    baselinePeriod: optionalText('the baseline period', 100),
    targetValue: optionalNumber('Target'),
    frequency: z.enum(reportingFrequencies, { error: 'Select how often it is reported' }),
    owner: optionalText('the owner', 200),
  })
  .superRefine((value, context) => {
    if (value.baselineValue !== null && !value.baselinePeriod) {
      context.addIssue({ code: 'custom', path: ['baselinePeriod'], message: 'Enter the period the baseline is for, for example 2024/25' });
    }
  });
type Input = z.infer<typeof schema>;
type Row = typeof measures.$inferSelect;

function columnsOf(input: Input) {
  const [kind, id] = input.attachedTo.split(':') as ['priority' | 'objective', string];
  return {
    priorityId: kind === 'priority' ? id : null,
    objectiveId: kind === 'objective' ? id : null,
    name: input.name,
    description: input.description,
    evidenceSource: input.evidenceSource,
    unit: input.unit,
    polarity: input.polarity,
    baselineValue: input.baselineValue,
    baselinePeriod: input.baselinePeriod,
    targetValue: input.targetValue,
    frequency: input.frequency,
    owner: input.owner,
  };
}

async function find(db: Executor, editionId: string, id: string): Promise<Row | undefined> {
  const [row] = await db
    .select()
    .from(measures)
    .where(and(eq(measures.id, id), eq(measures.editionId, editionId)));
  return row;
}

const show = (value: number | null) => (value === null ? '' : String(value));

export const measureSpec: ElementSpec<Row, Input> = {
  type: 'measure',
  segment: 'measures',
  noun: 'measure',
  template: 'plans/views/measure-form.njk',
  listFields: [],
  schema,
  titleOf: (row) => row.name,
  find,
  insert: async (tx, editionId, input) =>
    (
      await tx
        .insert(measures)
        .values({ editionId, ...columnsOf(input), position: nextPosition(measures, measures.editionId, editionId) })
        .returning()
    )[0]!,
  update: (tx, id, version, input) => updateIfVersion<Row>(tx, measures, id, version, columnsOf(input)),
  remove: async (tx, id) => (await tx.delete(measures).where(eq(measures.id, id)).returning())[0],
  move: (tx, id, direction) => moveAmongSiblings(tx, measures, measures.editionId, id, direction),
  checkReferences: async (_db, _context, input, tree) => {
    const [kind, id] = input.attachedTo.split(':');
    const exists =
      kind === 'priority' ? tree.priorities.some((p) => p.id === id) : tree.priorities.some((p) => p.objectives.some((o) => o.id === id));
    return exists ? null : { attachedTo: 'Select the priority or objective this measures' };
  },
  valuesOf: (row) => ({
    attachedTo: row.priorityId ? `priority:${row.priorityId}` : `objective:${row.objectiveId}`,
    name: row.name,
    description: row.description,
    evidenceSource: row.evidenceSource,
    unit: row.unit,
    polarity: row.polarity,
    baselineValue: show(row.baselineValue),
    baselinePeriod: row.baselinePeriod,
    targetValue: show(row.targetValue),
    frequency: row.frequency,
    owner: row.owner,
  }),
  defaultsFrom: (query) => ({
    attachedTo: query.priority ? `priority:${query.priority}` : query.objective ? `objective:${query.objective}` : '',
    frequency: 'quarterly',
  }),
  formContext: async (_db, _context, tree) => ({
    parents: tree.priorities.flatMap((p, i) => [
      { value: `priority:${p.id}`, text: `Priority ${i + 1}: ${p.title}` },
      ...p.objectives.map((o, j) => ({ value: `objective:${o.id}`, text: `  Objective ${i + 1}.${j + 1}: ${o.title}` })),
    ]),
    evidenceSources: evidenceSources.map((value) => ({ value, text: evidenceSourceLabels[value] })),
    polarities: polarities.map((value) => ({ value, text: polarityLabels[value] })),
    frequencies: reportingFrequencies.map((value) => ({ value, text: frequencyLabels[value] })),
  }),
  savedSummary: (row) => [
    { label: 'Measure', value: row.name },
    { label: 'Unit', value: row.unit },
    { label: 'Baseline', value: row.baselineValue === null ? 'None' : `${row.baselineValue} (${row.baselinePeriod})` },
    { label: 'Target', value: row.targetValue === null ? 'None' : String(row.targetValue) },
  ],
};
