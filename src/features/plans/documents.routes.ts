import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { listPartners } from '../organisations/index.ts';
import { buildPlanDocument } from './domain/document-model.ts';
import { editionFor, editorUrl } from './edition-context.ts';
import { listFrameworks, loadEditionTree, SPR_FRAMEWORK_SLUG } from './plans.repository.ts';

/**
 * The read-only, printable documents of an edition: the plan on a page and the full plan.
 * Anyone who may view the edition may read them (drafts: the commissioner's office only).
 */
export async function documentsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.database.db;

  const documentFor = async (request: FastifyRequest) => {
    const context = await editionFor(db, request, 'view');
    const [tree, partners, frameworks] = await Promise.all([
      loadEditionTree(db, context.edition.id, context.edition.vision),
      listPartners(db, context.body.id),
      listFrameworks(db, context.body.id),
    ]);
    const document = buildPlanDocument(tree, {
      partnerNames: new Map(partners.map((p) => [p.id, p.name])),
      sprThreats: frameworks.find((f) => f.slug === SPR_FRAMEWORK_SLUG)?.items ?? [],
    });
    return { ...context, document, editorUrl: editorUrl(context) };
  };

  app.get('/bodies/:slug/plans/:planId/editions/:n/on-a-page', async (request, reply) =>
    reply.page('plans/views/on-a-page.njk', await documentFor(request)),
  );

  app.get('/bodies/:slug/plans/:planId/editions/:n/plan', async (request, reply) =>
    reply.page('plans/views/full-plan.njk', await documentFor(request)),
  );
}
