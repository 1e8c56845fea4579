import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { formVersion, startPlan } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD, TestClock } from '../support/app.ts';
import { editions } from '../../src/features/plans/plans.tables.ts';
import { editionDrafts } from '../../src/features/lifecycle/lifecycle.tables.ts';
import { meetings, recommendations } from '../../src/features/scrutiny/scrutiny.tables.ts';
import { auditEvents } from '../../src/platform/audit/audit.tables.ts';
import { notifications } from '../../src/features/notifications/notifications.tables.ts';
import { listPublishedRecommendations } from '../../src/features/scrutiny/index.ts';

describeOnEveryEngine('the recommendations register', (context) => {
  let app: FastifyInstance;
  const clock = new TestClock(new Date('2026-11-23T10:00:00Z'));
  const agents: Record<'officer' | 'panelOfficer' | 'force' | 'outsider', Agent> = {} as never;
  const emails: Record<keyof typeof agents, string> = {} as never;
  const userIds: Record<keyof typeof agents, string> = {} as never;
  let slug: string;
  let bodyId: string;
  let planUrl: string;
  let editionId: string;
  let priorityLineage: string;
  let meetingId: string;
  let recommendationUrl: string;
  const registerUrl = () => `/bodies/${slug}/recommendations`;
  const register = async (query = '') => (await agents.officer.get(`${registerUrl()}${query}`)).body;

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { clock }));
    const { body, panel } = await createBody(context.database);
    const other = await createBody(context.database);
    [slug, bodyId] = [body.slug, body.id];
    const users = {
      officer: await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] }),
      panelOfficer: await createUser(context.database, {
        memberships: [{ policingBodyId: body.id, role: 'panel_officer', scrutinyBodyId: panel.id }],
      }),
      force: await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] }),
      outsider: await createUser(context.database, {
        memberships: [{ policingBodyId: other.body.id, role: 'panel_officer', scrutinyBodyId: other.panel.id }],
      }),
    };
    for (const key of Object.keys(users) as (keyof typeof users)[]) {
      userIds[key] = users[key].id;
      agents[key] = new Agent(app);
      emails[key] = users[key].email;
      await agents[key].signIn(users[key].email, PASSWORD);
    }
    planUrl = (await startPlan(agents.officer, slug, { title: 'Police and Crime Plan 2017–20' })).replace(/\/editions\/1$/, '');
    await agents.officer.submit(`${planUrl}/editions/1/priorities/new`, { title: 'Getting the best out of the police' });
    await agents.officer.submit(`${planUrl}/editions/1/priorities/new`, { title: 'Preventing and deterring crime' });
    // The second priority: the one the panel's recommendation concerns.
    priorityLineage = [...(await agents.officer.get(`${planUrl}/editions/1`)).body.matchAll(/id="priority-([0-9a-f-]{36})"/g)][1]![1]!;
    editionId = (await context.database.db.query.editions.findMany()).find((e) => planUrl.includes(e.planId))!.id;

    // The draft as the panel saw it. The lifecycle's "send to panel" step keeps this copy; set
    // directly here, as this suite is about the register, not that step.
    const snapshot = JSON.parse((await agents.officer.get(`${planUrl}/editions/1/export.json`)).body) as unknown;
    await context.database.db.update(editions).set({ lifecycleState: 'sent_to_panel' }).where(eq(editions.id, editionId));
    await context.database.db
      .insert(editionDrafts)
      .values({ editionId, draftNumber: 1, sentOn: '2026-11-02', reviewWindowEndsOn: '2026-11-30', snapshot });
    const [meeting] = await context.database.db
      .insert(meetings)
      .values({ scrutinyBodyId: panel.id, kind: 'formal_public', title: 'Police and Crime Panel, 20 November', heldOn: '2026-11-20' })
      .returning();
    meetingId = meeting!.id;
  });
  afterAll(() => app.close());

  it('lets the panel officer record a recommendation made at a meeting, with the parts of the plan it concerns', async () => {
    expect((await agents.officer.get(`${registerUrl()}/new`)).statusCode).toBe(403);
    const form = await agents.panelOfficer.get(`${registerUrl()}/new?edition=${editionId}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Police and Crime Panel, 20 November');
    expect(form.body).toContain('Priority 2: Preventing and deterring crime');

    const refused = await agents.panelOfficer.post(`${registerUrl()}/new`, {
      editionId,
      text: '',
      meetingId,
      'madeOn-day': '31',
      'madeOn-month': '2',
      'madeOn-year': '2026',
      elements: priorityLineage,
    });
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryText(refused.body)).toContain('Enter what the panel recommended');
    expect(errorSummaryText(refused.body)).toContain('The date the panel made the recommendation must be a real date');
    expect(refused.body).toMatch(new RegExp(`value="${priorityLineage}" checked`));

    const made = await agents.panelOfficer.post(`${registerUrl()}/new`, {
      editionId,
      text: 'Set clearer measures around the priorities',
      meetingId,
      'madeOn-day': '20',
      'madeOn-month': '11',
      'madeOn-year': '2026',
      elements: priorityLineage,
    });
    expect(made.statusCode).toBe(302);
    recommendationUrl = made.headers.location as string;
    const [row] = await context.database.db.select().from(recommendations).where(eq(recommendations.policingBodyId, bodyId));
    expect(row).toMatchObject({
      source: 'meeting',
      reference: 'R1',
      meetingId,
      editionId,
      draftNumber: 1,
      madeOn: '2026-11-20',
      // The body has no setting of its own, so 28 days.
      responseDueOn: '2026-12-18',
    });
    expect(recommendationUrl).toBe(`${registerUrl()}/${row!.id}`);
    // The office is told it owes a response; nobody else is.
    const notices = await context.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `recommendation:${row!.id}`));
    expect(notices.map((n) => n.userId)).toEqual([userIds.officer]);
    expect(notices[0]).toMatchObject({ link: recommendationUrl });
    expect(notices[0]!.body).toContain('A response is due by 18 December 2026');
    const page = await agents.force.get(recommendationUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Set clearer measures around the priorities');
    expect(page.body).toContain('Police and Crime Panel, 20 November');
    expect(page.body).toContain('Priority 2: Preventing and deterring crime');
    expect(page.body).toContain('No change to the parts of the plan it concerns');
  });

  it('filters the register and flags a response as overdue once the due date has passed', async () => {
    expect(await register('?status=awaiting')).toContain('Set clearer measures');
    expect(await register('?status=overdue')).not.toContain('Set clearer measures');
    expect(await register('?status=responded')).not.toContain('Set clearer measures');
    expect(await register(`?edition=${editionId}`)).toContain('Set clearer measures');
    expect(await register()).not.toContain('Overdue');

    clock.advanceMinutes(26 * 24 * 60); // 19 December 2026: the day after the response was due.
    await agents.officer.signIn(emails.officer, PASSWORD);
    await agents.panelOfficer.signIn(emails.panelOfficer, PASSWORD);
    await agents.force.signIn(emails.force, PASSWORD);
    await agents.outsider.signIn(emails.outsider, PASSWORD);
    const overdue = await register('?status=overdue');
    expect(overdue).toContain('Set clearer measures');
    expect(overdue).toContain('Overdue');
  });

  it('takes the commissioner’s response, refusing a date before the recommendation and a stale version', async () => {
    expect((await agents.panelOfficer.get(`${recommendationUrl}/response`)).statusCode).toBe(403);
    const form = await agents.officer.get(`${recommendationUrl}/response`);
    expect(form.statusCode).toBe(200);
    const version = formVersion(form.body);
    const early = await agents.officer.post(`${recommendationUrl}/response`, {
      status: 'accepted',
      text: 'Measures will be set for each priority.',
      'respondedOn-day': '19',
      'respondedOn-month': '11',
      'respondedOn-year': '2026',
      version,
    });
    expect(early.statusCode).toBe(400);
    expect(errorSummaryText(early.body)).toContain('The date of the response must be on or after 20 November 2026');
    expect(early.body).toContain('href="#respondedOn-day"');
    expect(early.body).toContain('Measures will be set for each priority.');

    const saved = await agents.officer.post(`${recommendationUrl}/response`, {
      status: 'accepted',
      text: 'Measures will be set for each priority.',
      'respondedOn-day': '19',
      'respondedOn-month': '12',
      'respondedOn-year': '2026',
      version,
    });
    expect(saved.statusCode).toBe(302);
    const stale = await agents.officer.post(`${recommendationUrl}/response`, {
      status: 'not_accepted',
      text: 'Something else',
      'respondedOn-day': '19',
      'respondedOn-month': '12',
      'respondedOn-year': '2026',
      version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Saved by someone else');
    expect(stale.body).toContain('Measures will be set for each priority.');
    const [row] = await context.database.db.select().from(recommendations).where(eq(recommendations.policingBodyId, bodyId));
    expect(row).toMatchObject({ responseStatus: 'accepted', respondedOn: '2026-12-19', responsePublishedOn: null });

    expect(await register('?status=responded')).toContain('Set clearer measures');
    expect(await register('?status=awaiting')).not.toContain('Set clearer measures');
    expect(await register('?status=overdue')).not.toContain('Set clearer measures');
  });

  it('publishes the response, once, for the public site', async () => {
    expect(await listPublishedRecommendations(context.database.db, bodyId)).toHaveLength(0);
    const page = await agents.officer.get(recommendationUrl);
    const version = formVersion(page.body);
    expect((await agents.force.post(`${recommendationUrl}/publish`, { version })).statusCode).toBe(403);
    expect((await agents.officer.post(`${recommendationUrl}/publish`, { version: String(Number(version) - 1) })).statusCode).toBe(409);
    expect((await agents.officer.post(`${recommendationUrl}/publish`, { version })).statusCode).toBe(302);
    const again = await agents.officer.post(`${recommendationUrl}/publish`, { version });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('The response has already been published');
    const published = await listPublishedRecommendations(context.database.db, bodyId);
    expect(published.map((r) => [r.reference, r.responsePublishedOn])).toEqual([['R1', '2026-12-19']]);
    expect(await register('?status=published')).toContain('Published on 19 December 2026');
    // A published response is a public record.
    const change = await agents.officer.get(`${recommendationUrl}/response`);
    expect(change.body).toContain('The response has been published, so it is a public record and cannot be changed');
    expect(change.body).not.toContain('Save the response');
    const late = await agents.officer.post(`${recommendationUrl}/response`, {
      status: 'not_accepted',
      text: 'Changed my mind',
      'respondedOn-day': '19',
      'respondedOn-month': '12',
      'respondedOn-year': '2026',
      // Recorded (1), answered (2), published (3): the current version, so only publication refuses it.
      version: '3',
    });
    expect(late.statusCode).toBe(409);
    expect(errorSummaryText(late.body)).toContain('The response has been published');
    const actions = (
      await context.database.db
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(eq(auditEvents.subjectType, 'recommendation'))
        .orderBy(auditEvents.id)
    ).map((e) => e.action);
    expect(actions).toEqual(['recommendation.recorded', 'recommendation.response_recorded', 'recommendation.response_published']);
  });

  it('shows the plan change it led to: the diff entry for the element it concerns', async () => {
    // The panel asked for a further draft; the office changes the priority in the same edition.
    await context.database.db.update(editions).set({ lifecycleState: 'drafting', draftNumber: 2 }).where(eq(editions.id, editionId));
    const editor = (await agents.officer.get(`${planUrl}/editions/1`)).body;
    const [, second] = [...editor.matchAll(/priorities\/([0-9a-f-]{36})\/edit/g)].map((m) => m[1]!);
    const form = await agents.officer.get(`${planUrl}/editions/1/priorities/${second}/edit`);
    const saved = await agents.officer.post(`${planUrl}/editions/1/priorities/${second}/edit`, {
      title: 'Preventing and deterring crime, measured by victim surveys',
      aim: '',
      summary: '',
      version: formVersion(form.body),
    });
    expect(saved.statusCode).toBe(302);
    // A change to another priority is not this recommendation's change.
    await agents.officer.submit(`${planUrl}/editions/1/priorities/new`, { title: 'Supporting victims and witnesses' });

    const page = (await agents.officer.get(recommendationUrl)).body;
    expect(page).toContain('Draft 1 as the panel saw it, compared with');
    expect(page).toMatch(/Changed<\/strong>\s*Priority: Preventing and deterring crime, measured by victim surveys/);
    expect(page).toMatch(/<ins class="app-ins"><span class="govuk-visually-hidden">added: <\/span>[^<]*measured by victim surveys<\/ins>/);
    expect(page).not.toContain('Supporting victims and witnesses');
    expect(await register()).toMatch(/Changed<\/strong>\s*Priority: Preventing and deterring crime, measured by victim surveys/);
  });

  it('keeps the register within the body', async () => {
    expect((await agents.outsider.get(registerUrl())).statusCode).toBe(403);
    expect((await agents.outsider.get(recommendationUrl)).statusCode).toBe(403);
    expect((await agents.outsider.get(`${registerUrl()}/new`)).statusCode).toBe(403);
    expect((await agents.officer.get(`${registerUrl()}/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
    expect((await agents.officer.get(`${registerUrl()}/not-an-id`)).statusCode).toBe(404);
    expect((await agents.officer.get('/bodies/no-such-body/recommendations')).statusCode).toBe(404);
    expect((await agents.force.get(registerUrl())).statusCode).toBe(200);
  });
});
