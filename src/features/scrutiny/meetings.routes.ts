import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { signedInUser } from '../../platform/http/guards.ts';
import { isoDateParts } from '../../shared/dates.ts';
import { paths } from '../../shared/paths.ts';
import { isSharedBeyondOffice } from '../lifecycle/index.ts';
import { attendanceLabels, documentTypeLabels, meetingKindLabels, actionStatusLabels } from './domain/labels.ts';
import { isMemberOn, isOverdue } from './domain/rules.ts';
import { conflictMessage, finishFormSave, finishSave, found, idParam, panelFor, todayOf, type PanelContext } from './scrutiny-context.ts';
import { can } from './scrutiny.permissions.ts';
import * as repository from './scrutiny.repository.ts';
import {
  agendaItemFormSchema,
  meetingFormSchema,
  minutesFormSchema,
  parseAttendance,
  resolutionFormSchema,
  versionOf,
  voteKindOf,
} from './scrutiny.schemas.ts';
import * as service from './scrutiny.service.ts';

/** How a resolution was agreed, in words. */
export function voteText(r: repository.Resolution): string {
  const kind = voteKindOf(r);
  if (kind === 'without_vote') return 'Agreed without a vote';
  const counts = [
    r.votesFor !== null ? `${r.votesFor} for` : '',
    r.votesAgainst !== null && (kind === 'counted' || r.votesAgainst > 0) ? `${r.votesAgainst} against` : '',
    r.abstentions !== null && (kind === 'counted' || r.abstentions > 0)
      ? `${r.abstentions} ${r.abstentions === 1 ? 'abstention' : 'abstentions'}`
      : '',
  ].filter(Boolean);
  if (kind === 'unanimous') return counts.length ? `Unanimous (${counts.join(', ')})` : 'Unanimous';
  return counts.join(', ');
}

