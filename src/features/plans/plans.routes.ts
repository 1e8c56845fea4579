import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, isJsonRequest, requireSignedIn, signedInUser } from '../../platform/http/guards.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, listPartners, type PolicingBody } from '../organisations/index.ts';
import { evidenceSourceLabels, ownerKindLabels, sectionLabels, statusLabels } from './domain/labels.ts';
import { dutyKinds, statutorySectionKinds } from './domain/plan-tree.ts';
import { checkCompleteness, dutyLabels, isComplete, type FixTarget } from './domain/completeness.ts';
import { can, type PlanAction } from './plans.permissions.ts';
import * as repository from './plans.repository.ts';
import { newPlanDefaults, newPlanSchema, versionOf, visionSchema } from './plans.schemas.ts';
import { elementSpecs, listFundingYears, listGrants, registerElementRoutes } from './elements/index.ts';
import { narrativesRoutes } from './narratives.routes.ts';
import { exportsRoutes } from './exports.routes.ts';
import { importRoutes } from './import.routes.ts';
import { wordImportRoutes } from './word-import.routes.ts';
import { documentsRoutes } from './documents.routes.ts';
import { editionsRoutes } from './editions.routes.ts';
import { reviewBoardRoutes } from './review-board.routes.ts';
import { frameworksRoutes } from './frameworks.routes.ts';
import * as service from './plans.service.ts';
import {
  conflictMessage,
  editionFor as loadEditionContext,
  editorUrl,
  frozenMessage,
  partUrl,
  canView,
  type EditionContext,
} from './edition-context.ts';
import { isWithPanel, lifecycleStateLabels } from '../lifecycle/index.ts';

type Options = { services: Services };

