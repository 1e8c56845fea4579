import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import { violatedUniqueConstraint } from '../../platform/db/errors.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { findBodyBySlug, slugify } from '../organisations/index.ts';
import { coverageMatrix } from './domain/coverage.ts';
import { editionFor, editorUrl } from './edition-context.ts';
import { can } from './plans.permissions.ts';
import { listFrameworks, loadEditionTree } from './plans.repository.ts';
import { optionalText, requiredText } from './plans.schemas.ts';
import { frameworkItems, frameworks } from './plans.tables.ts';

const frameworkSchema = z.object({
  name: requiredText('the name of the framework', 200),
  description: optionalText('the description', 2000),
  items: z
    .string()
    .default('')
    .transform((text) => [
      ...new Set(
        text
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean),
      ),
    ])
    .refine((items) => items.length > 0, 'Enter at least one item, one per line')
    .refine((items) => items.length <= 50, 'Enter 50 items or fewer')
    .refine((items) => items.every((item) => item.length <= 300), 'Each item must be 300 characters or fewer'),
});

/** The frameworks a plan is checked against (shipped and the body's own), and each edition's coverage of them. */
export async function frameworksRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.database.db;

  const bodyFor = async (request: FastifyRequest, action: 'plan.list' | 'plan.create') => {
    const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
    if (!body) throw notFound();
    authorise(can(signedInUser(request), action, { policingBodyId: body.id }));
    return body;
  };

  app.get('/bodies/:slug/frameworks', async (request, reply) => {
    const body = await bodyFor(request, 'plan.list');
    return reply.page('plans/views/frameworks.njk', {
      body,
      frameworks: await listFrameworks(db, body.id),
      canAdd: can(signedInUser(request), 'plan.create', { policingBodyId: body.id }),
    });
  });

  const newPage = (reply: FastifyReply, body: { slug: string; name: string }, values: Record<string, string>, errors: FieldErrors = {}) =>
    reply.page('plans/views/framework-new.njk', { body, values, errors, errorList: errorSummary(errors) });

  app.get('/bodies/:slug/frameworks/new', async (request, reply) => newPage(reply, await bodyFor(request, 'plan.create'), {}));

  app.post('/bodies/:slug/frameworks/new', async (request, reply) => {
    const body = await bodyFor(request, 'plan.create');
    const values = formValues(request.body);
    const form = parseForm(frameworkSchema, values);
    if (!form.ok) return newPage(reply.code(400), body, values, form.errors);
    const user = signedInUser(request);
    try {
      await db.transaction(async (tx) => {
        const [framework] = await tx
          .insert(frameworks)
          .values({
            policingBodyId: body.id,
            slug: slugify(form.value.name) || 'framework',
            name: form.value.name,
            description: form.value.description,
          })
          .returning();
        await tx
          .insert(frameworkItems)
          .values(form.value.items.map((title, position) => ({ frameworkId: framework!.id, code: `${position + 1}`, title, position })));
        await appendAuditEvent(tx, {
          actor: { userId: user.id, label: user.displayName },
          policingBodyId: body.id,
          action: 'framework.created',
          subject: { type: 'framework', id: framework!.id },
          after: { name: form.value.name, items: form.value.items },
          occurredAt: services.now(),
        });
      });
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'frameworks_body_slug_key')
        return newPage(reply.code(400), body, values, { name: 'This body already has a framework with this name' });
      throw error;
    }
    request.session.flash = `${form.value.name} has been added. Link priorities, objectives and commitments to it from their forms.`;
    return reply.redirect(`/bodies/${body.slug}/frameworks`);
  });

  app.get('/bodies/:slug/plans/:planId/editions/:n/coverage', async (request, reply) => {
    const context = await editionFor(db, request, 'view');
    const [tree, all] = await Promise.all([loadEditionTree(db, context.edition.id, ''), listFrameworks(db, context.body.id)]);
    return reply.page('plans/views/coverage.njk', { ...context, matrix: coverageMatrix(tree, all), backTo: editorUrl(context) });
  });
}
