import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { isoDateParts } from '../../shared/dates.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { roleLabels } from '../../shared/current-user.ts';
import { listMembersOfBody } from '../accounts/index.ts';
import { actionStatusLabels } from './domain/labels.ts';
import { countOverdue, isOverdue } from './domain/rules.ts';
import { finishFormSave, found, idParam, panelFor, todayOf, type PanelContext } from './scrutiny-context.ts';
import { can } from './scrutiny.permissions.ts';
import * as repository from './scrutiny.repository.ts';
import { actionFormSchema, actionProgressFormSchema, versionOf, type ActionOrigin } from './scrutiny.schemas.ts';
import * as service from './scrutiny.service.ts';

type Source = service.ActionSource & { origin: ActionOrigin; label: string; url: string };

/** Actions from meetings, agenda items and link-member reports: who does what by when, and what is overdue. */
export async function actionsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.database.db;
  const base = '/bodies/:slug/scrutiny/actions';
  /** The radio options for an action's status, on both the action and the progress forms. */
  const statuses = Object.entries(actionStatusLabels).map(([value, text]) => ({ value, text }));

  /** The people of the body an action may be given to, and whether each works in the commissioner's office. */
  const peopleOf = async (policingBodyId: string) => {
    const rows = await listMembersOfBody(db, policingBodyId);
    const people = new Map<string, { id: string; name: string; roles: string[]; isOffice: boolean }>();
    for (const row of rows) {
      const person = people.get(row.userId) ?? { id: row.userId, name: row.displayName, roles: [], isOffice: false };
      person.roles.push(roleLabels[row.role]);
      person.isOffice ||= row.role === 'commissioner' || row.role === 'officer';
      people.set(row.userId, person);
    }
    return [...people.values()].sort((a, b) => a.name.localeCompare(b.name));
  };

  const ownerOf = async (context: PanelContext, action: repository.ScrutinyActionRow) => {
    const people = await peopleOf(context.body.id);
    return { userId: action.ownerUserId, isOffice: people.some((p) => p.id === action.ownerUserId && p.isOffice) };
  };

  /** Where an action comes from (a meeting, an agenda item, a link-member report or nothing); unknown ids are 404. */
  const sourceOf = async (
    context: PanelContext,
    ids: { meetingId?: string | null; agendaItemId?: string | null; linkMemberReportId?: string | null },
  ): Promise<Source> => {
    const slug = context.body.slug;
    for (const id of [ids.meetingId, ids.agendaItemId, ids.linkMemberReportId]) if (id && !isUuid(id)) throw notFound();
    if (ids.agendaItemId) {
      const { item, meeting } = found(await repository.findAgendaItemOfPanel(db, context.panel.id, ids.agendaItemId));
      return {
        meetingId: meeting.id,
        agendaItemId: item.id,
        linkMemberReportId: null,
        origin: { label: 'meeting', date: meeting.heldOn },
        label: `${meeting.title}: ${item.title}`,
        url: `${paths.meeting(slug, meeting.id)}#item-${item.id}`,
      };
    }
    if (ids.meetingId) {
      const meeting = found(await repository.findMeeting(db, context.panel.id, ids.meetingId));
      return {
        meetingId: meeting.id,
        agendaItemId: null,
        linkMemberReportId: null,
        origin: { label: 'meeting', date: meeting.heldOn },
        label: meeting.title,
        url: paths.meeting(slug, meeting.id),
      };
    }
    if (ids.linkMemberReportId) {
      const report = found(await repository.findLinkMemberReport(db, context.panel.id, ids.linkMemberReportId));
      return {
        meetingId: null,
        agendaItemId: null,
        linkMemberReportId: report.id,
        origin: { label: 'event reported', date: report.eventOn },
        label: report.title,
        url: paths.linkMemberReport(slug, report.id),
      };
    }
    return { meetingId: null, agendaItemId: null, linkMemberReportId: null, origin: null, label: '', url: '' };
  };

  app.get(base, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.view');
    const user = signedInUser(request);
    const today = todayOf(services);
    const showOverdue = (request.query as { show?: string }).show === 'overdue';
    const [rows, people] = await Promise.all([repository.listActions(db, context.body.id), peopleOf(context.body.id)]);
    const canManage = can(user, 'scrutiny.manage', context.resource);
    const actions = rows.map((row) => {
      const a = row.action;
      const owner = { userId: a.ownerUserId, isOffice: people.some((p) => p.id === a.ownerUserId && p.isOffice) };
      const source = a.agendaItemId
        ? {
            label: `${row.meetingTitle}: ${row.itemTitle}`,
            url: `${paths.meeting(context.body.slug, a.meetingId ?? '')}#item-${a.agendaItemId}`,
          }
        : a.meetingId
          ? { label: row.meetingTitle, url: paths.meeting(context.body.slug, a.meetingId) }
          : a.linkMemberReportId
            ? { label: row.reportTitle, url: paths.linkMemberReport(context.body.slug, a.linkMemberReportId) }
            : null;
      return {
        ...a,
        ownerUserName: row.ownerUserName,
        statusLabel: actionStatusLabels[a.status],
        isOverdue: isOverdue(a, today),
        source,
        canUpdate: !canManage && can(user, 'action.update_progress', { ...context.resource, owner }),
      };
    });
    return reply.page('scrutiny/views/actions.njk', {
      ...context,
      actions: showOverdue ? actions.filter((a) => a.isOverdue) : actions,
      overdueCount: countOverdue(actions, today),
      total: actions.length,
      showOverdue,
      canManage,
    });
  });

  const formPage = async (
    reply: FastifyReply,
    context: PanelContext,
    page: { action: string; heading: string; source: Source; current?: repository.ScrutinyActionRow },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('scrutiny/views/action-form.njk', {
      ...context,
      ...page,
      people: await peopleOf(context.body.id),
      statuses,
      currentStatusLabel: page.current ? actionStatusLabels[page.current.status] : '',
      values,
      errors,
      errorList: errorSummary(errors, { dueOn: 'dueOn-day', completedOn: 'completedOn-day', status: 'status' }),
    });

  /** A chosen owner must be one of the body's people; their name fills a blank owner name. */
  const withOwner = async (
    context: PanelContext,
    values: Record<string, string>,
  ): Promise<{ values: Record<string, string>; errors: FieldErrors }> => {
    if (!values.ownerUserId) return { values, errors: {} };
    const person = (await peopleOf(context.body.id)).find((p) => p.id === values.ownerUserId);
    if (!person) return { values, errors: { ownerUserId: 'Select a person from the list' } };
    return { values: { ...values, ownerName: values.ownerName?.trim() ? values.ownerName : person.name }, errors: {} };
  };

  app.get(`${base}/new`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const query = request.query as { meeting?: string; item?: string; report?: string };
    const source = await sourceOf(context, { meetingId: query.meeting, agendaItemId: query.item, linkMemberReportId: query.report });
    return formPage(
      reply,
      context,
      { action: paths.newScrutinyAction(context.body.slug), heading: 'Add an action', source },
      {
        status: 'open',
        meetingId: source.meetingId ?? '',
        agendaItemId: source.agendaItemId ?? '',
        linkMemberReportId: source.linkMemberReportId ?? '',
      },
    );
  });

  app.post(`${base}/new`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const submitted = formValues(request.body);
    const source = await sourceOf(context, submitted);
    const page = { action: paths.newScrutinyAction(context.body.slug), heading: 'Add an action', source };
    const owner = await withOwner(context, submitted);
    const values = owner.values;
    const form = parseForm(actionFormSchema(todayOf(services), source.origin), values);
    if (!form.ok || Object.keys(owner.errors).length) {
      return formPage(reply.code(400), context, page, values, { ...owner.errors, ...(form.ok ? {} : form.errors) });
    }
    const result = await service.saveAction(context.change, form.value, source, null);
    if (!result.ok) throw notFound();
    request.session.flash = 'Action added.';
    return reply.redirect(source.url || paths.scrutinyActions(context.body.slug));
  });

  const actionFor = async (request: FastifyRequest, context: PanelContext) =>
    found(await repository.findAction(db, context.body.id, idParam(request, 'actionId')));

  const actionValues = (a: repository.ScrutinyActionRow): Record<string, string> => {
    const due = isoDateParts(a.dueOn);
    const done = isoDateParts(a.completedOn);
    return {
      description: a.description,
      ownerName: a.ownerName,
      ownerUserId: a.ownerUserId ?? '',
      'dueOn-day': due.day,
      'dueOn-month': due.month,
      'dueOn-year': due.year,
      status: a.status,
      'completedOn-day': done.day,
      'completedOn-month': done.month,
      'completedOn-year': done.year,
      update: a.update,
      version: String(a.version),
    };
  };

  app.get(`${base}/:actionId/edit`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const action = await actionFor(request, context);
    const source = await sourceOf(context, action);
    return formPage(
      reply,
      context,
      { action: paths.scrutinyActionPart(context.body.slug, action.id, 'edit'), heading: 'Change an action', source },
      actionValues(action),
    );
  });

  app.post(`${base}/:actionId/edit`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const action = await actionFor(request, context);
    const source = await sourceOf(context, action);
    const page = { action: paths.scrutinyActionPart(context.body.slug, action.id, 'edit'), heading: 'Change an action', source };
    const owner = await withOwner(context, formValues(request.body));
    const values = owner.values;
    const form = parseForm(actionFormSchema(todayOf(services), source.origin), values);
    if (!form.ok || Object.keys(owner.errors).length) {
      return formPage(reply.code(400), context, page, values, { ...owner.errors, ...(form.ok ? {} : form.errors) });
    }
    const result = await service.saveAction(context.change, form.value, source, { row: action, version: versionOf(values) });
    return finishFormSave(
      request,
      reply,
      result,
      { flash: 'Changes saved.', to: paths.scrutinyActions(context.body.slug) },
      { render: formPage, context, page, values },
    );
  });

  // Progress: the owner in the commissioner's office reports on their own action.
  const progressPage = (
    reply: FastifyReply,
    context: PanelContext,
    page: { action: repository.ScrutinyActionRow; source: Source; current?: repository.ScrutinyActionRow },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('scrutiny/views/action-progress-form.njk', {
      ...context,
      ...page,
      formAction: paths.scrutinyActionPart(context.body.slug, page.action.id, 'progress'),
      statuses,
      currentStatusLabel: page.current ? actionStatusLabels[page.current.status] : '',
      values,
      errors,
      errorList: errorSummary(errors, { completedOn: 'completedOn-day', status: 'status' }),
    });

  const progressFor = async (request: FastifyRequest) => {
    const context = await panelFor(services, request, 'action.update_progress');
    const action = await actionFor(request, context);
    authorise(can(signedInUser(request), 'action.update_progress', { ...context.resource, owner: await ownerOf(context, action) }));
    return { context, action, source: await sourceOf(context, action) };
  };

  app.get(`${base}/:actionId/progress`, async (request, reply) => {
    const { context, action, source } = await progressFor(request);
    return progressPage(reply, context, { action, source }, actionValues(action));
  });

  app.post(`${base}/:actionId/progress`, async (request, reply) => {
    const { context, action, source } = await progressFor(request);
    const values = formValues(request.body);
    const page = { action, source };
    const form = parseForm(actionProgressFormSchema(todayOf(services), source.origin), values);
    if (!form.ok) return progressPage(reply.code(400), context, page, values, form.errors);
    const result = await service.updateActionProgress(context.change, { row: action, version: versionOf(values) }, form.value);
    return finishFormSave(
      request,
      reply,
      result,
      { flash: 'Progress saved.', to: paths.scrutinyActions(context.body.slug) },
      { render: progressPage, context, page, values },
    );
  });
}
