import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnEveryEngine } from '../support/database.ts';
import { formVersion } from '../support/plans.ts';
import { auditChain } from '../support/organisations-helpers.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD, TestClock } from '../support/app.ts';
import { dateFields } from '../support/scrutiny.ts';
import { linkMemberReports, scrutinyActions } from '../../src/features/scrutiny/scrutiny.tables.ts';
import { listActionsDue } from '../../src/features/scrutiny/index.ts';

// Seed 000: a link member's report on the plan workshop of 9 November 2018.
const highlights = `- New developments require reflection within the Plan – Serious Violence Strategy, Serious Organised Crime Strategy as examples;
- Wording changes for increased clarity (particularly objectives and who is responsible for activities and outcomes)
- Increase the focus and scrutiny on partner agencies role in delivering the Plan`;
const nextSteps = `- Circulate outputs of the day
- Work up a first draft of the refreshed Plan for second stakeholder (Police and Crime Panel) event in January 2019
- Publication – April 2019`;

describeOnEveryEngine('link-member reports and actions', (context) => {
  let app: FastifyInstance;
  let clock: TestClock;
  let slug: string;
  let bodyId: string;
  const agents: Record<'panelOfficer' | 'panelMember' | 'officer' | 'force', Agent> = {} as never;
  const emails: Record<string, string> = {};
  let officerUserId: string;
  let meetingId: string;
  let reportId: string;
  const base = () => `/bodies/${slug}/scrutiny`;
  const signInAll = async () => {
    for (const [role, agent] of Object.entries(agents)) await agent.signIn(emails[role]!, PASSWORD);
  };

  beforeAll(async () => {
    clock = new TestClock(new Date('2018-11-12T10:00:00Z'));
    ({ app } = await buildTestApp(context.database, { clock, config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '100' } }));
    const { body, panel } = await createBody(context.database);
    slug = body.slug;
    bodyId = body.id;
    const users = {
      panelOfficer: await createUser(context.database, {
        memberships: [{ policingBodyId: body.id, role: 'panel_officer', scrutinyBodyId: panel.id }],
      }),
      panelMember: await createUser(context.database, {
        displayName: 'Asher Craig',
        memberships: [{ policingBodyId: body.id, role: 'panel_member', scrutinyBodyId: panel.id }],
      }),
      officer: await createUser(context.database, {
        displayName: 'Karin Takel',
        memberships: [{ policingBodyId: body.id, role: 'officer' }],
      }),
      force: await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] }),
    };
    officerUserId = users.officer.id;
    for (const [role, user] of Object.entries(users)) {
      emails[role] = user.email;
      agents[role as keyof typeof agents] = new Agent(app);
    }
    await signInAll();
    await agents.panelOfficer.submit(`${base()}/members/new`, {
      name: 'Councillor Asher Craig',
      kind: 'councillor',
      council: 'Bristol City Council',
      role: 'member',
      ...dateFields('startsOn', '2018-05-01'),
    });
    const made = await agents.panelOfficer.submit(`${base()}/meetings/new`, {
      kind: 'workshop',
      title: 'Police and Crime Plan workshop',
      ...dateFields('heldOn', '2018-11-09'),
      place: 'Police headquarters, Portishead',
    });
    meetingId = (made.headers.location as string).split('/').pop()!;
  });
  afterAll(() => app.close());

  it('a panel member writes a link-member report on the workshop (seed 000)', async () => {
    const form = await agents.panelMember.get(`${base()}/link-member-reports/new`);
    expect(form.statusCode).toBe(200);
    const memberId = /<option value="([0-9a-f-]{36})">Councillor Asher Craig<\/option>/.exec(form.body)![1]!;
    const future = await agents.panelMember.post(`${base()}/link-member-reports/new`, {
      panelMemberId: memberId,
      title: 'Development of the Police and Crime Plan',
      ...dateFields('eventOn', '2018-12-09'),
    });
    expect(future.statusCode).toBe(400);
    expect(errorSummaryText(future.body)).toContain('The date of the event must be today or in the past');
    const saved = await agents.panelMember.submit(`${base()}/link-member-reports/new`, {
      panelMemberId: memberId,
      title: 'Development of the Police and Crime Plan',
      ...dateFields('eventOn', '2018-11-09'),
      meetingId,
      highlights,
      nextSteps,
    });
    expect(saved.statusCode).toBe(302);
    reportId = (saved.headers.location as string).split('/').pop()!;
    const page = await agents.force.get(saved.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<li>Circulate outputs of the day</li>');
    expect(page.body).toContain('<li>Increase the focus and scrutiny on partner agencies role in delivering the Plan</li>');
    expect(page.body).toContain('Police and Crime Plan workshop');
    expect((await context.database.db.select().from(linkMemberReports))[0]).toMatchObject({ eventOn: '2018-11-09', meetingId });
    // The force reads reports but does not write them.
    expect((await agents.force.get(`${base()}/link-member-reports/new`)).statusCode).toBe(403);
    expect((await agents.force.get(`${base()}/link-member-reports/${reportId}/edit`)).statusCode).toBe(403);
    const edit = await agents.panelMember.get(`${base()}/link-member-reports/${reportId}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('Circulate outputs of the day');
  });

  it('adds actions from the report and the meeting, refusing dates in the wrong order', async () => {
    const newFromReport = `${base()}/actions/new?report=${reportId}`;
    const form = await agents.panelOfficer.get(newFromReport);
    expect(form.body).toContain('From Development of the Police and Crime Plan');
    const early = await agents.panelOfficer.post(`${base()}/actions/new`, {
      linkMemberReportId: reportId,
      description: 'Circulate outputs of the day',
      ownerName: '',
      ownerUserId: officerUserId,
      ...dateFields('dueOn', '2018-11-01'),
      status: 'done',
      ...dateFields('completedOn', '2018-11-08'),
    });
    expect(early.statusCode).toBe(400);
    const summary = errorSummaryText(early.body);
    expect(summary).toContain('The due date must be on or after the event reported on 9 November 2018');
    expect(summary).toContain('The date the action was completed must be on or after the event reported on 9 November 2018');
    expect(early.body).toContain('href="#completedOn-day"');

    const saved = await agents.panelOfficer.post(`${base()}/actions/new`, {
      linkMemberReportId: reportId,
      description: 'Circulate outputs of the day',
      ownerName: '',
      ownerUserId: officerUserId,
      ...dateFields('dueOn', '2018-11-16'),
      status: 'open',
    });
    expect(saved.statusCode).toBe(302);
    expect(saved.headers.location).toBe(`${base()}/link-member-reports/${reportId}`);
    const fromMeeting = await agents.panelOfficer.submit(`${base()}/actions/new?meeting=${meetingId}`, {
      meetingId,
      description: 'Work up a first draft of the refreshed Plan',
      ownerName: 'Office of the Police and Crime Commissioner',
      ...dateFields('dueOn', '2019-01-15'),
      status: 'in_progress',
    });
    expect(fromMeeting.statusCode).toBe(302);
    const standalone = await agents.panelOfficer.submit(`${base()}/actions/new`, {
      description: 'Ask the chief constable for the quarterly performance report',
      ownerName: 'Panel support officer',
      ...dateFields('dueOn', '2018-11-14'),
      status: 'open',
    });
    expect(standalone.statusCode).toBe(302);
    const rows = await context.database.db.select().from(scrutinyActions);
    // The owner's name is filled from the chosen person.
    expect(rows.find((r) => r.linkMemberReportId === reportId)).toMatchObject({ ownerName: 'Karin Takel', ownerUserId: officerUserId });
    expect((await agents.panelOfficer.get(`${base()}/actions/new?meeting=00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
    expect((await agents.panelOfficer.get(`${base()}/actions/new?report=nonsense`)).statusCode).toBe(404);
  });

  it('lists overdue actions as the clock moves on', async () => {
    let list = await agents.force.get(`${base()}/actions`);
    expect(list.body).toContain('No actions are overdue.');
    clock.advanceMinutes(3 * 24 * 60); // 15 November 2018
    await signInAll();
    list = await agents.force.get(`${base()}/actions`);
    expect(list.body).toContain('1 action is overdue.');
    const overdue = await agents.force.get(`${base()}/actions?show=overdue`);
    expect(overdue.body).toContain('Ask the chief constable for the quarterly performance report');
    expect(overdue.body).not.toContain('Circulate outputs of the day');
    clock.advanceMinutes(2 * 24 * 60); // 17 November 2018
    await signInAll();
    expect((await agents.force.get(`${base()}/actions`)).body).toContain('2 actions are overdue.');
    expect((await agents.force.get(`/bodies/${slug}/scrutiny`)).body).toContain('2 overdue');
    const due = await listActionsDue(context.database.db, bodyId);
    expect(due.map((d) => [d.dueOn, d.ownerUserId])).toEqual([
      ['2018-11-14', null],
      ['2018-11-16', officerUserId],
      ['2019-01-15', null],
    ]);
  });

  it('lets the office update progress on its own actions only, with optimistic locking', async () => {
    const rows = await context.database.db.select().from(scrutinyActions);
    const own = rows.find((r) => r.ownerUserId === officerUserId)!;
    const panels = rows.find((r) => r.ownerName === 'Panel support officer')!;
    const list = await agents.officer.get(`${base()}/actions`);
    expect(list.body).toContain(`/actions/${own.id}/progress`);
    expect(list.body).not.toContain(`/actions/${panels.id}/progress`);
    expect((await agents.officer.get(`${base()}/actions/${panels.id}/progress`)).statusCode).toBe(403);
    expect((await agents.force.get(`${base()}/actions/${own.id}/progress`)).statusCode).toBe(403);
    expect((await agents.officer.get(`${base()}/actions/${own.id}/edit`)).statusCode).toBe(403);

    const form = await agents.officer.get(`${base()}/actions/${own.id}/progress`);
    const version = formVersion(form.body);
    const tooEarly = await agents.officer.post(`${base()}/actions/${own.id}/progress`, {
      version,
      status: 'done',
      ...dateFields('completedOn', '2018-11-08'),
    });
    expect(errorSummaryText(tooEarly.body)).toContain('must be on or after the event reported on 9 November 2018');
    const future = await agents.officer.post(`${base()}/actions/${own.id}/progress`, {
      version,
      status: 'done',
      ...dateFields('completedOn', '2018-12-01'),
    });
    expect(errorSummaryText(future.body)).toContain('The date the action was completed must be today or in the past');
    const noDate = await agents.officer.post(`${base()}/actions/${own.id}/progress`, { version, status: 'done' });
    expect(errorSummaryText(noDate.body)).toContain('Enter the date the action was completed');
    const done = await agents.officer.post(`${base()}/actions/${own.id}/progress`, {
      version,
      status: 'done',
      ...dateFields('completedOn', '2018-11-16'),
      update: 'Sent to all attendees',
      // Fields outside progress are ignored.
      description: 'Something else',
    });
    expect(done.statusCode).toBe(302);
    const stale = await agents.officer.post(`${base()}/actions/${own.id}/progress`, { version, status: 'cancelled' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Saved by someone else');
    const [row] = (await context.database.db.select().from(scrutinyActions)).filter((r) => r.id === own.id);
    expect(row).toMatchObject({
      status: 'done',
      completedOn: '2018-11-16',
      update: 'Sent to all attendees',
      description: 'Circulate outputs of the day',
    });
    expect((await agents.force.get(`${base()}/actions`)).body).toContain('1 action is overdue.');
    const events = (await auditChain(context.database)).filter((e) => e.subjectId === own.id).map((e) => e.action);
    expect(events).toEqual(['scrutiny_action.created', 'scrutiny_action.progress_updated']);
  });

  it('the panel officer changes an action with optimistic locking', async () => {
    const [row] = (await context.database.db.select().from(scrutinyActions)).filter((r) => r.meetingId === meetingId);
    const form = await agents.panelOfficer.get(`${base()}/actions/${row!.id}/edit`);
    const version = formVersion(form.body);
    const fields = {
      description: 'Work up a first draft of the refreshed Plan',
      ownerName: 'Office of the Police and Crime Commissioner',
      ...dateFields('dueOn', '2019-01-20'),
      status: 'in_progress',
      version,
    };
    expect((await agents.panelOfficer.post(`${base()}/actions/${row!.id}/edit`, fields)).statusCode).toBe(302);
    const stale = await agents.panelOfficer.post(`${base()}/actions/${row!.id}/edit`, fields);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('20 January 2019');
    const badOwner = await agents.panelOfficer.post(`${base()}/actions/${row!.id}/edit`, {
      ...fields,
      version: String(Number(version) + 1),
      ownerUserId: '00000000-0000-4000-8000-000000000000',
    });
    expect(errorSummaryText(badOwner.body)).toContain('Select a person from the list');
  });
});
