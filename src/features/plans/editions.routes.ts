import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { isoDateParts } from '../../shared/dates.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug } from '../organisations/index.ts';
import { changesAsMarkdown, summariseChanges } from './domain/changes-summary.ts';
import { editionKindHints, editionKindLabels } from './domain/labels.ts';
import { diffEditions } from './domain/principal-changes.ts';
import { canView, conflictMessage, editionFor, editorUrl, frozenMessage, partUrl, type EditionContext } from './edition-context.ts';
import { can } from './plans.permissions.ts';
import * as repository from './plans.repository.ts';
import { periodChangeSchema, versionOf } from './plans.schemas.ts';
import * as service from './plans.service.ts';

const newEditionKinds = ['refresh', 'variation', 'addendum'] as const;
const newEditionSchema = z.object({ kind: z.enum(newEditionKinds, { error: 'Select the kind of edition' }) });

/** New editions made from any edition, and the principal changes between any two editions. */
export async function editionsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.database.db;

  const newEditionPage = (reply: FastifyReply, context: EditionContext, values: Record<string, string>, errors: FieldErrors = {}) =>
    reply.page('plans/views/new-edition.njk', {
      ...context,
      kinds: newEditionKinds.map((value) => ({ value, text: editionKindLabels[value], hint: editionKindHints[value] })),
      values,
      errors,
      errorList: errorSummary(errors, { kind: 'kind' }),
      action: partUrl(context, 'new-edition'),
      backTo: editorUrl(context),
    });

  app.get('/bodies/:slug/plans/:planId/editions/:n/new-edition', async (request, reply) =>
    newEditionPage(reply, await editionFor(db, request, 'edit'), {}),
  );

  app.post('/bodies/:slug/plans/:planId/editions/:n/new-edition', async (request, reply) => {
    const context = await editionFor(db, request, 'edit');
    const values = formValues(request.body);
    const form = parseForm(newEditionSchema, values);
    if (!form.ok) return newEditionPage(reply.code(400), context, values, form.errors);
    const edition = await service.createEdition(
      db,
      signedInUser(request),
      context.body.id,
      context.plan,
      context.edition,
      form.value.kind,
      services.now(),
    );
    request.session.flash = `${edition.label} has been made from ${context.edition.label}. It is a draft: change it here.`;
    return reply.redirect(paths.edition(context.body.slug, context.plan.id, edition.number));
  });

  /** Only a draft addendum or variation may change the plan period; other editions have no such page. */
  const periodContext = async (request: FastifyRequest) => {
    const context = await editionFor(db, request, 'edit');
    if (!service.periodChangeKinds.includes(context.edition.kind)) throw notFound();
    return context;
  };

  const periodValues = (edition: repository.EditionRow): Record<string, string> => {
    const parts = isoDateParts(edition.newPeriodEndsOn);
    return {
      'newPeriodEndsOn-day': parts.day,
      'newPeriodEndsOn-month': parts.month,
      'newPeriodEndsOn-year': parts.year,
      version: String(edition.version),
    };
  };

  const periodPage = (
    reply: FastifyReply,
    context: EditionContext,
    values: Record<string, string>,
    errors: FieldErrors = {},
    current?: { newPeriodEndsOn: string | null },
  ) =>
    reply.page('plans/views/edition-period.njk', {
      ...context,
      values,
      errors,
      errorList: errorSummary(errors, { newPeriodEndsOn: 'newPeriodEndsOn-day' }),
      current,
      action: paths.editionPeriod(context.body.slug, context.plan.id, context.edition.number),
      backTo: editorUrl(context),
    });

  app.get('/bodies/:slug/plans/:planId/editions/:n/period', async (request, reply) => {
    const context = await periodContext(request);
    if (context.edition.isFrozen) throw new HttpError(409, frozenMessage);
    return periodPage(reply, context, periodValues(context.edition));
  });

  app.post('/bodies/:slug/plans/:planId/editions/:n/period', async (request, reply) => {
    const context = await periodContext(request);
    const values = formValues(request.body);
    const form = parseForm(periodChangeSchema(context.plan.periodStartsOn), values);
    if (!form.ok) return periodPage(reply.code(400), context, values, form.errors);
    const result = await service.setPeriodChange(
      db,
      { actor: signedInUser(request), policingBodyId: context.body.id, now: services.now() },
      context.edition.id,
      versionOf(values),
      form.value.newPeriodEndsOn,
    );
    if (!result.ok) {
      if (result.error.kind === 'frozen') throw new HttpError(409, result.error.message ?? frozenMessage);
      if (result.error.kind !== 'conflict') throw notFound();
      const fresh = (await repository.findEdition(db, context.plan.id, context.edition.number))!;
      return periodPage(
        reply.code(409),
        context,
        { ...values, version: String(fresh.version) },
        { form: conflictMessage },
        { newPeriodEndsOn: fresh.newPeriodEndsOn },
      );
    }
    request.session.flash = form.value.newPeriodEndsOn
      ? 'The new end of the plan period has been saved. It takes effect when this edition is issued.'
      : 'This edition no longer changes the plan period.';
    return reply.redirect(editorUrl(context));
  });

  /** Both editions, each checked against the user's right to see it (drafts: the office only). */
  const comparisonFor = async (request: FastifyRequest) => {
    const { slug, planId } = request.params as { slug: string; planId: string };
    const query = request.query as Record<string, string | undefined>;
    const body = await findBodyBySlug(db, slug);
    if (!body) throw notFound();
    const user = signedInUser(request);
    authorise(can(user, 'plan.list', { policingBodyId: body.id }));
    const plan = isUuid(planId) ? await repository.findPlan(db, body.id, planId) : undefined;
    if (!plan) throw notFound();
    const visible = (await repository.listEditions(db, plan.id)).filter((e) => canView(user, body.id, e));
    // An edition asked for by number must be one the user may see; otherwise compare the latest with its parent.
    const pick = (value: string | undefined) => {
      if (value === undefined || value === '') return undefined;
      const edition = visible.find((e) => String(e.number) === value);
      if (!edition) throw notFound();
      return edition;
    };
    const to = pick(query.to) ?? visible[visible.length - 1];
    const from =
      pick(query.from) ?? visible.find((e) => e.id === to?.parentEditionId) ?? visible.find((e) => to && e.number === to.number - 1);
    return { body, plan, visible, from, to };
  };

  app.get('/bodies/:slug/plans/:planId/changes', async (request, reply) => {
    const { body, plan, visible, from, to } = await comparisonFor(request);
    const groups =
      from && to
        ? summariseChanges(
            diffEditions(
              await repository.loadEditionTree(db, from.id, from.vision),
              await repository.loadEditionTree(db, to.id, to.vision),
            ),
          )
        : [];
    return reply.page('plans/views/changes.njk', {
      body,
      plan,
      editions: visible,
      from,
      to,
      groups,
      changeCount: groups.reduce((n, g) => n + g.items.length, 0),
      markdownUrl: from && to ? `${paths.plan(body.slug, plan.id)}/changes.md?from=${from.number}&to=${to.number}` : null,
    });
  });

  app.get('/bodies/:slug/plans/:planId/changes.md', async (request, reply) => {
    const { plan, from, to } = await comparisonFor(request);
    if (!from || !to) throw notFound();
    const groups = summariseChanges(
      diffEditions(await repository.loadEditionTree(db, from.id, from.vision), await repository.loadEditionTree(db, to.id, to.vision)),
    );
    return reply
      .header('content-type', 'text/markdown; charset=utf-8')
      .header('content-disposition', `attachment; filename="principal-changes-${from.number}-to-${to.number}.md"`)
      .header('cache-control', 'no-store')
      .send(changesAsMarkdown(plan.title, from.label, to.label, groups));
  });
}
