import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { auditChain, bodyFields, countRows, expectErrorPage, inputValue, locationOf } from '../support/organisations-helpers.ts';
import * as repository from '../../src/features/organisations/organisations.repository.ts';
import type { OrganisationRole } from '../../src/shared/current-user.ts';

describeOnEveryEngine('organisation pages', (context) => {
  let app: FastifyInstance;
  let admin: Agent;
  let adminId: string;
  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '10000' } }));
    const user = await createUser(context.database, { isAdmin: true, displayName: 'Ada Admin' });
    adminId = user.id;
    admin = new Agent(app);
    await admin.signIn(user.email, PASSWORD);
  });
  afterAll(() => app.close());

  const signedIn = async (role: OrganisationRole, policingBodyId: string, extra: { scrutinyBodyId?: string; partnerId?: string } = {}) => {
    const user = await createUser(context.database, { memberships: [{ policingBodyId, role, ...extra }] });
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    return agent;
  };
  const lastAudit = async () => (await auditChain(context.database)).at(-1);
  const findBody = (slug: string) => repository.findBodyBySlug(context.database.db, slug);

  describe('the list of bodies', () => {
    it('shows an administrator every body and the button to add one', async () => {
      const { body } = await createBody(context.database);
      const page = await admin.get('/bodies');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`href="/bodies/${body.slug}"`);
      expect(page.body).toContain('Add a policing body');
      expect(page.headers['cache-control']).toBe('no-store');
    });

    it('shows a member only their own body and no button', async () => {
      const { body: mine } = await createBody(context.database);
      const { body: theirs } = await createBody(context.database);
      const agent = await signedIn('force', mine.id);
      const page = await agent.get('/bodies');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(mine.name);
      expect(page.body).not.toContain(theirs.name);
      expect(page.body).not.toContain('Add a policing body');
    });

    it('sends an anonymous visitor to sign in and back', async () => {
      const response = await new Agent(app).get('/bodies');
      expect(response.statusCode).toBe(302);
      expect(locationOf(response)).toBe('/sign-in?returnTo=%2Fbodies');
    });
  });

  describe('adding a policing body', () => {
    it('renders the form with every force area', async () => {
      const page = await admin.get('/bodies/new');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<h1 class="govuk-heading-l">Add a policing body</h1>');
      expect(page.body.match(/<option value="[a-z-]+"/g)).toHaveLength(43);
      expect(page.body).toMatch(/name="_csrf" value="[^"]+"/);
    });

    it('re-renders an invalid form with status 400, the error summary linking to each field, and the values kept', async () => {
      const before = await countRows(context.database, 'policing_bodies');
      const response = await admin.submit(
        '/bodies/new',
        bodyFields({ name: '', holderName: 'Kept Holder', 'termStartsOn-day': '31', 'termStartsOn-month': '2', kind: '' }),
      );
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('<title>Error: Add a policing body');
      const summary = errorSummaryText(response.body);
      expect(summary).toContain('There is a problem');
      expect(summary).toContain('Enter the name of the body');
      expect(summary).toContain('The start of the term of office must be a real date, like 9 5 2024');
      expect(summary).toContain('Select the kind of policing body');
      expect(response.body).toContain('href="#name"');
      expect(response.body).toContain('href="#termStartsOn-day"');
      expect(response.body).toContain('href="#kind"');
      expect(inputValue(response.body, 'holderName')).toBe('Kept Holder');
      expect(inputValue(response.body, 'termStartsOn-day')).toBe('31');
      expect(await countRows(context.database, 'policing_bodies')).toBe(before);
    });

    it('refuses an end date before the start, against the end date', async () => {
      const response = await admin.submit('/bodies/new', bodyFields({ name: 'Backwards', 'termEndsOn-year': '2023' }));
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toContain('The end of the term must be after its start');
      expect(response.body).toContain('href="#termEndsOn-day"');
    });

    it('refuses a force area that does not exist', async () => {
      const response = await admin.submit('/bodies/new', bodyFields({ name: 'Nowhere PCC', forceAreaId: 'atlantis' }));
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toContain('Select the force area');
      expect(await findBody('nowhere-pcc')).toBeUndefined();
    });

    it('saves a valid body, redirects to it and records who added it in the audit log', async () => {
      const auditBefore = await countRows(context.database, 'audit_events');
      const response = await admin.submit(
        '/bodies/new',
        bodyFields({ name: 'Police and Crime Commissioner for Wessex', forceAreaId: 'dorset', publishesInWelsh: 'yes' }),
      );
      expect(response.statusCode).toBe(302);
      expect(locationOf(response)).toBe('/bodies/police-and-crime-commissioner-for-wessex');
      const saved = await findBody('police-and-crime-commissioner-for-wessex');
      expect(saved).toMatchObject({
        kind: 'pcc',
        name: 'Police and Crime Commissioner for Wessex',
        forceAreaId: 'dorset',
        holderName: 'Jane Smith',
        termStartsOn: '2024-05-09',
        termEndsOn: '2028-05-11',
        publishesInWelsh: true,
        version: 1,
      });
      const page = await admin.get(locationOf(response)!);
      expect(page.body).toContain('Police and Crime Commissioner for Wessex has been added.');
      expect(await countRows(context.database, 'audit_events')).toBe(auditBefore + 1);
      const event = await lastAudit();
      expect(event).toMatchObject({
        action: 'policing_body.created',
        actorUserId: adminId,
        actorLabel: 'Ada Admin',
        policingBodyId: saved!.id,
        subjectType: 'policing_body',
        subjectId: saved!.id,
        before: null,
        after: { id: saved!.id, slug: 'police-and-crime-commissioner-for-wessex', forceAreaId: 'dorset', version: 1 },
      });
    });

    it('gives a field error, not a 500, when the web address name is taken', async () => {
      const { body: existing } = await createBody(context.database);
      const bodiesBefore = await countRows(context.database, 'policing_bodies');
      const auditBefore = await countRows(context.database, 'audit_events');
      const response = await admin.submit('/bodies/new', bodyFields({ name: 'Someone else', slug: existing.slug }));
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toContain('Another body already uses this web address name. Choose a different one');
      expect(response.body).toContain('href="#slug"');
      expect(inputValue(response.body, 'name')).toBe('Someone else');
      expect(await countRows(context.database, 'policing_bodies')).toBe(bodiesBefore);
      expect(await countRows(context.database, 'audit_events')).toBe(auditBefore);
    });

    it('is refused with the 403 page to a commissioner, who cannot create bodies', async () => {
      const { body } = await createBody(context.database);
      const commissioner = await signedIn('commissioner', body.id);
      const page = await commissioner.get('/bodies/new');
      expectErrorPage(page, 403);
      const bodiesBefore = await countRows(context.database, 'policing_bodies');
      const post = await commissioner.submit('/bodies', bodyFields({ name: 'Sneaky PCC' }), '/bodies/new');
      expectErrorPage(post, 403);
      expect(await countRows(context.database, 'policing_bodies')).toBe(bodiesBefore);
    });
  });

  describe('a body’s page', () => {
    it('shows the body, its panel and partners, with change links for its commissioner', async () => {
      const { body, panel, partner } = await createBody(context.database);
      const commissioner = await signedIn('commissioner', body.id);
      const page = await commissioner.get(`/bodies/${body.slug}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(body.name);
      expect(page.body).toContain(panel.name);
      expect(page.body).toContain(partner.name);
      expect(page.body).toContain(`href="/bodies/${body.slug}/edit"`);
      expect(page.body).toContain(`href="/bodies/${body.slug}/partners/${partner.id}/edit"`);
    });

    it('shows a panel member the body without any change links', async () => {
      const { body, panel, partner } = await createBody(context.database);
      const member = await signedIn('panel_member', body.id, { scrutinyBodyId: panel.id });
      const page = await member.get(`/bodies/${body.slug}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(partner.name);
      expect(page.body).not.toContain(`/bodies/${body.slug}/edit`);
      expect(page.body).not.toContain(`/partners/${partner.id}/edit`);
      expect(page.body).not.toContain(`/bodies/${body.slug}/panel/edit`);
      expect(page.body).not.toContain(`/bodies/${body.slug}/members`);
    });

    it('answers an unknown slug with the 404 page', async () => {
      const page = await admin.get('/bodies/no-such-body');
      expectErrorPage(page, 404);
      expectErrorPage(await admin.get('/bodies/no-such-body/edit'), 404);
    });
  });

  describe('changing a body', () => {
    it('shows the saved values and version, and saves a change with before and after in the audit log', async () => {
      const { body } = await createBody(context.database);
      const commissioner = await signedIn('commissioner', body.id);
      const form = await commissioner.get(`/bodies/${body.slug}/edit`);
      expect(form.statusCode).toBe(200);
      expect(inputValue(form.body, 'name')).toBe(body.name);
      expect(inputValue(form.body, 'version')).toBe('1');
      expect(inputValue(form.body, 'termStartsOn-day')).toBe('13');
      expect(inputValue(form.body, 'termStartsOn-month')).toBe('5');
      const response = await commissioner.post(
        `/bodies/${body.slug}/edit`,
        bodyFields({ name: 'Renamed Commissioner', slug: body.slug, holderName: 'Sam New', version: '1' }),
      );
      expect(response.statusCode).toBe(302);
      expect(locationOf(response)).toBe(`/bodies/${body.slug}`);
      const saved = await findBody(body.slug);
      expect(saved).toMatchObject({ name: 'Renamed Commissioner', holderName: 'Sam New', termStartsOn: '2024-05-09', version: 2 });
      expect(await lastAudit()).toMatchObject({
        action: 'policing_body.updated',
        subjectId: body.id,
        policingBodyId: body.id,
        before: { name: body.name, holderName: 'Alex Example', version: 1 },
        after: { name: 'Renamed Commissioner', holderName: 'Sam New', version: 2 },
      });
    });

    it('can change the web address name, and the old one stops working', async () => {
      const { body } = await createBody(context.database);
      const newSlug = `${body.slug}-renamed`;
      await admin.get(`/bodies/${body.slug}/edit`);
      const response = await admin.post(`/bodies/${body.slug}/edit`, bodyFields({ name: body.name, slug: newSlug, version: '1' }));
      expect(locationOf(response)).toBe(`/bodies/${newSlug}`);
      expect((await admin.get(`/bodies/${newSlug}`)).statusCode).toBe(200);
      expect((await admin.get(`/bodies/${body.slug}`)).statusCode).toBe(404);
    });

    it('re-renders an invalid change with 400 and keeps what was typed', async () => {
      const { body } = await createBody(context.database);
      await admin.get(`/bodies/${body.slug}/edit`);
      const response = await admin.post(`/bodies/${body.slug}/edit`, bodyFields({ name: 'Typed name', holderTitle: '', version: '1' }));
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toContain('Enter the holder’s title');
      expect(response.body).toContain('href="#holderTitle"');
      expect(inputValue(response.body, 'name')).toBe('Typed name');
      expect((await findBody(body.slug))?.name).toBe(body.name);
    });

    it('gives a field error when the new web address name belongs to another body', async () => {
      const { body } = await createBody(context.database);
      const { body: other } = await createBody(context.database);
      await admin.get(`/bodies/${body.slug}/edit`);
      const response = await admin.post(`/bodies/${body.slug}/edit`, bodyFields({ name: body.name, slug: other.slug, version: '1' }));
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toContain('Another body already uses this web address name');
      expect(await findBody(body.slug)).toMatchObject({ id: body.id, version: 1 });
    });

    it('when two people edit at once, the second gets 409 with the first one’s version, and nothing is overwritten', async () => {
      const { body } = await createBody(context.database);
      const first = await signedIn('commissioner', body.id);
      const second = await signedIn('officer', body.id);
      const firstForm = await first.get(`/bodies/${body.slug}/edit`);
      const secondForm = await second.get(`/bodies/${body.slug}/edit`);
      expect(inputValue(firstForm.body, 'version')).toBe('1');
      expect(inputValue(secondForm.body, 'version')).toBe('1');

      const saved = await first.post(
        `/bodies/${body.slug}/edit`,
        bodyFields({ name: 'First writer’s name', slug: body.slug, version: '1' }),
      );
      expect(saved.statusCode).toBe(302);
      const auditAfterFirst = await countRows(context.database, 'audit_events');

      const refused = await second.post(
        `/bodies/${body.slug}/edit`,
        bodyFields({ name: 'Second writer’s name', slug: body.slug, version: '1' }),
      );
      expect(refused.statusCode).toBe(409);
      expect(errorSummaryText(refused.body)).toContain('Someone else saved changes to this while you were editing');
      expect(refused.body).toContain('href="#saved-by-someone-else"');
      const block = /<div class="govuk-inset-text" id="saved-by-someone-else">[\s\S]*?<\/dl>/.exec(refused.body)?.[0] ?? '';
      expect(block).toContain('Saved by someone else');
      expect(block).toContain('First writer’s name');
      expect(inputValue(refused.body, 'name')).toBe('Second writer’s name');
      expect(inputValue(refused.body, 'version')).toBe('2');

      expect(await findBody(body.slug)).toMatchObject({ name: 'First writer’s name', version: 2 });
      expect(await countRows(context.database, 'audit_events')).toBe(auditAfterFirst);

      // Having seen the other version, the second person can save deliberately.
      const resaved = await second.post(
        `/bodies/${body.slug}/edit`,
        bodyFields({ name: 'Second writer’s name', slug: body.slug, version: '2' }),
      );
      expect(resaved.statusCode).toBe(302);
      expect(await findBody(body.slug)).toMatchObject({ name: 'Second writer’s name', version: 3 });
    });

    it.each(['force', 'partner', 'panel_member', 'panel_officer'] as const)(
      'is refused with the 403 page to a %s, and nothing changes',
      async (role) => {
        const { body, panel, partner } = await createBody(context.database);
        const agent = await signedIn(role, body.id, {
          ...(role.startsWith('panel') ? { scrutinyBodyId: panel.id } : {}),
          ...(role === 'partner' ? { partnerId: partner.id } : {}),
        });
        const form = await agent.get(`/bodies/${body.slug}/edit`);
        expectErrorPage(form, 403);
        const response = await agent.submit(
          `/bodies/${body.slug}`,
          bodyFields({ name: 'Hijacked', slug: body.slug, version: '1' }),
          `/bodies/${body.slug}/edit`,
        );
        expectErrorPage(response, 403);
        expect(await findBody(body.slug)).toMatchObject({ name: body.name, version: 1 });
      },
    );
  });

  describe('the panel', () => {
    const bodyWithoutPanel = async () => {
      const { body } = await createBody(context.database);
      // createBody adds a panel; a body whose panel is still to be added is made directly.
      return repository.insertBody(context.database.db, {
        kind: 'pcc',
        name: `Panel-less ${body.slug}`,
        slug: `${body.slug}-no-panel`,
        forceAreaId: 'kent',
        holderName: 'Kim Example',
        holderTitle: 'Police and Crime Commissioner',
        termStartsOn: '2024-05-13',
        termEndsOn: '2028-05-12',
        publishesInWelsh: false,
      });
    };

    it('adds a panel: form, 400 with errors, then 302 with the audit event', async () => {
      const body = await bodyWithoutPanel();
      const commissioner = await signedIn('commissioner', body.id);
      const form = await commissioner.get(`/bodies/${body.slug}/panel/new`);
      expect(form.statusCode).toBe(200);
      const invalid = await commissioner.post(`/bodies/${body.slug}/panel/new`, {
        kind: 'police_and_crime_panel',
        name: 'Kent Panel',
        hostAuthority: '',
      });
      expect(invalid.statusCode).toBe(400);
      expect(errorSummaryText(invalid.body)).toContain('Enter the host authority');
      expect(invalid.body).toContain('href="#hostAuthority"');
      expect(inputValue(invalid.body, 'name')).toBe('Kent Panel');
      const saved = await commissioner.post(`/bodies/${body.slug}/panel/new`, {
        kind: 'police_and_crime_panel',
        name: 'Kent Panel',
        hostAuthority: 'Kent County Council',
      });
      expect(saved.statusCode).toBe(302);
      const panel = await repository.findScrutinyBodyOf(context.database.db, body.id);
      expect(panel).toMatchObject({ name: 'Kent Panel', hostAuthority: 'Kent County Council', version: 1 });
      expect(await lastAudit()).toMatchObject({
        action: 'scrutiny_body.created',
        subjectId: panel!.id,
        policingBodyId: body.id,
        before: null,
        after: { name: 'Kent Panel' },
      });
      // Once it exists, "add" leads to "change".
      const again = await commissioner.get(`/bodies/${body.slug}/panel/new`);
      expect(again.statusCode).toBe(302);
      expect(locationOf(again)).toBe(`/bodies/${body.slug}/panel/edit`);
    });

    it('lets the panel’s support officer change it, refuses a stale version with 409', async () => {
      const { body, panel } = await createBody(context.database);
      const officer = await signedIn('panel_officer', body.id, { scrutinyBodyId: panel.id });
      const commissioner = await signedIn('commissioner', body.id);
      const form = await officer.get(`/bodies/${body.slug}/panel/edit`);
      expect(form.statusCode).toBe(200);
      expect(inputValue(form.body, 'version')).toBe('1');
      await commissioner.get(`/bodies/${body.slug}/panel/edit`);
      const first = await officer.post(`/bodies/${body.slug}/panel/edit`, {
        kind: 'police_and_crime_panel',
        name: 'Renamed Panel',
        hostAuthority: 'Host',
        version: '1',
      });
      expect(first.statusCode).toBe(302);
      expect(await lastAudit()).toMatchObject({
        action: 'scrutiny_body.updated',
        before: { name: panel.name, version: 1 },
        after: { name: 'Renamed Panel', version: 2 },
      });
      const stale = await commissioner.post(`/bodies/${body.slug}/panel/edit`, {
        kind: 'committee',
        name: 'Stale Panel',
        hostAuthority: 'Host',
        version: '1',
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('Saved by someone else');
      expect(stale.body).toContain('Renamed Panel');
      expect(inputValue(stale.body, 'name')).toBe('Stale Panel');
      expect(await repository.findScrutinyBodyOf(context.database.db, body.id)).toMatchObject({
        name: 'Renamed Panel',
        kind: 'police_and_crime_panel',
        version: 2,
      });
    });

    it('is refused to a panel member and to force staff', async () => {
      const { body, panel } = await createBody(context.database);
      for (const role of ['panel_member', 'force'] as const) {
        const agent = await signedIn(role, body.id, role === 'panel_member' ? { scrutinyBodyId: panel.id } : {});
        expectErrorPage(await agent.get(`/bodies/${body.slug}/panel/edit`), 403);
      }
    });

    it('answers 404 for changing a panel that does not exist yet', async () => {
      const body = await bodyWithoutPanel();
      expectErrorPage(await admin.get(`/bodies/${body.slug}/panel/edit`), 404);
    });
  });

  describe('partners', () => {
    it('adds a partner: 400 with errors and values kept, then 302 and an audit event', async () => {
      const { body } = await createBody(context.database);
      const officer = await signedIn('officer', body.id);
      const form = await officer.get(`/bodies/${body.slug}/partners/new`);
      expect(form.statusCode).toBe(200);
      const invalid = await officer.post(`/bodies/${body.slug}/partners/new`, {
        kind: 'health',
        name: 'Northmoor ICB',
        website: 'www.example.org',
      });
      expect(invalid.statusCode).toBe(400);
      expect(errorSummaryText(invalid.body)).toContain('Enter a website address starting with https://');
      expect(invalid.body).toContain('href="#website"');
      expect(inputValue(invalid.body, 'website')).toBe('www.example.org');
      const saved = await officer.post(`/bodies/${body.slug}/partners/new`, {
        kind: 'health',
        name: 'Northmoor ICB',
        website: 'https://icb.example.org',
      });
      expect(saved.statusCode).toBe(302);
      const partner = (await repository.listPartners(context.database.db, body.id)).find((p) => p.name === 'Northmoor ICB');
      expect(partner).toMatchObject({ kind: 'health', website: 'https://icb.example.org', version: 1 });
      expect(await lastAudit()).toMatchObject({
        action: 'partner.created',
        subjectId: partner!.id,
        policingBodyId: body.id,
        after: { name: 'Northmoor ICB' },
      });
    });

    it('gives a field error for a partner name already used in the body, whatever its case', async () => {
      const { body, partner } = await createBody(context.database);
      const before = await countRows(context.database, 'partners');
      const response = await admin.submit(`/bodies/${body.slug}/partners/new`, {
        kind: 'other',
        name: partner.name.toUpperCase(),
        website: '',
      });
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toContain('This body already has a partner with this name');
      expect(response.body).toContain('href="#name"');
      expect(await countRows(context.database, 'partners')).toBe(before);
    });

    it('allows the same partner name in a different body', async () => {
      const { partner } = await createBody(context.database);
      const { body: other } = await createBody(context.database);
      const response = await admin.submit(`/bodies/${other.slug}/partners/new`, { kind: 'other', name: partner.name, website: '' });
      expect(response.statusCode).toBe(302);
    });

    it('changes a partner, audits it, and refuses a rename onto another partner’s name', async () => {
      const { body, partner } = await createBody(context.database);
      await admin.submit(`/bodies/${body.slug}/partners/new`, { kind: 'local_authority', name: 'Northmoor Council', website: '' });
      const url = `/bodies/${body.slug}/partners/${partner.id}/edit`;
      const form = await admin.get(url);
      expect(form.statusCode).toBe(200);
      expect(inputValue(form.body, 'name')).toBe(partner.name);
      const duplicate = await admin.post(url, { kind: 'other', name: 'northmoor council', website: '', version: '1' });
      expect(duplicate.statusCode).toBe(400);
      expect(errorSummaryText(duplicate.body)).toContain('This body already has a partner with this name');
      const saved = await admin.post(url, {
        kind: 'voluntary_sector',
        name: 'Renamed CSP',
        website: 'https://csp.example.org',
        version: '1',
      });
      expect(saved.statusCode).toBe(302);
      expect(await repository.findPartner(context.database.db, body.id, partner.id)).toMatchObject({
        name: 'Renamed CSP',
        kind: 'voluntary_sector',
        version: 2,
      });
      expect(await lastAudit()).toMatchObject({
        action: 'partner.updated',
        subjectId: partner.id,
        before: { name: partner.name, website: null, version: 1 },
        after: { name: 'Renamed CSP', website: 'https://csp.example.org', version: 2 },
      });
    });

    it('refuses a stale partner edit with 409 and keeps the other person’s change', async () => {
      const { body, partner } = await createBody(context.database);
      const first = await signedIn('commissioner', body.id);
      const second = await signedIn('officer', body.id);
      const url = `/bodies/${body.slug}/partners/${partner.id}/edit`;
      await first.get(url);
      await second.get(url);
      expect((await first.post(url, { kind: 'health', name: 'First name', website: '', version: '1' })).statusCode).toBe(302);
      const stale = await second.post(url, { kind: 'other', name: 'Second name', website: '', version: '1' });
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('Saved by someone else');
      expect(stale.body).toContain('First name');
      expect(inputValue(stale.body, 'name')).toBe('Second name');
      expect(inputValue(stale.body, 'version')).toBe('2');
      expect(await repository.findPartner(context.database.db, body.id, partner.id)).toMatchObject({
        name: 'First name',
        kind: 'health',
        version: 2,
      });
    });

    it('answers 404 for a malformed partner id, an unknown one, and one belonging to another body', async () => {
      const { body } = await createBody(context.database);
      const { partner: othersPartner } = await createBody(context.database);
      expectErrorPage(await admin.get(`/bodies/${body.slug}/partners/not-a-uuid/edit`), 404);
      expectErrorPage(await admin.get(`/bodies/${body.slug}/partners/00000000-0000-4000-8000-000000000000/edit`), 404);
      expectErrorPage(await admin.get(`/bodies/${body.slug}/partners/${othersPartner.id}/edit`), 404);
      const post = await admin.post(`/bodies/${body.slug}/partners/${othersPartner.id}/edit`, {
        kind: 'other',
        name: 'Moved',
        website: '',
        version: '1',
      });
      expectErrorPage(post, 404);
      expect(await repository.findPartner(context.database.db, othersPartner.policingBodyId, othersPartner.id)).toMatchObject({
        name: othersPartner.name,
      });
    });

    it('is refused to force staff, a partner and the panel officer', async () => {
      const { body, panel, partner } = await createBody(context.database);
      const agents = [
        await signedIn('force', body.id),
        await signedIn('partner', body.id, { partnerId: partner.id }),
        await signedIn('panel_officer', body.id, { scrutinyBodyId: panel.id }),
      ];
      for (const agent of agents) {
        expectErrorPage(await agent.get(`/bodies/${body.slug}/partners/new`), 403);
        expectErrorPage(await agent.get(`/bodies/${body.slug}/partners/${partner.id}/edit`), 403);
      }
    });
  });

  describe('the audit event is written in the same transaction as the change', () => {
    it('rolls the change back when the audit event cannot be written', async () => {
      const { body, partner } = await createBody(context.database);
      const url = `/bodies/${body.slug}/partners/${partner.id}/edit`;
      await admin.get(url);
      await context.database.db.execute(
        sql.raw(`
        create function refuse_audit_insert_for_test() returns trigger language plpgsql as $$
        begin raise exception 'audit writes refused by test'; end; $$`),
      );
      await context.database.db.execute(
        sql.raw(
          'create trigger refuse_audit_insert_for_test before insert on audit_events for each row execute function refuse_audit_insert_for_test()',
        ),
      );
      try {
        const response = await admin.post(url, { kind: 'other', name: 'Unaudited change', website: '', version: '1' });
        expectErrorPage(response, 500);
        expect(response.body).not.toContain('audit writes refused by test');
        const created = await admin.submit(`/bodies/${body.slug}/partners/new`, { kind: 'other', name: 'Unaudited partner', website: '' });
        expectErrorPage(created, 500);
      } finally {
        await context.database.db.execute(sql.raw('drop trigger refuse_audit_insert_for_test on audit_events'));
        await context.database.db.execute(sql.raw('drop function refuse_audit_insert_for_test()'));
      }
      expect(await repository.findPartner(context.database.db, body.id, partner.id)).toMatchObject({ name: partner.name, version: 1 });
      expect((await repository.listPartners(context.database.db, body.id)).map((p) => p.name)).not.toContain('Unaudited partner');
    });
  });
});
