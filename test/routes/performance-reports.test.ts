import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import mammoth from 'mammoth';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEventsNamed } from '../support/accounts-helpers.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { monitoredPlan, type MonitoredPlan } from '../support/performance.ts';
import { paths } from '../../src/shared/paths.ts';
import { savePrioritySummary, saveCommentary } from '../../src/features/performance/commentary.repository.ts';
import { saveGradingSettings } from '../../src/features/performance/measure-settings.repository.ts';
import { recordValues, type NewMeasureValue } from '../../src/features/performance/measure-values.repository.ts';
import { performanceReports } from '../../src/features/performance/performance.tables.ts';
import { measures as measureRows } from '../../src/features/plans/plans.tables.ts';
import { agendaDocuments, agendaItems, meetings } from '../../src/features/scrutiny/scrutiny.tables.ts';
import { gradeLabels, ungradedReasonLabels } from '../../src/features/performance/domain/grading.ts';

/** The text of a Word document as HTML (headings as h1/h2…), through mammoth as a reader would open it. */
const docxHtml = async (bytes: Buffer) => (await mammoth.convertToHtml({ buffer: bytes })).value;
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');

describeOnEveryEngine('performance reports: the quarterly report and the national measures statement', (context) => {
  let app: FastifyInstance;
  let office: Agent;
  let force: Agent;
  let panelMember: Agent;
  let slug: string;
  let plan: MonitoredPlan;
  let second: MonitoredPlan;
  let reportsUrl: string;
  let quarterlyUrl: string;
  let statementUrl: string;
  const ids: Record<string, string> = {};
  const db = () => context.database.db;

  const value = (p: MonitoredPlan, measure: number, periodStart: string, v: number, userId: string): NewMeasureValue => ({
    planId: p.planId,
    measureLineageId: p.measures[measure]!.lineageId,
    periodKind: p.measures[measure]!.frequency === 'quarterly' ? 'quarter' : 'month',
    periodStart,
    value: v,
    source: 'form',
    enteredBy: userId,
  });

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, panel } = await createBody(context.database);
    slug = body.slug;
    const officer = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    const forceUser = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] });
    const member = await createUser(context.database, {
      memberships: [{ policingBodyId: body.id, role: 'panel_member', scrutinyBodyId: panel.id }],
    });
    office = new Agent(app);
    force = new Agent(app);
    panelMember = new Agent(app);
    await office.signIn(officer.email, PASSWORD);
    await force.signIn(forceUser.email, PASSWORD);
    await panelMember.signIn(member.email, PASSWORD);

    plan = await monitoredPlan(context.database, officer, body);
    reportsUrl = paths.performanceReports(slug, plan.planId);
    const [crime, victims] = plan.priorities;
    // Average 101 answer time (monthly, target 90, lower is better): red at the end of June, green
    // in July, after the quarter. Victim satisfaction (quarterly, target 75): 74 corrected to 76.
    await recordValues(db(), [
      value(plan, 2, '2024-04-01', 100, officer.id),
      value(plan, 2, '2024-05-01', 95, officer.id),
      value(plan, 2, '2024-06-01', 130, officer.id),
      value(plan, 2, '2024-07-01', 80, officer.id),
      value(plan, 1, '2024-04-01', 74, officer.id),
    ]);
    await recordValues(db(), [value(plan, 1, '2024-04-01', 76, officer.id)]);
    const june = { kind: 'month' as const, start: '2024-06-01' };
    const july = { kind: 'month' as const, start: '2024-07-01' };
    const answerTime = plan.measures[2]!.lineageId;
    const words = (w: string) => ({ whatIsHappening: w, whatIsBeingDone: `Acting on: ${w}` });
    await saveCommentary(db(), plan.planId, answerTime, june, words('Staff shortage in the control room in June'), 0, officer.id);
    await saveCommentary(db(), plan.planId, answerTime, july, words('Recovered in July'), 0, officer.id);
    await savePrioritySummary(db(), plan.planId, crime!.lineageId, '2024-04-01', 'Crime fell this quarter.', 0, officer.id);
    await savePrioritySummary(db(), plan.planId, crime!.lineageId, '2024-07-01', 'A later quarter’s summary.', 0, officer.id);
    expect(victims).toBeDefined();

    // A second plan of the same body reports homicides against the 2019 baseline (Lancashire's figures).
    second = await monitoredPlan(context.database, officer, body, { title: 'Second plan' });
    const homicides = second.measures[0]!.lineageId;
    await db()
      .update(measureRows)
      .set({ name: 'Homicides', baselineValue: 28, baselinePeriod: '2019', unit: '' })
      .where(eq(measureRows.lineageId, homicides));
    await saveGradingSettings(
      db(),
      second.planId,
      homicides,
      { gradingRule: 'baseline', amberMarginPercent: 5, nationalMeasureCode: 'homicide' },
      0,
      officer.id,
    );
    await recordValues(db(), [value(second, 0, '2024-05-01', 20, officer.id), value(second, 0, '2024-06-01', 16, officer.id)]);

    // The panel's meetings: one to come with two items, and one long past that is not offered.
    const [coming] = await db()
      .insert(meetings)
      .values({ scrutinyBodyId: panel.id, kind: 'formal_public', title: 'Police and Crime Panel', heldOn: '2026-12-10' })
      .returning();
    const [past] = await db()
      .insert(meetings)
      .values({ scrutinyBodyId: panel.id, kind: 'formal_public', title: 'Old panel meeting', heldOn: '2025-01-15' })
      .returning();
    ids.meeting = coming!.id;
    const items = await db()
      .insert(agendaItems)
      .values([
        { meetingId: coming!.id, position: 1, title: 'Apologies' },
        { meetingId: coming!.id, position: 2, title: 'Quarterly performance report' },
        { meetingId: past!.id, position: 1, title: 'Performance' },
      ])
      .returning();
    ids.item = items[1]!.id;
    ids.pastItem = items[2]!.id;
  });
  afterAll(() => app.close());

  it('offers the quarters of the plan and refuses one outside it, keeping the choice', async () => {
    const page = await office.get(reportsUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No reports have been generated yet.');
    expect(page.body).toContain('<option value="fy2024-25-q1">Quarter 1 2024/25 (April to June 2024)</option>');
    // The last complete quarter on 23 November 2026 is selected.
    expect(page.body).toMatch(/<option value="fy2026-27-q2" selected>/);

    const refused = await office.post(reportsUrl, { kind: 'national_statement', quarter: 'fy2019-20-q1' });
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryText(refused.body)).toContain('Select the quarter to report on');
    expect(refused.body).toMatch(/value="national_statement" checked/);
    const noKind = await office.post(reportsUrl, { quarter: 'fy2024-25-q1' });
    expect(noKind.statusCode).toBe(400);
    expect(errorSummaryText(noKind.body)).toContain('Select what to generate');
    expect(await db().select().from(performanceReports)).toHaveLength(0);
  });

  it('lets only the commissioner’s office generate reports', async () => {
    expect((await force.get(reportsUrl)).statusCode).toBe(200);
    expect((await force.get(reportsUrl)).body).not.toContain('Generate report');
    expect((await force.post(reportsUrl, { kind: 'quarterly', quarter: 'fy2024-25-q1' })).statusCode).toBe(403);
    expect((await panelMember.post(reportsUrl, { kind: 'quarterly', quarter: 'fy2024-25-q1' })).statusCode).toBe(403);
    expect(await db().select().from(performanceReports)).toHaveLength(0);
  });

  it('generates the quarterly report: exceptions first, grades and figures as at the quarter end, that quarter’s commentary and summary', async () => {
    const made = await office.post(reportsUrl, { kind: 'quarterly', quarter: 'fy2024-25-q1' });
    expect(made.statusCode).toBe(302);
    quarterlyUrl = made.headers.location as string;
    ids.quarterly = quarterlyUrl.split('/').pop()!;
    const page = await panelMember.get(quarterlyUrl);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('Performance report: Quarter 1 2024/25 (April to June 2024)');

    // Exceptions come before the first priority, red first, then ungraded with their reasons.
    const exceptions = body.slice(body.indexOf('Exceptions'), body.indexOf('Grades this quarter'));
    const order = ['Average 101 answer time', 'Violence and sexual offences', 'Residents who feel safe after dark'].map((name) =>
      exceptions.indexOf(name),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(exceptions).toContain(gradeLabels.red);
    expect(exceptions).toContain(`${gradeLabels.ungraded}: ${ungradedReasonLabels.no_data}`);
    expect(body.indexOf('Exceptions')).toBeLessThan(body.indexOf('Summary Crime fell this quarter.'));
    expect(exceptions).not.toContain('Victims satisfied with the service');

    // The 101 answer time is red on June's 130 seconds; July's 80 is after the quarter.
    const answer = body.slice(body.indexOf('Average 101 answer time', body.indexOf('Grades this quarter')));
    expect(answer).toContain('130 seconds (June 2024)');
    expect(page.body).not.toMatch(/>Jul 2024</);
    expect(answer).toContain('Staff shortage in the control room in June');
    expect(body).not.toContain('Recovered in July');
    expect(body).toContain('Crime fell this quarter.');
    expect(body).not.toContain('A later quarter’s summary.');
    // The corrected victim satisfaction figure is marked, and green.
    const victims = body.slice(body.indexOf('2. Put victims first'));
    expect(victims).toContain('76% (Quarter 1 2024/25 (April to June 2024)), revised since first reported');
    expect(victims).toContain(gradeLabels.green);
    // Every chart is an image with its summary as its name, beside its data table.
    expect(page.body).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Average 101 answer time[^"]*130 seconds/);
    expect(page.body).toContain('Values of Average 101 answer time');

    const [event] = await auditEventsNamed(context.database, 'performance_report.generated');
    expect(event).toMatchObject({ subjectId: ids.quarterly, after: { kind: 'quarterly', quarter: 'fy2024-25-q1' } });
  });

  it('keeps the report as generated when figures are corrected later', async () => {
    const officer = (await db().select().from(performanceReports))[0]!.generatedBy!;
    await recordValues(db(), [value(plan, 2, '2024-06-01', 85, officer)]);
    const page = await office.get(quarterlyUrl);
    expect(text(page.body)).toContain('130 seconds (June 2024)');
    expect(text(page.body)).not.toContain('85 seconds');
  });

  it('downloads the report as a Word document with its headings, grades, tables and commentary, and as JSON', async () => {
    const docx = await office.get(`${quarterlyUrl}/report.docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml.document');
    expect(docx.headers['content-disposition']).toContain('performance-report-fy2024-25-q1.docx');
    const html = await docxHtml(docx.rawPayload);
    expect(html).toContain('<h1>Exceptions</h1>');
    expect(html).toContain('<h1>1. Cut crime and antisocial behaviour</h1>');
    expect(html).toContain('<h2>Average 101 answer time</h2>');
    expect(html.indexOf('<h1>Exceptions</h1>')).toBeLessThan(html.indexOf('<h1>1. Cut crime and antisocial behaviour</h1>'));
    const words = text(html);
    expect(words).toContain(`Grade: ${gradeLabels.red}`);
    expect(words).toContain('Staff shortage in the control room in June');
    expect(words).toContain('Jun 2024 130 No');
    expect(words).not.toContain('Jul 2024');
    // The charts are in it as pictures (SVG with a PNG for older Word).
    expect(html).toMatch(/<img [^>]*src="data:image\/png;base64,/);

    const json = await office.get(`${quarterlyUrl}/report.json`);
    expect(json.statusCode).toBe(200);
    const parsed = JSON.parse(json.body) as { kind: string; content: { exceptions: { name: string }[] } };
    expect(parsed.kind).toBe('quarterly');
    expect(parsed.content.exceptions[0]!.name).toBe('Average 101 answer time');
  });

  it('attaches the report to an agenda item of the panel, where the meeting page lists it and it downloads', async () => {
    const attachUrl = `${quarterlyUrl}/attach`;
    const form = await office.get(attachUrl);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Police and Crime Panel: item 2, Quarterly performance report');
    expect(form.body).not.toContain('Old panel meeting');
    expect((await force.get(attachUrl)).statusCode).toBe(403);
    expect((await panelMember.post(attachUrl, { agendaItem: ids.item! })).statusCode).toBe(403);

    const none = await office.post(attachUrl, { agendaItem: '' });
    expect(none.statusCode).toBe(400);
    expect(errorSummaryText(none.body)).toContain('Select the agenda item to attach the report to');
    const past = await office.post(attachUrl, { agendaItem: ids.pastItem! });
    expect(past.statusCode).toBe(400);
    expect(await db().select().from(agendaDocuments)).toHaveLength(0);

    const attached = await office.post(attachUrl, { agendaItem: ids.item! });
    expect(attached.statusCode).toBe(302);
    const [document] = await db().select().from(agendaDocuments);
    expect(document).toMatchObject({ agendaItemId: ids.item, title: 'Performance report: Quarter 1 2024/25 (April to June 2024)' });

    const meeting = await panelMember.get(paths.meeting(slug, ids.meeting!));
    expect(meeting.body).toContain('Performance report: Quarter 1 2024/25 (April to June 2024)');
    expect(meeting.body).toContain(paths.agendaDocument(slug, document!.id));
    const download = await panelMember.get(paths.agendaDocument(slug, document!.id));
    expect(download.statusCode).toBe(200);
    expect(text(await docxHtml(download.rawPayload))).toContain('Staff shortage in the control room in June');

    const [event] = await auditEventsNamed(context.database, 'performance_report.attached');
    expect(event).toMatchObject({ subjectId: ids.quarterly, after: { agendaItemId: ids.item, documentId: document!.id } });
  });

  it('generates the national measures statement: homicides fell from 28 to 16 (−42.9%), others not yet reported', async () => {
    const url = paths.performanceReports(slug, second.planId);
    const made = await office.post(url, { kind: 'national_statement', quarter: 'fy2024-25-q1' });
    expect(made.statusCode).toBe(302);
    statementUrl = made.headers.location as string;
    const page = await office.get(statementUrl);
    const body = text(page.body);
    expect(body).toContain('Homicides fell from 28 (2019) to 16 (Jun 2024), a change of \u221242.9%.');
    expect(body).toContain('\u221212 (\u221242.9%), better');
    for (const title of ['Reduce serious violence', 'Disrupt drugs supply and county lines', 'Tackle cyber crime']) {
      expect(body.slice(body.indexOf(title), body.indexOf(title) + 200)).toContain('Not yet reported');
    }
    expect(body.indexOf('Reduce murder and other homicide')).toBeLessThan(body.indexOf('Reduce serious violence'));
    const html = await docxHtml((await office.get(`${statementUrl}/report.docx`)).rawPayload);
    expect(text(html)).toContain('Homicides fell from 28 (2019) to 16 (Jun 2024), a change of \u221242.9%.');
  });

  it('publishes the statement on the public site, once, and only the office may', async () => {
    const publicUrl = paths.publicNationalMeasures(slug);
    const reader = new Agent(app);
    expect((await reader.get(publicUrl)).body).toContain('has been published yet');
    expect((await force.post(`${statementUrl}/publish`, {})).statusCode).toBe(403);
    // A quarterly report is not published.
    await office.get(quarterlyUrl);
    expect((await office.post(`${quarterlyUrl}/publish`, {})).statusCode).toBe(404);

    await office.get(statementUrl);
    const published = await office.post(`${statementUrl}/publish`, {});
    expect(published.statusCode).toBe(302);
    const again = await office.post(`${statementUrl}/publish`, {});
    expect(again.statusCode).toBe(302);
    expect(await auditEventsNamed(context.database, 'performance_report.published')).toHaveLength(1);

    const page = await reader.get(publicUrl);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Homicides fell from 28 (2019) to 16 (Jun 2024), a change of \u221242.9%.');
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('answers 404 for reports that do not exist or belong to another plan', async () => {
    expect((await office.get(`${reportsUrl}/not-a-uuid`)).statusCode).toBe(404);
    expect((await office.get(`${reportsUrl}/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
    // The statement belongs to the second plan, not this one.
    const statementId = statementUrl.split('/').pop()!;
    expect((await office.get(`${reportsUrl}/${statementId}`)).statusCode).toBe(404);
    expect((await office.get(`${reportsUrl}/${statementId}/report.docx`)).statusCode).toBe(404);
    await office.get(quarterlyUrl);
    expect((await office.post(`${reportsUrl}/${statementId}/publish`, {})).statusCode).toBe(404);
    expect((await office.get(paths.performanceReports(slug, '00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404);
    const list = await office.get(reportsUrl);
    expect(list.body).toContain('Performance report: Quarter 1 2024/25 (April to June 2024)');
    expect(list.body).not.toContain('National measures statement: ');
  });

  it('is not shown to people of another body', async () => {
    const { body: other } = await createBody(context.database);
    const stranger = await createUser(context.database, { memberships: [{ policingBodyId: other.id, role: 'officer' }] });
    const agent = new Agent(app);
    await agent.signIn(stranger.email, PASSWORD);
    expect((await agent.get(quarterlyUrl)).statusCode).toBe(403);
  });
});
