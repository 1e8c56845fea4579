import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD } from '../support/app.ts';

describeOnEveryEngine('the service starts and serves its pages', (context) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
  });
  afterAll(() => app.close());

  it('serves the start page, health and a GOV.UK 404', async () => {
    const agent = new Agent(app);
    const start = await agent.get('/');
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('Police and crime plans');
    expect(start.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect((await agent.get('/health')).json()).toMatchObject({ status: 'UP' });
    const missing = await agent.get('/no-such-page');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Page not found');
  });

  it('lets an administrator sign in and see a body', async () => {
    const admin = await createUser(context.database, { isAdmin: true });
    const { body } = await createBody(context.database);
    const agent = new Agent(app);
    await agent.signIn(admin.email, PASSWORD);
    const page = await agent.get(`/bodies/${body.slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(body.name);
  });
});
