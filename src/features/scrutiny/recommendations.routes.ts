import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, requireSignedIn, signedInUser } from '../../platform/http/guards.ts';
import { formatDate, isoDateParts } from '../../shared/dates.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, findScrutinyBodyOf, type PolicingBody } from '../organisations/index.ts';
import { loadPlanEditionTree } from '../plans/index.ts';
import { responseStatuses } from './domain/kinds.ts';
import {
  addDays,
  elementChoices,
  londonDate,
  registerFilterLabels,
  registerFilters,
  responseStatusLabels,
  sourceLabels,
  type ElementChoice,
  type RegisterFilter,
} from './domain/recommendations.ts';
import { can, type RecommendationAction } from './recommendations.permissions.ts';
import * as repository from './recommendations.repository.ts';
import { meetingRecommendationSchema, responseSchema } from './recommendations.schemas.ts';
import * as service from './recommendations.service.ts';

const conflictMessage =
  'Someone else changed this recommendation while you were working on it. What they saved is shown: check it, then save again.';
const publishedMessage = 'The response has been published, so it is a public record and cannot be changed.';
// The law sets no period for the response; a body without its own setting gets 28 days (domain.md §3).
const DEFAULT_RESPONSE_DAYS = 28;

const labels = { filters: registerFilterLabels, statuses: responseStatusLabels, sources: sourceLabels };

/** Values from a form where checkboxes repeat one name: every value of that name, as a list. */
const allValues = (body: unknown, name: string): string[] => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
};

/**
 * The recommendations register: what the panel recommended, the commissioner's response and
 * its publication (PRSRA 2011 s.5(6)(d)–(f)), and the plan change each led to.
 */
export async function recommendationsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  // Its own scope, so signing in is required here whatever the rest of scrutiny decides.
  await app.register(async (scope) => {
    scope.addHook('preHandler', requireSignedIn);
    registerRoutes(scope, services);
  });
}

