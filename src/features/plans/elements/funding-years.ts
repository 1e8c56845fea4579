import { z } from 'zod';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../../platform/db/database.ts';
import { isFinancialYear } from '../domain/financial-year.ts';
import { formatPounds, parsePounds, poundsText } from '../domain/money.ts';
import { fundingYears } from '../plans.tables.ts';
import type { ElementSpec } from './element-spec.ts';

/** Pounds typed into the form, as whole pence; blank is £0 only where `isOptional`. */
export const poundsField = (label: string, isOptional = false) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .default('')
    .refine((v) => v !== '' || isOptional, `Enter the ${label}`)
    .refine((v) => v === '' || parsePounds(v) !== null, `The ${label} must be an amount in pounds, like 12,345,678 or 1234.50`)
    .transform((v) => (v === '' ? 0 : parsePounds(v)!));

const schema = z.object({
  financialYear: z
    .string({ error: 'Enter the financial year, like 2025/26' })
    .trim()
    .min(1, 'Enter the financial year, like 2025/26')
    .refine(isFinancialYear, 'Enter the financial year as two years in a row, like 2025/26'),
  precept: poundsField('precept'),
  governmentGrant: poundsField('government grant'),
  other: poundsField('other funding', true),
});
type Input = z.infer<typeof schema>;
type Row = typeof fundingYears.$inferSelect;

async function find(db: Executor, editionId: string, id: string): Promise<Row | undefined> {
  const [row] = await db
    .select()
    .from(fundingYears)
    .where(and(eq(fundingYears.id, id), eq(fundingYears.editionId, editionId)));
  return row;
}

/** The total is derived, never stored, so it cannot disagree with its parts. */
export const totalOf = (row: Pick<Row, 'precept' | 'governmentGrant' | 'other'>) => row.precept + row.governmentGrant + row.other;

/** An edition's funding years, earliest first, with ids for the editor's change and remove links. */
export async function listFundingYears(db: Executor, editionId: string) {
  const rows = await db.select().from(fundingYears).where(eq(fundingYears.editionId, editionId)).orderBy(asc(fundingYears.financialYear));
  return rows.map((row) => ({
    id: row.id,
    lineageId: row.lineageId,
    financialYear: row.financialYear,
    precept: formatPounds(row.precept),
    governmentGrant: formatPounds(row.governmentGrant),
    other: formatPounds(row.other),
    total: formatPounds(totalOf(row)),
  }));
}

/**
 * PRSRA 2011 s.7(1)(c): the financial resources the commissioner provides to the chief
 * constable, one row per financial year. Years have no position: they are shown in year order.
 */
export const fundingYearSpec: ElementSpec<Row, Input> = {
  type: 'funding_year',
  segment: 'funding-years',
  noun: 'funding year',
  template: 'plans/views/funding-year-form.njk',
  listFields: [],
  schema,
  titleOf: (row) => row.financialYear,
  find,
  insert: async (tx, editionId, input) =>
    (
      await tx
        .insert(fundingYears)
        .values({ editionId, ...input })
        .returning()
    )[0]!,
  update: async (tx, id, version, input) =>
    (
      await tx
        .update(fundingYears)
        .set({ ...input, version: sql`${fundingYears.version} + 1` })
        .where(and(eq(fundingYears.id, id), eq(fundingYears.version, version)))
        .returning()
    )[0],
  remove: async (tx, id) => (await tx.delete(fundingYears).where(eq(fundingYears.id, id)).returning())[0],
  // Years sort themselves; there is nothing to move.
  move: () => Promise.resolve(false),
  uniqueConstraints: {
    funding_years_edition_year_key: { financialYear: 'This edition already has funding for that financial year: change that year instead' },
  },
  valuesOf: (row) => ({
    financialYear: row.financialYear,
    precept: poundsText(row.precept),
    governmentGrant: poundsText(row.governmentGrant),
    other: poundsText(row.other),
  }),
  formContext: () => Promise.resolve({}),
  savedSummary: (row) => [
    { label: 'Financial year', value: row.financialYear },
    { label: 'Precept', value: formatPounds(row.precept) },
    { label: 'Government grant', value: formatPounds(row.governmentGrant) },
    { label: 'Other', value: formatPounds(row.other) },
    { label: 'Total', value: formatPounds(totalOf(row)) },
  ],
};
