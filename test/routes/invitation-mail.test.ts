import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createMailer } from '../../src/platform/mail/mailer.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD } from '../support/app.ts';
import { bodyOf, headerOf, invitationPathIn, startSmtpServer } from '../support/accounts-helpers.ts';

describeOnEveryEngine('an invitation sent through a real SMTP server', (context) => {
  let app: FastifyInstance;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      from: 'Police and crime plans <no-reply@plans.example.org>',
      dataDir: '/nonexistent',
      logger: pino({ level: 'silent' }),
    });
    ({ app } = await buildTestApp(context.database, { mailer, config: { PUBLIC_URL: 'http://plans.example.org' } }));
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('arrives with a working link', async () => {
    const { body } = await createBody(context.database, { name: 'Commissioner for Mailshire' });
    const commissioner = await createUser(context.database, {
      displayName: 'Cal Commissioner',
      memberships: [{ policingBodyId: body.id, role: 'commissioner' }],
    });
    const agent = new Agent(app);
    await agent.signIn(commissioner.email, PASSWORD);
    const sent = await agent.submit(`/bodies/${body.slug}/members/invite`, {
      displayName: 'Ola Officer',
      email: 'ola.officer@mailshire.example.org',
      role: 'officer',
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('We have emailed a link');

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.to).toEqual(['ola.officer@mailshire.example.org']);
    expect(mail!.from).toBe('no-reply@plans.example.org');
    expect(headerOf(mail!.raw, 'Subject')).toBe('You have been invited to Police and crime plans');
    const text = bodyOf(mail!.raw);
    expect(text).toContain('Dear Ola Officer,');
    expect(text).toContain(
      'Cal Commissioner has invited you to use Police and crime plans as office of the commissioner (staff) for Commissioner for Mailshire.',
    );

    const ola = new Agent(app);
    const link = invitationPathIn(text);
    const page = await ola.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ola Officer (ola.officer@mailshire.example.org)');
    const accepted = await ola.post(link, { password: 'ferns beneath the viaduct', confirmPassword: 'ferns beneath the viaduct' });
    expect(accepted.statusCode).toBe(302);
    expect((await ola.get(`/bodies/${body.slug}/members`)).statusCode).toBe(200);
  });
});
