import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD } from '../support/app.ts';
import { organisationRoles, type OrganisationRole } from '../../src/shared/current-user.ts';
import * as repository from '../../src/features/organisations/organisations.repository.ts';
import { bodyFields, expectErrorPage } from '../support/organisations-helpers.ts';

type Bodies = Awaited<ReturnType<typeof createBody>>;

describeOnEveryEngine('one body’s people cannot reach another body', (context) => {
  let app: FastifyInstance;
  let a: Bodies;
  let b: Bodies;
  const agents = new Map<OrganisationRole, Agent>();

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '10000' } }));
    a = await createBody(context.database);
    b = await createBody(context.database);
    for (const role of organisationRoles) {
      const user = await createUser(context.database, {
        memberships: [
          {
            policingBodyId: a.body.id,
            role,
            ...(role === 'panel_member' || role === 'panel_officer' ? { scrutinyBodyId: a.panel.id } : {}),
            ...(role === 'partner' ? { partnerId: a.partner.id } : {}),
          },
        ],
      });
      const agent = new Agent(app);
      await agent.signIn(user.email, PASSWORD);
      agents.set(role, agent);
    }
  });
  afterAll(() => app.close());

  const pagesOf = (bodies: Bodies) => [
    `/bodies/${bodies.body.slug}`,
    `/bodies/${bodies.body.slug}/edit`,
    `/bodies/${bodies.body.slug}/members`,
    `/bodies/${bodies.body.slug}/members/invite`,
    `/bodies/${bodies.body.slug}/panel/new`,
    `/bodies/${bodies.body.slug}/panel/edit`,
    `/bodies/${bodies.body.slug}/partners/new`,
    `/bodies/${bodies.body.slug}/partners/${bodies.partner.id}/edit`,
  ];

  describe.each([...organisationRoles])('a %s of body A', (role) => {
    it('gets the 403 page for every page of body B', async () => {
      const agent = agents.get(role)!;
      for (const url of pagesOf(b)) {
        const response = await agent.get(url);
        expect({ url, status: response.statusCode }).toEqual({ url, status: 403 });
        expectErrorPage(response, 403);
        expect(response.body).not.toContain(b.body.name);
        expect(response.body).not.toContain(b.partner.name);
      }
    });

    it('cannot change body B or its partner by posting', async () => {
      const agent = agents.get(role)!;
      await agent.get('/bodies');
      const edit = await agent.post(`/bodies/${b.body.slug}/edit`, bodyFields({ name: 'Taken over', slug: b.body.slug, version: '1' }));
      expectErrorPage(edit, 403);
      const partner = await agent.post(`/bodies/${b.body.slug}/partners/${b.partner.id}/edit`, {
        kind: 'other',
        name: 'Taken over',
        website: '',
        version: '1',
      });
      expect(partner.statusCode).toBe(403);
      expect(await repository.findBodyById(context.database.db, b.body.id)).toMatchObject({ name: b.body.name, version: 1 });
      expect(await repository.findPartner(context.database.db, b.body.id, b.partner.id)).toMatchObject({
        name: b.partner.name,
        version: 1,
      });
    });

    it('gets 403 JSON for body B in the API, and the API lists only body A', async () => {
      const agent = agents.get(role)!;
      for (const url of [`/api/v1/bodies/${b.body.slug}`, `/api/v1/bodies/${b.body.slug}/members`]) {
        const response = await agent.get(url);
        expect({ url, status: response.statusCode }).toEqual({ url, status: 403 });
        expect(response.json()).toEqual({ error: 'forbidden', message: 'You do not have permission to view this page' });
      }
      const list = await agent.get('/api/v1/bodies');
      expect(list.statusCode).toBe(200);
      expect((list.json() as { items: { slug: string }[] }).items.map((item) => item.slug)).toEqual([a.body.slug]);
      expect((await agent.get('/api/v1/users')).statusCode).toBe(403);
    });

    it('sees only body A on the list of bodies', async () => {
      const page = await agents.get(role)!.get('/bodies');
      expect(page.body).toContain(a.body.name);
      expect(page.body).not.toContain(b.body.name);
    });
  });

  describe('within their own body', () => {
    it.each(['panel_member', 'force', 'partner'] as const)(
      'a %s can view it but not change it, its partners or its panel',
      async (role) => {
        const agent = agents.get(role)!;
        expect((await agent.get(`/bodies/${a.body.slug}`)).statusCode).toBe(200);
        expect((await agent.get(`/api/v1/bodies/${a.body.slug}`)).statusCode).toBe(200);
        for (const url of pagesOf(a).slice(1)) {
          expect({ url, status: (await agent.get(url)).statusCode }).toEqual({ url, status: 403 });
        }
        expect((await agent.get(`/api/v1/bodies/${a.body.slug}/members`)).statusCode).toBe(403);
      },
    );

    it('the panel officer can change the panel but not the body, its partners or its people', async () => {
      const agent = agents.get('panel_officer')!;
      expect((await agent.get(`/bodies/${a.body.slug}/panel/edit`)).statusCode).toBe(200);
      for (const url of [
        `/bodies/${a.body.slug}/edit`,
        `/bodies/${a.body.slug}/partners/new`,
        `/bodies/${a.body.slug}/partners/${a.partner.id}/edit`,
        `/bodies/${a.body.slug}/members`,
      ]) {
        expect({ url, status: (await agent.get(url)).statusCode }).toEqual({ url, status: 403 });
      }
    });

    it.each(['commissioner', 'officer'] as const)('a %s can open every page of it', async (role) => {
      const agent = agents.get(role)!;
      for (const url of pagesOf(a).filter((u) => !u.endsWith('/panel/new'))) {
        expect({ url, status: (await agent.get(url)).statusCode }).toEqual({ url, status: 200 });
      }
      const members = await agent.get(`/api/v1/bodies/${a.body.slug}/members`);
      expect(members.statusCode).toBe(200);
      expect((members.json() as { items: unknown[] }).items.length).toBe(organisationRoles.length);
    });
  });
});
