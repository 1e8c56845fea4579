import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../app.ts';
import type { Executor } from '../../platform/db/database.ts';
import { paths } from '../../shared/paths.ts';
import { listPartners } from '../organisations/index.ts';
import { editionToDocx } from './docx-export.ts';
import { editionToPlanJson, exportFileName, type FrameworkRef, type PlanJson } from './domain/plan-json.ts';
import { planSchema } from './domain/plan-schema.ts';
import { editionFor, type EditionContext } from './edition-context.ts';
import { listFrameworks, loadEditionTree } from './plans.repository.ts';

const refKey = (ref: FrameworkRef) => `${ref.framework}\u0000${ref.code}`;

/** The edition as a plan-v1 document, plus framework titles for documents that show them. */
export async function loadPlanJson(
  db: Executor,
  context: EditionContext,
  publicUrl: string,
): Promise<{ json: PlanJson; frameworkTitle: (ref: FrameworkRef) => string | undefined }> {
  const [tree, partners, frameworks] = await Promise.all([
    loadEditionTree(db, context.edition.id, context.edition.vision),
    listPartners(db, context.body.id),
    listFrameworks(db, context.body.id),
  ]);
  const partnerNames = new Map(partners.map((p) => [p.id, p.name]));
  const items = new Map(
    frameworks.flatMap((f) =>
      f.items.map((item) => [item.id, { ref: { framework: f.slug, code: item.code }, title: item.title }] as const),
    ),
  );
  const titles = new Map([...items.values()].map((item) => [refKey(item.ref), item.title]));
  const { plan, edition, body } = context;
  const json = editionToPlanJson(
    schemaUrl(publicUrl),
    {
      plan: { id: plan.id, title: plan.title, periodStartsOn: plan.periodStartsOn, periodEndsOn: plan.periodEndsOn },
      edition: { id: edition.id, number: edition.number, label: edition.label, kind: edition.kind, isFrozen: edition.isFrozen },
      body: { name: body.name, forceAreaId: body.forceAreaId },
    },
    tree,
    { partnerName: (id) => partnerNames.get(id), frameworkItem: (id) => items.get(id)?.ref },
  );
  return { json, frameworkTitle: (ref) => titles.get(refKey(ref)) };
}

const schemaUrl = (publicUrl: string) => `${publicUrl}${paths.planSchema()}`;

/** Private data leaves as a download, never cached (STYLE.md §8: no-store on private pages). */
const download = (reply: FastifyReply, fileName: string, type: string) =>
  reply.header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${fileName}"`).type(type);

/**
 * Exports of an edition: plan-v1 JSON (for other tools, and to import again) and a Word
 * document. Anyone who may view the edition may export it.
 */
export async function exportsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.database.db;

  app.get('/bodies/:slug/plans/:planId/editions/:n/export.json', async (request, reply) => {
    const context = await editionFor(db, request, 'view');
    const { json } = await loadPlanJson(db, context, services.config.publicUrl);
    return download(reply, exportFileName(context.plan.title, context.edition.number, 'json'), 'application/json; charset=utf-8').send(
      `${JSON.stringify(json, null, 2)}\n`,
    );
  });

  app.get('/bodies/:slug/plans/:planId/editions/:n/export.docx', async (request, reply) => {
    const context = await editionFor(db, request, 'view');
    const { json, frameworkTitle } = await loadPlanJson(db, context, services.config.publicUrl);
    const docx = await editionToDocx(json, { frameworkTitle });
    return download(
      reply,
      exportFileName(context.plan.title, context.edition.number, 'docx'),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ).send(docx);
  });
}

/** The plan-v1 schema, public (no sign-in) so anyone can validate or build on the format. */
export function registerPlanSchemaRoute(app: FastifyInstance, services: Pick<Services, 'config'>): void {
  const body = `${JSON.stringify(planSchema(services.config.publicUrl), null, 2)}\n`;
  app.get(paths.planSchema(), (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=3600')
      .header('access-control-allow-origin', '*')
      .type('application/schema+json; charset=utf-8')
      .send(body),
  );
}
