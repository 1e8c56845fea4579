import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, requireSignedIn, signedInUser } from '../../platform/http/guards.ts';
import { isoDateParts } from '../../shared/dates.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, findScrutinyBodyOf } from '../organisations/index.ts';
import { actionsRoutes } from './actions.routes.ts';
import { documentsRoutes } from './documents.routes.ts';
import { panelMemberKindLabels, panelMemberRoleLabels } from './domain/labels.ts';
import { countOverdue, isFormerMember } from './domain/rules.ts';
import { meetingsRoutes } from './meetings.routes.ts';
import { recommendationsRoutes } from './recommendations.routes.ts';
import { reportsRoutes } from './reports.routes.ts';
import { finishFormSave, found, idParam, panelFor, todayOf, type PanelContext } from './scrutiny-context.ts';
import { can } from './scrutiny.permissions.ts';
import * as repository from './scrutiny.repository.ts';
import { panelMemberFormSchema, versionOf } from './scrutiny.schemas.ts';
import * as service from './scrutiny.service.ts';

type Options = { services: Services };

/**
 * Police and Crime Panel scrutiny (PRSRA 2011 s.28, Sch.6): the panel's members, its meetings
 * with their agenda, documents, minutes and resolutions, link-member reports and actions.
 */
export async function scrutinyRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  const db = services.database.db;
  app.addHook('preHandler', requireSignedIn);

  app.get('/bodies/:slug/scrutiny', async (request, reply) => {
    const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
    if (!body) throw notFound();
    const panel = await findScrutinyBodyOf(db, body.id);
    const user = signedInUser(request);
    authorise(can(user, 'scrutiny.view', { policingBodyId: body.id, scrutinyBodyId: panel?.id ?? null }));
    if (!panel) return reply.page('scrutiny/views/home.njk', { body, panel });
    const today = todayOf(services);
    const [members, meetings, reports, actions] = await Promise.all([
      repository.listPanelMembers(db, panel.id),
      repository.listMeetings(db, panel.id),
      repository.listLinkMemberReports(db, panel.id),
      repository.listActions(db, body.id),
    ]);
    const resource = { policingBodyId: body.id, scrutinyBodyId: panel.id };
    return reply.page('scrutiny/views/home.njk', {
      body,
      panel,
      counts: {
        members: members.filter((m) => !isFormerMember(m, today)).length,
        meetings: meetings.length,
        upcoming: meetings.filter((m) => m.heldOn >= today).length,
        reports: reports.length,
        openActions: actions.filter((a) => a.action.status === 'open' || a.action.status === 'in_progress').length,
        overdue: countOverdue(
          actions.map((a) => a.action),
          today,
        ),
      },
      canManage: can(user, 'scrutiny.manage', resource),
    });
  });

  // Panel members.
  app.get('/bodies/:slug/scrutiny/members', async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.view');
    const today = todayOf(services);
    const members = (await repository.listPanelMembers(db, context.panel.id)).map((m) => ({
      ...m,
      kindLabel: panelMemberKindLabels[m.kind],
      roleLabel: panelMemberRoleLabels[m.role],
      themes: m.linkThemes
        .split(/\r?\n/)
        .map((t) => t.trim())
        .filter(Boolean),
    }));
    return reply.page('scrutiny/views/members.njk', {
      ...context,
      current: members.filter((m) => !isFormerMember(m, today)),
      former: members.filter((m) => isFormerMember(m, today)),
      canManage: can(signedInUser(request), 'scrutiny.manage', context.resource),
    });
  });

  const memberFormPage = (
    reply: FastifyReply,
    context: PanelContext,
    page: { action: string; heading: string; current?: repository.PanelMember },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('scrutiny/views/member-form.njk', {
      ...context,
      ...page,
      kinds: Object.entries(panelMemberKindLabels).map(([value, text]) => ({ value, text })),
      roles: Object.entries(panelMemberRoleLabels).map(([value, text]) => ({ value, text })),
      values,
      errors,
      errorList: errorSummary(errors, { kind: 'kind', role: 'role', startsOn: 'startsOn-day', endsOn: 'endsOn-day' }),
      current: page.current && { ...page.current, roleLabel: panelMemberRoleLabels[page.current.role] },
    });

  const memberValues = (m: repository.PanelMember): Record<string, string> => {
    const starts = isoDateParts(m.startsOn);
    const ends = isoDateParts(m.endsOn);
    return {
      name: m.name,
      kind: m.kind,
      council: m.council,
      party: m.party,
      role: m.role,
      linkThemes: m.linkThemes,
      email: m.email ?? '',
      'startsOn-day': starts.day,
      'startsOn-month': starts.month,
      'startsOn-year': starts.year,
      'endsOn-day': ends.day,
      'endsOn-month': ends.month,
      'endsOn-year': ends.year,
      version: String(m.version),
    };
  };

  app.get('/bodies/:slug/scrutiny/members/new', async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    return memberFormPage(
      reply,
      context,
      { action: paths.newPanelMember(context.body.slug), heading: 'Add a panel member' },
      { role: 'member' },
    );
  });

  app.post('/bodies/:slug/scrutiny/members/new', async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const values = formValues(request.body);
    const page = { action: paths.newPanelMember(context.body.slug), heading: 'Add a panel member' };
    const form = parseForm(panelMemberFormSchema, values);
    if (!form.ok) return memberFormPage(reply.code(400), context, page, values, form.errors);
    const result = await service.savePanelMember(context.change, form.value, null);
    if (!result.ok) throw notFound();
    request.session.flash = `${result.value.name} has been added to the panel.`;
    return reply.redirect(paths.panelMembers(context.body.slug));
  });

  const memberFor = async (request: FastifyRequest, context: PanelContext) =>
    found(await repository.findPanelMember(db, context.panel.id, idParam(request, 'memberId')));

  app.get('/bodies/:slug/scrutiny/members/:memberId/edit', async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const member = await memberFor(request, context);
    return memberFormPage(
      reply,
      context,
      { action: paths.editPanelMember(context.body.slug, member.id), heading: `Change ${member.name}` },
      memberValues(member),
    );
  });

  app.post('/bodies/:slug/scrutiny/members/:memberId/edit', async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const member = await memberFor(request, context);
    const values = formValues(request.body);
    const page = { action: paths.editPanelMember(context.body.slug, member.id), heading: `Change ${member.name}` };
    const form = parseForm(panelMemberFormSchema, values);
    if (!form.ok) return memberFormPage(reply.code(400), context, page, values, form.errors);
    const result = await service.savePanelMember(context.change, form.value, { row: member, version: versionOf(values) });
    return finishFormSave(
      request,
      reply,
      result,
      { flash: 'Changes saved.', to: paths.panelMembers(context.body.slug) },
      { render: memberFormPage, context, page, values },
    );
  });

  await meetingsRoutes(app, services);
  await app.register(async (scope) => documentsRoutes(scope, services));
  await reportsRoutes(app, services);
  await actionsRoutes(app, services);
  await recommendationsRoutes(app, services);
}
