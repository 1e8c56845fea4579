import { z } from 'zod';
import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../../platform/db/database.ts';
import { formatDate, isoDateParts } from '../../../shared/dates.ts';
import { listPartners } from '../../organisations/index.ts';
import type { EditionTree } from '../domain/plan-tree.ts';
import { formatPounds, poundsText } from '../domain/money.ts';
import { grantPriorities, grants } from '../plans.tables.ts';
import { dateFromBoxes, optionalText, requiredText } from '../plans.schemas.ts';
import { moveAmongSiblings, nextPosition, updateIfVersion } from '../ordered-elements.ts';
import type { ElementSpec } from './element-spec.ts';
import { poundsField } from './funding-years.ts';

const schema = z
  .object({
    recipient: requiredText('who receives the grant', 300),
    amount: poundsField('amount of the grant'),
    'startsOn-day': z.string().default(''),
    'startsOn-month': z.string().default(''),
    'startsOn-year': z.string().default(''),
    'endsOn-day': z.string().default(''),
    'endsOn-month': z.string().default(''),
    'endsOn-year': z.string().default(''),
    purpose: optionalText('the purpose', 5000),
    conditions: optionalText('the conditions', 10000),
    priorityLineageIds: z.array(z.string()).max(100).default([]),
  })
  .transform(({ recipient, amount, purpose, conditions, priorityLineageIds, ...dateBoxes }, context) => {
    const issueCount = context.issues.length;
    const startsOn = dateFromBoxes(dateBoxes, 'startsOn', 'start date', context, false);
    const endsOn = dateFromBoxes(dateBoxes, 'endsOn', 'end date', context, false);
    if (startsOn && endsOn && endsOn <= startsOn) {
      context.addIssue({ code: 'custom', path: ['endsOn'], message: 'The end date must be after the start date' });
    }
    if (context.issues.length > issueCount) return z.NEVER;
    return { recipient, amount, startsOn, endsOn, purpose, conditions, priorityLineageIds: [...new Set(priorityLineageIds)] };
  });
type Input = z.infer<typeof schema>;
type Row = typeof grants.$inferSelect;

const columnsOf = (input: Input) => ({
  recipient: input.recipient,
  amount: input.amount,
  startsOn: input.startsOn,
  endsOn: input.endsOn,
  purpose: input.purpose,
  conditions: input.conditions,
});

async function find(db: Executor, editionId: string, id: string): Promise<Row | undefined> {
  const [row] = await db
    .select()
    .from(grants)
    .where(and(eq(grants.id, id), eq(grants.editionId, editionId)));
  return row;
}

const titleOf = (row: Pick<Row, 'recipient' | 'amount'>) => `${row.recipient} (${formatPounds(row.amount)})`;

function period(startsOn: string | null, endsOn: string | null): string {
  if (startsOn && endsOn) return `${formatDate(startsOn)} to ${formatDate(endsOn)}`;
  if (startsOn) return `From ${formatDate(startsOn)}`;
  if (endsOn) return `Until ${formatDate(endsOn)}`;
  return 'Not set';
}

/** An edition's grants in register order, with ids for the editor's links and the priorities they serve by title. */
export async function listGrants(db: Executor, editionId: string, tree: EditionTree) {
  const rows = await db.select().from(grants).where(eq(grants.editionId, editionId)).orderBy(asc(grants.position));
  const priorityTitles = new Map(tree.priorities.map((p, index) => [p.lineageId, `${index + 1}. ${p.title}`]));
  return rows.map((row) => ({
    id: row.id,
    lineageId: row.lineageId,
    title: titleOf(row),
    recipient: row.recipient,
    amount: formatPounds(row.amount),
    period: period(row.startsOn, row.endsOn),
    purpose: row.purpose,
    conditions: row.conditions,
    // A link to a priority since removed from the edition is not shown (and is dropped on the next save).
    priorities: (tree.grants.find((g) => g.lineageId === row.lineageId)?.priorityLineageIds ?? []).flatMap(
      (id) => priorityTitles.get(id) ?? [],
    ),
  }));
}

/**
 * PRSRA 2011 s.7(1)(f): the crime and disorder reduction grants the commissioner makes, and
 * the conditions attached, including those for services to victims and witnesses.
 */
export const grantSpec: ElementSpec<Row, Input> = {
  type: 'grant',
  segment: 'grants',
  noun: 'grant',
  template: 'plans/views/grant-form.njk',
  listFields: ['priorityLineageIds'],
  schema,
  titleOf,
  find,
  insert: async (tx, editionId, input) =>
    (
      await tx
        .insert(grants)
        .values({ editionId, ...columnsOf(input), position: nextPosition(grants, grants.editionId, editionId) })
        .returning()
    )[0]!,
  update: (tx, id, version, input) => updateIfVersion<Row>(tx, grants, id, version, columnsOf(input)),
  remove: async (tx, id) => (await tx.delete(grants).where(eq(grants.id, id)).returning())[0],
  move: (tx, id, direction) => moveAmongSiblings(tx, grants, grants.editionId, id, direction),
  saveLinks: async (tx, _editionId, row, input) => {
    await tx.delete(grantPriorities).where(eq(grantPriorities.grantId, row.id));
    if (input.priorityLineageIds.length)
      await tx
        .insert(grantPriorities)
        .values(input.priorityLineageIds.map((priorityLineageId) => ({ grantId: row.id, priorityLineageId })));
  },
  // Only this edition's priorities: a lineage id from another plan or edition would link to nothing here.
  checkReferences: (_db, _context, input, tree) => {
    const lineageIds = new Set(tree.priorities.map((p) => p.lineageId));
    return Promise.resolve(
      input.priorityLineageIds.every((id) => lineageIds.has(id)) ? null : { priorityLineageIds: 'Select priorities of this plan' },
    );
  },
  valuesOf: (row, tree) => {
    const starts = isoDateParts(row.startsOn);
    const ends = isoDateParts(row.endsOn);
    return {
      recipient: row.recipient,
      amount: poundsText(row.amount),
      'startsOn-day': starts.day,
      'startsOn-month': starts.month,
      'startsOn-year': starts.year,
      'endsOn-day': ends.day,
      'endsOn-month': ends.month,
      'endsOn-year': ends.year,
      purpose: row.purpose,
      conditions: row.conditions,
      priorityLineageIds: tree.grants.find((g) => g.lineageId === row.lineageId)?.priorityLineageIds ?? [],
    };
  },
  formContext: async (db, context, tree) => ({
    priorities: tree.priorities.map((p, index) => ({ value: p.lineageId, text: `${index + 1}. ${p.title}` })),
    partnerNames: (await listPartners(db, context.body.id)).map((p) => p.name),
  }),
  savedSummary: (row) => [
    { label: 'Recipient', value: row.recipient },
    { label: 'Amount', value: formatPounds(row.amount) },
    { label: 'Period', value: period(row.startsOn, row.endsOn) },
    { label: 'Purpose', value: row.purpose || 'None' },
    { label: 'Conditions', value: row.conditions || 'None' },
  ],
};
