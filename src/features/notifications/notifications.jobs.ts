import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import type { JobDefinition } from '../../platform/jobs/jobs.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import { paths } from '../../shared/paths.ts';
import { isoDateInLondon } from '../calendar/index.ts';
import { lifecycleSettings } from '../lifecycle/lifecycle.tables.ts';
import { policingBodies } from '../organisations/organisations.tables.ts';
import { recommendations, scrutinyActions } from '../scrutiny/scrutiny.tables.ts';
import { notifyRoles, notifyUsers } from './notify.ts';
import { listUnsent, markSent, type Unsent } from './notifications.repository.ts';

export type JobDeps = {
  db: Database;
  mailer: Mailer;
  publicUrl: string;
  now: () => Date;
};

export const jobNames = {
  send: 'notifications.send',
  digest: 'notifications.digest',
  reminders: 'reminders.scan',
  lifecycle: 'lifecycle.advance',
} as const;

function absolute(publicUrl: string, link: string): string {
  if (!link) return '';
  return /^https?:\/\//.test(link) ? link : `${publicUrl}${link}`;
}

function paragraph(notification: Unsent, publicUrl: string): string {
  const link = absolute(publicUrl, notification.link);
  return [notification.body, link].filter(Boolean).join('\n\n');
}

/**
 * Sends each unsent notification of the people who want e-mails as they happen, then marks it
 * sent. Running it twice sends nothing twice: only unsent rows are read and marked. If one
 * message fails the others still go, and the job fails so that pg-boss retries the rest.
 */
