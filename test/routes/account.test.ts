import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD } from '../support/app.ts';

describeOnEveryEngine('your account page', (context) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
  });
  afterAll(() => app.close());

  it('lists each role with its body, and administrators as such', async () => {
    const { body } = await createBody(context.database, { name: 'Commissioner for Northshire' });
    const user = await createUser(context.database, {
      displayName: 'Noor Member',
      isAdmin: true,
      memberships: [{ policingBodyId: body.id, role: 'officer' }],
    });
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    const page = await agent.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Office of the commissioner (staff), Commissioner for Northshire<br>Administrator of this service');
  });

  it('shows how the person gets notifications, and links to change it', async () => {
    const user = await createUser(context.database, {});
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    expect((await agent.get('/account')).body).toContain('Each as it happens');
    expect((await agent.post('/account/notifications', { frequency: 'daily' })).statusCode).toBe(303);
    const page = await agent.get('/account');
    expect(page.body).toContain('One a day, as a digest');
    expect(page.body).toContain('href="/account/notifications"');
  });

  it('escapes a body name rather than running it as HTML', async () => {
    const { body } = await createBody(context.database, { name: '<script>alert("pwned")</script> & Partners' });
    const user = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] });
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    const page = await agent.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert("pwned")</script>');
    expect(page.body).toContain('Chief constable’s office (force), &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; Partners');
  });
});
