import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { auditEventsNamed, sessionCountFor } from '../support/accounts-helpers.ts';

const NEW_PASSWORD = 'marmalade on the lighthouse';

describeOnEveryEngine('changing your password', (context) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '1000' } }));
  });
  afterAll(() => app.close());

  it('sends anonymous visitors to sign in', async () => {
    const response = await new Agent(app).get('/account/password');
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Faccount%2Fpassword');
  });

  it('renders the form', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    const page = await agent.get('/account/password');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Change your password');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    const response = await agent.submit('/account/password', {
      currentPassword: 'not the current one',
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(response.statusCode).toBe(400);
    expect(errorSummaryText(response.body)).toBe('There is a problem Your current password is not correct');
    expect(response.body).toContain('href="#currentPassword"');
    expect(response.body).not.toContain(NEW_PASSWORD);
    expect(response.body).not.toContain('not the current one');
    await new Agent(app).signIn(user.email, PASSWORD);
    expect(await auditEventsNamed(context.database, 'user.password_changed')).toEqual([]);
  });

  it('refuses a confirmation that does not match, and a weak new password', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    const mismatch = await agent.submit('/account/password', {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
      confirmPassword: 'marmalade on the lighthouse!',
    });
    expect(mismatch.statusCode).toBe(400);
    expect(errorSummaryText(mismatch.body)).toBe('There is a problem Passwords do not match');
    expect(mismatch.body).toContain('href="#confirmPassword"');
    const weak = await agent.submit('/account/password', {
      currentPassword: PASSWORD,
      newPassword: 'password1234',
      confirmPassword: 'password1234',
    });
    expect(errorSummaryText(weak.body)).toBe('There is a problem New password is too easy to guess. Try three random words');
    await new Agent(app).signIn(user.email, PASSWORD);
  });

  it('changes the password, ends the user’s other sessions and keeps this one', async () => {
    const user = await createUser(context.database);
    const other = await createUser(context.database);
    const here = new Agent(app);
    const elsewhere = new Agent(app);
    const someoneElse = new Agent(app);
    await here.signIn(user.email, PASSWORD);
    await elsewhere.signIn(user.email, PASSWORD);
    await someoneElse.signIn(other.email, PASSWORD);
    expect(await sessionCountFor(context.database, user.id)).toBe(2);

    const response = await here.submit('/account/password', {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/account');

    const account = await here.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Your password has been changed. You have been signed out everywhere else.');
    expect((await elsewhere.get('/account')).statusCode).toBe(302);
    expect((await someoneElse.get('/account')).statusCode).toBe(200);
    expect(await sessionCountFor(context.database, user.id)).toBe(1);

    const withOld = await new Agent(app).submit('/sign-in', { email: user.email, password: PASSWORD });
    expect(withOld.statusCode).toBe(400);
    await new Agent(app).signIn(user.email, NEW_PASSWORD);

    const events = await auditEventsNamed(context.database, 'user.password_changed');
    expect(events).toMatchObject([{ actorUserId: user.id, subjectId: user.id }]);
  });
});
