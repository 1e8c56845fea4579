import { z } from 'zod';
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../../platform/db/database.ts';
import { commitments, objectives } from '../plans.tables.ts';
import { optionalText, requiredText } from '../plans.schemas.ts';
import { moveAmongSiblings, nextPosition, updateIfVersion } from '../ordered-elements.ts';
import type { ElementSpec } from './element-spec.ts';
import { frameworkItemIdsField, frameworksFor, saveFrameworkLinks } from './frameworks.ts';

const schema = z.object({
  priorityId: z.string({ error: 'Select the priority this objective serves' }).min(1, 'Select the priority this objective serves'),
  title: requiredText('the objective', 500),
  description: optionalText('the description', 10000),
  intendedOutcome: optionalText('the intended outcome', 2000),
  frameworkItemIds: frameworkItemIdsField,
});
type Input = z.infer<typeof schema>;
type Row = typeof objectives.$inferSelect;

async function find(db: Executor, editionId: string, id: string): Promise<Row | undefined> {
  const [row] = await db
    .select()
    .from(objectives)
    .where(and(eq(objectives.id, id), eq(objectives.editionId, editionId)));
  return row;
}

async function update(tx: Executor, id: string, version: number, input: Input): Promise<Row | undefined> {
  const current = (await tx.select().from(objectives).where(eq(objectives.id, id)))[0];
  // Moving to another priority puts the objective at the end of that priority's list.
  const position =
    current && current.priorityId !== input.priorityId ? nextPosition(objectives, objectives.priorityId, input.priorityId) : undefined;
  return updateIfVersion<Row>(tx, objectives, id, version, {
    priorityId: input.priorityId,
    title: input.title,
    description: input.description,
    intendedOutcome: input.intendedOutcome,
    ...(position ? { position } : {}),
  });
}

export const objectiveSpec: ElementSpec<Row, Input> = {
  type: 'objective',
  segment: 'objectives',
  noun: 'objective',
  template: 'plans/views/objective-form.njk',
  listFields: ['frameworkItemIds'],
  schema,
  titleOf: (row) => row.title,
  find,
  insert: async (tx, editionId, input) =>
    (
      await tx
        .insert(objectives)
        .values({
          editionId,
          priorityId: input.priorityId,
          title: input.title,
          description: input.description,
          intendedOutcome: input.intendedOutcome,
          position: nextPosition(objectives, objectives.priorityId, input.priorityId),
        })
        .returning()
    )[0]!,
  update,
  remove: async (tx, id) => (await tx.delete(objectives).where(eq(objectives.id, id)).returning())[0],
  move: (tx, id, direction) => moveAmongSiblings(tx, objectives, objectives.priorityId, id, direction),
  saveLinks: (tx, editionId, row, input) => saveFrameworkLinks(tx, editionId, row.lineageId, input.frameworkItemIds),
  children: {
    noun: 'commitment',
    count: async (tx, id) =>
      (
        await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(commitments)
          .where(eq(commitments.objectiveId, id))
      )[0]?.n ?? 0,
  },
  checkReferences: async (_db, _context, input, tree) =>
    tree.priorities.some((p) => p.id === input.priorityId) ? null : { priorityId: 'Select the priority this objective serves' },
  valuesOf: (row, tree) => ({
    priorityId: row.priorityId,
    title: row.title,
    description: row.description,
    intendedOutcome: row.intendedOutcome,
    frameworkItemIds: tree.priorities.flatMap((p) => p.objectives).find((o) => o.id === row.id)?.frameworkItemIds ?? [],
  }),
  defaultsFrom: (query) => ({ priorityId: query.priority ?? '' }),
  formContext: async (db, context, tree) => ({
    priorities: tree.priorities.map((p, index) => ({ id: p.id, title: `${index + 1}. ${p.title}` })),
    frameworks: await frameworksFor(db, context),
  }),
  savedSummary: (row) => [
    { label: 'Objective', value: row.title },
    { label: 'Description', value: row.description || 'None' },
    { label: 'Intended outcome', value: row.intendedOutcome || 'None' },
  ],
};
