import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, isJsonRequest, requireSignedIn, signedInUser } from '../../platform/http/guards.ts';
import { isoDateParts } from '../../shared/dates.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, type PolicingBody } from '../organisations/index.ts';
import { editionFor, type EditionContext } from '../plans/index.ts';
import { listUnanswered } from '../scrutiny/index.ts';
import { decide, mainPath, stateLabels, transitionFor, transitions, type Facts, type Reason } from './domain/machine.ts';
import type { LifecycleEvent } from '../../shared/lifecycle-states.ts';
import { describeEvidence } from './domain/evidence.ts';
import { actorRolesOf, can } from './lifecycle.permissions.ts';
import * as repository from './lifecycle.repository.ts';
import {
  approvalStepSchema,
  dateLabels,
  eventForSlug,
  isFormEvent,
  parseStep,
  settingsSchema,
  stepSlugs,
  type FormEvent,
} from './lifecycle.schemas.ts';
import * as service from './lifecycle.service.ts';

type Options = { services: Services };

const settingsConflictMessage =
  'Someone else saved these settings while you were editing. Their saved values are shown: check them, then save again.';

/**
 * The statutory process of an edition: the page showing where it is and what can happen next,
 * one form per step, and the body's process settings.
 */
export async function lifecycleRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  const db = services.database.db;
  const publicUrl = services.config.publicUrl;
  app.addHook('preHandler', requireSignedIn);
  const base = '/bodies/:slug/plans/:planId/editions/:n/process';
  const today = () => services.now().toISOString().slice(0, 10);
  const processUrl = (c: EditionContext) => paths.editionProcess(c.body.slug, c.plan.id, c.edition.number);
  const stepUrl = (c: EditionContext, event: FormEvent) =>
    paths.editionProcessStep(c.body.slug, c.plan.id, c.edition.number, stepSlugs[event]);

  // ---- The process page.

  const processPage = async (request: FastifyRequest, reply: FastifyReply) => {
    const context = await editionFor(db, request, 'view');
    const user = signedInUser(request);
    const roles = actorRolesOf(user, context.body.id);
    const state = await service.loadProcessState(db, context, today(), publicUrl);
    const current = context.edition.lifecycleState;
    const currentIndex = (mainPath as readonly string[]).indexOf(current);
    const visited = new Set(state.history.flatMap((h) => [h.fromState, h.toState]));
    const steps = mainPath.map((s, i) => ({
      state: s,
      label: stateLabels[s],
      status:
        s === current
          ? 'current'
          : currentIndex >= 0
            ? i < currentIndex
              ? 'done'
              : 'todo'
            : current === 'withdrawn'
              ? visited.has(s)
                ? 'done'
                : 'todo'
              : 'done',
    }));
    const actions = transitions
      .filter((t) => isFormEvent(t.event) && t.from.includes(current) && t.roles.some((r) => roles.includes(r)))
      .map((t) => {
        const decision = decide({ state: current, event: t.event, roles, facts: previewFacts(t.event, state.facts) });
        return {
          label: t.label,
          explanation: t.explanation,
          basis: t.basis,
          url: stepUrl(context, t.event as FormEvent),
          reasons: decision.ok ? [] : decision.reasons.map((r) => r.message),
        };
      });
    const history = state.history.map((h) => ({
      label: transitionFor(h.event).label,
      event: h.event,
      from: stateLabels[h.fromState],
      to: stateLabels[h.toState],
      happenedOn: h.happenedOn,
      recordedAt: h.recordedAt,
      who: h.actorLabel,
      basis: h.statutoryBasis,
      draftNumber: h.draftNumber,
      evidence: describeEvidence(h.evidence as Record<string, unknown>),
    }));
    if (isJsonRequest(request))
      return reply.header('cache-control', 'no-store').send({
        edition: context.edition.label,
        state: current,
        draftNumber: context.edition.draftNumber,
        actions: actions.map((a) => ({ label: a.label, basis: a.basis, url: a.url, isOpen: a.reasons.length === 0, reasons: a.reasons })),
        history: state.history.map((h) => ({
          event: h.event,
          fromState: h.fromState,
          toState: h.toState,
          happenedOn: h.happenedOn,
          recordedAt: h.recordedAt,
          actor: h.actorLabel,
          statutoryBasis: h.statutoryBasis,
          evidence: h.evidence,
        })),
      });
    return reply.page('lifecycle/views/process.njk', {
      ...context,
      stateLabel: stateLabels[current],
      steps,
      furtherDrafts: state.history.filter((h) => h.event === 'request_further_draft').length,
      isWithdrawn: current === 'withdrawn',
      isTerminal: ['superseded', 'expired', 'withdrawn'].includes(current),
      actions,
      history: history.reverse(),
      recommendations: state.recommendations,
      responseLabels: { accepted: 'Accepted', partly_accepted: 'Partly accepted', not_accepted: 'Not accepted' },
      editionUrl: paths.edition(context.body.slug, context.plan.id, context.edition.number),
    });
  };
  app.get(base, processPage);
  // The JSON twin, for the same people.
  app.get(`/api/v1${base}`, processPage);

  // ---- One form per step.

  const stepFor = async (request: FastifyRequest) => {
    const context = await editionFor(db, request, 'view');
    const event = eventForSlug((request.params as { step: string }).step);
    if (!event) throw notFound();
    const user = signedInUser(request);
    const roles = actorRolesOf(user, context.body.id);
    const state = await service.loadProcessState(db, context, today(), publicUrl);
    const preview = decide({ state: context.edition.lifecycleState, event, roles, facts: previewFacts(event, state.facts) });
    if (!preview.ok && preview.kind === 'forbidden') throw new HttpError(403, preview.reasons[0]!.message);
    if (!preview.ok && preview.kind === 'wrong_state' && request.method === 'GET') throw new HttpError(409, preview.reasons[0]!.message);
    return { context, event, state, blockers: preview.ok ? [] : preview.reasons.map((r) => r.message) };
  };

  const stepPage = async (
    reply: FastifyReply,
    step: Awaited<ReturnType<typeof stepFor>>,
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) => {
    const { context, event } = step;
    const [settings, approvalSteps, unanswered] = await Promise.all([
      repository.findSettings(db, context.body.id),
      repository.listApprovalSteps(db, context.body.id),
      event === 'give_response' ? listUnanswered(db, context.edition.id) : Promise.resolve([]),
    ]);
    const row = transitionFor(event);
    const fieldIds: Record<string, string> = {
      happenedOn: 'happenedOn-day',
      reviewWindowEndsOn: 'reviewWindowEndsOn-day',
      approvalStep: 'step',
      unanimous: 'unanimous',
    };
    for (const key of Object.keys(errors)) if (key.startsWith('reason-')) fieldIds[key] = 'step-form';
    return reply.page('lifecycle/views/process-step.njk', {
      ...context,
      event,
      row,
      heading: row.label,
      dateLabel: dateLabels[event],
      blockers: Object.keys(errors).length ? [] : step.blockers,
      facts: step.state.facts,
      settings,
      approvalSteps,
      unanswered,
      values,
      errors,
      errorList: errorSummary(errors, fieldIds),
      action: stepUrl(context, event),
      backTo: processUrl(context),
    });
  };

  const defaultsFor = (step: Awaited<ReturnType<typeof stepFor>>) => {
    const date = isoDateParts(today());
    const values: Record<string, string> = {
      'happenedOn-day': date.day,
      'happenedOn-month': date.month,
      'happenedOn-year': date.year,
      seenState: step.context.edition.lifecycleState,
      seenCount: String(step.state.history.length),
    };
    if (step.event === 'issue') values.decidedBy = `${step.context.body.holderName}, ${step.context.body.holderTitle}`;
    return values;
  };

  app.get(`${base}/:step`, async (request, reply) => {
    const step = await stepFor(request);
    return stepPage(reply, step, defaultsFor(step));
  });

  app.post(`${base}/:step`, async (request, reply) => {
    const step = await stepFor(request);
    const { context, event } = step;
    const values = formValues(request.body);
    const unanswered = event === 'give_response' ? await listUnanswered(db, context.edition.id) : [];
    const form = parseStep(event, values, unanswered);
    if (!form.ok) return stepPage(reply.code(400), step, values, form.errors);
    const result = await service.applyTransition(db, {
      user: signedInUser(request),
      context,
      seen: { state: values.seenState ?? '', count: Number(values.seenCount) },
      form: form.value,
      now: services.now(),
      publicUrl,
    });
    if (result.ok) {
      request.session.flash = result.value.message;
      return reply.redirect(processUrl(context));
    }
    const refusal = result.error;
    switch (refusal.kind) {
      case 'not_found':
        throw notFound();
      case 'forbidden':
        throw new HttpError(403, refusal.reasons.map((r) => r.message).join('. '));
      case 'already_done':
      case 'moved_on':
      case 'conflict':
        throw new HttpError(409, refusal.message);
      case 'wrong_state':
        throw new HttpError(409, refusal.reasons.map((r) => r.message).join('. '));
      case 'refused': {
        const errors = reasonsAsErrors(refusal.reasons);
        const isFieldOnly = refusal.reasons.every((r) => r.field);
        return stepPage(reply.code(isFieldOnly ? 400 : 409), step, values, errors);
      }
    }
  });

  // ---- Process settings of a body.

  const settingsBodyFor = async (request: FastifyRequest, action: 'settings.view' | 'settings.manage') => {
    const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
    if (!body) throw notFound();
    authorise(can(signedInUser(request), action, { policingBodyId: body.id }));
    return body;
  };

  const settingsPage = async (
    reply: FastifyReply,
    body: PolicingBody,
    values: Record<string, string>,
    errors: FieldErrors = {},
    extra: { current?: Record<string, unknown>; stepValues?: Record<string, string>; stepErrors?: FieldErrors } = {},
  ) => {
    const steps = await repository.listApprovalSteps(db, body.id);
    const stepErrors = extra.stepErrors ?? {};
    return reply.page('lifecycle/views/process-settings.njk', {
      body,
      values,
      errors,
      current: extra.current,
      steps,
      stepValues: extra.stepValues ?? {},
      stepErrors,
      errorList: [...errorSummary(errors), ...errorSummary(stepErrors, { name: 'step-name', requiredBefore: 'step-requiredBefore' })],
      action: paths.processSettings(body.slug),
    });
  };

  const settingsValues = (s: Awaited<ReturnType<typeof repository.findSettings>>) => ({
    panelReviewDays: String(s.panelReviewDays),
    responseDueDays: String(s.responseDueDays),
    actionReminderDays: String(s.actionReminderDays),
    annualReportMonth: String(s.annualReportMonth),
    quarterlyReportLagDays: String(s.quarterlyReportLagDays),
    version: String(s.version),
  });

  app.get('/bodies/:slug/process-settings', async (request, reply) => {
    const body = await settingsBodyFor(request, 'settings.view');
    return settingsPage(reply, body, settingsValues(await repository.findSettings(db, body.id)));
  });

  const settingsContext = (request: FastifyRequest, body: PolicingBody) => ({
    actor: signedInUser(request),
    policingBodyId: body.id,
    now: services.now(),
  });

  app.post('/bodies/:slug/process-settings', async (request, reply) => {
    const body = await settingsBodyFor(request, 'settings.manage');
    const values = formValues(request.body);
    const form = parseForm(settingsSchema, values);
    if (!form.ok) return settingsPage(reply.code(400), body, values, form.errors);
    const version = Number(values.version);
    const result = await service.saveSettings(db, settingsContext(request, body), Number.isInteger(version) ? version : -1, form.value);
    if (!result.ok) {
      const current = result.error.current;
      return settingsPage(
        reply.code(409),
        body,
        { ...values, version: String(current.version) },
        { form: settingsConflictMessage },
        { current },
      );
    }
    request.session.flash = 'Process settings saved.';
    return reply.redirect(paths.processSettings(body.slug));
  });

  app.post('/bodies/:slug/process-settings/approval-steps', async (request, reply) => {
    const body = await settingsBodyFor(request, 'settings.manage');
    const values = formValues(request.body);
    const settings = settingsValues(await repository.findSettings(db, body.id));
    const form = parseForm(approvalStepSchema, values);
    if (!form.ok) return settingsPage(reply.code(400), body, settings, {}, { stepValues: values, stepErrors: form.errors });
    const result = await service.addApprovalStep(db, settingsContext(request, body), form.value);
    if (!result.ok)
      return settingsPage(
        reply.code(400),
        body,
        settings,
        {},
        { stepValues: values, stepErrors: { name: 'There is already an approval step with that name' } },
      );
    request.session.flash = `Approval step “${result.value.name}” added.`;
    return reply.redirect(`${paths.processSettings(body.slug)}#approval-steps`);
  });

  app.post('/bodies/:slug/process-settings/approval-steps/:stepId/delete', async (request, reply) => {
    const body = await settingsBodyFor(request, 'settings.manage');
    const { stepId } = request.params as { stepId: string };
    if (!isUuid(stepId)) throw notFound();
    const result = await service.removeApprovalStep(db, settingsContext(request, body), stepId);
    if (!result.ok) throw notFound();
    request.session.flash = `Approval step “${result.value.name}” removed.`;
    return reply.redirect(`${paths.processSettings(body.slug)}#approval-steps`);
  });
}

/**
 * The facts a step is previewed with. The response form answers every recommendation still
 * without a response (as the service does when it is sent), so they cannot block opening it.
 */
function previewFacts(event: LifecycleEvent, facts: Facts): Facts {
  return event === 'give_response' ? { ...facts, unanswered: [] } : facts;
}

/** The machine's reasons as form errors: on their field when they have one, otherwise at the form. */
function reasonsAsErrors(reasons: readonly Reason[]): FieldErrors {
  const errors: FieldErrors = {};
  reasons.forEach((reason, i) => {
    const key = reason.field ?? `reason-${i}`;
    errors[key] ??= reason.message;
  });
  return errors;
}