function registerRoutes(app: FastifyInstance, services: Services): void {
  const db = services.database.db;
  const today = () => londonDate(services.now());

  /** The body (404 if unknown) and the user's right to do `action` there (403). */
  const bodyFor = async (request: FastifyRequest, action: RecommendationAction) => {
    const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
    if (!body) throw notFound();
    const user = signedInUser(request);
    authorise(can(user, 'recommendation.read', { policingBodyId: body.id }));
    authorise(can(user, action, { policingBodyId: body.id }));
    return { body, user };
  };

  const recommendationIn = async (request: FastifyRequest, body: PolicingBody) => {
    const { id } = request.params as { id: string };
    const row = isUuid(id) ? await repository.findInBody(db, body.id, id) : undefined;
    if (!row) throw notFound();
    return row;
  };

  const allowed = (request: FastifyRequest, body: PolicingBody) => {
    const user = signedInUser(request);
    return {
      canRecord: can(user, 'recommendation.record', { policingBodyId: body.id }),
      canRespond: can(user, 'recommendation.respond', { policingBodyId: body.id }),
      canPublish: can(user, 'recommendation.publish', { policingBodyId: body.id }),
    };
  };

  app.get('/bodies/:slug/recommendations', async (request, reply) => {
    const { body } = await bodyFor(request, 'recommendation.read');
    const query = request.query as Record<string, string | undefined>;
    const filter = (registerFilters as readonly string[]).includes(query.status ?? '') ? (query.status as RegisterFilter) : undefined;
    const editions = await repository.listBodyEditions(db, body.id);
    const edition = editions.find((e) => e.id === query.edition);
    const entries = await service.loadRegister(db, body, {
      filter,
      editionId: edition?.id,
      today: today(),
      publicUrl: services.config.publicUrl,
    });
    return reply.page('scrutiny/views/recommendations-register.njk', {
      body,
      entries,
      editions,
      filter,
      edition,
      filters: registerFilters.map((value) => ({ value, text: registerFilterLabels[value] })),
      labels,
      ...allowed(request, body),
    });
  });

  // ---- Recording a recommendation made at a meeting (the panel's support officer).

  type NewPageState = { values: Record<string, string>; chosen: string[]; errors?: FieldErrors };
  const newPage = async (request: FastifyRequest, reply: FastifyReply, body: PolicingBody, editionId: string, state: NewPageState) => {
    const panel = await findScrutinyBodyOf(db, body.id);
    const editions = await repository.listBodyEditions(db, body.id);
    const edition = editions.find((e) => e.id === editionId);
    const choices = edition ? elementChoices(await loadPlanEditionTree(db, edition.id, edition.vision)) : [];
    const errors = state.errors ?? {};
    return reply.page('scrutiny/views/recommendations-new.njk', {
      body,
      panel,
      editions,
      edition,
      meetings: panel ? await repository.listMeetingsOf(db, panel.id) : [],
      choices: choices.map((c) => ({ ...c, checked: state.chosen.includes(c.lineageId) })),
      values: state.values,
      errors,
      errorList: errorSummary(errors, { text: 'text', madeOn: 'madeOn-day', responseDueOn: 'responseDueOn-day', meetingId: 'meetingId' }),
    });
  };

  app.get('/bodies/:slug/recommendations/new', async (request, reply) => {
    const { body } = await bodyFor(request, 'recommendation.record');
    const editionId = (request.query as Record<string, string | undefined>).edition ?? '';
    return newPage(request, reply, body, editionId, { values: { editionId }, chosen: [] });
  });

  app.post('/bodies/:slug/recommendations/new', async (request, reply) => {
    const { body, user } = await bodyFor(request, 'recommendation.record');
    const values = formValues(request.body);
    const chosen = allValues(request.body, 'elements');
    const panel = await findScrutinyBodyOf(db, body.id);
    if (!panel) throw notFound('This body has no panel yet');
    const form = parseForm(meetingRecommendationSchema, values);
    const errors: FieldErrors = form.ok ? {} : { ...form.errors };
    const editions = await repository.listBodyEditions(db, body.id);
    const edition = values.editionId ? editions.find((e) => e.id === values.editionId) : undefined;
    if (values.editionId && !edition) throw notFound();
    const meeting =
      values.meetingId && isUuid(values.meetingId) ? await repository.findMeetingOf(db, panel.id, values.meetingId) : undefined;
    if (values.meetingId && !meeting) errors.meetingId = 'Select one of the panel’s meetings, or “Not at a recorded meeting”';
    let elements: ElementChoice[] = [];
    if (edition) {
      const choices = elementChoices(await loadPlanEditionTree(db, edition.id, edition.vision));
      elements = choices.filter((c) => chosen.includes(c.lineageId));
      if (elements.length !== new Set(chosen).size) errors.elements = 'Select only parts of this edition of the plan';
    }
    if (!form.ok || Object.keys(errors).length > 0) {
      return newPage(request, reply.code(400), body, values.editionId ?? '', { values, chosen, errors });
    }
    const days = (await repository.responseDueDays(db, body.id)) ?? DEFAULT_RESPONSE_DAYS;
    const row = await service.recordMeetingRecommendation(
      db,
      user,
      body,
      panel,
      {
        text: form.value.text,
        madeOn: form.value.madeOn,
        responseDueOn: form.value.responseDueOn ?? addDays(form.value.madeOn, days),
        meeting: meeting ?? null,
        edition: edition ? { id: edition.id, draftNumber: edition.draftNumber } : null,
        elements,
      },
      services.now(),
    );
    request.session.flash = `Recommendation ${row.reference} has been recorded. The response is due by ${formatDate(row.responseDueOn)}.`;
    return reply.redirect(paths.recommendation(body.slug, row.id));
  });

  // ---- One recommendation, its response and its publication.

  app.get('/bodies/:slug/recommendations/:id', async (request, reply) => {
    const { body } = await bodyFor(request, 'recommendation.read');
    const row = await recommendationIn(request, body);
    const [entry] = await service.loadRegister(db, body, { today: today(), publicUrl: services.config.publicUrl, only: [row] });
    return reply.page('scrutiny/views/recommendations-show.njk', { body, entry, labels, ...allowed(request, body) });
  });

  const responsePage = (
    reply: FastifyReply,
    body: PolicingBody,
    row: repository.RegisterRow,
    values: Record<string, string>,
    errors: FieldErrors = {},
    current?: repository.RecommendationRow,
  ) =>
    reply.page('scrutiny/views/recommendations-response.njk', {
      body,
      entry: row,
      current,
      values,
      errors,
      errorList: errorSummary(errors, { status: 'status', text: 'text', respondedOn: 'respondedOn-day', published: 'published-notice' }),
      statuses: responseStatuses.map((value) => ({ value, text: responseStatusLabels[value] })),
      labels,
      publishedMessage,
    });

  const responseValues = (row: repository.RecommendationRow, fallbackDate: string) => {
    const date = isoDateParts(row.respondedOn ?? fallbackDate);
    return {
      status: row.responseStatus ?? '',
      text: row.responseText,
      'respondedOn-day': date.day,
      'respondedOn-month': date.month,
      'respondedOn-year': date.year,
      version: String(row.version),
    };
  };

  app.get('/bodies/:slug/recommendations/:id/response', async (request, reply) => {
    const { body } = await bodyFor(request, 'recommendation.respond');
    const row = await recommendationIn(request, body);
    return responsePage(reply, body, row, responseValues(row, today()));
  });

  app.post('/bodies/:slug/recommendations/:id/response', async (request, reply) => {
    const { body, user } = await bodyFor(request, 'recommendation.respond');
    const row = await recommendationIn(request, body);
    const values = formValues(request.body);
    const form = parseForm(responseSchema, values);
    if (!form.ok) return responsePage(reply.code(400), body, row, values, form.errors);
    // A response answers a recommendation, so it cannot come before it (and the database agrees).
    if (form.value.respondedOn < row.madeOn) {
      return responsePage(reply.code(400), body, row, values, {
        respondedOn: `The date of the response must be on or after ${formatDate(row.madeOn)}, when the panel made the recommendation`,
      });
    }
    const version = Number(values.version);
    const result = await service.respond(db, user, body, row.id, Number.isInteger(version) ? version : 0, form.value, services.now());
    if (!result.ok) {
      if (result.error.kind === 'conflict') {
        const current = result.error.current;
        return responsePage(
          reply.code(409),
          body,
          row,
          { ...values, version: String(current.version) },
          { form: conflictMessage },
          current,
        );
      }
      if (result.error.kind === 'published') {
        return responsePage(reply.code(409), body, row, values, { published: publishedMessage });
      }
      throw notFound();
    }
    request.session.flash = `The response to ${row.reference} has been saved. It is not public until you publish it.`;
    return reply.redirect(paths.recommendation(body.slug, row.id));
  });

  app.post('/bodies/:slug/recommendations/:id/publish', async (request, reply) => {
    const { body, user } = await bodyFor(request, 'recommendation.publish');
    const row = await recommendationIn(request, body);
    const values = formValues(request.body);
    const version = Number(values.version);
    const result = await service.publish(db, user, body, row.id, Number.isInteger(version) ? version : 0, today(), services.now());
    if (!result.ok) {
      if (result.error.kind === 'not_found') throw notFound();
      const messages = {
        conflict: conflictMessage,
        not_responded: 'There is no response to publish yet: record the commissioner’s response first.',
        already_published: 'The response has already been published.',
      } as const;
      const [entry] = await service.loadRegister(db, body, { today: today(), publicUrl: services.config.publicUrl, only: [row] });
      const errors = { form: messages[result.error.kind] };
      return reply.code(409).page('scrutiny/views/recommendations-show.njk', {
        body,
        entry,
        labels,
        errors,
        errorList: errorSummary(errors, { form: 'recommendation-summary' }),
        ...allowed(request, body),
      });
    }
    request.session.flash = `The response to ${row.reference} has been published.`;
    return reply.redirect(paths.recommendation(body.slug, row.id));
  });
}
