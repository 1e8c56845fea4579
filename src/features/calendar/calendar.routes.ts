import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm } from '../../platform/http/forms.ts';
import { authorise, requireSignedIn, signedInUser } from '../../platform/http/guards.ts';
import { formatDate, isoDateParts } from '../../shared/dates.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { resolveSessionSecret } from '../accounts/index.ts';
import { findBodyBySlug, type PolicingBody } from '../organisations/index.ts';
import { can } from './calendar.permissions.ts';
import * as repository from './calendar.repository.ts';
import { electionFormSchema, itemFormSchema, itemKindLabels, versionOf } from './calendar.schemas.ts';
import * as service from './calendar.service.ts';
import { calendarItemKinds } from './calendar.tables.ts';
import { renderCalendar } from './domain/ical.ts';
import { isoDateInLondon, kindLabels, whatsDue, type CalendarEntry, type DeadlineStatus } from './domain/deadlines.ts';

type Options = { services: Services };

const conflictMessage =
  'Someone else saved changes to this while you were editing. Their version is shown under “Saved by someone else”. Check your answers, then save again.';

const statusTags: Record<DeadlineStatus, { text: string; classes: string }> = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  due_soon: { text: 'Due soon', classes: 'govuk-tag--yellow' },
  upcoming: { text: 'Upcoming', classes: 'govuk-tag--blue' },
  done: { text: 'Done', classes: 'govuk-tag--green' },
};

const kindItems = calendarItemKinds.map((value) => ({ value, text: itemKindLabels[value] }));

function dateValues(name: string, iso: string | null): Record<string, string> {
  const parts = isoDateParts(iso);
  return { [`${name}-day`]: parts.day, [`${name}-month`]: parts.month, [`${name}-year`]: parts.year };
}