export async function sendNotifications(deps: JobDeps): Promise<{ sent: number }> {
  const unsent = await listUnsent(deps.db, false);
  let sent = 0;
  const failures: string[] = [];
  for (const notification of unsent) {
    try {
      await deps.mailer.send({
        to: notification.email,
        subject: notification.subject,
        text: `Dear ${notification.displayName},\n\n${paragraph(notification, deps.publicUrl)}\n\nYou can choose a daily digest instead: ${deps.publicUrl}${paths.notificationSettings()}\n`,
      });
      sent += await markSent(deps.db, [notification.id], deps.now());
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (failures.length > 0) throw new Error(`${failures.length} notification(s) not sent: ${failures[0]}`);
  return { sent };
}

/** One e-mail a day to each person who chose the digest, listing everything unsent for them. */
export async function sendDigests(deps: JobDeps): Promise<{ sent: number }> {
  const unsent = await listUnsent(deps.db, true, 5000);
  const byUser = new Map<string, Unsent[]>();
  for (const notification of unsent) byUser.set(notification.userId, [...(byUser.get(notification.userId) ?? []), notification]);
  let sent = 0;
  const failures: string[] = [];
  for (const list of byUser.values()) {
    const first = list[0]!;
    try {
      const items = list.map((n, index) => `${index + 1}. ${n.subject}\n\n${paragraph(n, deps.publicUrl)}`).join('\n\n---\n\n');
      await deps.mailer.send({
        to: first.email,
        subject: `Your daily summary: ${list.length} notification${list.length === 1 ? '' : 's'}`,
        text: `Dear ${first.displayName},\n\n${items}\n\nYou can choose e-mails as they happen instead: ${deps.publicUrl}${paths.notificationSettings()}\n`,
      });
      await markSent(
        deps.db,
        list.map((n) => n.id),
        deps.now(),
      );
      sent += 1;
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (failures.length > 0) throw new Error(`${failures.length} digest(s) not sent: ${failures[0]}`);
  return { sent };
}

/**
 * Reminders: each action's owner `actionReminderDays` before it falls due and again once it is
 * overdue; the commissioner and officers before a recommendation's response falls due (s.5(6)(d)–(e))
 * and once it is overdue. The dedupe keys name the thing and its due date, so each reminder is
 * recorded once however often the scan runs, and a new due date earns a new reminder.
 */
export async function scanReminders(deps: JobDeps): Promise<void> {
  const today = isoDateInLondon(deps.now());
  const reminderDays = sql<number>`coalesce(${lifecycleSettings.actionReminderDays}, 7)`;
  await deps.db.transaction(async (tx) => {
    const actions = await tx
      .select({
        id: scrutinyActions.id,
        description: scrutinyActions.description,
        dueOn: scrutinyActions.dueOn,
        ownerUserId: scrutinyActions.ownerUserId,
        slug: policingBodies.slug,
        reminderDays,
      })
      .from(scrutinyActions)
      .innerJoin(policingBodies, eq(policingBodies.id, scrutinyActions.policingBodyId))
      .leftJoin(lifecycleSettings, eq(lifecycleSettings.policingBodyId, scrutinyActions.policingBodyId))
      .where(
        and(
          inArray(scrutinyActions.status, ['open', 'in_progress']),
          isNotNull(scrutinyActions.ownerUserId),
          sql`${scrutinyActions.dueOn} <= ${today}::date + ${reminderDays}`,
        ),
      );
    for (const action of actions) {
      const overdue = action.dueOn < today;
      await notifyUsers(tx, [action.ownerUserId!], {
        dedupeKey: `${overdue ? 'action-overdue' : 'action-due'}:${action.id}:${action.dueOn}`,
        subject: overdue ? `Overdue action: ${action.description}` : `Action due on ${action.dueOn}: ${action.description}`,
        body: overdue
          ? `The action "${action.description}" was due on ${action.dueOn} and is not marked done.`
          : `The action "${action.description}" is due on ${action.dueOn}.`,
        link: paths.scrutinyActions(action.slug),
      });
    }

    const unanswered = await tx
      .select({
        id: recommendations.id,
        reference: recommendations.reference,
        text: recommendations.text,
        dueOn: recommendations.responseDueOn,
        policingBodyId: recommendations.policingBodyId,
        slug: policingBodies.slug,
      })
      .from(recommendations)
      .innerJoin(policingBodies, eq(policingBodies.id, recommendations.policingBodyId))
      .leftJoin(lifecycleSettings, eq(lifecycleSettings.policingBodyId, recommendations.policingBodyId))
      .where(and(isNull(recommendations.respondedOn), sql`${recommendations.responseDueOn} <= ${today}::date + ${reminderDays}`));
    for (const recommendation of unanswered) {
      const overdue = recommendation.dueOn < today;
      await notifyRoles(tx, recommendation.policingBodyId, ['commissioner', 'officer'], {
        dedupeKey: `${overdue ? 'response-overdue' : 'response-due'}:${recommendation.id}:${recommendation.dueOn}`,
        subject: overdue
          ? `Overdue response to the panel's recommendation ${recommendation.reference}`
          : `Response to the panel's recommendation ${recommendation.reference} due on ${recommendation.dueOn}`,
        body: `The panel recommended: "${recommendation.text}". The commissioner's response ${overdue ? 'was' : 'is'} due on ${recommendation.dueOn} (PRSRA 2011 s.5(6)(d)–(e)).`,
        link: paths.calendar(recommendation.slug),
      });
    }
  });
}

/** Every job the service runs, with its schedule. Failed jobs retry with backoff (1, 2, 4… minutes). */
export function serviceJobs(deps: JobDeps, extra: { advanceLifecycle?: (today: string) => Promise<void> } = {}): JobDefinition[] {
  const definitions: JobDefinition[] = [
    { name: jobNames.send, cron: '* * * * *', handler: async () => void (await sendNotifications(deps)) },
    { name: jobNames.digest, cron: '0 7 * * *', handler: async () => void (await sendDigests(deps)) },
    { name: jobNames.reminders, cron: '0 6 * * *', handler: () => scanReminders(deps) },
  ];
  const advance = extra.advanceLifecycle;
  if (advance) {
    definitions.push({ name: jobNames.lifecycle, cron: '5 0 * * *', handler: () => advance(isoDateInLondon(deps.now())) });
  }
  return definitions;
}
