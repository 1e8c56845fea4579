import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { notificationPreferences } from '../../src/features/notifications/notifications.tables.ts';
import { notifyUsers } from '../../src/features/notifications/notify.ts';
import { rowsOf } from '../../src/platform/db/database.ts';
import { Agent, buildTestApp, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { describeOnEveryEngine } from '../support/database.ts';

describeOnEveryEngine('choosing e-mails as they happen or a daily digest', (context) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
  });
  afterAll(() => app.close());

  it('starts with e-mails as they happen, switches to the digest and back, audited', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    await notifyUsers(context.database.db, [user.id], { dedupeKey: 'x', subject: 'Draft sent to the panel', body: 'b', link: '' });

    const page = await agent.get('/account/notifications');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/value="immediate" checked/);
    expect(page.body).toContain('Draft sent to the panel');

    const saved = await agent.post('/account/notifications', { frequency: 'daily' });
    expect(saved.statusCode).toBe(303);
    const [row] = await context.database.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, user.id));
    expect(row!.dailyDigest).toBe(true);
    const after = await agent.get('/account/notifications');
    expect(after.body).toContain('You will get one e-mail a day.');
    expect(after.body).toMatch(/value="daily" checked/);

    await agent.post('/account/notifications', { frequency: 'immediate' });
    const [back] = await context.database.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, user.id));
    expect(back!.dailyDigest).toBe(false);
    const audit = rowsOf<{ action: string }>(
      await context.database.db.execute(sql`select action from audit_events where subject_id = ${user.id} and action like 'notification%'`),
    );
    expect(audit).toHaveLength(2);
  });

  it('refuses an answer that is not offered', async () => {
    const user = await createUser(context.database);
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    const bad = await agent.submit('/account/notifications', { frequency: 'hourly' });
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryText(bad.body)).toContain('Select how often you want e-mails');
    expect(
      await context.database.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, user.id)),
    ).toHaveLength(0);
  });

  it('needs a signed-in person', async () => {
    const response = await new Agent(app).get('/account/notifications');
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toContain('/sign-in');
  });
});
