import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD } from '../support/app.ts';
import { registeredRoutes } from '../support/organisations-helpers.ts';

type OpenApi = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

describeOnEveryEngine('the JSON API', (context) => {
  let app: FastifyInstance;
  let bodies: Awaited<ReturnType<typeof createBody>>;
  let other: Awaited<ReturnType<typeof createBody>>;
  let admin: Agent;
  let commissioner: Agent;
  let commissionerUser: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, {
      config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '10000', PUBLIC_URL: 'http://plans.example.org/' },
    }));
    bodies = await createBody(context.database, { name: 'Aardvark PCC' });
    other = await createBody(context.database, { name: 'Zebra PCC' });
    const adminUser = await createUser(context.database, { isAdmin: true, displayName: 'Ada Admin' });
    commissionerUser = await createUser(context.database, {
      displayName: 'Cass Commissioner',
      memberships: [{ policingBodyId: bodies.body.id, role: 'commissioner' }],
    });
    admin = new Agent(app);
    await admin.signIn(adminUser.email, PASSWORD);
    commissioner = new Agent(app);
    await commissioner.signIn(commissionerUser.email, PASSWORD);
  });
  afterAll(() => app.close());

  const apiRoutes = () =>
    registeredRoutes(app)
      .filter((r) => r.method === 'GET' && r.url.startsWith('/api/v1/'))
      .map((r) => r.url.replace(/:(\w+)/g, '{$1}'))
      .sort();

  describe('when signed out', () => {
    it('answers every /api/v1 route with 401 JSON, not a redirect', async () => {
      const urls = apiRoutes().map((u) =>
        u.replace('{slug}', bodies.body.slug).replace('{planId}', '00000000-0000-4000-8000-000000000000').replace('{n}', '1'),
      );
      expect(urls.length).toBe(6);
      for (const url of urls) {
        const response = await app.inject({ method: 'GET', url });
        expect({ url, status: response.statusCode }).toEqual({ url, status: 401 });
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.json()).toEqual({ error: 'unauthorised', message: 'Sign in to use this API' });
      }
    });
  });

  describe('when signed in', () => {
    it('/api/v1/me describes the user and their roles', async () => {
      const response = await commissioner.get('/api/v1/me');
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json()).toEqual({
        id: commissionerUser.id,
        email: commissionerUser.email,
        displayName: 'Cass Commissioner',
        isAdmin: false,
        memberships: [{ policingBodyId: bodies.body.id, role: 'commissioner', scrutinyBodyId: null, partnerId: null }],
      });
    });

    it('/api/v1/bodies lists every body for an administrator, by name, and only their own for others', async () => {
      const all = (await admin.get('/api/v1/bodies')).json() as { items: { slug: string }[] };
      expect(all.items.map((b) => b.slug)).toEqual([bodies.body.slug, other.body.slug]);
      const mine = (await commissioner.get('/api/v1/bodies')).json() as { items: unknown[] };
      expect(mine).toEqual({
        items: [
          {
            id: bodies.body.id,
            name: 'Aardvark PCC',
            slug: bodies.body.slug,
            kind: 'pcc',
            holderName: 'Alex Example',
            forceAreaName: 'Avon and Somerset Constabulary',
          },
        ],
      });
    });

    it('/api/v1/bodies/:slug gives the body with its scrutiny body and partners', async () => {
      const response = await commissioner.get(`/api/v1/bodies/${bodies.body.slug}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        id: bodies.body.id,
        kind: 'pcc',
        name: 'Aardvark PCC',
        slug: bodies.body.slug,
        forceAreaId: 'avon-and-somerset',
        holderName: 'Alex Example',
        holderTitle: 'Police and Crime Commissioner',
        termStartsOn: '2024-05-13',
        termEndsOn: '2028-05-12',
        publishesInWelsh: false,
        version: 1,
        scrutinyBody: {
          id: bodies.panel.id,
          kind: 'police_and_crime_panel',
          name: bodies.panel.name,
          hostAuthority: 'Example County Council',
          version: 1,
        },
        partners: [{ id: bodies.partner.id, kind: 'community_safety_partnership', name: bodies.partner.name, website: null, version: 1 }],
      });
    });

    it('answers an unknown slug with 404 JSON and an unknown API path with JSON too', async () => {
      const missing = await admin.get('/api/v1/bodies/no-such-body');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ error: 'not_found', message: 'No policing body has this slug' });
      const nowhere = await admin.get('/api/v1/nowhere');
      expect(nowhere.statusCode).toBe(404);
      expect(nowhere.json()).toEqual({ error: 'not_found', message: 'Not found' });
    });

    it('/api/v1/bodies/:slug/members lists the people of the body for its commissioner', async () => {
      const response = await commissioner.get(`/api/v1/bodies/${bodies.body.slug}/members`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        items: [
          {
            membershipId: expect.stringMatching(/^[0-9a-f-]{36}$/),
            userId: commissionerUser.id,
            displayName: 'Cass Commissioner',
            email: commissionerUser.email,
            role: 'commissioner',
            partnerName: null,
            status: 'active',
          },
        ],
      });
    });

    it('/api/v1/users is for administrators only', async () => {
      const refused = await commissioner.get('/api/v1/users');
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({ error: 'forbidden', message: 'You do not have permission to view this page' });
      const response = await admin.get('/api/v1/users');
      expect(response.statusCode).toBe(200);
      const items = (response.json() as { items: { id: string; isAdmin: boolean; status: string; memberships: unknown[] }[] }).items;
      expect(items.find((u) => u.id === commissionerUser.id)).toEqual({
        id: commissionerUser.id,
        email: commissionerUser.email,
        displayName: 'Cass Commissioner',
        isAdmin: false,
        status: 'active',
        lastSignedInAt: expect.any(String),
        memberships: [{ body: bodies.body.slug, role: 'commissioner', partnerName: null }],
      });
      for (const item of items)
        expect(Object.keys(item).sort()).toEqual(['displayName', 'email', 'id', 'isAdmin', 'lastSignedInAt', 'memberships', 'status']);
    });
  });

  describe('/api/openapi.json', () => {
    let document: OpenApi;
    beforeAll(async () => {
      const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      document = response.json() as OpenApi;
    });

    it('is an OpenAPI 3 document pointing at the public URL', () => {
      expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(document.info).toMatchObject({ title: 'Police and crime plans API', version: '1' });
      expect(document.servers).toEqual([{ url: 'http://plans.example.org' }]);
      expect(document.components.securitySchemes).toEqual({ session: { type: 'apiKey', in: 'cookie', name: 'pcp_session' } });
    });

    it('describes exactly the /api/v1 GET routes the app serves', () => {
      expect(Object.keys(document.paths).sort()).toEqual(apiRoutes());
      for (const operations of Object.values(document.paths)) expect(Object.keys(operations)).toEqual(['get']);
    });

    it('documents 200, 401 and 403 for every operation, and every $ref resolves', () => {
      for (const [route, { get }] of Object.entries(document.paths) as [string, { get: OpenApi['paths'][string][string] }][]) {
        expect({
          route,
          codes: Object.keys(get!.responses)
            .filter((c) => ['200', '401', '403'].includes(c))
            .sort(),
        }).toEqual({ route, codes: ['200', '401', '403'] });
      }
      const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(5);
      for (const name of refs) expect(document.components.schemas).toHaveProperty(name);
    });

    it('names the same fields the API returns', async () => {
      const body = (await commissioner.get(`/api/v1/bodies/${bodies.body.slug}`)).json() as Record<string, unknown>;
      const schema = document.components.schemas.Body as { properties: Record<string, unknown> };
      expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(body).sort());
      const me = (await commissioner.get('/api/v1/me')).json() as Record<string, unknown>;
      expect(Object.keys((document.components.schemas.Me as { properties: Record<string, unknown> }).properties).sort()).toEqual(
        Object.keys(me).sort(),
      );
    });
  });
});
