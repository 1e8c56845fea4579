import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { prepareFirstRun } from '../../src/features/accounts/index.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, errorSummaryText } from '../support/app.ts';
import { auditEventsNamed } from '../support/accounts-helpers.ts';

const NEW_PASSWORD = 'seven purple lanterns glowing';

// One database for the file: the steps run in order, from an instance with no users to one with an administrator.
describeOnEveryEngine('first-run set-up', (context) => {
  let app: FastifyInstance;
  let token: string;
  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
  });
  afterAll(() => app.close());

  it('makes a new one-time token each start while there are no users', async () => {
    const first = await prepareFirstRun(context.database.db);
    token = (await prepareFirstRun(context.database.db))!;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toBe(first);
    // Only the latest token works.
    expect((await new Agent(app).get(`/setup?token=${first}`)).statusCode).toBe(404);
  });

  it('hides the set-up page from anyone without the token', async () => {
    const agent = new Agent(app);
    for (const url of ['/setup', '/setup?token=', `/setup?token=${token}x`, `/setup?token=${token.slice(0, -1)}`]) {
      const page = await agent.get(url);
      expect(page.statusCode, url).toBe(404);
      expect(page.body).toContain('Page not found');
    }
  });

  it('shows the form to the holder of the token', async () => {
    const page = await new Agent(app).get(`/setup?token=${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Set up this service');
    expect(page.body).toContain(`name="token" value="${token}"`);
    expect(page.body).toContain('name="_csrf"');
  });

  it('refuses a post with the wrong token', async () => {
    const agent = new Agent(app);
    await agent.get(`/setup?token=${token}`);
    const response = await agent.post('/setup', {
      token: 'not-the-token',
      displayName: 'Mallory',
      email: 'mallory@example.org',
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(response.statusCode).toBe(404);
  });

  it('re-renders an invalid form with the GOV.UK error summary, keeping values but never passwords', async () => {
    const agent = new Agent(app);
    const response = await agent.submit(
      `/setup?token=${token}`,
      { token, displayName: 'Alex Admin', email: 'not an email', password: 'tiny-secret', confirmPassword: 'tiny-secret' },
      '/setup',
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<title>Error: ');
    expect(errorSummaryText(response.body)).toBe(
      'There is a problem Enter an email address in the correct format, like name@example.com Password must be 12 characters or more',
    );
    expect(response.body).toContain('href="#email"');
    expect(response.body).toContain('href="#password"');
    expect(response.body).toMatch(/id="email"[^>]*value="not an email"/);
    expect(response.body).toMatch(/id="displayName"[^>]*value="Alex Admin"/);
    expect(response.body).toContain(`name="token" value="${token}"`);
    expect(response.body).not.toContain('tiny-secret');

    const mismatch = await agent.submit(
      `/setup?token=${token}`,
      { token, displayName: 'Alex Admin', email: 'alex@example.org', password: NEW_PASSWORD, confirmPassword: 'seven purple lanterns' },
      '/setup',
    );
    expect(mismatch.statusCode).toBe(400);
    expect(errorSummaryText(mismatch.body)).toBe('There is a problem Passwords do not match');
    expect(mismatch.body).not.toContain(NEW_PASSWORD);
    expect(mismatch.body).not.toContain('seven purple lanterns');
  });

  it('creates the first administrator, signs them in and then disappears', async () => {
    const agent = new Agent(app);
    expect((await agent.get('/account')).statusCode).toBe(302);
    const response = await agent.submit(
      `/setup?token=${token}`,
      { token, displayName: ' Alex Admin ', email: ' Alex@Example.org ', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      '/setup',
    );
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/bodies');

    const bodies = await agent.get('/bodies');
    expect(bodies.statusCode).toBe(200);
    expect(bodies.body).toContain('Your administrator account has been created');
    const account = await agent.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Alex Admin');
    expect(account.body).toContain('Alex@Example.org');
    expect((await agent.get('/admin/users')).statusCode).toBe(200);

    const [event, ...more] = await auditEventsNamed(context.database, 'administrator.created');
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actorLabel: 'Alex Admin',
      after: { email: 'Alex@Example.org', displayName: 'Alex Admin', isAdmin: true, via: 'first-run set-up' },
    });
    expect(event!.actorUserId).toBe(event!.subjectId);

    // The old link is dead, for a GET and a POST, and a restart makes no new one.
    expect((await new Agent(app).get(`/setup?token=${token}`)).statusCode).toBe(404);
    const again = await agent.post('/setup', {
      token,
      displayName: 'Second',
      email: 'second@example.org',
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(again.statusCode).toBe(404);
    expect(await prepareFirstRun(context.database.db)).toBeNull();

    // The new administrator can sign in again with the password they chose.
    const later = new Agent(app);
    await later.signIn('alex@example.org', NEW_PASSWORD);
    expect((await later.get('/admin/users')).statusCode).toBe(200);
  });
});
