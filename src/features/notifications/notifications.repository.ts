import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { users } from '../accounts/accounts.tables.ts';
import { notificationPreferences, notifications } from './notifications.tables.ts';

export type Unsent = {
  id: string;
  userId: string;
  email: string;
  displayName: string;
  subject: string;
  body: string;
  link: string;
  createdAt: Date;
};

/** Notifications not yet sent, for people who want each e-mail as it happens (digest false) or the digest (true). */
export async function listUnsent(db: Executor, digest: boolean, limit = 500): Promise<Unsent[]> {
  const wantsDigest = sql<boolean>`coalesce(${notificationPreferences.dailyDigest}, false)`;
  return db
    .select({
      id: notifications.id,
      userId: notifications.userId,
      email: users.email,
      displayName: users.displayName,
      subject: notifications.subject,
      body: notifications.body,
      link: notifications.link,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .leftJoin(notificationPreferences, eq(notificationPreferences.userId, notifications.userId))
    .where(and(isNull(notifications.sentAt), sql`${wantsDigest} = ${digest}`))
    .orderBy(asc(notifications.createdAt), asc(notifications.id))
    .limit(limit);
}

/** Marks notifications sent; only those still unsent, so a second run changes nothing. Returns how many it marked. */
export async function markSent(db: Executor, ids: readonly string[], at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .update(notifications)
    .set({ sentAt: at })
    .where(and(inArray(notifications.id, [...ids]), isNull(notifications.sentAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

export async function findPreference(db: Executor, userId: string): Promise<{ dailyDigest: boolean }> {
  const [row] = await db
    .select({ dailyDigest: notificationPreferences.dailyDigest })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  return { dailyDigest: row?.dailyDigest ?? false };
}

export async function savePreference(db: Executor, userId: string, dailyDigest: boolean, at: Date): Promise<void> {
  await db
    .insert(notificationPreferences)
    .values({ userId, dailyDigest, updatedAt: at })
    .onConflictDoUpdate({ target: notificationPreferences.userId, set: { dailyDigest, updatedAt: at } });
}

export async function listForUser(db: Executor, userId: string, limit = 50) {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(sql`${notifications.createdAt} desc`)
    .limit(limit);
}
