import { createHash, randomBytes } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import type { Database } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { CurrentUser, OrganisationRole } from '../../shared/current-user.ts';
import { roleLabels } from '../../shared/current-user.ts';
import { paths } from '../../shared/paths.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { afterFailedSignIn, isLocked, type LockoutPolicy } from './domain/lockout.ts';
import * as repository from './accounts.repository.ts';

const SESSION_SECRET_KEY = 'session_secret';
const SETUP_TOKEN_KEY = 'setup_token_hash';
const INVITATION_DAYS = 7;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
export const hashPassword = (password: string) => argon2Hash(password);

// Verified against when no account matches, so a wrong e-mail costs as long as a wrong password.
const decoyHash = hashPassword(newToken());

const actorOf = (user: { id: string; displayName: string }) => ({ userId: user.id, label: user.displayName });

/** The cookie-signing secret: from config, or generated once and shared by every process through the database. */
export async function resolveSessionSecret(db: Database, generate: () => string): Promise<string> {
  return (await repository.readSetting(db, SESSION_SECRET_KEY)) ?? repository.insertSettingIfAbsent(db, SESSION_SECRET_KEY, generate());
}

/**
 * On a fresh instance, makes a one-time set-up token (only its hash is stored) and returns it
 * for the start-up log. Only someone who can read that log can create the first administrator.
 */
export async function prepareFirstRun(db: Database): Promise<string | null> {
  if ((await repository.countUsers(db)) > 0) {
    await repository.deleteSetting(db, SETUP_TOKEN_KEY);
    return null;
  }
  const token = newToken();
  await repository.writeSetting(db, SETUP_TOKEN_KEY, hashToken(token));
  return token;
}

export async function isSetupTokenValid(db: Database, token: string): Promise<boolean> {
  const stored = await repository.readSetting(db, SETUP_TOKEN_KEY);
  return stored !== undefined && token.length > 0 && stored === hashToken(token);
}

export async function createFirstAdministrator(
  db: Database,
  input: { token: string; displayName: string; email: string; password: string },
  now: Date,
): Promise<Result<repository.UserRow, 'invalid_token'>> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const stored = await repository.readSetting(tx, SETUP_TOKEN_KEY);
    if (!stored || stored !== hashToken(input.token) || (await repository.countUsers(tx)) > 0) return fail('invalid_token');
    const user = await repository.insertUser(tx, {
      email: input.email.trim(),
      displayName: input.displayName.trim(),
      passwordHash,
      isAdmin: true,
      lastSignedInAt: now,
    });
    await repository.deleteSetting(tx, SETUP_TOKEN_KEY);
    await appendAuditEvent(tx, {
      actor: actorOf(user),
      action: 'administrator.created',
      subject: { type: 'user', id: user.id },
      after: { email: user.email, displayName: user.displayName, isAdmin: true, via: 'first-run set-up' },
      occurredAt: now,
    });
    return ok(user);
  });
}

export type SignInRefusal = { kind: 'wrong_credentials' } | { kind: 'locked'; until: Date };

export async function signIn(
  db: Database,
  input: { email: string; password: string },
  policy: LockoutPolicy,
  now: Date,
): Promise<Result<repository.UserRow, SignInRefusal>> {
  const user = await repository.findUserByEmail(db, input.email);
  if (!user || !user.passwordHash) {
    await argon2Verify(await decoyHash, input.password);
    return fail({ kind: 'wrong_credentials' });
  }
  if (isLocked(user, now)) return fail({ kind: 'locked', until: user.lockedUntil! });
  if (await argon2Verify(user.passwordHash, input.password)) {
    await db.transaction(async (tx) => {
      await repository.updateUser(tx, user.id, { failedSignInCount: 0, lockedUntil: null, lastSignedInAt: now });
      await appendAuditEvent(tx, {
        actor: actorOf(user),
        action: 'user.signed_in',
        subject: { type: 'user', id: user.id },
        occurredAt: now,
      });
    });
    return ok(user);
  }
  const next = afterFailedSignIn(user, policy, now);
  await db.transaction(async (tx) => {
    await repository.updateUser(tx, user.id, { failedSignInCount: next.failedSignInCount, lockedUntil: next.lockedUntil });
    if (next.hasJustLocked) {
      await appendAuditEvent(tx, {
        actor: { userId: null, label: 'system' },
        action: 'user.locked',
        subject: { type: 'user', id: user.id },
        after: { lockedUntil: next.lockedUntil?.toISOString(), reason: `${policy.failuresBeforeLock} failed sign-in attempts` },
        occurredAt: now,
      });
    }
  });
  return next.hasJustLocked ? fail({ kind: 'locked', until: next.lockedUntil! }) : fail({ kind: 'wrong_credentials' });
}

