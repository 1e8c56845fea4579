import type { FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import { notFound } from '../../platform/http/errors.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { isUuid } from '../../shared/ids.ts';
import { findBodyBySlug, type PolicingBody } from '../organisations/index.ts';
import { canManagePlans, findPlan, listPlanEditions, loadPlanEditionTree, type EditionTree } from '../plans/index.ts';
import { can, type PerformanceAction } from './performance.permissions.ts';

type PlanRow = NonNullable<Awaited<ReturnType<typeof findPlan>>>;
type EditionRow = Awaited<ReturnType<typeof listPlanEditions>>[number];

/** The body, the plan and the edition whose measures are monitored, with that edition's tree. */
export type PerformanceContext = {
  body: PolicingBody;
  plan: PlanRow;
  /** The edition monitored: the latest issued one, or (for the office, before any issue) the latest draft. */
  edition: EditionRow;
  tree: EditionTree;
};

/**
 * Delivery is monitored against the plan as issued: the latest frozen edition. Before a plan is
 * first issued the office may set up measures and data against its latest draft, which nobody
 * else may see yet.
 */
export function monitoredEdition(editions: readonly EditionRow[], mayViewDrafts: boolean): EditionRow | undefined {
  const issued = editions.filter((e) => e.isFrozen && e.lifecycleState !== 'withdrawn');
  if (issued.length > 0) return issued[issued.length - 1];
  return mayViewDrafts ? editions.filter((e) => e.lifecycleState !== 'withdrawn').at(-1) : undefined;
}

/**
 * The route guard for /bodies/:slug/plans/:planId/performance/…: 404 for an unknown body or plan
 * (or a plan with nothing the user may monitor yet), 403 when the user may not take the action.
 */
export async function performanceFor(db: Database, request: FastifyRequest, action: PerformanceAction): Promise<PerformanceContext> {
  const params = request.params as { slug: string; planId: string };
  const body = await findBodyBySlug(db, params.slug);
  if (!body) throw notFound();
  const user = signedInUser(request);
  authorise(can(user, 'performance.view', { policingBodyId: body.id }));
  const plan = isUuid(params.planId) ? await findPlan(db, body.id, params.planId) : undefined;
  if (!plan) throw notFound();
  authorise(can(user, action, { policingBodyId: body.id }));
  const mayViewDrafts = canManagePlans(user, 'edition.view_draft', { policingBodyId: body.id });
  const edition = monitoredEdition(await listPlanEditions(db, plan.id), mayViewDrafts);
  if (!edition) throw notFound('This plan has not been issued yet, so there is nothing to monitor.');
  const tree = await loadPlanEditionTree(db, edition.id, edition.vision);
  return { body, plan, edition, tree };
}

/** A measure of the monitored edition by lineage, or 404. */
export function measureOf(context: PerformanceContext, lineageId: string) {
  const measure = context.tree.measures.find((m) => m.lineageId === lineageId);
  if (!measure) throw notFound();
  return measure;
}
