import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Executor } from '../../platform/db/database.ts';
import type { EditionTree, Measure, Objective, Priority } from './domain/plan-tree.ts';
import { moveAmongSiblings, nextPosition, updateIfVersion } from './ordered-elements.ts';
import {
  commitmentPartners,
  commitments,
  dutyLinks,
  dutyStatements,
  editions,
  frameworkItems,
  frameworkLinks,
  frameworks,
  fundingYears,
  grantPriorities,
  grants,
  measures,
  objectives,
  plans,
  priorities,
  sprExplanations,
  statutorySections,
} from './plans.tables.ts';

export type PlanRow = typeof plans.$inferSelect;
export type EditionRow = typeof editions.$inferSelect;

export const SPR_FRAMEWORK_SLUG = 'strategic-policing-requirement-2023';

export async function listPlans(db: Executor, policingBodyId: string) {
  return db.select().from(plans).where(eq(plans.policingBodyId, policingBodyId)).orderBy(desc(plans.periodStartsOn));
}

export async function findPlan(db: Executor, policingBodyId: string, planId: string): Promise<PlanRow | undefined> {
  const [row] = await db
    .select()
    .from(plans)
    .where(and(eq(plans.id, planId), eq(plans.policingBodyId, policingBodyId)));
  return row;
}

export async function insertPlan(db: Executor, values: typeof plans.$inferInsert): Promise<PlanRow> {
  const [row] = await db.insert(plans).values(values).returning();
  return row!;
}

export async function listEditions(db: Executor, planId: string): Promise<EditionRow[]> {
  return db.select().from(editions).where(eq(editions.planId, planId)).orderBy(asc(editions.number));
}

export async function findEdition(db: Executor, planId: string, number: number): Promise<EditionRow | undefined> {
  const [row] = await db
    .select()
    .from(editions)
    .where(and(eq(editions.planId, planId), eq(editions.number, number)));
  return row;
}

export async function insertEdition(db: Executor, values: typeof editions.$inferInsert): Promise<EditionRow> {
  const [row] = await db.insert(editions).values(values).returning();
  return row!;
}

