import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { scanReminders } from '../../src/features/notifications/index.ts';
import { notifications } from '../../src/features/notifications/notifications.tables.ts';
import { lifecycleSettings } from '../../src/features/lifecycle/lifecycle.tables.ts';
import { recommendations, scrutinyActions } from '../../src/features/scrutiny/scrutiny.tables.ts';
import { createBody, createUser, MemoryMailer, TestClock } from '../support/app.ts';
import { describeOnEveryEngine } from '../support/database.ts';

describeOnEveryEngine('the daily reminders scan', (context) => {
  it('reminds owners before an action falls due and once overdue, and the office before a response is due — each once', async () => {
    const clock = new TestClock(new Date('2026-11-23T07:00:00Z'));
    const deps = { db: context.database.db, mailer: new MemoryMailer(), publicUrl: 'http://plans.example.org', now: clock.now };
    const { body, panel } = await createBody(context.database);
    const owner = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    const commissioner = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'commissioner' }] });
    const force = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] });
    const action = (description: string, dueOn: string, status: 'open' | 'done' = 'open') => ({
      policingBodyId: body.id,
      description,
      ownerName: 'Olu Officer',
      ownerUserId: owner.id,
      dueOn,
      status,
      completedOn: status === 'done' ? '2026-11-20' : null,
    });
    await context.database.db
      .insert(scrutinyActions)
      .values([
        action('Send the panel the victims survey', '2026-11-28'),
        action('Report on rural crime', '2026-12-13'),
        action('Circulate the minutes', '2026-11-20'),
        action('Already done', '2026-11-24', 'done'),
      ]);
    await context.database.db.insert(recommendations).values({
      policingBodyId: body.id,
      scrutinyBodyId: panel.id,
      source: 'panel_report',
      reference: 'R1',
      position: 1,
      text: 'Make the measures clearer',
      madeOn: '2026-10-29',
      responseDueOn: '2026-11-26',
    });

    await scanReminders(deps);
    await scanReminders(deps); // a second run (a retry, or tomorrow) adds nothing

    const forOwner = await context.database.db.select().from(notifications).where(eq(notifications.userId, owner.id));
    const subjects = forOwner.map((n) => n.subject).sort();
    expect(subjects).toEqual([
      'Action due on 2026-11-28: Send the panel the victims survey',
      'Overdue action: Circulate the minutes',
      "Response to the panel's recommendation R1 due on 2026-11-26",
    ]);
    const forCommissioner = await context.database.db.select().from(notifications).where(eq(notifications.userId, commissioner.id));
    expect(forCommissioner.map((n) => n.subject)).toEqual(["Response to the panel's recommendation R1 due on 2026-11-26"]);
    expect(forCommissioner[0]!.body).toContain('PRSRA 2011 s.5(6)(d)–(e)');
    expect(await context.database.db.select().from(notifications).where(eq(notifications.userId, force.id))).toHaveLength(0);

    // The body's own reminder period: 30 days brings the rural crime report into range.
    await context.database.db.insert(lifecycleSettings).values({ policingBodyId: body.id, actionReminderDays: 30 });
    await scanReminders(deps);
    expect(
      (await context.database.db.select().from(notifications).where(eq(notifications.userId, owner.id))).map((n) => n.subject),
    ).toContain('Action due on 2026-12-13: Report on rural crime');

    // Days later the response is overdue: one more reminder, with its own key.
    clock.advanceMinutes(4 * 24 * 60);
    await scanReminders(deps);
    await scanReminders(deps);
    const later = await context.database.db.select().from(notifications).where(eq(notifications.userId, commissioner.id));
    expect(later.map((n) => n.subject).sort()).toEqual([
      "Overdue response to the panel's recommendation R1",
      "Response to the panel's recommendation R1 due on 2026-11-26",
    ]);
  });
});
