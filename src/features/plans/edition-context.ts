import type { FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import { notFound } from '../../platform/http/errors.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, type PolicingBody } from '../organisations/index.ts';
import { can } from './plans.permissions.ts';
import * as repository from './plans.repository.ts';

export type EditionContext = { body: PolicingBody; plan: repository.PlanRow; edition: repository.EditionRow };

export const frozenMessage =
  'This edition is frozen: it is a record of what was issued and cannot be changed. Make a new edition to change the plan.';
export const conflictMessage =
  'Someone else saved a change to this while you were editing. Their saved version and your text are both shown: merge them, then save again.';

/**
 * The route guard for everything under /bodies/:slug/plans/:planId/editions/:n — finds the
 * body, plan and edition (404 if any is unknown) and checks the user may view or edit it (403).
 */
export async function editionFor(db: Database, request: FastifyRequest, action: 'view' | 'edit'): Promise<EditionContext> {
  const params = request.params as { slug: string; planId: string; n: string };
  const body = await findBodyBySlug(db, params.slug);
  if (!body) throw notFound();
  const user = signedInUser(request);
  authorise(can(user, 'plan.list', { policingBodyId: body.id }));
  const plan = isUuid(params.planId) ? await repository.findPlan(db, body.id, params.planId) : undefined;
  const number = Number(params.n);
  const edition = plan && Number.isInteger(number) && number > 0 ? await repository.findEdition(db, plan.id, number) : undefined;
  if (!plan || !edition) throw notFound();
  if (action === 'edit') authorise(can(user, 'edition.edit', { policingBodyId: body.id }));
  else authorise(can(user, edition.isFrozen ? 'edition.view_frozen' : 'edition.view_draft', { policingBodyId: body.id }));
  return { body, plan, edition };
}

export const editorUrl = (c: EditionContext) => paths.edition(c.body.slug, c.plan.id, c.edition.number);
export const partUrl = (c: EditionContext, part: string) => paths.editionPart(c.body.slug, c.plan.id, c.edition.number, part);