/** The statutory calendar: what's due for the body and for its panel, elections, dated items and iCalendar feeds. */
export async function calendarRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  const db = services.database.db;
  const secret = services.config.sessionSecret ?? (await resolveSessionSecret(db, () => randomBytes(48).toString('base64url')));
  const today = () => isoDateInLondon(services.now());

  async function bodyFor(request: FastifyRequest): Promise<PolicingBody> {
    const { slug } = request.params as { slug: string };
    const body = await findBodyBySlug(db, slug);
    if (!body) throw notFound();
    authorise(can(signedInUser(request), 'calendar.view', { policingBodyId: body.id }));
    return body;
  }

  function present(entries: readonly (CalendarEntry & { status: DeadlineStatus })[]) {
    return entries.map((entry) => ({
      ...entry,
      dueLabel: formatDate(entry.dueOn),
      kindLabel: kindLabels[entry.kind],
      tag: statusTags[entry.status],
    }));
  }

  async function showCalendar(request: FastifyRequest, reply: FastifyReply, scope: service.Scope) {
    const body = await bodyFor(request);
    const user = signedInUser(request);
    const panelId = await repository.findPanelId(db, body.id);
    const all = await service.calendarFor(db, body, today());
    const entries = scope === 'panel' ? all.filter((entry) => entry.panel) : all;
    const grouped = whatsDue(entries, today());
    const resource = { policingBodyId: body.id, scrutinyBodyId: panelId };
    return reply.page('calendar/views/calendar.njk', {
      body,
      scope,
      overdue: present(grouped.overdue),
      next: present(grouped.next),
      later: present(grouped.later),
      feedUrl: `${services.config.publicUrl}${paths.calendarFeed(body.slug, scope, service.feedToken(secret, body.id, scope))}`,
      canManageElections: can(user, 'elections.manage', resource),
      canManageItems: can(user, 'items.manage', resource) || can(user, 'panel_items.manage', resource),
    });
  }

  app.get('/bodies/:slug/calendar', { preHandler: requireSignedIn }, (request, reply) => showCalendar(request, reply, 'body'));
  app.get('/bodies/:slug/calendar/panel', { preHandler: requireSignedIn }, (request, reply) => showCalendar(request, reply, 'panel'));

  // iCalendar feeds: no session (calendar apps cannot sign in); the token in the address is the key.
  app.get('/bodies/:slug/calendar/:file', async (request, reply) => {
    const { slug, file } = request.params as { slug: string; file: string };
    const match = /^(body|panel)-([A-Za-z0-9_-]{1,64})\.ics$/.exec(file);
    if (!match) throw notFound();
    const scope = match[1] as service.Scope;
    const body = await findBodyBySlug(db, slug);
    if (!body || !service.isFeedToken(secret, body.id, scope, match[2]!)) throw notFound();
    const all = await service.calendarFor(db, body, today());
    const entries = scope === 'panel' ? all.filter((entry) => entry.panel) : all;
    const base = services.config.publicUrl;
    const ics = renderCalendar({
      name: scope === 'panel' ? `${body.name}: Police and Crime Panel` : body.name,
      domain: new URL(base).hostname,
      stampedAt: services.now(),
      events: entries.map((entry) => ({
        uid: `${entry.uid}.${body.id}`,
        date: entry.dueOn,
        summary: entry.doneOn ? `${entry.title} (done)` : entry.title,
        description: [entry.statutoryBasis && `Statutory basis: ${entry.statutoryBasis}`, entry.link && `${base}${entry.link}`]
          .filter(Boolean)
          .join('\n'),
        url: entry.link ? `${base}${entry.link}` : undefined,
      })),
    });
    return reply
      .header('cache-control', 'private, max-age=300')
      .header('content-disposition', `inline; filename="${body.slug}-${scope}.ics"`)
      .type('text/calendar; charset=utf-8')
      .send(ics);
  });

  // Elections: the dates set in law, and the date held when postponed.
  async function electionsPage(request: FastifyRequest, reply: FastifyReply, body: PolicingBody, form = { values: {}, errors: {} }) {
    const rows = await repository.listElections(db, body.id);
    return reply.page('calendar/views/elections.njk', {
      body,
      elections: rows.map((row) => ({ ...row, scheduledLabel: formatDate(row.scheduledOn), heldLabel: formatDate(row.heldOn) })),
      values: form.values,
      errors: form.errors,
      errorList: errorSummary(form.errors),
    });
  }

  app.get('/bodies/:slug/calendar/elections', { preHandler: requireSignedIn }, async (request, reply) => {
    const body = await bodyFor(request);
    authorise(can(signedInUser(request), 'elections.manage', { policingBodyId: body.id }));
    return electionsPage(request, reply, body);
  });

  app.post('/bodies/:slug/calendar/elections', { preHandler: requireSignedIn }, async (request, reply) => {
    const body = await bodyFor(request);
    const user = signedInUser(request);
    authorise(can(user, 'elections.manage', { policingBodyId: body.id }));
    const values = formValues(request.body);
    const parsed = parseForm(electionFormSchema, values);
    if (parsed.ok && (await repository.listElections(db, body.id)).some((e) => e.scheduledOn === parsed.value.scheduledOn)) {
      reply.code(400);
      return electionsPage(request, reply, body, { values, errors: { scheduledOn: 'There is already an election due on this date' } });
    }
    if (!parsed.ok) {
      reply.code(400);
      return electionsPage(request, reply, body, { values, errors: parsed.errors });
    }
    await service.createElection(db, user, body.id, parsed.value, services.now());
    request.session.flash = 'Election added';
    return reply.redirect(paths.calendarElections(body.slug), 303);
  });

  async function electionFor(request: FastifyRequest, body: PolicingBody) {
    const { id } = request.params as { id: string };
    const row = isUuid(id) ? await repository.findElection(db, body.id, id) : undefined;
    if (!row) throw notFound();
    return row;
  }

  app.get('/bodies/:slug/calendar/elections/:id', { preHandler: requireSignedIn }, async (request, reply) => {
    const body = await bodyFor(request);
    authorise(can(signedInUser(request), 'elections.manage', { policingBodyId: body.id }));
    const election = await electionFor(request, body);
    return reply.page('calendar/views/election-form.njk', {
      body,
      election,
      values: {
        ...dateValues('scheduledOn', election.scheduledOn),
        ...dateValues('heldOn', election.heldOn),
        note: election.note,
        version: String(election.version),
      },
      errors: {},
      errorList: [],
    });
  });

  app.post('/bodies/:slug/calendar/elections/:id', { preHandler: requireSignedIn }, async (request, reply) => {
    const body = await bodyFor(request);
    const user = signedInUser(request);
    authorise(can(user, 'elections.manage', { policingBodyId: body.id }));
    const election = await electionFor(request, body);
    const values = formValues(request.body);
    const parsed = parseForm(electionFormSchema, values);
    const duplicate =
      parsed.ok &&
      (await repository.listElections(db, body.id)).some((e) => e.id !== election.id && e.scheduledOn === parsed.value.scheduledOn);
    if (!parsed.ok || duplicate) {
      const errors = parsed.ok ? { scheduledOn: 'There is already an election due on this date' } : parsed.errors;
      reply.code(400);
      return reply.page('calendar/views/election-form.njk', {
        body,
        election,
        values,
        errors,
        errorList: errorSummary(errors),
      });
    }
    const result = await service.changeElection(db, user, body.id, election.id, versionOf(values) ?? 0, parsed.value, services.now());
    if (!result.ok) {
      if (result.kind === 'not_found') throw notFound();
      reply.code(409);
      return reply.page('calendar/views/election-form.njk', {
        body,
        election,
        current: {
          ...result.current,
          scheduledLabel: formatDate(result.current.scheduledOn),
          heldLabel: formatDate(result.current.heldOn),
        },
        values: { ...values, version: String(result.current.version) },
        errors: { form: conflictMessage },
        errorList: errorSummary({ form: conflictMessage }),
      });
    }
    request.session.flash = 'Election changed';
    return reply.redirect(paths.calendarElections(body.slug), 303);
  });

  // Dated items: the precept timetable and anything else the body or its panel wants on the calendar.
  async function itemsAccess(request: FastifyRequest, body: PolicingBody) {
    const user = signedInUser(request);
    const panelId = await repository.findPanelId(db, body.id);
    const resource = { policingBodyId: body.id, scrutinyBodyId: panelId };
    const bodyItems = can(user, 'items.manage', resource);
    const panelItems = can(user, 'panel_items.manage', resource);
    authorise(bodyItems || panelItems);
    return { user, panelId, bodyItems, panelItems };
  }

  async function itemsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    body: PolicingBody,
    form?: { values: Record<string, string>; errors: Record<string, string> },
  ) {
    const access = await itemsAccess(request, body);
    const rows = await repository.listItems(db, body.id);
    return reply.page('calendar/views/items.njk', {
      body,
      items: rows.map((row) => ({
        ...row,
        dueLabel: formatDate(row.dueOn),
        doneLabel: formatDate(row.completedOn),
        kindLabel: itemKindLabels[row.kind],
        forPanel: row.scrutinyBodyId !== null,
        canChange: row.scrutinyBodyId !== null ? access.panelItems : access.bodyItems,
      })),
      kinds: kindItems,
      onlyPanel: !access.bodyItems,
      hasPanel: access.panelId !== null,
      // The next precept round: January and February of this year until they pass, then next year's.
      preceptYear: Number(today().slice(0, 4)) + (today().slice(5, 7) > '02' ? 1 : 0),
      values: form?.values ?? { forPanel: access.bodyItems ? '' : 'yes' },
      errors: form?.errors ?? {},
      errorList: errorSummary(form?.errors ?? {}),
    });
  }

  app.get('/bodies/:slug/calendar/items', { preHandler: requireSignedIn }, async (request, reply) =>
    itemsPage(request, reply, await bodyFor(request)),
  );

  app.post('/bodies/:slug/calendar/items', { preHandler: requireSignedIn }, async (request, reply) => {
    const body = await bodyFor(request);
    const access = await itemsAccess(request, body);
    const values = formValues(request.body);
    if (!access.bodyItems) values.forPanel = 'yes';
    const parsed = parseForm(itemFormSchema, values);
    const errors = parsed.ok ? {} : { ...parsed.errors };
    if (parsed.ok && parsed.value.forPanel && !access.panelId) errors.forPanel = 'This body has no panel yet';
    if (!parsed.ok || Object.keys(errors).length > 0) {
      reply.code(400);
      return itemsPage(request, reply, body, { values, errors });
    }
    await service.createItem(db, access.user, body.id, access.panelId, parsed.value, services.now());
    request.session.flash = 'Date added';
    return reply.redirect(paths.calendarItems(body.slug), 303);
  });

  app.post('/bodies/:slug/calendar/items/precept', { preHandler: requireSignedIn }, async (request, reply) => {
    const body = await bodyFor(request);
    const access = await itemsAccess(request, body);
    authorise(access.bodyItems);
    const year = Number(formValues(request.body).year);
    const thisYear = Number(today().slice(0, 4));
    if (!Number.isInteger(year) || year < thisYear - 1 || year > thisYear + 5) {
      request.session.flash = 'Choose a year for the precept timetable';
      return reply.redirect(paths.calendarItems(body.slug), 303);
    }
    const added = await service.addPreceptTimetable(db, access.user, body.id, access.panelId, year, services.now());
    request.session.flash = added ? `Added ${added} precept dates for ${year}` : `The precept dates for ${year} are already there`;
    return reply.redirect(paths.calendarItems(body.slug), 303);
  });

  /** The body, what the user may keep on its calendar, and the item in the URL (404 if unknown, 403 if not theirs to keep). */
  async function itemFor(request: FastifyRequest) {
    const body = await bodyFor(request);
    const access = await itemsAccess(request, body);
    const { id } = request.params as { id: string };
    const item = isUuid(id) ? await repository.findItem(db, body.id, id) : undefined;
    if (!item) throw notFound();
    // A panel officer keeps the panel's items only.
    authorise(item.scrutinyBodyId !== null ? access.panelItems : access.bodyItems);
    return { body, access, item };
  }

  /** Changes the item, if it is still at the version the user's form was shown with. */
  const changeItem = (
    { body, access, item }: Awaited<ReturnType<typeof itemFor>>,
    values: Record<string, string>,
    change: Parameters<typeof service.changeItem>[6],
  ) => service.changeItem(db, access.user, body.id, access.panelId, item.id, versionOf(values) ?? 0, change, services.now());

  function itemValues(row: repository.ItemRow): Record<string, string> {
    return {
      title: row.title,
      kind: row.kind,
      ...dateValues('dueOn', row.dueOn),
      statutoryBasis: row.statutoryBasis,
      notes: row.notes,
      forPanel: row.scrutinyBodyId !== null ? 'yes' : 'no',
      version: String(row.version),
    };
  }

  app.get('/bodies/:slug/calendar/items/:id', { preHandler: requireSignedIn }, async (request, reply) => {
    const { body, access, item } = await itemFor(request);
    return reply.page('calendar/views/item-form.njk', {
      body,
      item,
      kinds: kindItems,
      onlyPanel: !access.bodyItems,
      values: itemValues(item),
      errors: {},
      errorList: [],
    });
  });

  app.post('/bodies/:slug/calendar/items/:id', { preHandler: requireSignedIn }, async (request, reply) => {
    const target = await itemFor(request);
    const { body, access, item } = target;
    const values = formValues(request.body);
    if (!access.bodyItems) values.forPanel = 'yes';
    const parsed = parseForm(itemFormSchema, values);
    const page = { body, item, kinds: kindItems, onlyPanel: !access.bodyItems };
    if (!parsed.ok) {
      reply.code(400);
      return reply.page('calendar/views/item-form.njk', { ...page, values, errors: parsed.errors, errorList: errorSummary(parsed.errors) });
    }
    const result = await changeItem(target, values, { form: parsed.value });
    if (!result.ok) {
      if (result.kind === 'not_found') throw notFound();
      reply.code(409);
      return reply.page('calendar/views/item-form.njk', {
        ...page,
        current: { ...result.current, dueLabel: formatDate(result.current.dueOn) },
        values: { ...values, version: String(result.current.version) },
        errors: { form: conflictMessage },
        errorList: errorSummary({ form: conflictMessage }),
      });
    }
    request.session.flash = 'Date changed';
    return reply.redirect(paths.calendarItems(body.slug), 303);
  });

  app.post('/bodies/:slug/calendar/items/:id/done', { preHandler: requireSignedIn }, async (request, reply) => {
    const target = await itemFor(request);
    const { body, item } = target;
    const values = formValues(request.body);
    const completedOn = values.undo === 'yes' ? null : today();
    const result = await changeItem(target, values, { completedOn });
    if (!result.ok) {
      if (result.kind === 'not_found') throw notFound();
      request.session.flash = 'Someone else changed this date just now. Check it, then try again.';
      return reply.redirect(paths.calendarItems(body.slug), 303);
    }
    request.session.flash = completedOn ? `Marked “${item.title}” as done` : `Marked “${item.title}” as not done`;
    return reply.redirect(paths.calendarItems(body.slug), 303);
  });
}
