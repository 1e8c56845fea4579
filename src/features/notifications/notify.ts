import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import type { OrganisationRole } from '../../shared/current-user.ts';
import { memberships } from '../accounts/accounts.tables.ts';
import { notifications } from './notifications.tables.ts';

export type Notice = { dedupeKey: string; subject: string; body: string; link: string };

/**
 * Records a notification for each person, once per dedupe key; the notifications job sends them
 * (at once, or in the person's daily digest). Call inside the transaction that made the change,
 * so a notice exists exactly when the change does.
 */
export async function notifyUsers(tx: Executor, userIds: readonly string[], notice: Notice): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  await tx
    .insert(notifications)
    .values(unique.map((userId) => ({ userId, ...notice })))
    .onConflictDoNothing();
}

/** Everyone holding one of these roles in the body. */
export async function notifyRoles(tx: Executor, policingBodyId: string, roles: readonly OrganisationRole[], notice: Notice): Promise<void> {
  const rows = await tx
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.policingBodyId, policingBodyId), inArray(memberships.role, [...roles])));
  await notifyUsers(
    tx,
    rows.map((r) => r.userId),
    notice,
  );
}