export const sizeText = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Meetings, their attendance, agenda items, minutes, linked measures and resolutions. */
export async function meetingsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.database.db;
  const base = '/bodies/:slug/scrutiny/meetings';
  const itemBase = `${base}/:meetingId/items/:itemId`;

  const meetingFor = async (request: FastifyRequest, context: PanelContext) =>
    found(await repository.findMeeting(db, context.panel.id, idParam(request, 'meetingId')));
  const itemFor = async (request: FastifyRequest, meeting: repository.Meeting) =>
    found(await repository.findAgendaItem(db, meeting.id, idParam(request, 'itemId')));
  /** The panel, meeting and agenda item in the URL, for someone who may manage the panel. */
  const managedItem = async (request: FastifyRequest) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const meeting = await meetingFor(request, context);
    return { context, meeting, item: await itemFor(request, meeting) };
  };
  /** The agenda item on its meeting's page. */
  const itemUrl = (context: PanelContext, meeting: repository.Meeting, item: { id: string }) =>
    `${paths.meeting(context.body.slug, meeting.id)}#item-${item.id}`;

  /** Editions the panel may be shown: those shared beyond the commissioner's office (s.5(6)(c)). */
  const editionsFor = async (context: PanelContext) =>
    (await repository.listEditionsOfBody(db, context.body.id))
      .filter((e) => isSharedBeyondOffice(e))
      .map((e) => ({ ...e, text: `${e.planTitle}: ${e.label}` }));

  app.get(base, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.view');
    const today = todayOf(services);
    const meetings = (await repository.listMeetings(db, context.panel.id)).map((m) => ({ ...m, kindLabel: meetingKindLabels[m.kind] }));
    return reply.page('scrutiny/views/meetings.njk', {
      ...context,
      upcoming: meetings.filter((m) => m.heldOn >= today).reverse(),
      past: meetings.filter((m) => m.heldOn < today),
      canManage: can(signedInUser(request), 'scrutiny.manage', context.resource),
    });
  });

  const meetingFormPage = (
    reply: FastifyReply,
    context: PanelContext,
    page: { action: string; heading: string; meeting?: repository.Meeting; current?: repository.Meeting },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('scrutiny/views/meeting-form.njk', {
      ...context,
      ...page,
      kinds: Object.entries(meetingKindLabels).map(([value, text]) => ({ value, text })),
      values,
      errors,
      errorList: errorSummary(errors, { kind: 'kind', heldOn: 'heldOn-day' }),
      currentKindLabel: page.current ? meetingKindLabels[page.current.kind] : '',
    });

  app.get(`${base}/new`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    return meetingFormPage(reply, context, { action: paths.newMeeting(context.body.slug), heading: 'Add a meeting' }, {});
  });

  app.post(`${base}/new`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const values = formValues(request.body);
    const page = { action: paths.newMeeting(context.body.slug), heading: 'Add a meeting' };
    const form = parseForm(meetingFormSchema, values);
    if (!form.ok) return meetingFormPage(reply.code(400), context, page, values, form.errors);
    const result = await service.saveMeeting(context.change, form.value, null);
    if (!result.ok) throw notFound();
    request.session.flash = `${result.value.title} has been added.`;
    return reply.redirect(paths.meeting(context.body.slug, result.value.id));
  });

  app.get(`${base}/:meetingId`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.view');
    const meeting = await meetingFor(request, context);
    const user = signedInUser(request);
    const today = todayOf(services);
    const [attendance, items, editions, actions, reports] = await Promise.all([
      repository.listAttendance(db, meeting.id),
      repository.listAgendaItems(db, meeting.id),
      repository.listEditionsOfBody(db, context.body.id),
      repository.listActions(db, context.body.id),
      repository.listLinkMemberReports(db, context.panel.id),
    ]);
    const itemIds = items.map((i) => i.id);
    const [documents, resolutions, links] = await Promise.all([
      repository.listDocuments(db, itemIds),
      repository.listResolutions(db, itemIds),
      repository.listItemMeasures(db, itemIds),
    ]);
    const measureNames = new Map<string, string>();
    for (const editionId of new Set(items.map((i) => i.editionId).filter((id): id is string => id !== null))) {
      for (const m of await repository.listMeasuresOfEdition(db, editionId)) measureNames.set(`${editionId}:${m.lineageId}`, m.name);
    }
    const actionView = (a: (typeof actions)[number]) => ({
      ...a.action,
      statusLabel: actionStatusLabels[a.action.status],
      isOverdue: isOverdue(a.action, today),
      ownerUserName: a.ownerUserName,
    });
    return reply.page('scrutiny/views/meeting.njk', {
      ...context,
      meeting: { ...meeting, kindLabel: meetingKindLabels[meeting.kind] },
      attendance: attendance.map((a) => ({ ...a, label: attendanceLabels[a.attendance] })),
      declarations: attendance.filter((a) => a.declarationOfInterest),
      items: items.map((item, index) => {
        const edition = editions.find((e) => e.id === item.editionId);
        return {
          ...item,
          isFirst: index === 0,
          isLast: index === items.length - 1,
          edition: edition && { ...edition, url: paths.edition(context.body.slug, edition.planId, edition.number) },
          measures: links
            .filter((l) => l.agendaItemId === item.id)
            .map((l) => measureNames.get(`${item.editionId}:${l.measureLineageId}`) ?? 'A measure not in this edition'),
          documents: documents
            .filter((d) => d.agendaItemId === item.id)
            .map((d) => ({
              ...d,
              typeLabel: documentTypeLabels[d.mediaType],
              size: sizeText(d.sizeBytes),
              url: paths.agendaDocument(context.body.slug, d.id),
            })),
          resolutions: resolutions.filter((r) => r.agendaItemId === item.id).map((r) => ({ ...r, voteText: voteText(r) })),
          actions: actions.filter((a) => a.action.agendaItemId === item.id).map(actionView),
          url: (part: string) => paths.agendaItemPart(context.body.slug, meeting.id, item.id, part),
        };
      }),
      meetingActions: actions.filter((a) => a.action.meetingId === meeting.id && !a.action.agendaItemId).map(actionView),
      reports: reports.filter((r) => r.report.meetingId === meeting.id),
      canManage: can(user, 'scrutiny.manage', context.resource),
    });
  });

  const meetingValues = (m: repository.Meeting): Record<string, string> => {
    const held = isoDateParts(m.heldOn);
    return {
      kind: m.kind,
      title: m.title,
      'heldOn-day': held.day,
      'heldOn-month': held.month,
      'heldOn-year': held.year,
      startsAt: m.startsAt,
      place: m.place,
      onlineLink: m.onlineLink ?? '',
      version: String(m.version),
    };
  };

  app.get(`${base}/:meetingId/edit`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const meeting = await meetingFor(request, context);
    return meetingFormPage(
      reply,
      context,
      { action: paths.meetingPart(context.body.slug, meeting.id, 'edit'), heading: `Change ${meeting.title}`, meeting },
      meetingValues(meeting),
    );
  });

  app.post(`${base}/:meetingId/edit`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const meeting = await meetingFor(request, context);
    const values = formValues(request.body);
    const page = { action: paths.meetingPart(context.body.slug, meeting.id, 'edit'), heading: `Change ${meeting.title}`, meeting };
    const form = parseForm(meetingFormSchema, values);
    if (!form.ok) return meetingFormPage(reply.code(400), context, page, values, form.errors);
    const result = await service.saveMeeting(context.change, form.value, { row: meeting, version: versionOf(values) });
    return finishFormSave(
      request,
      reply,
      result,
      { flash: 'Changes saved.', to: paths.meeting(context.body.slug, meeting.id) },
      { render: meetingFormPage, context, page, values },
    );
  });

  // Attendance and declarations of interest.
  const attendancePage = async (
    reply: FastifyReply,
    context: PanelContext,
    meeting: repository.Meeting,
    values: Record<string, string> | null,
    errors: FieldErrors = {},
    conflict = false,
  ) => {
    const [members, recorded] = await Promise.all([
      repository.listPanelMembers(db, context.panel.id),
      repository.listAttendance(db, meeting.id),
    ]);
    // Members on the panel that day, and anyone already recorded (a membership may since have been corrected).
    const shown = members.filter((m) => isMemberOn(m, meeting.heldOn) || recorded.some((r) => r.panelMemberId === m.id));
    const formValues =
      values ??
      Object.fromEntries([
        ...recorded.flatMap((r) => [
          [`attendance-${r.panelMemberId}`, r.attendance],
          [`declaration-${r.panelMemberId}`, r.declarationOfInterest],
        ]),
        ['version', String(meeting.version)],
      ]);
    return reply.page('scrutiny/views/attendance-form.njk', {
      ...context,
      meeting,
      members: shown,
      options: Object.entries(attendanceLabels).map(([value, text]) => ({ value, text })),
      values: formValues,
      errors,
      errorList: errorSummary(errors, Object.fromEntries(shown.map((m) => [`attendance-${m.id}`, `attendance-${m.id}`]))),
      conflict,
    });
  };

  app.get(`${base}/:meetingId/attendance`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const meeting = await meetingFor(request, context);
    return attendancePage(reply, context, meeting, null);
  });

  app.post(`${base}/:meetingId/attendance`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const meeting = await meetingFor(request, context);
    const values = formValues(request.body);
    const members = await repository.listPanelMembers(db, context.panel.id);
    const recorded = await repository.listAttendance(db, meeting.id);
    const allowed = members.filter((m) => isMemberOn(m, meeting.heldOn) || recorded.some((r) => r.panelMemberId === m.id)).map((m) => m.id);
    const form = parseAttendance(values, allowed);
    if (!form.ok) return attendancePage(reply.code(400), context, meeting, values, form.errors);
    const result = await service.recordAttendance(context.change, meeting, versionOf(values), form.value);
    return finishSave(request, reply, result, { flash: 'Attendance saved.', to: paths.meeting(context.body.slug, meeting.id) }, (current) =>
      attendancePage(reply.code(409), context, current, null, { form: conflictMessage }, true),
    );
  });

  // Agenda items.
  const itemFormPage = async (
    reply: FastifyReply,
    context: PanelContext,
    page: { meeting: repository.Meeting; action: string; heading: string; current?: repository.AgendaItem },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('scrutiny/views/item-form.njk', {
      ...context,
      ...page,
      editions: await editionsFor(context),
      values,
      errors,
      errorList: errorSummary(errors),
    });

  const checkEdition = async (context: PanelContext, editionId: string | null): Promise<FieldErrors> =>
    editionId && !(await editionsFor(context)).some((e) => e.id === editionId) ? { editionId: 'Select a plan edition from the list' } : {};

  app.get(`${base}/:meetingId/items/new`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const meeting = await meetingFor(request, context);
    return itemFormPage(
      reply,
      context,
      { meeting, action: paths.meetingPart(context.body.slug, meeting.id, 'items/new'), heading: 'Add an agenda item' },
      {},
    );
  });

  app.post(`${base}/:meetingId/items/new`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const meeting = await meetingFor(request, context);
    const values = formValues(request.body);
    const page = { meeting, action: paths.meetingPart(context.body.slug, meeting.id, 'items/new'), heading: 'Add an agenda item' };
    const form = parseForm(agendaItemFormSchema, values);
    if (!form.ok) return itemFormPage(reply.code(400), context, page, values, form.errors);
    const editionErrors = await checkEdition(context, form.value.editionId);
    if (Object.keys(editionErrors).length) return itemFormPage(reply.code(400), context, page, values, editionErrors);
    const result = await service.saveAgendaItem(context.change, meeting, form.value, null);
    if (!result.ok) throw notFound();
    request.session.flash = `${result.value.title} has been added to the agenda.`;
    return reply.redirect(itemUrl(context, meeting, result.value));
  });

  app.get(`${itemBase}/edit`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    return itemFormPage(
      reply,
      context,
      { meeting, action: paths.agendaItemPart(context.body.slug, meeting.id, item.id, 'edit'), heading: `Change ${item.title}` },
      { title: item.title, purpose: item.purpose, editionId: item.editionId ?? '', version: String(item.version) },
    );
  });

  app.post(`${itemBase}/edit`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    const values = formValues(request.body);
    const page = { meeting, action: paths.agendaItemPart(context.body.slug, meeting.id, item.id, 'edit'), heading: `Change ${item.title}` };
    const form = parseForm(agendaItemFormSchema, values);
    if (!form.ok) return itemFormPage(reply.code(400), context, page, values, form.errors);
    // An edition already linked stays selectable, even if it would not be offered today.
    const editionErrors = form.value.editionId === item.editionId ? {} : await checkEdition(context, form.value.editionId);
    if (Object.keys(editionErrors).length) return itemFormPage(reply.code(400), context, page, values, editionErrors);
    const result = await service.saveAgendaItem(context.change, meeting, form.value, { row: item, version: versionOf(values) });
    return finishFormSave(
      request,
      reply,
      result,
      { flash: 'Changes saved.', to: itemUrl(context, meeting, item) },
      { render: itemFormPage, context, page, values },
    );
  });

  app.post(`${itemBase}/move`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    const direction = formValues(request.body).direction;
    if (direction !== 'up' && direction !== 'down') throw notFound();
    await service.moveAgendaItem(context.change, meeting, item.id, direction);
    return reply.redirect(itemUrl(context, meeting, item));
  });

  // Measures the item reports on, from the edition it is linked to.
  const measuresPage = async (
    reply: FastifyReply,
    context: PanelContext,
    meeting: repository.Meeting,
    item: repository.AgendaItem,
    selected: readonly string[],
    version: number,
    errors: FieldErrors = {},
  ) => {
    const edition = (await repository.listEditionsOfBody(db, context.body.id)).find((e) => e.id === item.editionId);
    return reply.page('scrutiny/views/item-measures.njk', {
      ...context,
      meeting,
      item,
      edition,
      measures: item.editionId ? await repository.listMeasuresOfEdition(db, item.editionId) : [],
      selected,
      version,
      errors,
      errorList: errorSummary(errors),
    });
  };

  app.get(`${itemBase}/measures`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    const selected = (await repository.listItemMeasures(db, [item.id])).map((m) => m.measureLineageId);
    return measuresPage(reply, context, meeting, item, selected, item.version);
  });

  app.post(`${itemBase}/measures`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    if (!item.editionId) throw notFound();
    const raw = (request.body ?? {}) as Record<string, string | string[] | undefined>;
    const chosen = [raw.measures ?? []].flat().filter((v) => v !== '');
    const known = new Set((await repository.listMeasuresOfEdition(db, item.editionId)).map((m) => m.lineageId));
    const version = versionOf(formValues(request.body));
    if (chosen.some((id) => !known.has(id))) {
      return measuresPage(
        reply.code(400),
        context,
        meeting,
        item,
        chosen.filter((id) => known.has(id)),
        version,
        {
          measures: 'Select measures from the list',
        },
      );
    }
    const result = await service.saveItemMeasures(context.change, meeting, item, version, [...new Set(chosen)]);
    return finishSave(request, reply, result, { flash: 'Measures saved.', to: itemUrl(context, meeting, item) }, async (current) => {
      const saved = (await repository.listItemMeasures(db, [item.id])).map((m) => m.measureLineageId);
      return measuresPage(reply.code(409), context, meeting, current, saved, current.version, {
        form: 'Someone else changed this agenda item while you were choosing. The measures now linked are ticked. Check them, then save again.',
      });
    });
  });

  // Minutes.
  const minutesPage = (
    reply: FastifyReply,
    context: PanelContext,
    page: { meeting: repository.Meeting; item: repository.AgendaItem; current?: repository.AgendaItem },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) => reply.page('scrutiny/views/minutes-form.njk', { ...context, ...page, values, errors, errorList: errorSummary(errors) });

  app.get(`${itemBase}/minutes`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    return minutesPage(reply, context, { meeting, item }, { minutes: item.minutes, version: String(item.version) });
  });

  app.post(`${itemBase}/minutes`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    const values = formValues(request.body);
    const page = { meeting, item };
    const form = parseForm(minutesFormSchema, values);
    if (!form.ok) return minutesPage(reply.code(400), context, page, values, form.errors);
    const result = await service.saveMinutes(context.change, meeting, item, versionOf(values), form.value.minutes);
    return finishFormSave(
      request,
      reply,
      result,
      { flash: 'Minutes saved.', to: itemUrl(context, meeting, item) },
      { render: minutesPage, context, page, values },
    );
  });

  // Resolutions.
  const resolutionFormPage = (
    reply: FastifyReply,
    context: PanelContext,
    page: { meeting: repository.Meeting; item: repository.AgendaItem; action: string; heading: string; current?: repository.Resolution },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('scrutiny/views/resolution-form.njk', {
      ...context,
      ...page,
      currentVote: page.current ? voteText(page.current) : '',
      values,
      errors,
      errorList: errorSummary(errors, { voteKind: 'voteKind', isEndorsement: 'isEndorsement' }),
    });

  app.get(`${itemBase}/resolutions/new`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    return resolutionFormPage(
      reply,
      context,
      {
        meeting,
        item,
        action: paths.agendaItemPart(context.body.slug, meeting.id, item.id, 'resolutions/new'),
        heading: 'Record a resolution',
      },
      {},
    );
  });

  app.post(`${itemBase}/resolutions/new`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    const values = formValues(request.body);
    const page = {
      meeting,
      item,
      action: paths.agendaItemPart(context.body.slug, meeting.id, item.id, 'resolutions/new'),
      heading: 'Record a resolution',
    };
    const form = parseForm(resolutionFormSchema, values);
    if (!form.ok) return resolutionFormPage(reply.code(400), context, page, values, form.errors);
    const result = await service.saveResolution(context.change, item, form.value, null);
    if (!result.ok) throw notFound();
    request.session.flash = 'Resolution recorded.';
    return reply.redirect(itemUrl(context, meeting, item));
  });

  const resolutionValues = (r: repository.Resolution): Record<string, string> => ({
    text: r.text,
    voteKind: voteKindOf(r),
    votesFor: r.votesFor === null ? '' : String(r.votesFor),
    votesAgainst: r.votesAgainst === null ? '' : String(r.votesAgainst),
    abstentions: r.abstentions === null ? '' : String(r.abstentions),
    isEndorsement: r.isEndorsement ? 'yes' : '',
    version: String(r.version),
  });

  app.get(`${itemBase}/resolutions/:resolutionId/edit`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    const resolution = found(await repository.findResolution(db, item.id, idParam(request, 'resolutionId')));
    return resolutionFormPage(
      reply,
      context,
      {
        meeting,
        item,
        action: paths.agendaItemPart(context.body.slug, meeting.id, item.id, `resolutions/${resolution.id}/edit`),
        heading: 'Change a resolution',
      },
      resolutionValues(resolution),
    );
  });

  app.post(`${itemBase}/resolutions/:resolutionId/edit`, async (request, reply) => {
    const { context, meeting, item } = await managedItem(request);
    const resolution = found(await repository.findResolution(db, item.id, idParam(request, 'resolutionId')));
    const values = formValues(request.body);
    const page = {
      meeting,
      item,
      action: paths.agendaItemPart(context.body.slug, meeting.id, item.id, `resolutions/${resolution.id}/edit`),
      heading: 'Change a resolution',
    };
    const form = parseForm(resolutionFormSchema, values);
    if (!form.ok) return resolutionFormPage(reply.code(400), context, page, values, form.errors);
    const result = await service.saveResolution(context.change, item, form.value, { row: resolution, version: versionOf(values) });
    return finishFormSave(
      request,
      reply,
      result,
      { flash: 'Changes saved.', to: itemUrl(context, meeting, item) },
      { render: resolutionFormPage, context, page, values },
    );
  });
}
