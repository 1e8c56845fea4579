import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, requireAdmin, requireSignedIn, signedInUser } from '../../platform/http/guards.ts';
import { formatDateTime } from '../../shared/dates.ts';
import { organisationRoles, roleLabels } from '../../shared/current-user.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, findScrutinyBodyOf, listBodiesForUser, listPartners } from '../organisations/index.ts';
import { can } from './accounts.permissions.ts';
import * as repository from './accounts.repository.ts';
import {
  acceptInvitationSchema,
  changePasswordSchema,
  inviteAdministratorSchema,
  inviteMemberSchema,
  safeReturnPath,
  setupSchema,
  signInSchema,
} from './accounts.schemas.ts';
import * as service from './accounts.service.ts';

type Options = { services: Services };

/** Signing in and out, first-run set-up, invitations, your account, and managing people. */
export async function accountsRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  const { database, config, mailer } = services;
  const db = database.db;
  const lockoutPolicy = { failuresBeforeLock: config.lockoutAfterFailures, lockMinutes: config.lockoutMinutes };

  // Home: a start page for visitors, your organisations once signed in.
  app.get(paths.home(), async (request, reply) => {
    if (!request.user) return reply.page('accounts/views/start.njk');
    const bodies = await listBodiesForUser(db, request.user);
    return reply.page('accounts/views/home.njk', {
      bodies: bodies.map((body) => ({
        ...body,
        roles: request.user!.memberships.filter((m) => m.policingBodyId === body.id).map((m) => roleLabels[m.role]),
      })),
    });
  });

  // First-run set-up: only the holder of the token printed at start-up can create the first administrator.
  const setupPage = (reply: FastifyReply, values: Record<string, string>, errors: FieldErrors = {}) =>
    reply.page('accounts/views/setup.njk', { values, errors, errorList: errorSummary(errors) });

  app.get(paths.setup(), async (request, reply) => {
    const token = String((request.query as Record<string, unknown>).token ?? '');
    if (!(await service.isSetupTokenValid(db, token))) throw notFound();
    return setupPage(reply, { token });
  });

  app.post(paths.setup(), async (request, reply) => {
    const values = formValues(request.body);
    if (!(await service.isSetupTokenValid(db, values.token ?? ''))) throw notFound();
    const form = parseForm(setupSchema, values);
    if (!form.ok) return setupPage(reply.code(400), withoutPasswords(values), form.errors);
    const created = await service.createFirstAdministrator(db, form.value, services.now());
    if (!created.ok) throw notFound();
    await startSession(request, created.value.id, services.now());
    request.session.flash = 'Your administrator account has been created. Next, add the policing body this service is for.';
    return reply.redirect(paths.bodies());
  });

  // Sign in, rate-limited per address; accounts lock after repeated failures.
  const signInPage = (reply: FastifyReply, values: Record<string, string>, errors: FieldErrors = {}) =>
    reply.page('accounts/views/sign-in.njk', { values, errors, errorList: errorSummary(errors) });

  app.get(paths.signIn(), async (request, reply) => {
    const returnTo = safeReturnPath(String((request.query as Record<string, unknown>).returnTo ?? '')) ?? '';
    if (request.user) return reply.redirect(returnTo || paths.home());
    return signInPage(reply, { returnTo });
  });

  app.post(
    paths.signIn(),
    { config: { rateLimit: { max: config.signInAttemptsPerMinute, timeWindow: 60_000 } } },
    async (request, reply) => {
      const values = formValues(request.body);
      const form = parseForm(signInSchema, values);
      if (!form.ok) return signInPage(reply.code(400), withoutPasswords(values), form.errors);
      const result = await service.signIn(db, form.value, lockoutPolicy, services.now());
      if (!result.ok) {
        const message =
          result.error.kind === 'locked'
            ? `This account is locked after too many failed attempts. Try again after ${formatDateTime(result.error.until)}.`
            : 'Enter a correct email address and password';
        return signInPage(reply.code(400), withoutPasswords(values), { email: message });
      }
      await startSession(request, result.value.id, services.now());
      return reply.redirect(safeReturnPath(form.value.returnTo) ?? paths.home());
    },
  );

  app.post(paths.signOut(), async (request, reply) => {
    await request.session.destroy();
    return reply.redirect(paths.signIn());
  });

  // Your account.
  app.get(paths.account(), { preHandler: requireSignedIn }, async (request, reply) => {
    const user = signedInUser(request);
    const [bodies, dailyDigest] = await Promise.all([listBodiesForUser(db, user), repository.wantsDailyDigest(db, user.id)]);
    return reply.page('accounts/views/account.njk', {
      dailyDigest,
      memberships: user.memberships.map((m) => ({
        role: roleLabels[m.role],
        body: bodies.find((b) => b.id === m.policingBodyId)?.name ?? '',
      })),
    });
  });

  const changePasswordPage = (reply: FastifyReply, errors: FieldErrors = {}) =>
    reply.page('accounts/views/change-password.njk', { errors, errorList: errorSummary(errors) });

  app.get(paths.changePassword(), { preHandler: requireSignedIn }, async (_request, reply) => changePasswordPage(reply));

  app.post(paths.changePassword(), { preHandler: requireSignedIn }, async (request, reply) => {
    const user = signedInUser(request);
    const form = parseForm(changePasswordSchema, formValues(request.body));
    if (!form.ok) return changePasswordPage(reply.code(400), form.errors);
    const result = await service.changePassword(db, user, { ...form.value, keepSessionId: request.session.sessionId }, services.now());
    if (!result.ok) return changePasswordPage(reply.code(400), { currentPassword: 'Your current password is not correct' });
    request.session.flash = 'Your password has been changed. You have been signed out everywhere else.';
    return reply.redirect(paths.account());
  });

  // Accepting an invitation: the person chooses a password and is signed in.
  const invitationPage = async (reply: FastifyReply, token: string, errors: FieldErrors = {}) => {
    const invitation = await service.findInvitation(db, token, services.now());
    if (invitation.kind === 'unknown') throw notFound();
    if (invitation.kind !== 'valid') return reply.code(410).page('accounts/views/invitation-unusable.njk', { reason: invitation.kind });
    return reply.page('accounts/views/accept-invitation.njk', {
      invitee: { displayName: invitation.user.displayName, email: invitation.user.email },
      action: paths.invitation(token),
      errors,
      errorList: errorSummary(errors),
    });
  };

  app.get('/invitations/:token', async (request, reply) => invitationPage(reply, (request.params as { token: string }).token));

  app.post('/invitations/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const invitation = await service.findInvitation(db, token, services.now());
    if (invitation.kind !== 'valid') return invitationPage(reply, token);
    const form = parseForm(acceptInvitationSchema(invitation.user.email), formValues(request.body));
    if (!form.ok) return invitationPage(reply.code(400), token, form.errors);
    const accepted = await service.acceptInvitation(db, token, form.value.password, services.now());
    if (!accepted.ok) return invitationPage(reply, token);
    await startSession(request, accepted.value.id, services.now());
    request.session.flash = 'Your account is ready. You are signed in.';
    return reply.redirect(paths.home());
  });

  // Administrators: every user, and inviting another administrator.
  app.get(paths.users(), { preHandler: requireAdmin }, async (_request, reply) => {
    const [users, memberships] = await Promise.all([repository.listUsers(db), repository.listMembershipsWithNames(db)]);
    const now = services.now();
    return reply.page('accounts/views/users.njk', {
      users: users.map((user) => ({
        ...user,
        status: !user.hasPassword ? 'Invited' : user.lockedUntil && user.lockedUntil > now ? 'Locked' : 'Active',
        roles: [
          ...(user.isAdmin ? ['Administrator'] : []),
          ...memberships
            .filter((m) => m.userId === user.id)
            .map((m) => `${roleLabels[m.role]}, ${m.bodyName}${m.partnerName ? ` (${m.partnerName})` : ''}`),
        ],
      })),
    });
  });

  const inviteAdministratorPage = (reply: FastifyReply, values: Record<string, string>, errors: FieldErrors = {}) =>
    reply.page('accounts/views/invite-administrator.njk', { values, errors, errorList: errorSummary(errors) });

  app.get(paths.inviteAdministrator(), { preHandler: requireAdmin }, async (_request, reply) => inviteAdministratorPage(reply, {}));

  app.post(paths.inviteAdministrator(), { preHandler: requireAdmin }, async (request, reply) => {
    const user = signedInUser(request);
    authorise(can(user, 'administrator.invite'));
    const values = formValues(request.body);
    const form = parseForm(inviteAdministratorSchema, values);
    if (!form.ok) return inviteAdministratorPage(reply.code(400), values, form.errors);
    const result = await service.invitePerson(
      db,
      mailer,
      user,
      { invitee: form.value, grant: null, publicUrl: config.publicUrl },
      services.now(),
    );
    if (!result.ok) return inviteAdministratorPage(reply.code(400), values, { email: 'This person is already an administrator' });
    return reply.page('accounts/views/invitation-sent.njk', { invitee: form.value, outcome: result.value, backTo: paths.users() });
  });

  // A body's people: listing, inviting and removing access (commissioner, office staff, administrators).
  const loadBodyFor = async (request: FastifyRequest, action: 'members.list' | 'member.invite' | 'member.remove') => {
    const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
    if (!body) throw notFound();
    authorise(can(signedInUser(request), action, { policingBodyId: body.id }));
    return body;
  };

  app.get('/bodies/:slug/members', { preHandler: requireSignedIn }, async (request, reply) => {
    const body = await loadBodyFor(request, 'members.list');
    const members = await repository.listMembersOfBody(db, body.id);
    return reply.page('accounts/views/members.njk', {
      body,
      members: members.map((member) => ({ ...member, roleLabel: roleLabels[member.role] })),
    });
  });

  const inviteMemberPage = async (
    reply: FastifyReply,
    body: { id: string; name: string; slug: string },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) => {
    const [partners, panel] = await Promise.all([listPartners(db, body.id), findScrutinyBodyOf(db, body.id)]);
    return reply.page('accounts/views/invite-member.njk', {
      body,
      panel,
      partners,
      roles: organisationRoles.map((role) => ({ value: role, text: roleLabels[role] })),
      values,
      errors,
      errorList: errorSummary(errors, { role: 'role', partnerId: 'partnerId' }),
    });
  };

  app.get('/bodies/:slug/members/invite', { preHandler: requireSignedIn }, async (request, reply) =>
    inviteMemberPage(reply, await loadBodyFor(request, 'member.invite'), {}),
  );

  app.post('/bodies/:slug/members/invite', { preHandler: requireSignedIn }, async (request, reply) => {
    const body = await loadBodyFor(request, 'member.invite');
    const values = formValues(request.body);
    const form = parseForm(inviteMemberSchema, values);
    if (!form.ok) return inviteMemberPage(reply.code(400), body, values, form.errors);
    const { role, partnerId } = form.value;
    const partners = await listPartners(db, body.id);
    if (role === 'partner' && !partners.some((p) => p.id === partnerId)) {
      return inviteMemberPage(reply.code(400), body, values, { partnerId: 'Select the partner organisation they work for' });
    }
    const panel = await findScrutinyBodyOf(db, body.id);
    if ((role === 'panel_member' || role === 'panel_officer') && !panel) {
      return inviteMemberPage(reply.code(400), body, values, { role: 'Add the body’s Police and Crime Panel before inviting its members' });
    }
    const grant = {
      policingBodyId: body.id,
      policingBodyName: body.name,
      role,
      partnerId: role === 'partner' ? partnerId : null,
      scrutinyBodyId: role === 'panel_member' || role === 'panel_officer' ? panel!.id : null,
    };
    const result = await service.invitePerson(
      db,
      mailer,
      signedInUser(request),
      { invitee: form.value, grant, publicUrl: config.publicUrl },
      services.now(),
    );
    if (!result.ok) return inviteMemberPage(reply.code(400), body, values, { email: 'This person already has this role for this body' });
    return reply.page('accounts/views/invitation-sent.njk', {
      invitee: form.value,
      outcome: result.value,
      backTo: paths.bodyMembers(body.slug),
    });
  });

  app.post('/bodies/:slug/members/:membershipId/remove', { preHandler: requireSignedIn }, async (request, reply) => {
    const body = await loadBodyFor(request, 'member.remove');
    const { membershipId } = request.params as { membershipId: string };
    if (!isUuid(membershipId)) throw notFound();
    const result = await service.removeMembership(db, signedInUser(request), { membershipId, policingBodyId: body.id }, services.now());
    if (!result.ok) throw notFound();
    request.session.flash = 'Access removed.';
    return reply.redirect(paths.bodyMembers(body.slug));
  });
}

/** Signs a user in on a fresh session id, so a session fixed before sign-in is worthless (rotation). */
async function startSession(request: FastifyRequest, userId: string, now: Date): Promise<void> {
  await request.session.regenerate();
  request.session.userId = userId;
  request.session.signedInAt = now.getTime();
}

/** Passwords are never sent back to the browser, even on an error page. */
function withoutPasswords(values: Record<string, string>): Record<string, string> {
  const { password: _p, confirmPassword: _c, currentPassword: _cp, newPassword: _n, ...rest } = values;
  return rest;
}
