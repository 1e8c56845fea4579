import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, isJsonRequest, requireSignedIn, signedInUser } from '../../platform/http/guards.ts';
import { isoDateParts } from '../../shared/dates.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, type PolicingBody } from '../organisations/index.ts';
import { checkCompleteness, isComplete, type FixTarget } from './domain/completeness.ts';
import { defaultPlanningPeriod } from './domain/planning-period.ts';
import { can, type PlanAction } from './plans.permissions.ts';
import * as repository from './plans.repository.ts';
import { checkedValues, newPlanSchema, prioritySchema, versionOf, visionSchema } from './plans.schemas.ts';
import * as service from './plans.service.ts';

type Options = { services: Services };
export type EditionContext = { body: PolicingBody; plan: repository.PlanRow; edition: repository.EditionRow };

const frozenMessage = 'This edition is frozen: it is a record of what was issued and cannot be changed. Make a new edition to change the plan.';
const conflictMessage = 'Someone else saved a change to this while you were editing. Their saved version and your text are both shown: merge them, then save again.';

/** Plans, editions and the editor for an edition's priorities, vision and completeness. */
export async function plansRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  const db = services.database.db;
  app.addHook('preHandler', requireSignedIn);

  const bodyFor = async (request: FastifyRequest, action: PlanAction) => {
    const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
    if (!body) throw notFound();
    authorise(can(signedInUser(request), action, { policingBodyId: body.id }));
    return body;
  };

  /** The body, plan and edition named in the URL; drafts need `edition.view_draft` (or `edition.edit`). */
  const editionFor = async (request: FastifyRequest, action: 'view' | 'edit'): Promise<EditionContext> => {
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
  };

  const contextFor = (request: FastifyRequest, context: EditionContext) => ({ actor: signedInUser(request), policingBodyId: context.body.id, now: services.now() });
  const editorUrl = (c: EditionContext) => paths.edition(c.body.slug, c.plan.id, c.edition.number);
  const partUrl = (c: EditionContext, part: string) => paths.editionPart(c.body.slug, c.plan.id, c.edition.number, part);

  /** Refusals common to every edit: frozen edition → 409 page; missing element → 404. */
  const refuse = (reply: FastifyReply, error: service.EditRefusal) => {
    if (error.kind === 'frozen') throw new HttpError(409, frozenMessage);
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
    const period = defaultPlanningPeriod(services.now().toISOString().slice(0, 10), body.termEndsOn);
    const start = isoDateParts(period.startsOn);
    const end = isoDateParts(period.endsOn);
    return newPlanPage(reply, body, {
      title: `Police and Crime Plan ${period.startsOn.slice(0, 4)}–${period.endsOn.slice(0, 4)}`,
      'periodStartsOn-day': start.day,
      'periodStartsOn-month': start.month,
      'periodStartsOn-year': start.year,
      'periodEndsOn-day': end.day,
      'periodEndsOn-month': end.month,
      'periodEndsOn-year': end.year,
    });
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
    const canSeeDrafts = can(user, 'edition.view_draft', { policingBodyId: body.id });
    const editions = (await repository.listEditions(db, plan.id)).filter((e) => e.isFrozen || canSeeDrafts);
    return reply.page('plans/views/plan.njk', { body, plan, editions });
  });

  // The editor: the whole edition on one page, each element with its actions.
  app.get('/bodies/:slug/plans/:planId/editions/:n', async (request, reply) => {
    const context = await editionFor(request, 'view');
    const tree = await repository.loadEditionTree(db, context.edition.id, context.edition.vision);
    const canEdit = !context.edition.isFrozen && can(signedInUser(request), 'edition.edit', { policingBodyId: context.body.id });
    return reply.page('plans/views/edition.njk', { ...context, tree, canEdit, editorUrl: editorUrl(context) });
  });

  // Vision.
  const visionPage = (reply: FastifyReply, context: EditionContext, values: Record<string, string>, errors: FieldErrors = {}, current?: unknown) =>
    reply.page('plans/views/vision-form.njk', { ...context, values, errors, errorList: errorSummary(errors), current, action: partUrl(context, 'vision'), backTo: editorUrl(context) });

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
      return visionPage(reply.code(409), context, { ...values, version: String(fresh.version) }, { form: conflictMessage }, { vision: fresh.vision });
    }
    request.session.flash = 'Vision saved.';
    return reply.redirect(editorUrl(context));
  });

  // Priorities.
  const priorityPage = async (
    reply: FastifyReply,
    context: EditionContext,
    page: { heading: string; action: string },
    values: Record<string, string>,
    checked: readonly string[],
    errors: FieldErrors = {},
    current?: Record<string, unknown>,
  ) =>
    reply.page('plans/views/priority-form.njk', {
      ...context,
      ...page,
      values,
      checked,
      frameworks: await repository.listFrameworks(db, context.body.id),
      errors,
      errorList: errorSummary(errors),
      current,
      backTo: editorUrl(context),
    });

  app.get('/bodies/:slug/plans/:planId/editions/:n/priorities/new', async (request, reply) => {
    const context = await editionFor(request, 'edit');
    if (context.edition.isFrozen) throw new HttpError(409, frozenMessage);
    return priorityPage(reply, context, { heading: 'Add a priority', action: partUrl(context, 'priorities/new') }, {}, []);
  });

  app.post('/bodies/:slug/plans/:planId/editions/:n/priorities/new', async (request, reply) => {
    const context = await editionFor(request, 'edit');
    const values = formValues(request.body);
    const checked = checkedValues(request.body, 'frameworkItemIds');
    const page = { heading: 'Add a priority', action: partUrl(context, 'priorities/new') };
    const form = parseForm(prioritySchema, values);
    if (!form.ok) return priorityPage(reply.code(400), context, page, values, checked, form.errors);
    const result = await service.addPriority(db, contextFor(request, context), context.edition.id, form.value, checked);
    if (!result.ok) return refuse(reply, result.error);
    request.session.flash = `Priority “${result.value.title}” added.`;
    return reply.redirect(`${editorUrl(context)}#priority-${result.value.lineageId}`);
  });

  const priorityFor = async (request: FastifyRequest, context: EditionContext) => {
    const { priorityId } = request.params as { priorityId: string };
    const priority = isUuid(priorityId) ? await repository.findPriority(db, context.edition.id, priorityId) : undefined;
    if (!priority) throw notFound();
    return priority;
  };

  app.get('/bodies/:slug/plans/:planId/editions/:n/priorities/:priorityId/edit', async (request, reply) => {
    const context = await editionFor(request, 'edit');
    if (context.edition.isFrozen) throw new HttpError(409, frozenMessage);
    const priority = await priorityFor(request, context);
    const tree = await repository.loadEditionTree(db, context.edition.id, '');
    const checked = tree.priorities.find((p) => p.id === priority.id)?.frameworkItemIds ?? [];
    return priorityPage(
      reply,
      context,
      { heading: `Change priority: ${priority.title}`, action: partUrl(context, `priorities/${priority.id}/edit`) },
      { title: priority.title, aim: priority.aim, summary: priority.summary, version: String(priority.version) },
      checked,
    );
  });

  app.post('/bodies/:slug/plans/:planId/editions/:n/priorities/:priorityId/edit', async (request, reply) => {
    const context = await editionFor(request, 'edit');
    const priority = await priorityFor(request, context);
    const values = formValues(request.body);
    const checked = checkedValues(request.body, 'frameworkItemIds');
    const page = { heading: `Change priority: ${priority.title}`, action: partUrl(context, `priorities/${priority.id}/edit`) };
    const form = parseForm(prioritySchema, values);
    if (!form.ok) return priorityPage(reply.code(400), context, page, values, checked, form.errors);
    const result = await service.updatePriority(db, contextFor(request, context), context.edition.id, priority.id, versionOf(values), form.value, checked);
    if (!result.ok) {
      if (result.error.kind !== 'conflict') return refuse(reply, result.error);
      const current = result.error.current;
      return priorityPage(reply.code(409), context, page, { ...values, version: String(current.version) }, checked, { form: conflictMessage }, current);
    }
    request.session.flash = 'Priority saved.';
    return reply.redirect(`${editorUrl(context)}#priority-${priority.lineageId}`);
  });

  app.get('/bodies/:slug/plans/:planId/editions/:n/priorities/:priorityId/delete', async (request, reply) => {
    const context = await editionFor(request, 'edit');
    if (context.edition.isFrozen) throw new HttpError(409, frozenMessage);
    const priority = await priorityFor(request, context);
    const objectiveCount = await repository.countObjectivesOf(db, priority.id);
    return reply.page('plans/views/confirm-delete.njk', {
      ...context,
      heading: `Are you sure you want to remove the priority “${priority.title}”?`,
      warning: objectiveCount > 0 ? `This also removes its ${objectiveCount} ${objectiveCount === 1 ? 'objective' : 'objectives'}, their commitments and their measures.` : null,
      action: partUrl(context, `priorities/${priority.id}/delete`),
      backTo: editorUrl(context),
    });
  });

  app.post('/bodies/:slug/plans/:planId/editions/:n/priorities/:priorityId/delete', async (request, reply) => {
    const context = await editionFor(request, 'edit');
    const priority = await priorityFor(request, context);
    const isConfirmed = formValues(request.body).confirm === 'yes';
    const result = await service.removePriority(db, contextFor(request, context), context.edition.id, priority.id, isConfirmed);
    if (!result.ok) {
      if (result.error.kind === 'has_children') return reply.redirect(partUrl(context, `priorities/${priority.id}/delete`));
      return refuse(reply, result.error);
    }
    request.session.flash = `Priority “${priority.title}” removed.`;
    return reply.redirect(editorUrl(context));
  });

  app.post('/bodies/:slug/plans/:planId/editions/:n/priorities/:priorityId/move', async (request, reply) => {
    const context = await editionFor(request, 'edit');
    const priority = await priorityFor(request, context);
    const direction = formValues(request.body).direction === 'up' ? 'up' : 'down';
    const result = await service.movePriority(db, contextFor(request, context), context.edition.id, priority.id, direction);
    if (!result.ok) return refuse(reply, result.error);
    return reply.redirect(`${editorUrl(context)}#priority-${priority.lineageId}`);
  });

  // Statutory completeness check (PRSRA 2011 s.7(1) and the "have regard to" duties).
  app.get('/bodies/:slug/plans/:planId/editions/:n/completeness', async (request, reply) => {
    const context = await editionFor(request, 'view');
    const [tree, frameworks] = await Promise.all([repository.loadEditionTree(db, context.edition.id, context.edition.vision), repository.listFrameworks(db, context.body.id)]);
    const spr = frameworks.find((f) => f.slug === repository.SPR_FRAMEWORK_SLUG)?.items ?? [];
    const requirements = checkCompleteness(tree, spr).map((r) => ({ ...r, fixUrl: fixUrl(context, r.fix, tree) }));
    if (isJsonRequest(request)) return reply.header('cache-control', 'no-store').send({ edition: context.edition.label, isComplete: isComplete(requirements), requirements });
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
        return `${editorUrl(context)}#section-${fix.section}`;
      case 'funding':
        return `${editorUrl(context)}#funding`;
      case 'duty':
        return `${editorUrl(context)}#duty-${fix.duty}`;
      case 'spr':
        return `${editorUrl(context)}#spr`;
    }
  }
}
