import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { pageText as text, stepDate, takeStep } from '../support/lifecycle.ts';
import { elementIds, startPlan } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { editions } from '../../src/features/plans/plans.tables.ts';
import { editionDrafts, editionTransitions, panelReports } from '../../src/features/lifecycle/lifecycle.tables.ts';
import { recommendations } from '../../src/features/scrutiny/scrutiny.tables.ts';
import { notifications } from '../../src/features/notifications/notifications.tables.ts';
import { auditEvents } from '../../src/platform/audit/audit.tables.ts';
import { advanceEditionsByDate } from '../../src/features/lifecycle/index.ts';

describeOnEveryEngine('the statutory process of an edition', (context) => {
  let app: FastifyInstance;
  const agents: Record<string, Agent> = {};
  let planUrl = '';
  let bodyId = '';
  let slug = '';
  const editionUrl = (n: number) => `${planUrl}/editions/${n}`;
  const db = () => context.database.db;
  const editionRow = async (n: number) => (await db().select().from(editions)).find((e) => e.number === n && planUrl.includes(e.planId))!;
  const transitionsOf = async (n: number) =>
    db()
      .select()
      .from(editionTransitions)
      .where(eq(editionTransitions.editionId, (await editionRow(n)).id))
      .orderBy(editionTransitions.recordedAt);

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '100' } }));
    const { body, panel, partner } = await createBody(context.database);
    const { body: otherBody } = await createBody(context.database);
    bodyId = body.id;
    slug = body.slug;
    const people = {
      commissioner: { policingBodyId: body.id, role: 'commissioner' as const },
      officer: { policingBodyId: body.id, role: 'officer' as const },
      force: { policingBodyId: body.id, role: 'force' as const },
      partner: { policingBodyId: body.id, role: 'partner' as const, partnerId: partner.id },
      panelMember: { policingBodyId: body.id, role: 'panel_member' as const, scrutinyBodyId: panel.id },
      panelOfficer: { policingBodyId: body.id, role: 'panel_officer' as const, scrutinyBodyId: panel.id },
      outsider: { policingBodyId: otherBody.id, role: 'commissioner' as const },
    };
    for (const [name, membership] of Object.entries(people)) {
      const user = await createUser(context.database, { displayName: name, memberships: [membership] });
      agents[name] = new Agent(app);
      await agents[name]!.signIn(user.email, PASSWORD);
    }
    const admin = await createUser(context.database, { isAdmin: true, displayName: 'admin' });
    agents.admin = new Agent(app);
    await agents.admin.signIn(admin.email, PASSWORD);

    const first = await startPlan(agents.officer!, slug, {
      title: 'Police and Crime Plan 2026–29',
      startsOn: '2026-04-01',
      endsOn: '2029-03-31',
    });
    planUrl = first.replace(/\/editions\/1$/, '');
    await agents.officer!.submit(`${first}/priorities/new`, { title: 'Connecting communities and policing' });
  });
  afterAll(() => app.close());

  it('shows the process of a new draft: drafting, the main path, and what the office can do', async () => {
    const page = await agents.officer!.get(`${editionUrl(1)}/process`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<li aria-current="step">\s*<strong>Drafting<\/strong>/);
    const body = text(page.body);
    expect(body).toContain('Record the consultation of the chief constable');
    expect(body).toContain('PRSRA 2011 s.5(6)(b)');
    // Sending is blocked, with the reason.
    expect(body).toContain('Send the draft to the panel Not yet');
    expect(body).toContain('Record the consultation of the chief constable first');
    expect((await agents.officer!.get(editionUrl(1))).body).toContain('Statutory process: Drafting');
  });

  it('refuses to send a draft the chief constable was not consulted on, and changes nothing', async () => {
    const refused = await takeStep(agents.officer!, editionUrl(1), 'send-to-panel', {
      ...stepDate('2026-05-10'),
      waiverReason: 'Draft for discussion',
    });
    expect(refused.statusCode).toBe(409);
    expect(errorSummaryText(refused.body)).toContain('consultation of the chief constable first');
    expect(errorSummaryText(refused.body)).toContain('s.5(6)(b)');
    expect(await transitionsOf(1)).toHaveLength(0);
    expect((await editionRow(1)).lifecycleState).toBe('drafting');
  });

  it('refuses steps to the wrong people: force and panel get 403 on office steps; other bodies cannot see the process', async () => {
    for (const name of ['force', 'partner', 'panelMember', 'panelOfficer'])
      expect([name, (await agents[name]!.get(`${editionUrl(1)}/process/consult-chief-constable`)).statusCode]).toEqual([name, 403]);
    expect((await agents.outsider!.get(`${editionUrl(1)}/process`)).statusCode).toBe(403);
    expect((await agents.outsider!.get(`/bodies/${slug}/plans/00000000-0000-4000-8000-000000000000/editions/1/process`)).statusCode).toBe(
      403,
    );
    expect((await agents.officer!.get(`/bodies/${slug}/plans/00000000-0000-4000-8000-000000000000/editions/1/process`)).statusCode).toBe(
      404,
    );
    expect((await agents.officer!.get(`${editionUrl(1)}/process/no-such-step`)).statusCode).toBe(404);
    expect((await agents.officer!.get(`${editionUrl(1)}/process/bring-into-force`)).statusCode).toBe(404);
    // The draft is not shared yet.
    expect((await agents.panelMember!.get(`${editionUrl(1)}/process`)).statusCode).toBe(403);
  });

  it('keeps the values and shows field errors for a bad form', async () => {
    const bad = await takeStep(agents.officer!, editionUrl(1), 'consult-chief-constable', {
      ...stepDate('2026-02-30'),
      how: 'Meeting',
      views: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryText(bad.body)).toContain('must be a real date');
    expect(errorSummaryText(bad.body)).toContain('Enter a summary of the chief constable’s views');
    expect(bad.body).toContain('value="Meeting"');
    const future = await takeStep(agents.officer!, editionUrl(1), 'consult-chief-constable', {
      ...stepDate('2026-12-01'),
      how: 'Meeting',
      views: 'Supportive',
    });
    expect(future.statusCode).toBe(400);
    expect(errorSummaryText(future.body)).toContain('The date must be today or in the past');
  });

  it('takes edition 1 through to issue and into force', async () => {
    const officer = agents.officer!;
    expect(
      (
        await takeStep(officer, editionUrl(1), 'consult-chief-constable', {
          ...stepDate('2026-05-01'),
          how: 'Meeting with chief officers',
          views: 'Supportive',
        })
      ).statusCode,
    ).toBe(302);
    const sent = await takeStep(officer, editionUrl(1), 'send-to-panel', {
      ...stepDate('2026-05-10'),
      waiverReason: 'Finance section follows the precept',
    });
    expect(sent.statusCode).toBe(302);
    const [draft] = await db()
      .select()
      .from(editionDrafts)
      .where(eq(editionDrafts.editionId, (await editionRow(1)).id));
    expect(draft).toMatchObject({
      draftNumber: 1,
      sentOn: '2026-05-10',
      reviewWindowEndsOn: '2026-06-07',
      completenessWaiver: 'Finance section follows the precept',
    });
    expect((draft!.snapshot as { priorities: { title: string }[] }).priorities[0]!.title).toBe('Connecting communities and policing');
    // Panel members and officers are told.
    const notices = await db().select().from(notifications);
    expect(notices.filter((n) => n.subject.includes('sent to the panel'))).toHaveLength(2);

    expect(
      (
        await takeStep(agents.panelOfficer!, editionUrl(1), 'record-panel-report', {
          ...stepDate('2026-06-01'),
          summary: 'Welcomed the plan',
          noRecommendations: 'yes',
        })
      ).statusCode,
    ).toBe(302);
    expect((await takeStep(officer, editionUrl(1), 'give-response', { ...stepDate('2026-06-05'), response: 'Thank you' })).statusCode).toBe(
      302,
    );
    expect((await takeStep(officer, editionUrl(1), 'publish-response', stepDate('2026-06-06'))).statusCode).toBe(302);
    const issued = await takeStep(agents.commissioner!, editionUrl(1), 'issue', {
      ...stepDate('2026-06-10'),
      reference: 'DN 2026/01',
      decidedBy: 'Alex Example',
    });
    expect(issued.statusCode).toBe(302);
    const row = await editionRow(1);
    expect(row).toMatchObject({ lifecycleState: 'in_force', isFrozen: true });
    expect((await transitionsOf(1)).map((t) => [t.event, t.toState, t.actorLabel])).toEqual([
      ['consult_chief_constable', 'chief_constable_consulted', 'officer'],
      ['send_to_panel', 'sent_to_panel', 'officer'],
      ['record_panel_report', 'panel_report_received', 'panelOfficer'],
      ['give_response', 'response_given', 'officer'],
      ['publish_response', 'response_published', 'officer'],
      ['issue', 'issued', 'commissioner'],
      ['bring_into_force', 'in_force', 'The service (automatic, by date)'],
    ]);
    const history = text((await officer.get(`${editionUrl(1)}/process`)).body);
    expect(history).toContain('Decision reference DN 2026/01');
    expect(history).toContain('PRSRA 2011 s.5(6)(c), s.5(7)');
    const audit = await db().select().from(auditEvents).where(eq(auditEvents.subjectId, row.id));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['edition.send_to_panel', 'edition.issue', 'edition.bring_into_force']),
    );
  });

  it('runs the Devon and Cornwall story: a further draft with three points, a report, responses, issue; edition 1 is superseded', async () => {
    const officer = agents.officer!;
    expect((await officer.submit(`${editionUrl(1)}/new-edition`, { kind: 'refresh' })).statusCode).toBe(302);
    const two = editionUrl(2);
    await takeStep(officer, two, 'consult-chief-constable', {
      ...stepDate('2026-10-01'),
      how: 'Joint sessions',
      views: 'Agrees the priorities',
    });
    expect((await takeStep(officer, two, 'send-to-panel', { ...stepDate('2026-10-05'), waiverReason: 'Draft' })).statusCode).toBe(302);

    // Shared now: the panel member reads the draft but cannot change it; nobody can while it is with the panel.
    expect((await agents.panelMember!.get(two)).statusCode).toBe(200);
    expect((await agents.force!.get(two)).statusCode).toBe(200);
    expect((await agents.panelMember!.get(`${two}/vision`)).statusCode).toBe(403);
    await agents.panelMember!.get(two);
    expect((await agents.panelMember!.post(`${two}/priorities/new`, { title: 'Sneaked in' })).statusCode).toBe(403);
    expect((await agents.panelMember!.get(planUrl)).body).toContain('edition 2');
    const withPanel = await officer.submit(`${two}/priorities/new`, { title: 'Getting the best out of the police' });
    expect(withPanel.statusCode).toBe(409);
    expect(text(withPanel.body)).toContain('This draft is with the panel for review');

    // Dates in the wrong order are field errors.
    const early = await takeStep(agents.panelOfficer!, two, 'request-further-draft', {
      ...stepDate('2026-10-01'),
      summary: 'Needs streamlining',
      points: 'A',
    });
    expect(early.statusCode).toBe(400);
    expect(errorSummaryText(early.body)).toContain('The date must be on or after the draft was sent to the panel (5 October 2026)');
    expect(early.body).toContain('>Needs streamlining</textarea>');

    const further = await takeStep(agents.panelOfficer!, two, 'request-further-draft', {
      ...stepDate('2026-10-20'),
      summary: 'Comprehensive but hard to navigate; needs streamlining before it is made public',
      points: [
        '(a) Greater prominence for the peninsula strategic assessment',
        '(b) Clearer delineation between strategic, operational and partner responsibilities',
        '(c) More explicit emphasis on the ICT strategy, and clearer measures around the priorities',
      ].join('\n'),
      resolution: 'That the PCC produces a further draft',
      unanimous: 'yes',
    });
    expect(further.statusCode).toBe(302);
    expect(await editionRow(2)).toMatchObject({ lifecycleState: 'drafting', draftNumber: 2 });
    const points = await db()
      .select()
      .from(recommendations)
      .where(eq(recommendations.editionId, (await editionRow(2)).id));
    expect(points.map((p) => [p.reference, p.source, p.responseDueOn])).toEqual([
      ['R1', 'further_draft_request', '2026-11-17'],
      ['R2', 'further_draft_request', '2026-11-17'],
      ['R3', 'further_draft_request', '2026-11-17'],
    ]);
    expect(points[0]!.text).toBe('Greater prominence for the peninsula strategic assessment');

    // The second draft: the office edits again, then sends it (the consultation stands).
    expect((await officer.submit(`${two}/priorities/new`, { title: 'Getting the best out of the police' })).statusCode).toBe(302);
    expect((await takeStep(officer, two, 'send-to-panel', { ...stepDate('2026-11-01'), waiverReason: 'Draft' })).statusCode).toBe(302);
    const report = await takeStep(agents.panelOfficer!, two, 'record-panel-report', {
      ...stepDate('2026-11-10'),
      summary: 'Welcomed the second draft',
      recommendations: 'Publish an easy-read version\nReport quarterly on the ICT strategy',
      resolution: 'To welcome the plan',
      votesFor: '9',
      votesAgainst: '0',
      abstentions: '1',
    });
    expect(report.statusCode).toBe(302);
    const [stored] = await db()
      .select()
      .from(panelReports)
      .where(and(eq(panelReports.editionId, (await editionRow(2)).id), eq(panelReports.draftNumber, 2)));
    expect(stored).toMatchObject({ kind: 'report', votesFor: 9, abstentions: 1, noRecommendations: false });
    const told = await db().select().from(notifications);
    expect(told.some((n) => n.subject.includes('made 2 recommendations'))).toBe(true);

    // Responses: every one of the five must be answered; a missing one is a field error.
    const form = await officer.get(`${two}/process/give-response`);
    const ids = [...form.body.matchAll(/name="version-([0-9a-f-]{36})" value="(\d+)"/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(ids).toHaveLength(5);
    const answers = Object.fromEntries(
      ids.flatMap(([id, version], i) => [
        [`version-${id}`, version],
        [`status-${id}`, i === 4 ? 'partly_accepted' : 'accepted'],
        [`text-${id}`, `Response ${i + 1}`],
      ]),
    );
    const missing = await takeStep(officer, two, 'give-response', {
      ...stepDate('2026-11-15'),
      response: 'Our response',
      ...answers,
      [`status-${ids[0]![0]}`]: '',
    });
    expect(missing.statusCode).toBe(400);
    expect(errorSummaryText(missing.body)).toContain('Select whether recommendation R1 is accepted');
    const beforeReport = await takeStep(officer, two, 'give-response', { ...stepDate('2026-11-09'), response: 'Our response', ...answers });
    expect(beforeReport.statusCode).toBe(400);
    expect(errorSummaryText(beforeReport.body)).toContain('on or after the panel’s report (10 November 2026)');
    expect(
      (await takeStep(officer, two, 'give-response', { ...stepDate('2026-11-15'), response: 'Our response', ...answers })).statusCode,
    ).toBe(302);
    expect(
      (await takeStep(officer, two, 'publish-response', { ...stepDate('2026-11-16'), url: 'https://example.org/response' })).statusCode,
    ).toBe(302);
    const published = await db()
      .select()
      .from(recommendations)
      .where(eq(recommendations.editionId, (await editionRow(2)).id));
    expect(published.every((r) => r.responsePublishedOn === '2026-11-16')).toBe(true);

    // s.18: not the officer, not an administrator.
    for (const name of ['officer', 'admin']) {
      const refused = await takeStep(agents[name]!, two, 'issue', {
        ...stepDate('2026-11-20'),
        reference: 'DN 2026/09',
        decidedBy: 'Officer',
      });
      expect([name, refused.statusCode]).toEqual([name, 403]);
      expect(text(refused.body)).toContain('Only the commissioner can issue the plan');
      expect(text(refused.body)).toContain('s.18');
    }

    // s.5(8): a change after the panel saw the draft needs a re-consultation first.
    const [priorityId] = elementIds((await officer.get(two)).body, 'priorities');
    const edit = await officer.get(`${two}/priorities/${priorityId}/edit`);
    const version = /name="version" value="(\d+)"/.exec(edit.body)![1]!;
    expect(
      (await officer.post(`${two}/priorities/${priorityId}/edit`, { title: 'Safe, resilient and connected communities', version }))
        .statusCode,
    ).toBe(302);
    const notYet = await takeStep(agents.commissioner!, two, 'issue', {
      ...stepDate('2026-11-20'),
      reference: 'DN 2026/09',
      decidedBy: 'Alex Example',
    });
    expect(notYet.statusCode).toBe(409);
    expect(errorSummaryText(notYet.body)).toContain('s.5(8)');
    expect((await editionRow(2)).lifecycleState).toBe('response_published');
    expect(
      (
        await takeStep(officer, two, 'reconsult-chief-constable', {
          ...stepDate('2026-11-18'),
          how: 'Letter',
          views: 'Content with the change',
        })
      ).statusCode,
    ).toBe(302);
    const issued = await takeStep(agents.commissioner!, two, 'issue', {
      ...stepDate('2026-11-20'),
      reference: 'DN 2026/09',
      decidedBy: 'Alex Example',
    });
    expect(issued.statusCode).toBe(302);
    expect(await editionRow(2)).toMatchObject({ lifecycleState: 'in_force', isFrozen: true });
    expect((await editionRow(1)).lifecycleState).toBe('superseded');
    expect((await transitionsOf(1)).at(-1)).toMatchObject({ event: 'supersede', fromState: 'in_force', actorUserId: null });
    // Frozen: the edition refuses changes.
    expect((await officer.submit(`${two}/priorities/new`, { title: 'Too late' })).statusCode).toBe(409);
  });

  it('lets exactly one of two identical concurrent requests through; the other is told it is already done', async () => {
    const url = await startPlan(agents.officer!, slug, { title: 'Concurrent plan' });
    const form = await agents.officer!.get(`${url}/process/consult-chief-constable`);
    const seenState = /name="seenState" value="([^"]*)"/.exec(form.body)![1]!;
    const fields = { seenState, seenCount: '0', ...stepDate('2026-11-01'), how: 'Meeting', views: 'Fine' };
    const responses = await Promise.all([
      agents.officer!.post(`${url}/process/consult-chief-constable`, fields),
      agents.officer!.post(`${url}/process/consult-chief-constable`, fields),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([302, 409]);
    const refused = responses.find((r) => r.statusCode === 409)!;
    expect(text(refused.body)).toContain('Someone has already recorded the consultation of the chief constable on this draft.');
    const edition = (await db().select().from(editions)).find((e) => url.includes(e.planId))!;
    expect(await db().select().from(editionTransitions).where(eq(editionTransitions.editionId, edition.id))).toHaveLength(1);
  });

  it('requires the body’s internal approval before sending, and withdraws an edition for good', async () => {
    const settings = `/bodies/${slug}/process-settings`;
    expect(
      (
        await agents.officer!.submit(
          settings,
          { name: 'Business Coordination Board', requiredBefore: 'send_to_panel' },
          `${settings}/approval-steps`,
        )
      ).statusCode,
    ).toBe(302);
    const url = await startPlan(agents.officer!, slug, { title: 'Board plan' });
    await takeStep(agents.officer!, url, 'consult-chief-constable', { ...stepDate('2026-11-01'), how: 'Meeting', views: 'Fine' });
    const blocked = await takeStep(agents.officer!, url, 'send-to-panel', { ...stepDate('2026-11-02'), waiverReason: 'Draft' });
    expect(blocked.statusCode).toBe(409);
    expect(errorSummaryText(blocked.body)).toContain('Record the internal approval “Business Coordination Board” for this draft first');
    expect(
      (
        await takeStep(agents.officer!, url, 'record-internal-approval', {
          ...stepDate('2026-11-02'),
          step: 'Business Coordination Board',
          approvedBy: 'The board',
        })
      ).statusCode,
    ).toBe(302);
    expect((await takeStep(agents.officer!, url, 'send-to-panel', { ...stepDate('2026-11-02'), waiverReason: 'Draft' })).statusCode).toBe(
      302,
    );
    expect(
      (await takeStep(agents.officer!, url, 'withdraw', { ...stepDate('2026-11-03'), reason: 'Superseded by events' })).statusCode,
    ).toBe(302);
    const page = await agents.officer!.get(`${url}/process`);
    expect(text(page.body)).toContain('Nothing more can happen to this edition');
    expect((await agents.officer!.get(`${url}/process/consult-chief-constable`)).statusCode).toBe(409);
    expect((await agents.officer!.submit(`${url}/priorities/new`, { title: 'Late' })).statusCode).toBe(409);
    // Remove the step so later tests are not affected.
    const steps = (await agents.officer!.get(settings)).body;
    const stepId = /approval-steps\/([0-9a-f-]{36})\/delete/.exec(steps)![1]!;
    expect((await agents.officer!.post(`${settings}/approval-steps/${stepId}/delete`, {})).statusCode).toBe(302);
    expect((await agents.officer!.get(settings)).body).toContain('No internal approval steps.');
  });

  it('brings an issued plan into force when its period starts and expires it when it ends, as the service', async () => {
    const url = await startPlan(agents.officer!, slug, { title: 'Future plan', startsOn: '2027-04-01', endsOn: '2028-03-31' });
    const officer = agents.officer!;
    await takeStep(officer, url, 'consult-chief-constable', { ...stepDate('2026-11-01'), how: 'Meeting', views: 'Fine' });
    await takeStep(officer, url, 'send-to-panel', { ...stepDate('2026-11-02'), waiverReason: 'Draft' });
    // The panel member now reads the process, but has nothing to do in it.
    const seen = await agents.panelMember!.get(`${url}/process`);
    expect(seen.statusCode).toBe(200);
    expect(text(seen.body)).toContain('There is nothing for you to do at this stage');
    const json = await agents.panelOfficer!.get(`/api/v1${url}/process`);
    expect((await agents.outsider!.get(`/api/v1${url}/process`)).statusCode).toBe(403);
    expect(JSON.parse(json.body)).toMatchObject({
      state: 'sent_to_panel',
      actions: expect.arrayContaining([expect.objectContaining({ label: 'Record the panel’s report', isOpen: true })]),
    });
    await takeStep(agents.panelOfficer!, url, 'record-panel-report', {
      ...stepDate('2026-11-03'),
      summary: 'Fine',
      noRecommendations: 'yes',
    });
    await takeStep(officer, url, 'give-response', { ...stepDate('2026-11-04'), response: 'Thanks' });
    await takeStep(officer, url, 'publish-response', stepDate('2026-11-05'));
    expect(
      (await takeStep(agents.commissioner!, url, 'issue', { ...stepDate('2026-11-06'), reference: 'DN 1', decidedBy: 'Alex' })).statusCode,
    ).toBe(302);
    const row = async () => (await db().select().from(editions)).find((e) => url.includes(e.planId))!;
    expect((await row()).lifecycleState).toBe('issued');
    await advanceEditionsByDate(db(), '2027-03-31');
    expect((await row()).lifecycleState).toBe('issued');
    expect(await advanceEditionsByDate(db(), '2027-04-01')).toBeGreaterThanOrEqual(1);
    expect((await row()).lifecycleState).toBe('in_force');
    await advanceEditionsByDate(db(), '2028-04-01');
    expect((await row()).lifecycleState).toBe('expired');
    const steps = await db()
      .select()
      .from(editionTransitions)
      .where(eq(editionTransitions.editionId, (await row()).id));
    expect(steps.filter((t) => t.actorUserId === null).map((t) => [t.event, t.happenedOn])).toEqual([
      ['bring_into_force', '2027-04-01'],
      ['expire', '2028-04-01'],
    ]);
  });

  it('keeps the process settings with optimistic locking, for the office only', async () => {
    const url = `/bodies/${slug}/process-settings`;
    for (const name of ['force', 'partner', 'panelMember', 'panelOfficer', 'outsider'])
      expect([name, (await agents[name]!.get(url)).statusCode]).toEqual([name, 403]);
    const form = await agents.commissioner!.get(url);
    expect(form.statusCode).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const values = {
      panelReviewDays: '42',
      responseDueDays: '20',
      actionReminderDays: '5',
      annualReportMonth: '6',
      quarterlyReportLagDays: '45',
    };
    const bad = await agents.commissioner!.post(url, { ...values, panelReviewDays: '0', version });
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryText(bad.body)).toContain('between 1 and 365');
    expect((await agents.commissioner!.post(url, { ...values, version })).statusCode).toBe(302);
    const stale = await agents.officer!.submit(url, { ...values, panelReviewDays: '30', version });
    expect(stale.statusCode).toBe(409);
    expect(text(stale.body)).toContain('Saved by someone else');
    expect(text(stale.body)).toContain('42 days');
    expect((await agents.officer!.get(url)).body).toContain('value="42"');
    expect(bodyId).not.toBe('');
  });
});
