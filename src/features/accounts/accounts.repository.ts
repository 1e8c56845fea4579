import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import type { CurrentUser, Membership, OrganisationRole } from '../../shared/current-user.ts';
import { invitations, memberships, settings, users } from './accounts.tables.ts';
import { partners, policingBodies } from '../organisations/organisations.tables.ts';
import { notificationPreferences } from '../notifications/notifications.tables.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return row;
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function countUsers(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export async function insertUser(db: Executor, values: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning();
  return row!;
}

export async function updateUser(db: Executor, id: string, values: Partial<typeof users.$inferInsert>): Promise<void> {
  await db.update(users).set(values).where(eq(users.id, id));
}

export async function membershipsOf(db: Executor, userId: string): Promise<Membership[]> {
  return db
    .select({
      policingBodyId: memberships.policingBodyId,
      role: memberships.role,
      scrutinyBodyId: memberships.scrutinyBodyId,
      partnerId: memberships.partnerId,
    })
    .from(memberships)
    .where(eq(memberships.userId, userId));
}

export async function loadCurrentUser(db: Executor, userId: string): Promise<CurrentUser | null> {
  const user = await findUserById(db, userId);
  if (!user || !user.passwordHash) return null;
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    isAdmin: user.isAdmin,
    memberships: await membershipsOf(db, user.id),
  };
}

export async function insertMembership(
  db: Executor,
  values: { userId: string; policingBodyId: string; role: OrganisationRole; scrutinyBodyId: string | null; partnerId: string | null },
) {
  const [row] = await db.insert(memberships).values(values).onConflictDoNothing().returning();
  return row;
}

export async function deleteMembership(db: Executor, membershipId: string, policingBodyId: string) {
  const [row] = await db
    .delete(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.policingBodyId, policingBodyId)))
    .returning();
  return row;
}

export async function insertInvitation(db: Executor, values: typeof invitations.$inferInsert): Promise<void> {
  await db.insert(invitations).values(values);
}

export async function findInvitationByTokenHash(db: Executor, tokenHash: string) {
  const [row] = await db
    .select({ invitation: invitations, user: users })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .where(eq(invitations.tokenHash, tokenHash));
  return row;
}

export async function markInvitationAccepted(db: Executor, invitationId: string, at: Date): Promise<void> {
  await db.update(invitations).set({ acceptedAt: at }).where(eq(invitations.id, invitationId));
}

export async function readSetting(db: Executor, key: string): Promise<string | undefined> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row?.value;
}

/** Inserts the setting unless another process got there first; returns the value that won. */
export async function insertSettingIfAbsent(db: Executor, key: string, value: string): Promise<string> {
  await db.insert(settings).values({ key, value }).onConflictDoNothing();
  return (await readSetting(db, key)) ?? value;
}

export async function writeSetting(db: Executor, key: string, value: string): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}

export async function deleteSetting(db: Executor, key: string): Promise<void> {
  await db.delete(settings).where(eq(settings.key, key));
}

/** Ends every session of a user except one (after a password change). */
export async function deleteOtherSessions(db: Executor, userId: string, keepSessionId: string): Promise<void> {
  await db.execute(sql`delete from sessions where data->>'userId' = ${userId} and id <> ${keepSessionId}`);
}

export type UserListRow = {
  id: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  hasPassword: boolean;
  lockedUntil: Date | null;
  lastSignedInAt: Date | null;
};

export async function listUsers(db: Executor): Promise<UserListRow[]> {
  return db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      isAdmin: users.isAdmin,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      lockedUntil: users.lockedUntil,
      lastSignedInAt: users.lastSignedInAt,
    })
    .from(users)
    .orderBy(asc(sql`lower(${users.displayName})`));
}

export async function listMembershipsWithNames(db: Executor) {
  return db
    .select({
      userId: memberships.userId,
      role: memberships.role,
      bodyName: policingBodies.name,
      bodySlug: policingBodies.slug,
      partnerName: partners.name,
    })
    .from(memberships)
    .innerJoin(policingBodies, eq(policingBodies.id, memberships.policingBodyId))
    .leftJoin(partners, eq(partners.id, memberships.partnerId));
}

export async function listMembersOfBody(db: Executor, policingBodyId: string) {
  return db
    .select({
      membershipId: memberships.id,
      userId: users.id,
      displayName: users.displayName,
      email: users.email,
      role: memberships.role,
      partnerName: partners.name,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      lastSignedInAt: users.lastSignedInAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(partners, eq(partners.id, memberships.partnerId))
    .where(eq(memberships.policingBodyId, policingBodyId))
    .orderBy(asc(memberships.role), asc(sql`lower(${users.displayName})`));
}

/** Whether the person chose one e-mail a day over each notification as it happens. */
export async function wantsDailyDigest(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ dailyDigest: notificationPreferences.dailyDigest })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  return row?.dailyDigest ?? false;
}