/** Plans, editions and the editor for an edition's priorities, vision and completeness. */
export async function plansRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  const db = services.database.db;
  app.addHook('preHandler', requireSignedIn);
  for (const spec of elementSpecs) registerElementRoutes(app, services, spec);
  await narrativesRoutes(app, services);
  await exportsRoutes(app, services);
  await importRoutes(app, services);
  await wordImportRoutes(app, services);
  await documentsRoutes(app, services);
  await editionsRoutes(app, services);
  await reviewBoardRoutes(app, services);
  await frameworksRoutes(app, services);

  const bodyFor = async (request: FastifyRequest, action: PlanAction) => {
    const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
    if (!body) throw notFound();
    authorise(can(signedInUser(request), action, { policingBodyId: body.id }));
    return body;
  };

  const editionFor = (request: FastifyRequest, action: 'view' | 'edit') => loadEditionContext(db, request, action);

  const contextFor = (request: FastifyRequest, context: EditionContext) => ({
    actor: signedInUser(request),
    policingBodyId: context.body.id,
    now: services.now(),
  });

  /** Refusals common to every edit: frozen edition → 409 page; missing element → 404. */
  const refuse = (reply: FastifyReply, error: service.EditRefusal) => {
    if (error.kind === 'frozen') throw new HttpError(409, error.message ?? frozenMessage);
    if (error.kind === 'not_found') throw notFound();
    return reply;
  };

  // Plans of a body.
  app.get('/bodies/:slug/plans', async (request, reply) => {
    const body = await bodyFor(request, 'plan.list');
    const user = signedInUser(request);
    const plans = await repository.listPlans(db, body.id);
    return reply.page('plans/views/plans.njk', { body, plans, canCreate: can(user, 'plan.create', { policingBodyId: body.id }) });
  });

  const newPlanPage = (reply: FastifyReply, body: PolicingBody, values: Record<string, string>, errors: FieldErrors = {}) =>
    reply.page('plans/views/new-plan.njk', {
      body,
      values,
      errors,
      errorList: errorSummary(errors, { periodStartsOn: 'periodStartsOn-day', periodEndsOn: 'periodEndsOn-day' }),
    });

  app.get('/bodies/:slug/plans/new', async (request, reply) => {
    const body = await bodyFor(request, 'plan.create');
    return newPlanPage(reply, body, newPlanDefaults(services.now().toISOString().slice(0, 10), body.termEndsOn));
  });

  app.post('/bodies/:slug/plans/new', async (request, reply) => {
    const body = await bodyFor(request, 'plan.create');
    const values = formValues(request.body);
    const form = parseForm(newPlanSchema, values);
    if (!form.ok) return newPlanPage(reply.code(400), body, values, form.errors);
    const { plan, edition } = await service.createPlan(db, signedInUser(request), body.id, form.value, services.now());
    request.session.flash = `${plan.title} has been created with its first draft edition.`;
    return reply.redirect(paths.edition(body.slug, plan.id, edition.number));
  });

  app.get('/bodies/:slug/plans/:planId', async (request, reply) => {
    const body = await bodyFor(request, 'plan.list');
    const { planId } = request.params as { planId: string };
    const plan = isUuid(planId) ? await repository.findPlan(db, body.id, planId) : undefined;
    if (!plan) throw notFound();
    const user = signedInUser(request);
    const editions = (await repository.listEditions(db, plan.id)).filter((e) => canView(user, body.id, e));
    return reply.page('plans/views/plan.njk', { body, plan, editions });
  });

  // The editor: the whole edition on one page, each element with its actions.
  app.get('/bodies/:slug/plans/:planId/editions/:n', async (request, reply) => {
    const context = await editionFor(request, 'view');
    const [tree, partners, frameworks] = await Promise.all([
      repository.loadEditionTree(db, context.edition.id, context.edition.vision),
      listPartners(db, context.body.id),
      repository.listFrameworks(db, context.body.id),
    ]);
    const [fundingYears, grantRegister] = await Promise.all([
      listFundingYears(db, context.edition.id),
      listGrants(db, context.edition.id, tree),
    ]);
    const elementTitles = new Map(
      tree.priorities.flatMap((p) => [
        [p.lineageId, p.title] as const,
        ...p.objectives.flatMap((o) => [[o.lineageId, o.title] as const, ...o.commitments.map((c) => [c.lineageId, c.text] as const)]),
      ]),
    );
    const linksTo = (itemId: string) =>
      tree.priorities
        .flatMap((p) => [p, ...p.objectives, ...p.objectives.flatMap((o) => o.commitments)])
        .filter((e) => e.frameworkItemIds.includes(itemId))
        .map((e) => elementTitles.get(e.lineageId)!);
    const spr = (frameworks.find((f) => f.slug === repository.SPR_FRAMEWORK_SLUG)?.items ?? []).map((item) => ({
      ...item,
      addressedBy: linksTo(item.id),
      explanation: tree.sprExplanations.find((e) => e.frameworkItemId === item.id)?.explanation ?? '',
    }));
    const canEdit =
      !context.edition.isFrozen &&
      !isWithPanel(context.edition) &&
      context.edition.lifecycleState !== 'withdrawn' &&
      can(signedInUser(request), 'edition.edit', { policingBodyId: context.body.id });
    const measuresOf: Record<string, typeof tree.measures> = {};
    for (const measure of tree.measures) (measuresOf[measure.attachedTo.lineageId] ??= []).push(measure);
    return reply.page('plans/views/edition.njk', {
      ...context,
      tree,
      canEdit,
      canMakeEdition: can(signedInUser(request), 'edition.edit', { policingBodyId: context.body.id }),
      processStatus: lifecycleStateLabels[context.edition.lifecycleState],
      measuresOf,
      spr,
      fundingYears,
      grantRegister,
      sections: statutorySectionKinds.map((kind) => ({
        kind,
        title: sectionLabels[kind],
        narrative: tree.statutorySections.find((x) => x.kind === kind)?.narrative ?? '',
      })),
      duties: dutyKinds.map((duty) => ({
        duty,
        title: dutyLabels[duty].title,
        statement: tree.dutyStatements.find((d) => d.duty === duty)?.statement ?? '',
      })),
      partnerNames: Object.fromEntries(partners.map((p) => [p.id, p.name])),
      labels: { owner: ownerKindLabels, status: statusLabels, evidence: evidenceSourceLabels },
      editorUrl: editorUrl(context),
    });
  });

  // Vision.
  const visionPage = (
    reply: FastifyReply,
    context: EditionContext,
    values: Record<string, string>,
    errors: FieldErrors = {},
    current?: unknown,
  ) =>
    reply.page('plans/views/vision-form.njk', {
      ...context,
      values,
      errors,
      errorList: errorSummary(errors),
      current,
      action: partUrl(context, 'vision'),
      backTo: editorUrl(context),
    });

  app.get('/bodies/:slug/plans/:planId/editions/:n/vision', async (request, reply) => {
    const context = await editionFor(request, 'edit');
    if (context.edition.isFrozen) throw new HttpError(409, frozenMessage);
    return visionPage(reply, context, { vision: context.edition.vision, version: String(context.edition.version) });
  });

  app.post('/bodies/:slug/plans/:planId/editions/:n/vision', async (request, reply) => {
    const context = await editionFor(request, 'edit');
    const values = formValues(request.body);
    const form = parseForm(visionSchema, values);
    if (!form.ok) return visionPage(reply.code(400), context, values, form.errors);
    const result = await service.updateVision(db, contextFor(request, context), context.edition.id, versionOf(values), form.value.vision);
    if (!result.ok) {
      if (result.error.kind !== 'conflict') return refuse(reply, result.error);
      const fresh = (await repository.findEdition(db, context.plan.id, context.edition.number))!;
      return visionPage(
        reply.code(409),
        context,
        { ...values, version: String(fresh.version) },
        { form: conflictMessage },
        { vision: fresh.vision },
      );
    }
    request.session.flash = 'Vision saved.';
    return reply.redirect(editorUrl(context));
  });

  // Statutory completeness check (PRSRA 2011 s.7(1) and the "have regard to" duties).
  app.get('/bodies/:slug/plans/:planId/editions/:n/completeness', async (request, reply) => {
    const context = await editionFor(request, 'view');
    const [tree, frameworks] = await Promise.all([
      repository.loadEditionTree(db, context.edition.id, context.edition.vision),
      repository.listFrameworks(db, context.body.id),
    ]);
    const spr = frameworks.find((f) => f.slug === repository.SPR_FRAMEWORK_SLUG)?.items ?? [];
    const requirements = checkCompleteness(tree, spr).map((r) => ({ ...r, fixUrl: fixUrl(context, r.fix, tree) }));
    if (isJsonRequest(request))
      return reply
        .header('cache-control', 'no-store')
        .send({ edition: context.edition.label, isComplete: isComplete(requirements), requirements });
    const groups = [
      { id: 'contents', title: 'Contents the law requires (PRSRA 2011 s.7(1))' },
      { id: 'priorities', title: 'Priorities' },
      { id: 'commitments', title: 'Commitments' },
      { id: 'spr', title: 'Strategic Policing Requirement threats' },
      { id: 'duties', title: 'Duties the plan must have regard to' },
    ].map((g) => ({ ...g, requirements: requirements.filter((r) => r.group === g.id) }));
    return reply.page('plans/views/completeness.njk', {
      ...context,
      groups,
      metCount: requirements.filter((r) => r.isMet).length,
      totalCount: requirements.length,
      isComplete: isComplete(requirements),
      backTo: editorUrl(context),
    });
  });

  /** Where to put a requirement right; element forms not built yet fall back to the editor, at the element. */
  function fixUrl(context: EditionContext, fix: FixTarget, tree: Awaited<ReturnType<typeof repository.loadEditionTree>>): string {
    switch (fix.kind) {
      case 'priorities':
        return partUrl(context, 'priorities/new');
      case 'priority': {
        const priority = tree.priorities.find((p) => p.lineageId === fix.lineageId);
        return priority ? partUrl(context, `priorities/${priority.id}/edit`) : editorUrl(context);
      }
      case 'objective':
      case 'commitment':
        return `${editorUrl(context)}#${fix.kind}-${fix.lineageId}`;
      case 'measures':
        return `${editorUrl(context)}#priority-${fix.priorityLineageId}`;
      case 'statutory_section':
        return partUrl(context, `sections/${fix.section}`);
      case 'funding':
        return partUrl(context, 'funding-years/new');
      case 'duty':
        return partUrl(context, `duties/${fix.duty}`);
      case 'spr':
        return partUrl(context, `spr/${fix.frameworkItemId}`);
    }
  }
}
