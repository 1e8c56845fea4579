import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { signedInUser } from '../../platform/http/guards.ts';
import { isoDateParts } from '../../shared/dates.ts';
import { paths } from '../../shared/paths.ts';
import { actionStatusLabels } from './domain/labels.ts';
import { isOverdue, listLines } from './domain/rules.ts';
import { finishFormSave, found, idParam, panelFor, todayOf, type PanelContext } from './scrutiny-context.ts';
import { can } from './scrutiny.permissions.ts';
import * as repository from './scrutiny.repository.ts';
import { linkMemberReportFormSchema, versionOf, type LinkMemberReportInput } from './scrutiny.schemas.ts';
import * as service from './scrutiny.service.ts';

/** Link-member reports: what a member saw at an event for the panel, its highlights and next steps (seed 000). */
export async function reportsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.database.db;
  const base = '/bodies/:slug/scrutiny/link-member-reports';

  app.get(base, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.view');
    return reply.page('scrutiny/views/reports.njk', {
      ...context,
      reports: await repository.listLinkMemberReports(db, context.panel.id),
      canWrite: can(signedInUser(request), 'link_report.write', context.resource),
    });
  });

  const formPage = async (
    reply: FastifyReply,
    context: PanelContext,
    page: { action: string; heading: string; report?: repository.LinkMemberReport; current?: repository.LinkMemberReport },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) => {
    const [members, meetings] = await Promise.all([
      repository.listPanelMembers(db, context.panel.id),
      repository.listMeetings(db, context.panel.id),
    ]);
    return reply.page('scrutiny/views/report-form.njk', {
      ...context,
      ...page,
      members,
      meetings,
      values,
      errors,
      errorList: errorSummary(errors, { eventOn: 'eventOn-day' }),
      currentMemberName: page.current ? members.find((m) => m.id === page.current!.panelMemberId)?.name : '',
    });
  };

  /** The member and meeting named must be this panel's. */
  const checkLinks = async (context: PanelContext, input: LinkMemberReportInput): Promise<FieldErrors> => {
    const errors: FieldErrors = {};
    if (!(await repository.findPanelMember(db, context.panel.id, input.panelMemberId))) errors.panelMemberId = 'Select the link member';
    if (input.meetingId && !(await repository.findMeeting(db, context.panel.id, input.meetingId)))
      errors.meetingId = 'Select a meeting from the list';
    return errors;
  };

  app.get(`${base}/new`, async (request, reply) => {
    const context = await panelFor(services, request, 'link_report.write');
    return formPage(reply, context, { action: paths.newLinkMemberReport(context.body.slug), heading: 'Add a link-member report' }, {});
  });

  app.post(`${base}/new`, async (request, reply) => {
    const context = await panelFor(services, request, 'link_report.write');
    const values = formValues(request.body);
    const page = { action: paths.newLinkMemberReport(context.body.slug), heading: 'Add a link-member report' };
    const form = parseForm(linkMemberReportFormSchema(todayOf(services)), values);
    if (!form.ok) return formPage(reply.code(400), context, page, values, form.errors);
    const linkErrors = await checkLinks(context, form.value);
    if (Object.keys(linkErrors).length) return formPage(reply.code(400), context, page, values, linkErrors);
    const result = await service.saveLinkMemberReport(context.change, form.value, null);
    if (!result.ok) throw notFound();
    request.session.flash = `${result.value.title} has been added.`;
    return reply.redirect(paths.linkMemberReport(context.body.slug, result.value.id));
  });

  const reportFor = async (request: FastifyRequest, context: PanelContext) =>
    found(await repository.findLinkMemberReport(db, context.panel.id, idParam(request, 'reportId')));

  app.get(`${base}/:reportId`, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.view');
    const report = await reportFor(request, context);
    const user = signedInUser(request);
    const today = todayOf(services);
    const [member, meeting, actions] = await Promise.all([
      repository.findPanelMember(db, context.panel.id, report.panelMemberId),
      report.meetingId ? repository.findMeeting(db, context.panel.id, report.meetingId) : undefined,
      repository.listActions(db, context.body.id),
    ]);
    return reply.page('scrutiny/views/report.njk', {
      ...context,
      report,
      member,
      meeting,
      highlights: listLines(report.highlights),
      nextSteps: listLines(report.nextSteps),
      actions: actions
        .filter((a) => a.action.linkMemberReportId === report.id)
        .map((a) => ({
          ...a.action,
          ownerUserName: a.ownerUserName,
          statusLabel: actionStatusLabels[a.action.status],
          isOverdue: isOverdue(a.action, today),
        })),
      canWrite: can(user, 'link_report.write', context.resource),
      canManage: can(user, 'scrutiny.manage', context.resource),
    });
  });

  const reportValues = (r: repository.LinkMemberReport): Record<string, string> => {
    const on = isoDateParts(r.eventOn);
    return {
      panelMemberId: r.panelMemberId,
      title: r.title,
      'eventOn-day': on.day,
      'eventOn-month': on.month,
      'eventOn-year': on.year,
      meetingId: r.meetingId ?? '',
      highlights: r.highlights,
      nextSteps: r.nextSteps,
      version: String(r.version),
    };
  };

  app.get(`${base}/:reportId/edit`, async (request, reply) => {
    const context = await panelFor(services, request, 'link_report.write');
    const report = await reportFor(request, context);
    return formPage(
      reply,
      context,
      { action: `${paths.linkMemberReport(context.body.slug, report.id)}/edit`, heading: `Change ${report.title}`, report },
      reportValues(report),
    );
  });

  app.post(`${base}/:reportId/edit`, async (request, reply) => {
    const context = await panelFor(services, request, 'link_report.write');
    const report = await reportFor(request, context);
    const values = formValues(request.body);
    const page = { action: `${paths.linkMemberReport(context.body.slug, report.id)}/edit`, heading: `Change ${report.title}`, report };
    const form = parseForm(linkMemberReportFormSchema(todayOf(services)), values);
    if (!form.ok) return formPage(reply.code(400), context, page, values, form.errors);
    const linkErrors = await checkLinks(context, form.value);
    if (Object.keys(linkErrors).length) return formPage(reply.code(400), context, page, values, linkErrors);
    const result = await service.saveLinkMemberReport(context.change, form.value, { row: report, version: versionOf(values) });
    return finishFormSave(
      request,
      reply,
      result,
      { flash: 'Changes saved.', to: paths.linkMemberReport(context.body.slug, report.id) },
      { render: formPage, context, page, values },
    );
  });
}
