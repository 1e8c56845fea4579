import type { Executor } from '../../platform/db/database.ts';
import { diffEditions, planJsonToTree, summariseChanges, type PlanJson, type SummaryGroup } from '../plans/index.ts';
import { consecutivePairs } from './domain/plan-in-force.ts';
import { listPublishedPlanJson, type PublishedSummary } from './publication.repository.ts';

export type Comparison = {
  from: PublishedSummary;
  to: PublishedSummary;
  /** False when the later edition is a new plan, not a revision of the earlier one: nothing to compare. */
  isSamePlan: boolean;
  groups: SummaryGroup[];
  changeCount: number;
};

/**
 * The principal changes between each pair of consecutive published editions, computed from the
 * stored snapshots only (never from the live editions, which may have changed since). Partners
 * and framework items travel by name in plan-v1, so the names stand in for ids: the same name in
 * both snapshots is the same partner.
 */
export async function principalChangesBetween(db: Executor, publishedOldestFirst: readonly PublishedSummary[]): Promise<Comparison[]> {
  const rows = await listPublishedPlanJson(
    db,
    publishedOldestFirst.map((p) => p.id),
  );
  const trees = new Map(
    rows.map((row) => {
      const result = planJsonToTree(row.planJson as PlanJson, {
        partnerIdByName: (name) => name.trim().toLowerCase(),
        frameworkItemId: (ref) => `${ref.framework}\u0000${ref.code}`,
      });
      return [row.id, result.ok ? result.value.tree : undefined] as const;
    }),
  );
  return consecutivePairs(publishedOldestFirst).map(({ from, to }) => {
    const [a, b] = [trees.get(from.id), trees.get(to.id)];
    const isSamePlan = from.planId === to.planId;
    const groups = isSamePlan && a && b ? summariseChanges(diffEditions(a, b)) : [];
    return { from, to, isSamePlan, groups, changeCount: groups.reduce((n, g) => n + g.items.length, 0) };
  });
}