export async function changePassword(
  db: Database,
  user: CurrentUser,
  input: { currentPassword: string; newPassword: string; keepSessionId: string },
  now: Date,
): Promise<Result<void, 'wrong_current_password'>> {
  const row = await repository.findUserById(db, user.id);
  if (!row?.passwordHash || !(await argon2Verify(row.passwordHash, input.currentPassword))) return fail('wrong_current_password');
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await repository.updateUser(tx, user.id, { passwordHash, updatedAt: now });
    await repository.deleteOtherSessions(tx, user.id, input.keepSessionId);
    await appendAuditEvent(tx, {
      actor: actorOf(user),
      action: 'user.password_changed',
      subject: { type: 'user', id: user.id },
      occurredAt: now,
    });
  });
  return ok(undefined);
}

export type Invitee = { email: string; displayName: string };
export type MembershipGrant = {
  policingBodyId: string;
  policingBodyName: string;
  role: OrganisationRole;
  scrutinyBodyId: string | null;
  partnerId: string | null;
};
export type InvitationOutcome = { userId: string; invitationUrl: string | null; isMailSent: boolean };

/**
 * Invites a person: a new account waiting for its password, or an existing account given
 * a new role. The e-mail is sent after the transaction commits, so a mail failure loses nothing.
 */
export async function invitePerson(
  db: Database,
  mailer: Mailer,
  inviter: CurrentUser,
  input: { invitee: Invitee; grant: MembershipGrant | null; publicUrl: string },
  now: Date,
): Promise<Result<InvitationOutcome, 'already_has_role'>> {
  const outcome = await db.transaction(async (tx) => {
    let user = await repository.findUserByEmail(tx, input.invitee.email);
    const isNewUser = !user;
    user ??= await repository.insertUser(tx, {
      email: input.invitee.email.trim(),
      displayName: input.invitee.displayName.trim(),
      isAdmin: input.grant === null,
    });
    if (input.grant) {
      const membership = await repository.insertMembership(tx, { userId: user.id, ...input.grant });
      if (!membership) return fail('already_has_role' as const);
      await appendAuditEvent(tx, {
        actor: actorOf(inviter),
        policingBodyId: input.grant.policingBodyId,
        action: 'membership.granted',
        subject: { type: 'user', id: user.id },
        after: { email: user.email, role: input.grant.role, partnerId: input.grant.partnerId, scrutinyBodyId: input.grant.scrutinyBodyId },
        occurredAt: now,
      });
    } else if (!isNewUser) {
      if (user.isAdmin) return fail('already_has_role' as const);
      await repository.updateUser(tx, user.id, { isAdmin: true, updatedAt: now });
      await appendAuditEvent(tx, {
        actor: actorOf(inviter),
        action: 'administrator.granted',
        subject: { type: 'user', id: user.id },
        before: { isAdmin: false },
        after: { isAdmin: true },
        occurredAt: now,
      });
    }
    let token: string | null = null;
    if (!user.passwordHash) {
      token = newToken();
      await repository.insertInvitation(tx, {
        userId: user.id,
        tokenHash: hashToken(token),
        invitedBy: inviter.id,
        expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000),
      });
      await appendAuditEvent(tx, {
        actor: actorOf(inviter),
        policingBodyId: input.grant?.policingBodyId ?? null,
        action: 'user.invited',
        subject: { type: 'user', id: user.id },
        after: { email: user.email, displayName: user.displayName, isAdmin: input.grant === null },
        occurredAt: now,
      });
    }
    return ok({ user, token });
  });
  if (!outcome.ok) return outcome;
  const { user, token } = outcome.value;
  const invitationUrl = token ? `${input.publicUrl}${paths.invitation(token)}` : null;
  const what = input.grant
    ? `${roleLabels[input.grant.role].toLowerCase()} for ${input.grant.policingBodyName}`
    : 'an administrator of the service';
  const text = invitationUrl
    ? [
        `Dear ${user.displayName},`,
        '',
        `${inviter.displayName} has invited you to use Police and crime plans as ${what}.`,
        '',
        'To accept, choose a password using this link:',
        invitationUrl,
        '',
        `The link works once and expires in ${INVITATION_DAYS} days. If you were not expecting this, you can ignore this e-mail.`,
      ].join('\n')
    : [
        `Dear ${user.displayName},`,
        '',
        `${inviter.displayName} has given you access to Police and crime plans as ${what}.`,
        '',
        `Sign in at ${input.publicUrl}${paths.signIn()} with your existing password.`,
      ].join('\n');
  let isMailSent = true;
  try {
    await mailer.send({
      to: user.email,
      subject: invitationUrl ? 'You have been invited to Police and crime plans' : 'You have been given access to Police and crime plans',
      text,
    });
  } catch {
    isMailSent = false;
  }
  return ok({ userId: user.id, invitationUrl, isMailSent });
}

