import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, TestClock } from '../support/app.ts';
import { seedDemo, type DemoAccount } from '../../src/demo/demo-data.ts';
import { plans } from '../../src/features/plans/plans.tables.ts';
import { advanceEditionsByDate } from '../../src/features/lifecycle/index.ts';

/** `npm run demo`'s data, seeded through the services, shown on the pages it is there to fill. */
describeOnEveryEngine('the demo data', (context) => {
  const now = new Date('2026-11-23T10:00:00Z');
  let app: FastifyInstance;
  let accounts: DemoAccount[];
  let draftPlanId: string;

  const signedIn = async (email: string) => {
    const agent = new Agent(app);
    const account = accounts.find((a) => a.email === email)!;
    await agent.signIn(account.email, account.password);
    return agent;
  };
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  beforeAll(async () => {
    accounts = await seedDemo(context.database, now);
    ({ app } = await buildTestApp(context.database, { clock: new TestClock(now) }));
    const rows = await context.database.db.select().from(plans);
    draftPlanId = rows.find((p) => p.title === 'Police and Crime Plan 2024–29')!.id;
  }, 120_000);
  afterAll(() => app?.close());

  it('monitors the plan in force: graded measures with commentary, a corrected figure and the quarterly report for the panel', async () => {
    const earlierPlanId = (await context.database.db.select().from(plans)).find((p) => p.title.startsWith('Safer Northmoor'))!.id;
    const member = await signedIn('panel.member@northmoor.example');
    const dashboardHtml = (await member.get(`/bodies/northmoor/plans/${earlierPlanId}/performance`)).body;
    const dashboard = text(dashboardHtml);
    // 101 waits (7.5% against a 5% target) are red; the PEEL grade has no figure yet.
    expect(dashboard).toMatch(/101 calls waiting over 10 minutes .*Red: off track/);
    expect(dashboard).toContain('Ungraded');
    // The quarter before last of victim satisfaction was corrected; the first figure stays on record.
    const satisfactionUrl = new RegExp(
      `href="(/bodies/northmoor/plans/${earlierPlanId}/performance/measures/[0-9a-f-]{36})"[^>]*>\\s*Victims satisfied`,
    ).exec(dashboardHtml)![1]!;
    const measurePage = text((await member.get(satisfactionUrl)).body);
    expect(measurePage).toContain('Late survey returns added.');
    expect(measurePage).toContain('revised from 76% on');
    const reports = await member.get(`/bodies/northmoor/plans/${earlierPlanId}/performance/reports`);
    expect(reports.statusCode).toBe(200);
    // The last complete quarter on 23 November 2026 is July to September 2026.
    expect(text(reports.body)).toContain('Performance report: Quarter 2 2026/27 (July to September 2026)');
  });

  it('keeps the accounts it returns: an administrator and one person per role', () => {
    expect(accounts.map((a) => a.email)).toEqual([
      'admin@northmoor.example',
      'commissioner@northmoor.example',
      'officer@northmoor.example',
      'force@northmoor.example',
      'partner@northmoor.example',
      'panel.member@northmoor.example',
      'panel.officer@northmoor.example',
    ]);
  });

  it('publishes the earlier plan, issued by the commissioner and in force, on the public site', async () => {
    const home = await app.inject({ method: 'GET', url: '/northmoor' });
    expect(home.statusCode).toBe(200);
    expect(text(home.body)).toContain('Safer Northmoor: Police and Crime Plan');
    expect(text(home.body)).not.toContain('No plan is in force');
    const plan = await app.inject({ method: 'GET', url: '/northmoor/plan' });
    expect(plan.statusCode).toBe(200);
    expect(text(plan.body)).toContain('Safer streets and stronger communities across Northmoor');
  });

  it('keeps the plan in force when the daily job runs the next day', async () => {
    expect(await advanceEditionsByDate(context.database.db, '2026-11-24')).toBe(0);
    expect(text((await app.inject({ method: 'GET', url: '/northmoor' })).body)).not.toContain('No plan is in force');
  });

  it('lists the formal meeting, not the workshop, among the public meetings', async () => {
    const page = text((await app.inject({ method: 'GET', url: '/northmoor/meetings' })).body);
    expect(page).toContain('Northmoor Police and Crime Panel , 9 November 2026 at 14:00, Council Chamber');
    expect(page).not.toContain('Police and Crime Plan workshop');
  });

  it('shows the panel’s recommendations with the published responses', async () => {
    const page = await app.inject({ method: 'GET', url: '/northmoor/recommendations' });
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('Set a target for the measure on violence with injury');
    expect(body).toContain('Every commitment now says whether the Commissioner controls it');
  });

  it('shares the 2024–29 draft with the panel, whose member sees the comment thread and the office’s reply', async () => {
    const member = await signedIn('panel.member@northmoor.example');
    const page = await member.get(`/bodies/northmoor/plans/${draftPlanId}/editions/1/comments`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('1 thread: 0 open, 1 addressed');
    // The thread is on the priority it asks about; its page carries the office's reply.
    const priorityUrl = new RegExp(
      `href="(/bodies/northmoor/plans/${draftPlanId}/editions/1/comments/[0-9a-f-]{36})"[^>]*>[^<]*Preventing and deterring crime`,
    ).exec(page.body)?.[1];
    expect(priorityUrl).toBeDefined();
    const thread = text((await member.get(priorityUrl!)).body);
    expect(thread).toContain('The measure on violence with injury has no target');
    expect(thread).toContain('Priya Lawson');
    expect(thread).toContain('The next draft sets a target of a 10% reduction by 2027');
  });

  it('lists the panel’s formal meeting and workshop, and opens the meeting with its agenda', async () => {
    const officer = await signedIn('panel.officer@northmoor.example');
    const list = await officer.get('/bodies/northmoor/scrutiny/meetings');
    expect(list.statusCode).toBe(200);
    expect(text(list.body)).toContain('Northmoor Police and Crime Panel');
    expect(text(list.body)).toContain('Police and Crime Plan workshop');
    const meetingUrl = new RegExp(
      `href="(/bodies/northmoor/scrutiny/meetings/[0-9a-f-]{36})"[^>]*>\\s*Northmoor Police and Crime Panel`,
    ).exec(list.body)?.[1];
    expect(meetingUrl).toBeDefined();
    const meeting = text((await officer.get(meetingUrl!)).body);
    expect(meeting).toContain('Police and Crime Plan 2024–29: draft');
    expect(meeting).toContain('Kingsholm Women’s Aid');
  });

  it('flags the overdue action on the calendar, beside the elections and the precept round', async () => {
    const officer = await signedIn('officer@northmoor.example');
    const page = await officer.get('/bodies/northmoor/calendar');
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    const overdue = body.slice(body.indexOf('Overdue ('));
    expect(body.indexOf('Overdue (')).toBeGreaterThan(-1);
    expect(overdue).toContain('101 waiting times');
    expect(body).toContain('Precept 2027–28');
  });
});
