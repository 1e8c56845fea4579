import { z } from 'zod';
import { eq } from 'drizzle-orm';
import * as repository from '../plans.repository.ts';
import { objectives, priorities } from '../plans.tables.ts';
import { optionalText, requiredText } from '../plans.schemas.ts';
import type { ElementSpec } from './element-spec.ts';
import { frameworkItemIdsField, frameworksFor, saveFrameworkLinks } from './frameworks.ts';
import { sql } from 'drizzle-orm';

const schema = z.object({
  title: requiredText('the priority', 300),
  aim: optionalText('the aim', 2000),
  summary: optionalText('the summary', 10000),
  frameworkItemIds: frameworkItemIdsField,
});
type Row = typeof priorities.$inferSelect;

export const prioritySpec: ElementSpec<Row, z.infer<typeof schema>> = {
  type: 'priority',
  segment: 'priorities',
  noun: 'priority',
  template: 'plans/views/priority-form.njk',
  listFields: ['frameworkItemIds'],
  schema,
  titleOf: (row) => row.title,
  find: repository.findPriority,
  insert: (tx, editionId, input) =>
    repository.insertPriority(tx, { editionId, title: input.title, aim: input.aim, summary: input.summary }),
  update: (tx, id, version, input) =>
    repository.updatePriority(tx, id, version, { title: input.title, aim: input.aim, summary: input.summary }),
  remove: repository.deletePriority,
  move: repository.movePriority,
  saveLinks: (tx, editionId, row, input) => saveFrameworkLinks(tx, editionId, row.lineageId, input.frameworkItemIds),
  children: {
    noun: 'objective',
    count: async (tx, id) =>
      (
        await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(objectives)
          .where(eq(objectives.priorityId, id))
      )[0]?.n ?? 0,
  },
  valuesOf: (row, tree) => ({
    title: row.title,
    aim: row.aim,
    summary: row.summary,
    frameworkItemIds: tree.priorities.find((p) => p.id === row.id)?.frameworkItemIds ?? [],
  }),
  formContext: async (db, context) => ({ frameworks: await frameworksFor(db, context) }),
  savedSummary: (row) => [
    { label: 'Priority', value: row.title },
    { label: 'Aim', value: row.aim || 'None' },
    { label: 'Summary', value: row.summary || 'None' },
  ],
};