export type InvitationState = { kind: 'valid'; invitationId: string; user: repository.UserRow } | { kind: 'expired' | 'used' | 'unknown' };

export async function findInvitation(db: Database, token: string, now: Date): Promise<InvitationState> {
  const found = await repository.findInvitationByTokenHash(db, hashToken(token));
  if (!found) return { kind: 'unknown' };
  if (found.invitation.acceptedAt || found.user.passwordHash) return { kind: 'used' };
  if (found.invitation.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
  return { kind: 'valid', invitationId: found.invitation.id, user: found.user };
}

export async function acceptInvitation(
  db: Database,
  token: string,
  password: string,
  now: Date,
): Promise<Result<repository.UserRow, 'expired' | 'used' | 'unknown'>> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const found = await repository.findInvitationByTokenHash(tx, hashToken(token));
    if (!found) return fail('unknown' as const);
    if (found.invitation.acceptedAt || found.user.passwordHash) return fail('used' as const);
    if (found.invitation.expiresAt.getTime() <= now.getTime()) return fail('expired' as const);
    await repository.updateUser(tx, found.user.id, { passwordHash, lastSignedInAt: now, updatedAt: now });
    await repository.markInvitationAccepted(tx, found.invitation.id, now);
    await appendAuditEvent(tx, {
      actor: actorOf(found.user),
      action: 'user.invitation_accepted',
      subject: { type: 'user', id: found.user.id },
      occurredAt: now,
    });
    return ok(found.user);
  });
}

export async function removeMembership(
  db: Database,
  actor: CurrentUser,
  input: { membershipId: string; policingBodyId: string },
  now: Date,
): Promise<Result<void, 'not_found'>> {
  return db.transaction(async (tx) => {
    const removed = await repository.deleteMembership(tx, input.membershipId, input.policingBodyId);
    if (!removed) return fail('not_found' as const);
    await appendAuditEvent(tx, {
      actor: actorOf(actor),
      policingBodyId: input.policingBodyId,
      action: 'membership.removed',
      subject: { type: 'user', id: removed.userId },
      before: { role: removed.role, partnerId: removed.partnerId, scrutinyBodyId: removed.scrutinyBodyId },
      occurredAt: now,
    });
    return ok(undefined);
  });
}
