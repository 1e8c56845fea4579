import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMailer } from '../../src/platform/mail/mailer.ts';
import { startJobs, type Jobs } from '../../src/platform/jobs/jobs.ts';
import { jobNames, serviceJobs } from '../../src/features/notifications/index.ts';
import { notifyUsers } from '../../src/features/notifications/notify.ts';
import { notifications, notificationPreferences } from '../../src/features/notifications/notifications.tables.ts';
import { bodyOf, headerOf, startSmtpServer } from '../support/accounts-helpers.ts';
import { Agent, buildTestApp, createUser, PASSWORD, TestClock } from '../support/app.ts';
import { describeOnEveryEngine } from '../support/database.ts';

const silent = pino({ level: 'silent' });

describeOnEveryEngine('background jobs through pg-boss', (context) => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let jobs: Jobs;
  let attempts = 0;
  const clock = new TestClock(new Date('2026-11-23T10:00:00Z'));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      from: 'Plans <no-reply@plans.example.org>',
      dataDir: '/nonexistent',
      logger: silent,
    });
    const deps = { db: context.database.db, mailer, publicUrl: 'http://plans.example.org', now: clock.now };
    jobs = await startJobs(
      context.database,
      [
        ...serviceJobs(deps),
        {
          name: 'test.always-fails',
          retryLimit: 1,
          retryDelay: 0,
          retryBackoff: false,
          handler: async () => {
            attempts += 1;
            throw new Error(`the mail server said no (attempt ${attempts})`);
          },
        },
      ],
      // Tests run jobs themselves (runDue), so nothing depends on a polling interval.
      { logger: silent, work: false, schedule: false },
    );
  });
  afterAll(async () => {
    await jobs?.stop();
    await smtp?.close();
  });

  it('creates its own schema on this engine', async () => {
    const queues = await jobs.boss.getQueues();
    expect(queues.map((q) => q.name)).toEqual(expect.arrayContaining([jobNames.send, jobNames.digest, jobNames.reminders]));
  });

  it('sends each unsent notification by e-mail once, and marks it sent', async () => {
    const user = await createUser(context.database, { email: 'nia@example.org', displayName: 'Nia Officer' });
    await notifyUsers(context.database.db, [user.id], {
      dedupeKey: 'draft-sent:1',
      subject: 'Draft 2 has been sent to the panel',
      body: 'The commissioner sent draft 2 of the plan to the panel.',
      link: '/bodies/x/plans/y',
    });

    expect(await jobs.send(jobNames.send)).toBeTruthy();
    expect(await jobs.runDue(jobNames.send)).toEqual({ completed: 1, failed: 0 });

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['nia@example.org']);
    expect(headerOf(mail.raw, 'Subject')).toBe('Draft 2 has been sent to the panel');
    expect(bodyOf(mail.raw)).toContain('Dear Nia Officer,');
    expect(bodyOf(mail.raw)).toContain('http://plans.example.org/bodies/x/plans/y');
    const [row] = await context.database.db.select().from(notifications).where(eq(notifications.userId, user.id));
    expect(row!.sentAt?.toISOString()).toBe('2026-11-23T10:00:00.000Z');

    // Running again (a retry, or the next minute's run) sends nothing more.
    await jobs.send(jobNames.send);
    expect(await jobs.runDue(jobNames.send)).toEqual({ completed: 1, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const job = await jobs.boss.getJobById(jobNames.send, (await jobs.send(jobNames.send))!);
    expect(job?.state).toBe('created');
  });

  it('keeps digest notifications for the daily digest: one e-mail listing them all', async () => {
    await jobs.runDue(jobNames.send);
    const before = smtp.received.length;
    const user = await createUser(context.database, { email: 'dai@example.org', displayName: 'Dai Digest' });
    await context.database.db.insert(notificationPreferences).values({ userId: user.id, dailyDigest: true });
    for (const n of [1, 2]) {
      await notifyUsers(context.database.db, [user.id], { dedupeKey: `k${n}`, subject: `Thing ${n}`, body: `Body ${n}`, link: '' });
    }
    await jobs.send(jobNames.send);
    await jobs.runDue(jobNames.send);
    expect(smtp.received).toHaveLength(before);

    await jobs.send(jobNames.digest);
    expect(await jobs.runDue(jobNames.digest)).toEqual({ completed: 1, failed: 0 });
    expect(smtp.received).toHaveLength(before + 1);
    const digest = smtp.received.at(-1)!;
    expect(digest.to).toEqual(['dai@example.org']);
    expect(headerOf(digest.raw, 'Subject')).toBe('Your daily summary: 2 notifications');
    expect(bodyOf(digest.raw)).toContain('1. Thing 1');
    expect(bodyOf(digest.raw)).toContain('2. Thing 2');
    const rows = await context.database.db.select().from(notifications).where(eq(notifications.userId, user.id));
    expect(rows.every((r) => r.sentAt !== null)).toBe(true);

    await jobs.send(jobNames.digest);
    await jobs.runDue(jobNames.digest);
    expect(smtp.received).toHaveLength(before + 1);
  });

  it('retries a job that throws, then shows it as failed to administrators', async () => {
    const id = (await jobs.send('test.always-fails'))!;
    expect(await jobs.runDue('test.always-fails')).toEqual({ completed: 0, failed: 1 });
    expect((await jobs.boss.getJobById('test.always-fails', id))?.state).toBe('retry');
    expect(await jobs.runDue('test.always-fails')).toEqual({ completed: 0, failed: 1 });
    expect((await jobs.boss.getJobById('test.always-fails', id))?.state).toBe('failed');
    expect(attempts).toBe(2);
    // No third attempt once the retry limit is spent.
    expect(await jobs.runDue('test.always-fails')).toEqual({ completed: 0, failed: 0 });

    const { app } = await buildTestApp(context.database);
    try {
      const admin = await createUser(context.database, { isAdmin: true });
      const agent = new Agent(app);
      await agent.signIn(admin.email, PASSWORD);
      const page = await agent.get('/admin/jobs');
      expect(page.statusCode).toBe(200);
      const rows = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) =>
        m[1]!
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );
      // Failed jobs come first.
      expect(rows[1]).toContain('test.always-fails');
      expect(rows[1]).toContain('Failed');
      expect(rows[1]).toContain('2 of 2');
      expect(rows[1]).toContain('the mail server said no (attempt 2)');
      expect(page.body).toContain(jobNames.send);

      const someone = await createUser(context.database);
      const other = new Agent(app);
      await other.signIn(someone.email, PASSWORD);
      expect((await other.get('/admin/jobs')).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});
