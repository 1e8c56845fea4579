import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import { errorSummary, formValues, parseForm } from '../../platform/http/forms.ts';
import { requireAdmin, requireSignedIn, signedInUser } from '../../platform/http/guards.ts';
import { listRecentJobs } from '../../platform/jobs/jobs.ts';
import { formatDateTime } from '../../shared/dates.ts';
import { paths } from '../../shared/paths.ts';
import { findPreference, listForUser, savePreference } from './notifications.repository.ts';

type Options = { services: Services };

const preferenceSchema = z.object({
  frequency: z.enum(['immediate', 'daily'], { message: 'Select how often you want e-mails' }),
});

const stateLabels: Record<string, string> = {
  created: 'Waiting',
  retry: 'Waiting to retry',
  active: 'Running',
  completed: 'Done',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/** Each person's choice of e-mails as they happen or a daily digest; administrators see the background jobs. */
export async function notificationsRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  const db = services.database.db;

  app.get(paths.notificationSettings(), { preHandler: requireSignedIn }, async (request, reply) => {
    const user = signedInUser(request);
    const preference = await findPreference(db, user.id);
    return reply.page('notifications/views/preferences.njk', {
      values: { frequency: preference.dailyDigest ? 'daily' : 'immediate' },
      errors: {},
      errorList: [],
      recent: (await listForUser(db, user.id, 20)).map((n) => ({
        ...n,
        createdLabel: formatDateTime(n.createdAt),
        sentLabel: formatDateTime(n.sentAt),
      })),
    });
  });

  app.post(paths.notificationSettings(), { preHandler: requireSignedIn }, async (request, reply) => {
    const user = signedInUser(request);
    const parsed = parseForm(preferenceSchema, formValues(request.body));
    if (!parsed.ok) {
      reply.code(400);
      return reply.page('notifications/views/preferences.njk', {
        values: formValues(request.body),
        errors: parsed.errors,
        errorList: errorSummary(parsed.errors, { frequency: 'frequency' }),
        recent: [],
      });
    }
    const dailyDigest = parsed.value.frequency === 'daily';
    const at = services.now();
    await db.transaction(async (tx) => {
      const before = await findPreference(tx, user.id);
      await savePreference(tx, user.id, dailyDigest, at);
      await appendAuditEvent(tx, {
        actor: { userId: user.id, label: user.displayName },
        action: 'notification_preference.changed',
        subject: { type: 'user', id: user.id },
        before,
        after: { dailyDigest },
        occurredAt: at,
      });
    });
    request.session.flash = dailyDigest ? 'You will get one e-mail a day.' : 'You will get each e-mail as it happens.';
    return reply.redirect(paths.notificationSettings(), 303);
  });

  app.get(paths.adminJobs(), { preHandler: requireAdmin }, async (_request, reply) => {
    const jobs = await listRecentJobs(services.database);
    return reply.page('notifications/views/admin-jobs.njk', {
      jobs: jobs.map((job) => ({
        ...job,
        stateLabel: stateLabels[job.state] ?? job.state,
        createdLabel: formatDateTime(job.createdOn),
        completedLabel: formatDateTime(job.completedOn),
      })),
      failedCount: jobs.filter((job) => job.state === 'failed').length,
    });
  });
}
