import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/platform/db/database.ts';
import type { Mailer, MailMessage } from '../../src/platform/mail/mailer.ts';
import { organisationRoles, roleLabels, type OrganisationRole } from '../../src/shared/current-user.ts';
import * as organisations from '../../src/features/organisations/organisations.repository.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, MemoryMailer, PASSWORD, TestClock } from '../support/app.ts';
import { auditEventsNamed, invitationPathIn } from '../support/accounts-helpers.ts';

const CHOSEN = 'lanterns over the harbour wall';
// PUBLIC_URL is http here: an https one turns on Secure cookies, which inject's plain HTTP never sends back.
const config = { SIGN_IN_ATTEMPTS_PER_MINUTE: '1000', PUBLIC_URL: 'http://plans.example.org' };

/** A mail server that refuses everything. */
class RefusingMailer implements Mailer {
  readonly description = 'refusing';
  async send(_message: MailMessage): Promise<void> {
    throw new Error('550 mailbox unavailable');
  }
}

describeOnEveryEngine('invitations', (context) => {
  let app: FastifyInstance;
  let mailer: MemoryMailer;
  let clock: TestClock;
  let admin: Agent;
  beforeAll(async () => {
    mailer = new MemoryMailer();
    ({ app, clock } = await buildTestApp(context.database, { config, mailer }));
    const adminUser = await createUser(context.database, { isAdmin: true, displayName: 'Ada Admin' });
    admin = new Agent(app);
    await admin.signIn(adminUser.email, PASSWORD);
  });
  afterAll(() => app.close());

  const lastMailTo = (email: string) => mailer.sent.filter((m) => m.to === email).at(-1);
  const acceptAs = async (agent: Agent, path: string, password = CHOSEN) => agent.submit(path, { password, confirmPassword: password });
  /** Posts a password to a link whose page has no form, with a CSRF token from another page. */
  const postPasswordTo = async (path: string, password = CHOSEN) => {
    const agent = new Agent(app);
    await agent.get('/sign-in');
    return agent.post(path, { password, confirmPassword: password });
  };
  async function countRows(query: ReturnType<typeof sql>) {
    return Number(rowsOf<{ n: number }>(await context.database.db.execute(query))[0]?.n);
  }

  describe('administrators', () => {
    it('shows the invite form and refuses an invalid one with the error summary, keeping values', async () => {
      const form = await admin.get('/admin/users/invite');
      expect(form.statusCode).toBe(200);
      const response = await admin.submit('/admin/users/invite', { displayName: '', email: 'not-an-address' });
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toBe(
        'There is a problem Enter the full name Enter an email address in the correct format, like name@example.com',
      );
      expect(response.body).toMatch(/id="email"[^>]*value="not-an-address"/);
    });

    it('invites an administrator who chooses a password through the e-mailed link and is signed in', async () => {
      const sent = await admin.submit('/admin/users/invite', { displayName: 'Bea Second', email: 'bea.second@example.org' });
      expect(sent.statusCode).toBe(200);
      expect(sent.body).toContain('Invitation sent');
      expect(sent.body).toContain('We have emailed a link');
      expect(sent.body).not.toContain('/invitations/');

      const mail = lastMailTo('bea.second@example.org');
      expect(mail?.subject).toBe('You have been invited to Police and crime plans');
      expect(mail?.text).toContain('Dear Bea Second,');
      expect(mail?.text).toContain('Ada Admin has invited you to use Police and crime plans as an administrator of the service.');
      expect(mail?.text).toMatch(/http:\/\/plans\.example\.org\/invitations\/[A-Za-z0-9_-]{43}\n/);
      const link = invitationPathIn(mail!.text);

      const [invited] = await auditEventsNamed(context.database, 'user.invited');
      expect(invited).toMatchObject({
        actorLabel: 'Ada Admin',
        after: { email: 'bea.second@example.org', displayName: 'Bea Second', isAdmin: true },
      });

      const bea = new Agent(app);
      const page = await bea.get(link);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Choose your password');
      expect(page.body).toContain('Bea Second (bea.second@example.org)');

      const mismatch = await bea.post(link, { password: CHOSEN, confirmPassword: 'lanterns over the harbour' });
      expect(mismatch.statusCode).toBe(400);
      expect(errorSummaryText(mismatch.body)).toBe('There is a problem Passwords do not match');
      const withEmail = await acceptAs(bea, link, 'bea.second is my password');
      expect(errorSummaryText(withEmail.body)).toBe('There is a problem Password must not contain your e-mail address');

      const accepted = await acceptAs(bea, link);
      expect(accepted.statusCode).toBe(302);
      expect(accepted.headers.location).toBe('/');
      const home = await bea.get('/');
      expect(home.body).toContain('Your account is ready. You are signed in.');
      expect((await bea.get('/admin/users')).statusCode).toBe(200);
      expect(await auditEventsNamed(context.database, 'user.invitation_accepted')).toHaveLength(1);

      // The link works once.
      const again = await new Agent(app).get(link);
      expect(again.statusCode).toBe(410);
      expect(again.body).toContain('This invitation link has already been used');
      const replay = await postPasswordTo(link, 'someone else entirely');
      expect(replay.statusCode).toBe(410);
      await new Agent(app).signIn('bea.second@example.org', CHOSEN);
    });

    it('says so when the person is already an administrator', async () => {
      const existing = await createUser(context.database, { isAdmin: true });
      const response = await admin.submit('/admin/users/invite', { displayName: 'Again', email: existing.email.toUpperCase() });
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toBe('There is a problem This person is already an administrator');
    });

    it('makes an existing member an administrator without a new link', async () => {
      const member = await createUser(context.database);
      const before = mailer.sent.length;
      const response = await admin.submit('/admin/users/invite', { displayName: 'Ignored', email: member.email });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Access given');
      expect(mailer.sent).toHaveLength(before + 1);
      expect(lastMailTo(member.email)?.subject).toBe('You have been given access to Police and crime plans');
      expect(lastMailTo(member.email)?.text).toContain('Sign in at http://plans.example.org/sign-in with your existing password.');
      expect(lastMailTo(member.email)?.text).not.toContain('/invitations/');
      const agent = new Agent(app);
      await agent.signIn(member.email, PASSWORD);
      expect((await agent.get('/admin/users')).statusCode).toBe(200);
      expect(await auditEventsNamed(context.database, 'administrator.granted')).toMatchObject([{ subjectId: member.id }]);
    });

    it('is only for administrators', async () => {
      const { body } = await createBody(context.database);
      const commissioner = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'commissioner' }] });
      const agent = new Agent(app);
      expect((await agent.get('/admin/users/invite')).headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Fusers%2Finvite');
      await agent.signIn(commissioner.email, PASSWORD);
      expect((await agent.get('/admin/users/invite')).statusCode).toBe(403);
      const post = await agent.post('/admin/users/invite', { displayName: 'Sneaky', email: 'sneaky@example.org' });
      expect(post.statusCode).toBe(403);
      expect(await countRows(sql`select count(*)::int as n from users where email = 'sneaky@example.org'`)).toBe(0);
    });
  });

  describe('members of a body', () => {
    let body: Awaited<ReturnType<typeof createBody>>;
    let commissioner: Agent;
    beforeAll(async () => {
      body = await createBody(context.database, { name: 'Police and Crime Commissioner for Testshire' });
      const user = await createUser(context.database, {
        displayName: 'Cora Commissioner',
        memberships: [{ policingBodyId: body.body.id, role: 'commissioner' }],
      });
      commissioner = new Agent(app);
      await commissioner.signIn(user.email, PASSWORD);
    });

    it('shows the invite form with every role and the body’s partners', async () => {
      const form = await commissioner.get(`/bodies/${body.body.slug}/members/invite`);
      expect(form.statusCode).toBe(200);
      for (const role of organisationRoles) expect(form.body).toContain(`value="${role}"`);
      expect(form.body).toContain(`<option value="${body.partner.id}">${body.partner.name}</option>`);
    });

    it.each(organisationRoles)('invites a %s, who accepts and has that role', async (role: OrganisationRole) => {
      const email = `new-${role}@testshire.example.org`;
      const fields = { displayName: `New ${role}`, email, role, partnerId: role === 'partner' ? body.partner.id : '' };
      const sent = await commissioner.submit(`/bodies/${body.body.slug}/members/invite`, fields);
      expect(sent.statusCode).toBe(200);
      expect(sent.body).toContain('Invitation sent');
      const mail = lastMailTo(email);
      expect(mail?.text).toContain(
        `Cora Commissioner has invited you to use Police and crime plans as ${roleLabels[role].toLowerCase()} for Police and Crime Commissioner for Testshire.`,
      );

      const agent = new Agent(app);
      expect((await acceptAs(agent, invitationPathIn(mail!.text))).statusCode).toBe(302);
      const account = await agent.get('/account');
      expect(account.body).toContain(`${roleLabels[role]}, Police and Crime Commissioner for Testshire`);
      expect(account.body).not.toContain('Administrator of this service');

      const [row] = rowsOf<{ partner_id: string | null; scrutiny_body_id: string | null }>(
        await context.database.db.execute(
          sql`select m.partner_id, m.scrutiny_body_id from memberships m join users u on u.id = m.user_id where u.email = ${email}`,
        ),
      );
      expect(row).toEqual({
        partner_id: role === 'partner' ? body.partner.id : null,
        scrutiny_body_id: role === 'panel_member' || role === 'panel_officer' ? body.panel.id : null,
      });
      const granted = (await auditEventsNamed(context.database, 'membership.granted')).at(-1);
      expect(granted).toMatchObject({ policingBodyId: body.body.id, after: { email, role } });
    });

    it('lets the commissioner’s office invite too', async () => {
      const officer = await createUser(context.database, { memberships: [{ policingBodyId: body.body.id, role: 'officer' }] });
      const agent = new Agent(app);
      await agent.signIn(officer.email, PASSWORD);
      const sent = await agent.submit(`/bodies/${body.body.slug}/members/invite`, {
        displayName: 'Fran Force',
        email: 'fran@force.example.org',
        role: 'force',
      });
      expect(sent.statusCode).toBe(200);
      expect(lastMailTo('fran@force.example.org')).toBeDefined();
    });

    it('re-renders an invalid invitation with the error summary and the values kept', async () => {
      const response = await commissioner.submit(`/bodies/${body.body.slug}/members/invite`, {
        displayName: 'Pat Partner',
        email: 'pat@example.org',
      });
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toBe('There is a problem Select their role');
      expect(response.body).toContain('href="#role"');
      expect(response.body).toMatch(/id="displayName"[^>]*value="Pat Partner"/);
    });

    it('needs a partner organisation of this body for the partner role', async () => {
      const other = await createBody(context.database);
      for (const partnerId of ['', other.partner.id, '00000000-0000-4000-8000-000000000000']) {
        const response = await commissioner.submit(`/bodies/${body.body.slug}/members/invite`, {
          displayName: 'Pat Partner',
          email: 'pat@example.org',
          role: 'partner',
          partnerId,
        });
        expect(response.statusCode, partnerId).toBe(400);
        expect(errorSummaryText(response.body)).toBe('There is a problem Select the partner organisation they work for');
        expect(response.body).toContain('href="#partnerId"');
        expect(response.body).toContain('value="partner" checked');
      }
      expect(await countRows(sql`select count(*)::int as n from users where email = 'pat@example.org'`)).toBe(0);
    });

    it('refuses panel roles while the body has no panel', async () => {
      const bare = await organisations.insertBody(context.database.db, {
        kind: 'pcc',
        name: 'Commissioner Without A Panel',
        slug: 'no-panel-yet',
        forceAreaId: 'avon-and-somerset',
        holderName: 'Sam',
        holderTitle: 'Police and Crime Commissioner',
        termStartsOn: '2024-05-13',
        termEndsOn: '2028-05-12',
        publishesInWelsh: false,
      });
      const response = await admin.submit(`/bodies/${bare.slug}/members/invite`, {
        displayName: 'Pan Member',
        email: 'pan@example.org',
        role: 'panel_member',
      });
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toBe('There is a problem Add the body’s Police and Crime Panel before inviting its members');
    });

    it('gives an existing user a new role at once, without a new link', async () => {
      const other = await createBody(context.database);
      const existing = await createUser(context.database, { memberships: [{ policingBodyId: other.body.id, role: 'force' }] });
      const invitationsBefore = await countRows(sql`select count(*)::int as n from invitations`);
      const response = await commissioner.submit(`/bodies/${body.body.slug}/members/invite`, {
        displayName: 'Whatever',
        email: existing.email,
        role: 'force',
      });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Access given');
      expect(response.body).toContain('They already have an account');
      expect(await countRows(sql`select count(*)::int as n from invitations`)).toBe(invitationsBefore);
      expect(lastMailTo(existing.email)?.subject).toBe('You have been given access to Police and crime plans');
      const agent = new Agent(app);
      await agent.signIn(existing.email, PASSWORD);
      const home = await agent.get('/');
      expect(home.body).toContain('Police and Crime Commissioner for Testshire');
      expect(home.body).toContain(other.body.name);
    });

    it('answers a duplicate role with a field error, not a server error', async () => {
      const member = await createUser(context.database, { memberships: [{ policingBodyId: body.body.id, role: 'officer' }] });
      const response = await commissioner.submit(`/bodies/${body.body.slug}/members/invite`, {
        displayName: 'Dup',
        email: member.email,
        role: 'officer',
      });
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toBe('There is a problem This person already has this role for this body');
      expect(response.body).toContain('href="#email"');
    });

    it.each(['force', 'partner', 'panel_member', 'panel_officer'] as const)(
      'refuses a %s access to the invite and members pages',
      async (role) => {
        const user = await createUser(context.database, {
          memberships: [
            {
              policingBodyId: body.body.id,
              role,
              partnerId: role === 'partner' ? body.partner.id : undefined,
              scrutinyBodyId: role.startsWith('panel') ? body.panel.id : undefined,
            },
          ],
        });
        const agent = new Agent(app);
        await agent.signIn(user.email, PASSWORD);
        const form = await agent.get(`/bodies/${body.body.slug}/members/invite`);
        expect(form.statusCode).toBe(403);
        expect(form.body).toContain('You do not have permission to view this page');
        expect((await agent.get(`/bodies/${body.body.slug}/members`)).statusCode).toBe(403);
        await agent.get('/');
        const post = await agent.post(`/bodies/${body.body.slug}/members/invite`, {
          displayName: 'Sneaky',
          email: `sneaky-${role}@example.org`,
          role: 'commissioner',
        });
        expect(post.statusCode).toBe(403);
        expect(await countRows(sql`select count(*)::int as n from users where email = ${`sneaky-${role}@example.org`}`)).toBe(0);
      },
    );

    it('refuses the commissioner of another body', async () => {
      const other = await createBody(context.database);
      const user = await createUser(context.database, { memberships: [{ policingBodyId: other.body.id, role: 'commissioner' }] });
      const agent = new Agent(app);
      await agent.signIn(user.email, PASSWORD);
      expect((await agent.get(`/bodies/${body.body.slug}/members/invite`)).statusCode).toBe(403);
      expect((await agent.get(`/bodies/${other.body.slug}/members/invite`)).statusCode).toBe(200);
    });

    it('shows the link on the page when the e-mail cannot be sent', async () => {
      const { app: failing } = await buildTestApp(context.database, { config, mailer: new RefusingMailer() });
      try {
        const user = await createUser(context.database, { memberships: [{ policingBodyId: body.body.id, role: 'commissioner' }] });
        const agent = new Agent(failing);
        await agent.signIn(user.email, PASSWORD);
        const response = await agent.submit(`/bodies/${body.body.slug}/members/invite`, {
          displayName: 'No Mail',
          email: 'no-mail@example.org',
          role: 'officer',
        });
        expect(response.statusCode).toBe(200);
        expect(response.body).toContain('We could not send the email');
        const link = /<code>http:\/\/plans\.example\.org(\/invitations\/[A-Za-z0-9_-]+)<\/code>/.exec(response.body)?.[1];
        expect(link).toBeDefined();
        expect((await new Agent(failing).get(link!)).statusCode).toBe(200);
      } finally {
        await failing.close();
      }
    });

    it('removes a membership and records it', async () => {
      const member = await createUser(context.database, {
        displayName: 'Remy Removed',
        memberships: [{ policingBodyId: body.body.id, role: 'officer' }],
      });
      const [membership] = rowsOf<{ id: string }>(
        await context.database.db.execute(sql`select id from memberships where user_id = ${member.id}`),
      );
      const list = await commissioner.get(`/bodies/${body.body.slug}/members`);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain('Remy Removed');
      const response = await commissioner.post(`/bodies/${body.body.slug}/members/${membership!.id}/remove`, {});
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe(`/bodies/${body.body.slug}/members`);
      const after = await commissioner.get(`/bodies/${body.body.slug}/members`);
      expect(after.body).toContain('Access removed.');
      expect(after.body).not.toContain('Remy Removed');
      expect((await auditEventsNamed(context.database, 'membership.removed')).at(-1)).toMatchObject({
        policingBodyId: body.body.id,
        subjectId: member.id,
        before: { role: 'officer', partnerId: null, scrutinyBodyId: null },
      });
      // Gone: removing it again is not found, and so is a membership of another body.
      expect((await commissioner.post(`/bodies/${body.body.slug}/members/${membership!.id}/remove`, {})).statusCode).toBe(404);
      await commissioner.get(`/bodies/${body.body.slug}/members`);
      const other = await createBody(context.database);
      const outsider = await createUser(context.database, { memberships: [{ policingBodyId: other.body.id, role: 'officer' }] });
      const [theirs] = rowsOf<{ id: string }>(
        await context.database.db.execute(sql`select id from memberships where user_id = ${outsider.id}`),
      );
      expect((await commissioner.post(`/bodies/${body.body.slug}/members/${theirs!.id}/remove`, {})).statusCode).toBe(404);
      await commissioner.get(`/bodies/${body.body.slug}/members`);
      expect((await commissioner.post(`/bodies/${body.body.slug}/members/not-a-uuid/remove`, {})).statusCode).toBe(404);
      expect(await countRows(sql`select count(*)::int as n from memberships where user_id = ${outsider.id}`)).toBe(1);
    });
  });

  describe('links that cannot be used', () => {
    it('answers an unknown token with 404', async () => {
      const response = await new Agent(app).get('/invitations/no-such-token');
      expect(response.statusCode).toBe(404);
      expect((await postPasswordTo('/invitations/no-such-token')).statusCode).toBe(404);
    });

    it('says a link has expired after 7 days', async () => {
      await admin.submit('/admin/users/invite', { displayName: 'Late Larry', email: 'late@example.org' });
      const link = invitationPathIn(lastMailTo('late@example.org')!.text);
      clock.advanceMinutes(7 * 24 * 60 - 1);
      expect((await new Agent(app).get(link)).statusCode).toBe(200);
      clock.advanceMinutes(24 * 60 + 1);
      const page = await new Agent(app).get(link);
      expect(page.statusCode).toBe(410);
      expect(page.body).toContain('This invitation link has expired');
      const accept = await postPasswordTo(link);
      expect(accept.statusCode).toBe(410);
      expect(accept.body).toContain('This invitation link has expired');
      expect(
        await countRows(sql`select count(*)::int as n from users where email = 'late@example.org' and password_hash is not null`),
      ).toBe(0);
    });
  });
});