export async function nextEditionNumber(db: Executor, planId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(max(${editions.number}), 0)::int + 1` })
    .from(editions)
    .where(eq(editions.planId, planId));
  return row?.n ?? 1;
}

/** Locks the edition row for the rest of the transaction, so concurrent edits queue up. */
export async function lockEdition(db: Executor, editionId: string): Promise<EditionRow | undefined> {
  const [row] = await db.select().from(editions).where(eq(editions.id, editionId)).for('update');
  return row;
}

export async function touchEdition(db: Executor, editionId: string): Promise<void> {
  await db
    .update(editions)
    .set({ updatedAt: sql`now()` })
    .where(eq(editions.id, editionId));
}

/** Loads a whole edition as the typed tree: one query per table, joined in memory. */
export async function loadEditionTree(db: Executor, editionId: string, vision: string): Promise<EditionTree> {
  const [
    priorityRows,
    objectiveRows,
    commitmentRows,
    partnerRows,
    measureRows,
    sectionRows,
    fundingRows,
    grantRows,
    grantPriorityRows,
    dutyRows,
    dutyLinkRows,
    linkRows,
    explanationRows,
  ] = await inParallelUnlessTransaction(db, [
    () => db.select().from(priorities).where(eq(priorities.editionId, editionId)).orderBy(asc(priorities.position)),
    () => db.select().from(objectives).where(eq(objectives.editionId, editionId)).orderBy(asc(objectives.position)),
    () => db.select().from(commitments).where(eq(commitments.editionId, editionId)).orderBy(asc(commitments.position)),
    () =>
      db
        .select({ commitmentId: commitmentPartners.commitmentId, partnerId: commitmentPartners.partnerId })
        .from(commitmentPartners)
        .innerJoin(commitments, eq(commitments.id, commitmentPartners.commitmentId))
        .where(eq(commitments.editionId, editionId)),
    () => db.select().from(measures).where(eq(measures.editionId, editionId)).orderBy(asc(measures.position)),
    () => db.select().from(statutorySections).where(eq(statutorySections.editionId, editionId)),
    () => db.select().from(fundingYears).where(eq(fundingYears.editionId, editionId)).orderBy(asc(fundingYears.financialYear)),
    () => db.select().from(grants).where(eq(grants.editionId, editionId)).orderBy(asc(grants.position)),
    () =>
      db
        .select({ grantId: grantPriorities.grantId, priorityLineageId: grantPriorities.priorityLineageId })
        .from(grantPriorities)
        .innerJoin(grants, eq(grants.id, grantPriorities.grantId))
        .where(eq(grants.editionId, editionId)),
    () => db.select().from(dutyStatements).where(eq(dutyStatements.editionId, editionId)),
    () =>
      db
        .select({ dutyStatementId: dutyLinks.dutyStatementId, elementLineageId: dutyLinks.elementLineageId })
        .from(dutyLinks)
        .innerJoin(dutyStatements, eq(dutyStatements.id, dutyLinks.dutyStatementId))
        .where(eq(dutyStatements.editionId, editionId)),
    () => db.select().from(frameworkLinks).where(eq(frameworkLinks.editionId, editionId)),
    () => db.select().from(sprExplanations).where(eq(sprExplanations.editionId, editionId)),
  ]);

  const linksOf = groupBy(
    linkRows,
    (l) => l.elementLineageId,
    (l) => l.frameworkItemId,
  );
  const partnersOf = groupBy(
    partnerRows,
    (p) => p.commitmentId,
    (p) => p.partnerId,
  );
  const commitmentsOf = groupBy(
    commitmentRows,
    (c) => c.objectiveId,
    (c) => ({
      id: c.id,
      lineageId: c.lineageId,
      text: c.text,
      ownerKind: c.ownerKind,
      partnerIds: partnersOf.get(c.id) ?? [],
      ownerRole: c.ownerRole,
      timescale: c.timescale,
      targetDate: c.targetDate,
      status: c.status,
      frameworkItemIds: linksOf.get(c.lineageId) ?? [],
    }),
  );
  const objectivesOf = groupBy(
    objectiveRows,
    (o) => o.priorityId,
    (o): Objective => ({
      id: o.id,
      lineageId: o.lineageId,
      title: o.title,
      description: o.description,
      intendedOutcome: o.intendedOutcome,
      frameworkItemIds: linksOf.get(o.lineageId) ?? [],
      commitments: commitmentsOf.get(o.id) ?? [],
    }),
  );
  const priorityTree: Priority[] = priorityRows.map((p) => ({
    id: p.id,
    lineageId: p.lineageId,
    title: p.title,
    aim: p.aim,
    summary: p.summary,
    frameworkItemIds: linksOf.get(p.lineageId) ?? [],
    objectives: objectivesOf.get(p.id) ?? [],
  }));
  const lineageOfId = new Map<string, string>([
    ...priorityRows.map((p) => [p.id, p.lineageId] as const),
    ...objectiveRows.map((o) => [o.id, o.lineageId] as const),
  ]);
  const measureTree: Measure[] = measureRows.map((m) => ({
    id: m.id,
    lineageId: m.lineageId,
    attachedTo: m.priorityId
      ? { kind: 'priority', lineageId: lineageOfId.get(m.priorityId)! }
      : { kind: 'objective', lineageId: lineageOfId.get(m.objectiveId!)! },
    name: m.name,
    description: m.description,
    evidenceSource: m.evidenceSource,
    unit: m.unit,
    polarity: m.polarity,
    baselineValue: m.baselineValue,
    baselinePeriod: m.baselinePeriod,
    targetValue: m.targetValue,
    frequency: m.frequency,
    owner: m.owner,
  }));
  // Links by lineage have no foreign key: keep only those whose element is still in this edition.
  const liveLineages = new Set([...priorityRows, ...objectiveRows, ...commitmentRows].map((row) => row.lineageId));
  const grantLinks = groupBy(
    grantPriorityRows.filter((g) => liveLineages.has(g.priorityLineageId)),
    (g) => g.grantId,
    (g) => g.priorityLineageId,
  );
  const dutyElementLinks = groupBy(
    dutyLinkRows.filter((d) => liveLineages.has(d.elementLineageId)),
    (d) => d.dutyStatementId,
    (d) => d.elementLineageId,
  );
  return {
    vision,
    priorities: priorityTree,
    measures: measureTree,
    statutorySections: sectionRows.map((s) => ({ lineageId: s.lineageId, kind: s.kind, narrative: s.narrative })),
    fundingYears: fundingRows.map((f) => ({
      lineageId: f.lineageId,
      financialYear: f.financialYear,
      precept: f.precept,
      governmentGrant: f.governmentGrant,
      other: f.other,
    })),
    grants: grantRows.map((g) => ({
      lineageId: g.lineageId,
      recipient: g.recipient,
      amount: g.amount,
      startsOn: g.startsOn,
      endsOn: g.endsOn,
      purpose: g.purpose,
      conditions: g.conditions,
      priorityLineageIds: grantLinks.get(g.id) ?? [],
    })),
    dutyStatements: dutyRows.map((d) => ({
      lineageId: d.lineageId,
      duty: d.duty,
      statement: d.statement,
      elementLineageIds: dutyElementLinks.get(d.id) ?? [],
    })),
    sprExplanations: explanationRows.map((e) => ({ frameworkItemId: e.frameworkItemId, explanation: e.explanation })),
  };
}

/**
 * Writes a whole tree into an empty edition, keeping every lineage id: how a new edition is
 * made from its parent (and how an imported plan is saved).
 */
export async function insertEditionTree(db: Executor, editionId: string, tree: EditionTree): Promise<void> {
  const priorityIds = new Map<string, string>();
  const objectiveIds = new Map<string, string>();
  if (tree.priorities.length) {
    const rows = await db
      .insert(priorities)
      .values(
        tree.priorities.map((p, position) => ({
          editionId,
          lineageId: p.lineageId,
          position,
          title: p.title,
          aim: p.aim,
          summary: p.summary,
        })),
      )
      .returning({ id: priorities.id, lineageId: priorities.lineageId });
    for (const row of rows) priorityIds.set(row.lineageId, row.id);
  }
  const objectiveValues = tree.priorities.flatMap((p) =>
    p.objectives.map((o, position) => ({
      editionId,
      priorityId: priorityIds.get(p.lineageId)!,
      lineageId: o.lineageId,
      position,
      title: o.title,
      description: o.description,
      intendedOutcome: o.intendedOutcome,
    })),
  );
  if (objectiveValues.length) {
    for (const row of await db
      .insert(objectives)
      .values(objectiveValues)
      .returning({ id: objectives.id, lineageId: objectives.lineageId })) {
      objectiveIds.set(row.lineageId, row.id);
    }
  }
  const allCommitments = tree.priorities.flatMap((p) =>
    p.objectives.flatMap((o) => o.commitments.map((c, position) => ({ c, o, position }))),
  );
  if (allCommitments.length) {
    const rows = await db
      .insert(commitments)
      .values(
        allCommitments.map(({ c, o, position }) => ({
          editionId,
          objectiveId: objectiveIds.get(o.lineageId)!,
          lineageId: c.lineageId,
          position,
          text: c.text,
          ownerKind: c.ownerKind,
          ownerRole: c.ownerRole,
          timescale: c.timescale,
          targetDate: c.targetDate,
          status: c.status,
        })),
      )
      .returning({ id: commitments.id, lineageId: commitments.lineageId });
    const commitmentIds = new Map(rows.map((r) => [r.lineageId, r.id]));
    const partnerValues = allCommitments.flatMap(({ c }) =>
      c.partnerIds.map((partnerId) => ({ commitmentId: commitmentIds.get(c.lineageId)!, partnerId })),
    );
    if (partnerValues.length) await db.insert(commitmentPartners).values(partnerValues);
  }
  if (tree.measures.length) {
    await db.insert(measures).values(
      tree.measures.map((m, position) => ({
        editionId,
        lineageId: m.lineageId,
        priorityId: m.attachedTo.kind === 'priority' ? priorityIds.get(m.attachedTo.lineageId)! : null,
        objectiveId: m.attachedTo.kind === 'objective' ? objectiveIds.get(m.attachedTo.lineageId)! : null,
        position,
        name: m.name,
        description: m.description,
        evidenceSource: m.evidenceSource,
        unit: m.unit,
        polarity: m.polarity,
        baselineValue: m.baselineValue,
        baselinePeriod: m.baselinePeriod,
        targetValue: m.targetValue,
        frequency: m.frequency,
        owner: m.owner,
      })),
    );
  }
  if (tree.statutorySections.length) {
    await db
      .insert(statutorySections)
      .values(tree.statutorySections.map((s) => ({ editionId, lineageId: s.lineageId, kind: s.kind, narrative: s.narrative })));
  }
  if (tree.fundingYears.length) {
    await db.insert(fundingYears).values(tree.fundingYears.map((f) => ({ editionId, ...f })));
  }
  for (const [position, g] of tree.grants.entries()) {
    const [row] = await db
      .insert(grants)
      .values({
        editionId,
        lineageId: g.lineageId,
        position,
        recipient: g.recipient,
        amount: g.amount,
        startsOn: g.startsOn,
        endsOn: g.endsOn,
        purpose: g.purpose,
        conditions: g.conditions,
      })
      .returning({ id: grants.id });
    if (g.priorityLineageIds.length)
      await db.insert(grantPriorities).values(g.priorityLineageIds.map((priorityLineageId) => ({ grantId: row!.id, priorityLineageId })));
  }
  for (const d of tree.dutyStatements) {
    const [row] = await db
      .insert(dutyStatements)
      .values({ editionId, lineageId: d.lineageId, duty: d.duty, statement: d.statement })
      .returning({ id: dutyStatements.id });
    if (d.elementLineageIds.length)
      await db.insert(dutyLinks).values(d.elementLineageIds.map((elementLineageId) => ({ dutyStatementId: row!.id, elementLineageId })));
  }
  const links = [
    ...tree.priorities.flatMap((p) => [
      ...p.frameworkItemIds.map((f) => ({ editionId, elementLineageId: p.lineageId, frameworkItemId: f })),
      ...p.objectives.flatMap((o) => [
        ...o.frameworkItemIds.map((f) => ({ editionId, elementLineageId: o.lineageId, frameworkItemId: f })),
        ...o.commitments.flatMap((c) => c.frameworkItemIds.map((f) => ({ editionId, elementLineageId: c.lineageId, frameworkItemId: f }))),
      ]),
    ]),
  ];
  if (links.length) await db.insert(frameworkLinks).values(links);
  if (tree.sprExplanations.length) await db.insert(sprExplanations).values(tree.sprExplanations.map((e) => ({ editionId, ...e })));
}

/** Shipped frameworks and the body's own, with their items in order. */
export async function listFrameworks(db: Executor, policingBodyId: string) {
  const rows = await db
    .select({ framework: frameworks, item: frameworkItems })
    .from(frameworks)
    .innerJoin(frameworkItems, eq(frameworkItems.frameworkId, frameworks.id))
    .where(sql`${frameworks.policingBodyId} is null or ${frameworks.policingBodyId} = ${policingBodyId}`)
    .orderBy(asc(frameworks.createdAt), asc(frameworks.name), asc(frameworkItems.position));
  const result: { id: string; slug: string; name: string; isShipped: boolean; items: { id: string; code: string; title: string }[] }[] = [];
  for (const { framework, item } of rows) {
    let entry = result.find((f) => f.id === framework.id);
    if (!entry) {
      entry = { id: framework.id, slug: framework.slug, name: framework.name, isShipped: framework.policingBodyId === null, items: [] };
      result.push(entry);
    }
    entry.items.push({ id: item.id, code: item.code, title: item.title });
  }
  return result;
}

// Priorities: the pattern every ordered element follows.
export async function findPriority(db: Executor, editionId: string, priorityId: string) {
  const [row] = await db
    .select()
    .from(priorities)
    .where(and(eq(priorities.id, priorityId), eq(priorities.editionId, editionId)));
  return row;
}

export async function insertPriority(db: Executor, values: { editionId: string; title: string; aim: string; summary: string }) {
  const [row] = await db
    .insert(priorities)
    .values({ ...values, position: nextPosition(priorities, priorities.editionId, values.editionId) })
    .returning();
  return row!;
}

export const updatePriority = (
  db: Executor,
  id: string,
  expectedVersion: number,
  values: { title: string; aim: string; summary: string },
) => updateIfVersion<typeof priorities.$inferSelect>(db, priorities, id, expectedVersion, values);

export async function deletePriority(db: Executor, id: string) {
  const [row] = await db.delete(priorities).where(eq(priorities.id, id)).returning();
  return row;
}

export const movePriority = (db: Executor, priorityId: string, direction: 'up' | 'down') =>
  moveAmongSiblings(db, priorities, priorities.editionId, priorityId, direction);

export async function replaceFrameworkLinks(
  db: Executor,
  editionId: string,
  elementLineageId: string,
  frameworkItemIds: readonly string[],
) {
  await db
    .delete(frameworkLinks)
    .where(and(eq(frameworkLinks.editionId, editionId), eq(frameworkLinks.elementLineageId, elementLineageId)));
  if (frameworkItemIds.length) {
    await db.insert(frameworkLinks).values(frameworkItemIds.map((frameworkItemId) => ({ editionId, elementLineageId, frameworkItemId })));
  }
}

export async function existingFrameworkItemIds(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  return (
    await db
      .select({ id: frameworkItems.id })
      .from(frameworkItems)
      .where(inArray(frameworkItems.id, [...ids]))
  ).map((r) => r.id);
}

/**
 * Runs the queries at once on a pool (several connections), but one after another inside a
 * transaction, whose single connection must not be given a second query while one is running.
 */
async function inParallelUnlessTransaction<const T extends readonly (() => Promise<unknown>)[]>(
  db: Executor,
  queries: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  if (!(db instanceof PgTransaction)) return Promise.all(queries.map((query) => query())) as never;
  const results: unknown[] = [];
  for (const query of queries) results.push(await query());
  return results as never;
}

function groupBy<T, K, V>(rows: readonly T[], key: (row: T) => K, value: (row: T) => V): Map<K, V[]> {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(value(row));
    else map.set(key(row), [value(row)]);
  }
  return map;
}

export async function updateEditionVision(db: Executor, editionId: string, expectedVersion: number, vision: string) {
  const [row] = await db
    .update(editions)
    .set({ vision, version: sql`${editions.version} + 1` })
    .where(and(eq(editions.id, editionId), eq(editions.version, expectedVersion)))
    .returning();
  return row;
}

export async function updateEditionPeriodChange(db: Executor, editionId: string, expectedVersion: number, newPeriodEndsOn: string | null) {
  const [row] = await db
    .update(editions)
    .set({ newPeriodEndsOn, version: sql`${editions.version} + 1` })
    .where(and(eq(editions.id, editionId), eq(editions.version, expectedVersion)))
    .returning();
  return row;
}
