import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { formatDateTime } from '../../src/shared/dates.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createUser, errorSummaryText, PASSWORD, TestClock } from '../support/app.ts';
import { auditEventsNamed, sessionCountFor } from '../support/accounts-helpers.ts';

const GENERIC = 'There is a problem Enter a correct email address and password';

describeOnEveryEngine('signing in and out', (context) => {
  let app: FastifyInstance;
  let clock: TestClock;
  beforeAll(async () => {
    ({ app, clock } = await buildTestApp(context.database, {
      config: {
        SIGN_IN_ATTEMPTS_PER_MINUTE: '1000',
        LOCKOUT_AFTER_FAILURES: '3',
        LOCKOUT_MINUTES: '15',
        SESSION_IDLE_MINUTES: '30',
        SESSION_ABSOLUTE_HOURS: '2',
      },
    }));
  });
  afterAll(() => app.close());

  const signedIn = async (agent: Agent) => (await agent.get('/account')).statusCode === 200;

  it('renders the sign-in page and asks for both fields', async () => {
    const agent = new Agent(app);
    const page = await agent.get('/sign-in');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="govuk-heading-l">Sign in</h1>');
    const empty = await agent.post('/sign-in', { email: '', password: '' });
    expect(empty.statusCode).toBe(400);
    expect(errorSummaryText(empty.body)).toBe('There is a problem Enter an email address Enter your password');
  });

  it('gives the same generic error for a wrong password and an unknown address, keeping the address but not the password', async () => {
    const user = await createUser(context.database, { email: 'wrong-password@example.org' });
    const agent = new Agent(app);
    for (const email of [user.email, 'nobody-here@example.org']) {
      const response = await agent.submit('/sign-in', { email, password: 'not my password at all' });
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toBe(GENERIC);
      expect(response.body).toMatch(new RegExp(`id="email"[^>]*value="${email}"`));
      expect(response.body).not.toContain('not my password at all');
    }
    expect(await signedIn(agent)).toBe(false);
  });

  it('signs in whatever the case of the e-mail address', async () => {
    const user = await createUser(context.database, { email: 'Mixed.Case@example.org' });
    const agent = new Agent(app);
    const response = await agent.submit('/sign-in', { email: '  MIXED.case@EXAMPLE.ORG ', password: PASSWORD });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/');
    const account = await agent.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain(user.displayName);
    expect(account.headers['cache-control']).toBe('no-store');
  });

  it('gives a new session id on sign-in, so a session planted beforehand is worthless', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.get('/sign-in');
    const before = agent.sessionCookie;
    expect(before).toBeTruthy();
    await agent.signIn(user.email, PASSWORD);
    expect(agent.sessionCookie).toBeTruthy();
    expect(agent.sessionCookie).not.toBe(before);
    const planted = await app.inject({ method: 'GET', url: '/account', headers: { cookie: `pcp_session=${before}` } });
    expect(planted.statusCode).toBe(302);
    expect(await signedIn(agent)).toBe(true);
  });

  it('destroys the session on sign-out', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    const cookie = agent.sessionCookie;
    expect(await sessionCountFor(context.database, user.id)).toBe(1);
    await agent.get('/account');
    const response = await agent.post('/sign-out', {});
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in');
    expect(await sessionCountFor(context.database, user.id)).toBe(0);
    expect(await signedIn(agent)).toBe(false);
    const replayed = await app.inject({ method: 'GET', url: '/account', headers: { cookie: `pcp_session=${cookie}` } });
    expect(replayed.statusCode).toBe(302);
  });

  it('refuses to sign out without the CSRF token', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    const response = await agent.post('/sign-out', { _csrf: 'forged' });
    expect(response.statusCode).toBe(403);
    expect(await signedIn(agent)).toBe(true);
  });

  it('returns to the page that asked for sign-in', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    const asked = await agent.get('/account/password');
    expect(asked.statusCode).toBe(302);
    expect(asked.headers.location).toBe('/sign-in?returnTo=%2Faccount%2Fpassword');
    const form = await agent.get(asked.headers.location as string);
    expect(form.body).toContain('name="returnTo" value="/account/password"');
    const response = await agent.post('/sign-in', { email: user.email, password: PASSWORD, returnTo: '/account/password' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/account/password');
  });

  it.each(['//evil.example', 'https://evil.example/', '/\\evil.example', '/\t/evil.example'])(
    'ignores the returnTo %j',
    async (returnTo) => {
      const user = await createUser(context.database);
      const agent = new Agent(app);
      const form = await agent.get(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
      expect(form.body).toContain('name="returnTo" value=""');
      const response = await agent.post('/sign-in', { email: user.email, password: PASSWORD, returnTo });
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/');
      // Already signed in: the sign-in page sends you on, but never off the site.
      const again = await agent.get(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
      expect(again.headers.location).toBe('/');
    },
  );

  it('signs you out after SESSION_IDLE_MINUTES without a request, but not while you keep using it', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    for (let i = 0; i < 4; i++) {
      clock.advanceMinutes(29);
      expect(await signedIn(agent)).toBe(true);
    }
    clock.advanceMinutes(31);
    const response = await agent.get('/account');
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Faccount');
  });

  it('signs you out SESSION_ABSOLUTE_HOURS after sign-in however active you are', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    for (let minutes = 20; minutes <= 120; minutes += 20) {
      clock.advanceMinutes(20);
      expect(await signedIn(agent), `after ${minutes} minutes`).toBe(true);
    }
    clock.advanceMinutes(1);
    expect(await signedIn(agent)).toBe(false);
    expect(await sessionCountFor(context.database, user.id)).toBe(0);
    // The sign-in page still works on the expired session, and signing in again starts a new one.
    const form = await agent.get('/sign-in');
    expect(form.statusCode).toBe(200);
    await agent.signIn(user.email, PASSWORD);
    expect(await signedIn(agent)).toBe(true);
  });

  it('shows the sign-in page, not an error, to someone whose session just passed the absolute limit', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    for (let i = 0; i < 6; i++) {
      clock.advanceMinutes(20);
      expect(await signedIn(agent)).toBe(true);
    }
    clock.advanceMinutes(1);
    // This very request finds the session too old: the page it renders still needs a CSRF token.
    const form = await agent.get('/sign-in');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<h1 class="govuk-heading-l">Sign in</h1>');
    expect(form.body).toMatch(/name="_csrf" value="[^"]+"/);
    await agent.signIn(user.email, PASSWORD);
    expect(await signedIn(agent)).toBe(true);
  });

  it('locks the account after LOCKOUT_AFTER_FAILURES failures, even against the right password, until LOCKOUT_MINUTES pass', async () => {
    const user = await createUser(context.database, { email: 'lock-me@example.org' });
    const agent = new Agent(app);
    for (const attempt of [1, 2]) {
      const response = await agent.submit('/sign-in', { email: user.email, password: `guess number ${attempt}` });
      expect(errorSummaryText(response.body), `attempt ${attempt}`).toBe(GENERIC);
    }
    expect(await auditEventsNamed(context.database, 'user.locked')).toEqual([]);
    const lockedAt = clock.now();
    const third = await agent.submit('/sign-in', { email: user.email, password: 'guess number 3' });
    expect(third.statusCode).toBe(400);
    const until = formatDateTime(new Date(lockedAt.getTime() + 15 * 60_000));
    expect(errorSummaryText(third.body)).toBe(
      `There is a problem This account is locked after too many failed attempts. Try again after ${until}.`,
    );

    const rightPassword = await agent.submit('/sign-in', { email: user.email, password: PASSWORD });
    expect(rightPassword.statusCode).toBe(400);
    expect(errorSummaryText(rightPassword.body)).toContain('This account is locked');

    const events = await auditEventsNamed(context.database, 'user.locked');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorUserId: null,
      actorLabel: 'system',
      subjectId: user.id,
      after: { reason: '3 failed sign-in attempts' },
    });

    clock.advanceMinutes(14);
    expect((await agent.submit('/sign-in', { email: user.email, password: PASSWORD })).statusCode).toBe(400);
    clock.advanceMinutes(2);
    expect((await agent.submit('/sign-in', { email: user.email, password: PASSWORD })).statusCode).toBe(302);
    expect(await signedIn(agent)).toBe(true);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.submit('/sign-in', { email: user.email, password: 'wrong one first' });
    await agent.submit('/sign-in', { email: user.email, password: 'wrong one again' });
    await agent.signIn(user.email, PASSWORD);
    await agent.get('/');
    expect((await agent.post('/sign-out', {})).statusCode).toBe(302);
    for (const guess of ['wrong once more', 'and twice more']) {
      expect(errorSummaryText((await agent.submit('/sign-in', { email: user.email, password: guess })).body)).toBe(GENERIC);
    }
    await agent.signIn(user.email, PASSWORD);
  });
});

describeOnEveryEngine('sign-in rate limit', (context) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '3' } }));
  });
  afterAll(() => app.close());

  it('answers with the GOV.UK "Too many attempts" page after SIGN_IN_ATTEMPTS_PER_MINUTE posts', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    for (const attempt of [1, 2, 3]) {
      expect((await agent.submit('/sign-in', { email: user.email, password: `wrong guess ${attempt}` })).statusCode).toBe(400);
    }
    const limited = await agent.submit('/sign-in', { email: user.email, password: PASSWORD });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Too many attempts');
    expect(limited.body).toMatch(/Try again in \d+ seconds\./);
    expect(await signedIn(agent)).toBe(false);
    // Reading the form is not limited.
    expect((await agent.get('/sign-in')).statusCode).toBe(200);
  });

  const signedIn = async (agent: Agent) => (await agent.get('/account')).statusCode === 200;
});
