import type { z } from 'zod';
import type { Database, Executor } from '../../../platform/db/database.ts';
import type { FieldErrors } from '../../../platform/http/forms.ts';
import type { EditionTree } from '../domain/plan-tree.ts';
import type { EditionContext } from '../edition-context.ts';

export type ElementRow = { id: string; lineageId: string; version: number; editionId: string };
export type FormFields = Record<string, string | string[]>;

/**
 * What differs between the ordered elements of an edition (priorities, objectives,
 * commitments, measures). The routes and service in this folder do the rest the same way
 * for all: add, change with optimistic locking, remove with confirmation, move up and down.
 */
export type ElementSpec<Row extends ElementRow, Input> = {
  /** Audit and anchor name: `priority.added`, `#priority-<lineage>`. */
  type: 'priority' | 'objective' | 'commitment' | 'measure' | 'funding_year' | 'grant';
  /** URL segment: `/editions/:n/<segment>/new`. */
  segment: string;
  noun: string;
  template: string;
  /** Checkbox groups that submit several values. */
  listFields: readonly string[];
  schema: z.ZodType<Input>;
  titleOf(row: Row): string;
  find(db: Executor, editionId: string, id: string): Promise<Row | undefined>;
  insert(tx: Executor, editionId: string, input: Input): Promise<Row>;
  update(tx: Executor, id: string, version: number, input: Input): Promise<Row | undefined>;
  remove(tx: Executor, id: string): Promise<Row | undefined>;
  move(tx: Executor, id: string, direction: 'up' | 'down'): Promise<boolean>;
  /** Links kept in other tables (frameworks, partners), rewritten after each save. */
  saveLinks?(tx: Executor, editionId: string, row: Row, input: Input): Promise<void>;
  /** Removing an element with children needs confirmation. */
  children?: { noun: string; count(tx: Executor, id: string): Promise<number> };
  /** Unique indexes a valid form can still break (a second 2025/26), by name: the field errors shown instead of a 500. */
  uniqueConstraints?: Record<string, FieldErrors>;
  /** References the form names must belong to this edition and body; errors by field. */
  checkReferences?(db: Database, context: EditionContext, input: Input, tree: EditionTree): Promise<FieldErrors | null>;
  /** The edit form's values for a saved element. */
  valuesOf(row: Row, tree: EditionTree): FormFields;
  /** Defaults for the add form (e.g. the parent from `?priority=`). */
  defaultsFrom?(query: Record<string, string | undefined>, tree: EditionTree): FormFields;
  /** What the template needs besides values: parents to choose from, partners, frameworks. */
  formContext(db: Database, context: EditionContext, tree: EditionTree): Promise<Record<string, unknown>>;
  /** The saved version, shown beside the user's text after a conflict. */
  savedSummary(row: Row): { label: string; value: string }[];
};

// A spec list holds specs of different row and input types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyElementSpec = ElementSpec<any, any>;
