import { and, asc, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../../platform/db/database.ts';

/**
 * The repository operations every ordered, versioned element of an edition shares
 * (priorities, objectives, commitments, measures, grants): siblings are the rows with the
 * same `scope` (the edition, or the parent priority/objective), ordered by `position`.
 */
export type OrderedTable = PgTable & { id: AnyPgColumn; position: AnyPgColumn; version: AnyPgColumn };

/** The position after the last sibling, computed in the INSERT itself. */
export function nextPosition(table: OrderedTable, scope: AnyPgColumn, scopeValue: string): SQL {
  return sql`(select coalesce(max(${table.position}), -1) + 1 from ${table} where ${scope} = ${scopeValue})`;
}

/** Swaps an element with its neighbour above or below among its siblings; false at either end. */
export async function moveAmongSiblings(
  db: Executor,
  table: OrderedTable,
  scope: AnyPgColumn,
  id: string,
  direction: 'up' | 'down',
): Promise<boolean> {
  const [current] = (await db
    .select({ position: table.position, scope })
    .from(table as PgTable)
    .where(eq(table.id, id))) as { position: number; scope: string }[];
  if (!current) return false;
  const [neighbour] = (await db
    .select({ id: table.id, position: table.position })
    .from(table as PgTable)
    .where(and(eq(scope, current.scope), direction === 'up' ? lt(table.position, current.position) : gt(table.position, current.position)))
    .orderBy(direction === 'up' ? desc(table.position) : asc(table.position))
    .limit(1)) as { id: string; position: number }[];
  if (!neighbour) return false;
  await db
    .update(table)
    .set({ position: neighbour.position } as never)
    .where(eq(table.id, id));
  await db
    .update(table)
    .set({ position: current.position } as never)
    .where(eq(table.id, neighbour.id));
  return true;
}

/** Optimistic lock: writes only if the row is still at `expectedVersion`; undefined means someone else saved first. */
export async function updateIfVersion<T>(
  db: Executor,
  table: OrderedTable,
  id: string,
  expectedVersion: number,
  values: Record<string, unknown>,
): Promise<T | undefined> {
  const rows = (await db
    .update(table)
    .set({ ...values, version: sql`${table.version} + 1` } as never)
    .where(and(eq(table.id, id), eq(table.version, expectedVersion)))
    .returning()) as T[];
  return rows[0];
}
