import type { FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import { notFound } from '../../platform/http/errors.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { isSharedBeyondOffice } from '../lifecycle/index.ts';
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
  else authorise(canView(user, body.id, edition));
  return { body, plan, edition };
}

/** Whether the user may read this edition: a frozen one, or a draft the office has or has shared. */
export function canView(
  user: Parameters<typeof can>[0],
  policingBodyId: string,
  edition: Pick<repository.EditionRow, 'isFrozen' | 'lifecycleState' | 'draftNumber'>,
): boolean {
  if (edition.isFrozen) return can(user, 'edition.view_frozen', { policingBodyId });
  return can(user, 'edition.view_draft', { policingBodyId, isSharedDraft: isSharedBeyondOffice(edition) });
}

export const withPanelMessage =
  'This draft is with the panel for review: it cannot change until the panel has reported or asked for a further draft (PRSRA 2011 s.5(6)(c)).';

export const withdrawnMessage = 'This edition has been withdrawn: it is kept as a record and cannot be changed.';

export const editorUrl = (c: EditionContext) => paths.edition(c.body.slug, c.plan.id, c.edition.number);
export const partUrl = (c: EditionContext, part: string) => paths.editionPart(c.body.slug, c.plan.id, c.edition.number, part);
