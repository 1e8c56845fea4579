import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, requireSignedIn, signedInUser } from '../../platform/http/guards.ts';
import { isoDateParts } from '../../shared/dates.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { defaultHolderTitles, partnerKindLabels, policingBodyKindLabels, scrutinyBodyKindLabels } from './domain/labels.ts';
import { can, type OrganisationAction } from './organisations.permissions.ts';
import * as repository from './organisations.repository.ts';
import { bodyFormSchema, partnerFormSchema, scrutinyBodyFormSchema, versionOf } from './organisations.schemas.ts';
import * as service from './organisations.service.ts';

type Options = { services: Services };

const conflictMessage =
  'Someone else saved changes to this while you were editing. Their version is shown under “Saved by someone else”. Check your answers, then save again.';

/** Policing bodies, their scrutiny body (the panel) and partner organisations. */
export async function organisationsRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  const db = services.database.db;

  /** Finds the body named in the URL and checks the user may do `action` to it. */
  const bodyFor = async (request: FastifyRequest, action: OrganisationAction) => {
    const body = await repository.findBodyBySlug(db, (request.params as { slug: string }).slug);
    if (!body) throw notFound();
    const panel = await repository.findScrutinyBodyOf(db, body.id);
    authorise(can(signedInUser(request), action, { policingBodyId: body.id, scrutinyBodyId: panel?.id ?? null }));
    return { body, panel };
  };

  app.addHook('preHandler', requireSignedIn);

  app.get(paths.bodies(), async (request, reply) => {
    const user = signedInUser(request);
    const bodies = await repository.listBodiesForUser(db, user);
    return reply.page('organisations/views/bodies.njk', {
      bodies: bodies.map((b) => ({ ...b, kindLabel: policingBodyKindLabels[b.kind] })),
      canCreate: can(user, 'body.create', null),
    });
  });

  // Policing bodies.
  const bodyFormPage = async (
    reply: FastifyReply,
    page: { action: string; heading: string; body?: repository.PolicingBody; current?: repository.PolicingBody },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('organisations/views/body-form.njk', {
      ...page,
      forceAreas: await repository.listForceAreas(db),
      kinds: Object.entries(policingBodyKindLabels).map(([value, text]) => ({ value, text })),
      defaultHolderTitles,
      values,
      errors,
      errorList: errorSummary(errors, {
        kind: 'kind',
        termStartsOn: 'termStartsOn-day',
        termEndsOn: 'termEndsOn-day',
        publishesInWelsh: 'publishesInWelsh',
      }),
    });

  app.get(paths.newBody(), async (request, reply) => {
    authorise(can(signedInUser(request), 'body.create', null));
    return bodyFormPage(reply, { action: paths.newBody(), heading: 'Add a policing body' }, {});
  });

  app.post(paths.newBody(), async (request, reply) => {
    const user = signedInUser(request);
    authorise(can(user, 'body.create', null));
    const values = formValues(request.body);
    const page = { action: paths.newBody(), heading: 'Add a policing body' };
    const form = parseForm(bodyFormSchema, values);
    if (!form.ok) return bodyFormPage(reply.code(400), page, values, form.errors);
    if (!(await repository.findForceArea(db, form.value.forceAreaId))) {
      return bodyFormPage(reply.code(400), page, values, { forceAreaId: 'Select the force area' });
    }
    const result = await service.createBody(db, user, form.value, services.now());
    if (!result.ok) {
      return bodyFormPage(reply.code(400), page, values, {
        slug: 'Another body already uses this web address name. Choose a different one',
      });
    }
    request.session.flash = `${result.value.name} has been added. Next, add its Police and Crime Panel and partners.`;
    return reply.redirect(paths.body(result.value.slug));
  });

  app.get('/bodies/:slug', async (request, reply) => {
    const user = signedInUser(request);
    const { body, panel } = await bodyFor(request, 'body.view');
    const [forceArea, partners] = await Promise.all([repository.findForceArea(db, body.forceAreaId), repository.listPartners(db, body.id)]);
    const resource = { policingBodyId: body.id, scrutinyBodyId: panel?.id ?? null };
    return reply.page('organisations/views/body.njk', {
      body,
      forceArea,
      panel,
      partners: partners.map((p) => ({ ...p, kindLabel: partnerKindLabels[p.kind] })),
      kindLabel: policingBodyKindLabels[body.kind],
      panelKindLabel: panel ? scrutinyBodyKindLabels[panel.kind] : '',
      canEdit: can(user, 'body.edit', resource),
      canManagePanel: can(user, 'panel.manage', resource),
      canManagePartners: can(user, 'partner.manage', resource),
      // Mirrors the accounts feature's rule: the commissioner, the office and administrators manage people.
      canSeeMembers:
        user.isAdmin || user.memberships.some((m) => m.policingBodyId === body.id && (m.role === 'commissioner' || m.role === 'officer')),
    });
  });

  const bodyValues = (body: repository.PolicingBody): Record<string, string> => {
    const start = isoDateParts(body.termStartsOn);
    const end = isoDateParts(body.termEndsOn);
    return {
      kind: body.kind,
      name: body.name,
      slug: body.slug,
      forceAreaId: body.forceAreaId,
      holderName: body.holderName,
      holderTitle: body.holderTitle,
      publishesInWelsh: body.publishesInWelsh ? 'yes' : 'no',
      'termStartsOn-day': start.day,
      'termStartsOn-month': start.month,
      'termStartsOn-year': start.year,
      'termEndsOn-day': end.day,
      'termEndsOn-month': end.month,
      'termEndsOn-year': end.year,
      version: String(body.version),
    };
  };

  app.get('/bodies/:slug/edit', async (request, reply) => {
    const { body } = await bodyFor(request, 'body.edit');
    return bodyFormPage(reply, { action: paths.editBody(body.slug), heading: `Change ${body.name}`, body }, bodyValues(body));
  });

  app.post('/bodies/:slug/edit', async (request, reply) => {
    const user = signedInUser(request);
    const { body } = await bodyFor(request, 'body.edit');
    const values = formValues(request.body);
    const page = { action: paths.editBody(body.slug), heading: `Change ${body.name}`, body };
    const form = parseForm(bodyFormSchema, values);
    if (!form.ok) return bodyFormPage(reply.code(400), page, values, form.errors);
    if (!(await repository.findForceArea(db, form.value.forceAreaId))) {
      return bodyFormPage(reply.code(400), page, values, { forceAreaId: 'Select the force area' });
    }
    const result = await service.updateBody(db, user, body, versionOf(values) ?? 0, form.value, services.now());
    if (!result.ok) {
      if (result.error.kind === 'duplicate') {
        return bodyFormPage(reply.code(400), page, values, {
          slug: 'Another body already uses this web address name. Choose a different one',
        });
      }
      if (result.error.kind === 'conflict') {
        const current = result.error.current;
        return bodyFormPage(
          reply.code(409),
          { ...page, current },
          { ...values, version: String(current.version) },
          { form: conflictMessage },
        );
      }
      throw notFound();
    }
    request.session.flash = 'Changes saved.';
    return reply.redirect(paths.body(result.value.slug));
  });

  // The body's scrutiny body: the Police and Crime Panel, or a committee.
  const panelFormPage = (
    reply: FastifyReply,
    page: { body: repository.PolicingBody; action: string; heading: string; current?: repository.ScrutinyBody },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('organisations/views/panel-form.njk', {
      ...page,
      kinds: Object.entries(scrutinyBodyKindLabels).map(([value, text]) => ({ value, text })),
      values,
      errors,
      errorList: errorSummary(errors, { kind: 'kind' }),
    });

  app.get('/bodies/:slug/panel/new', async (request, reply) => {
    const { body, panel } = await bodyFor(request, 'panel.manage');
    if (panel) return reply.redirect(paths.editPanel(body.slug));
    return panelFormPage(
      reply,
      { body, action: paths.newPanel(body.slug), heading: 'Add the Police and Crime Panel' },
      { kind: 'police_and_crime_panel' },
    );
  });

  app.post('/bodies/:slug/panel/new', async (request, reply) => {
    const { body, panel } = await bodyFor(request, 'panel.manage');
    if (panel) return reply.redirect(paths.editPanel(body.slug));
    const values = formValues(request.body);
    const page = { body, action: paths.newPanel(body.slug), heading: 'Add the Police and Crime Panel' };
    const form = parseForm(scrutinyBodyFormSchema, values);
    if (!form.ok) return panelFormPage(reply.code(400), page, values, form.errors);
    const result = await service.saveScrutinyBody(db, signedInUser(request), body.id, form.value, null, services.now());
    if (!result.ok) return reply.redirect(paths.editPanel(body.slug));
    request.session.flash = `${result.value.name} has been added.`;
    return reply.redirect(paths.body(body.slug));
  });

  app.get('/bodies/:slug/panel/edit', async (request, reply) => {
    const { body, panel } = await bodyFor(request, 'panel.manage');
    if (!panel) throw notFound();
    return panelFormPage(
      reply,
      { body, action: paths.editPanel(body.slug), heading: `Change ${panel.name}` },
      { kind: panel.kind, name: panel.name, hostAuthority: panel.hostAuthority, version: String(panel.version) },
    );
  });

  app.post('/bodies/:slug/panel/edit', async (request, reply) => {
    const { body, panel } = await bodyFor(request, 'panel.manage');
    if (!panel) throw notFound();
    const values = formValues(request.body);
    const page = { body, action: paths.editPanel(body.slug), heading: `Change ${panel.name}` };
    const form = parseForm(scrutinyBodyFormSchema, values);
    if (!form.ok) return panelFormPage(reply.code(400), page, values, form.errors);
    const result = await service.saveScrutinyBody(
      db,
      signedInUser(request),
      body.id,
      form.value,
      { body: panel, version: versionOf(values) ?? 0 },
      services.now(),
    );
    if (!result.ok) {
      if (result.error.kind !== 'conflict') throw notFound();
      const current = result.error.current;
      return panelFormPage(
        reply.code(409),
        { ...page, current },
        { ...values, version: String(current.version) },
        { form: conflictMessage },
      );
    }
    request.session.flash = 'Changes saved.';
    return reply.redirect(paths.body(body.slug));
  });

  // Partner organisations.
  const partnerFormPage = (
    reply: FastifyReply,
    page: { body: repository.PolicingBody; action: string; heading: string; current?: repository.Partner },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('organisations/views/partner-form.njk', {
      ...page,
      kinds: Object.entries(partnerKindLabels).map(([value, text]) => ({ value, text })),
      values,
      errors,
      errorList: errorSummary(errors, { kind: 'kind' }),
    });

  const duplicatePartner = 'This body already has a partner with this name';

  app.get('/bodies/:slug/partners/new', async (request, reply) => {
    const { body } = await bodyFor(request, 'partner.manage');
    return partnerFormPage(reply, { body, action: paths.newPartner(body.slug), heading: 'Add a partner organisation' }, {});
  });

  app.post('/bodies/:slug/partners/new', async (request, reply) => {
    const { body } = await bodyFor(request, 'partner.manage');
    const values = formValues(request.body);
    const page = { body, action: paths.newPartner(body.slug), heading: 'Add a partner organisation' };
    const form = parseForm(partnerFormSchema, values);
    if (!form.ok) return partnerFormPage(reply.code(400), page, values, form.errors);
    const result = await service.savePartner(db, signedInUser(request), body.id, form.value, null, services.now());
    if (!result.ok) return partnerFormPage(reply.code(400), page, values, { name: duplicatePartner });
    request.session.flash = `${result.value.name} has been added.`;
    return reply.redirect(paths.body(body.slug));
  });

  const partnerFor = async (request: FastifyRequest, bodyId: string) => {
    const { partnerId } = request.params as { partnerId: string };
    const partner = isUuid(partnerId) ? await repository.findPartner(db, bodyId, partnerId) : undefined;
    if (!partner) throw notFound();
    return partner;
  };

  app.get('/bodies/:slug/partners/:partnerId/edit', async (request, reply) => {
    const { body } = await bodyFor(request, 'partner.manage');
    const partner = await partnerFor(request, body.id);
    return partnerFormPage(
      reply,
      { body, action: paths.editPartner(body.slug, partner.id), heading: `Change ${partner.name}` },
      { kind: partner.kind, name: partner.name, website: partner.website ?? '', version: String(partner.version) },
    );
  });

  app.post('/bodies/:slug/partners/:partnerId/edit', async (request, reply) => {
    const { body } = await bodyFor(request, 'partner.manage');
    const partner = await partnerFor(request, body.id);
    const values = formValues(request.body);
    const page = { body, action: paths.editPartner(body.slug, partner.id), heading: `Change ${partner.name}` };
    const form = parseForm(partnerFormSchema, values);
    if (!form.ok) return partnerFormPage(reply.code(400), page, values, form.errors);
    const result = await service.savePartner(
      db,
      signedInUser(request),
      body.id,
      form.value,
      { partner, version: versionOf(values) ?? 0 },
      services.now(),
    );
    if (!result.ok) {
      if (result.error.kind === 'duplicate') return partnerFormPage(reply.code(400), page, values, { name: duplicatePartner });
      if (result.error.kind === 'not_found') throw notFound();
      const current = result.error.current;
      return partnerFormPage(
        reply.code(409),
        { ...page, current },
        { ...values, version: String(current.version) },
        { form: conflictMessage },
      );
    }
    request.session.flash = 'Changes saved.';
    return reply.redirect(paths.body(body.slug));
  });
}
