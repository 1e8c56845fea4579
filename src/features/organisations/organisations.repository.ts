import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { forceAreas, partners, policingBodies, scrutinyBodies } from './organisations.tables.ts';

export type PolicingBody = typeof policingBodies.$inferSelect;
export type ScrutinyBody = typeof scrutinyBodies.$inferSelect;
export type Partner = typeof partners.$inferSelect;
export type ForceArea = typeof forceAreas.$inferSelect;

export async function listForceAreas(db: Executor): Promise<ForceArea[]> {
  return db.select().from(forceAreas).orderBy(asc(forceAreas.name));
}

export async function findForceArea(db: Executor, id: string): Promise<ForceArea | undefined> {
  const [row] = await db.select().from(forceAreas).where(eq(forceAreas.id, id));
  return row;
}

export async function findBodyBySlug(db: Executor, slug: string): Promise<PolicingBody | undefined> {
  const [row] = await db.select().from(policingBodies).where(eq(policingBodies.slug, slug.toLowerCase()));
  return row;
}

export async function findBodyById(db: Executor, id: string): Promise<PolicingBody | undefined> {
  const [row] = await db.select().from(policingBodies).where(eq(policingBodies.id, id));
  return row;
}

/** Administrators see every body; anyone else only the bodies they have a role in. */
export async function listBodiesForUser(db: Executor, user: CurrentUser) {
  const columns = {
    id: policingBodies.id,
    name: policingBodies.name,
    slug: policingBodies.slug,
    kind: policingBodies.kind,
    holderName: policingBodies.holderName,
    forceAreaName: forceAreas.name,
  };
  const query = db.select(columns).from(policingBodies).innerJoin(forceAreas, eq(forceAreas.id, policingBodies.forceAreaId));
  if (user.isAdmin) return query.orderBy(asc(policingBodies.name));
  const ids = [...new Set(user.memberships.map((m) => m.policingBodyId))];
  if (ids.length === 0) return [];
  return query.where(inArray(policingBodies.id, ids)).orderBy(asc(policingBodies.name));
}

export async function insertBody(db: Executor, values: typeof policingBodies.$inferInsert): Promise<PolicingBody> {
  const [row] = await db.insert(policingBodies).values(values).returning();
  return row!;
}

/** Optimistic lock: updates only if nobody else saved since `expectedVersion` was read. */
export async function updateBody(
  db: Executor,
  id: string,
  expectedVersion: number,
  values: Partial<typeof policingBodies.$inferInsert>,
): Promise<PolicingBody | undefined> {
  const [row] = await db
    .update(policingBodies)
    .set({ ...values, version: sql`${policingBodies.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(policingBodies.id, id), eq(policingBodies.version, expectedVersion)))
    .returning();
  return row;
}

export async function findScrutinyBodyOf(db: Executor, policingBodyId: string): Promise<ScrutinyBody | undefined> {
  const [row] = await db.select().from(scrutinyBodies).where(eq(scrutinyBodies.policingBodyId, policingBodyId));
  return row;
}

export async function insertScrutinyBody(db: Executor, values: typeof scrutinyBodies.$inferInsert): Promise<ScrutinyBody> {
  const [row] = await db.insert(scrutinyBodies).values(values).returning();
  return row!;
}

export async function updateScrutinyBody(
  db: Executor,
  id: string,
  expectedVersion: number,
  values: Partial<typeof scrutinyBodies.$inferInsert>,
): Promise<ScrutinyBody | undefined> {
  const [row] = await db
    .update(scrutinyBodies)
    .set({ ...values, version: sql`${scrutinyBodies.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(scrutinyBodies.id, id), eq(scrutinyBodies.version, expectedVersion)))
    .returning();
  return row;
}

export async function listPartners(db: Executor, policingBodyId: string): Promise<Partner[]> {
  return db
    .select()
    .from(partners)
    .where(eq(partners.policingBodyId, policingBodyId))
    .orderBy(asc(sql`lower(${partners.name})`));
}

export async function findPartner(db: Executor, policingBodyId: string, partnerId: string): Promise<Partner | undefined> {
  const [row] = await db
    .select()
    .from(partners)
    .where(and(eq(partners.id, partnerId), eq(partners.policingBodyId, policingBodyId)));
  return row;
}

export async function insertPartner(db: Executor, values: typeof partners.$inferInsert): Promise<Partner> {
  const [row] = await db.insert(partners).values(values).returning();
  return row!;
}

export async function updatePartner(
  db: Executor,
  id: string,
  expectedVersion: number,
  values: Partial<typeof partners.$inferInsert>,
): Promise<Partner | undefined> {
  const [row] = await db
    .update(partners)
    .set({ ...values, version: sql`${partners.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(partners.id, id), eq(partners.version, expectedVersion)))
    .returning();
  return row;
}
