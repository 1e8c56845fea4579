import type { FastifyInstance, FastifyRequest } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { auditChain, inputValue } from '../support/organisations-helpers.ts';
import { monitoredPlan, type MonitoredPlan } from '../support/performance.ts';
import { measureValues } from '../../src/features/performance/performance.tables.ts';
import { measureStatuses } from '../../src/features/performance/measures.service.ts';
import { performanceFor } from '../../src/features/performance/performance-context.ts';

/** The page's text without tags, for reading what a person sees. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');

/** The cells of the dashboard row of one measure, as text. */
const dashboardRow = (html: string, lineageId: string) => {
  const match = new RegExp(`<tr class="govuk-table__row" data-measure="${lineageId}">([\\s\\S]*?)</tr>`).exec(html);
  return match ? textOf(match[1]!) : '';
};

describeOnEveryEngine('measure data: dashboard, values, corrections, grading and commentary', (context) => {
  let app: FastifyInstance;
  let slug: string;
  let plan: MonitoredPlan;
  const officer = {} as { agent: Agent; name: string };
  const colleague = {} as { agent: Agent };
  const force = {} as { agent: Agent };
  const panel = {} as { agent: Agent };
  const measureUrl = (i: number, part = '') => `${plan.dashboardUrl}/measures/${plan.measures[i]!.lineageId}${part ? `/${part}` : ''}`;
  // Measures of the fixture: 0 violence (monthly), 1 victim satisfaction (quarterly %), 2 101 answer time (monthly), 3 feeling safe (annual %).
  const answerTime = () => plan.measures[2]!;
  const satisfaction = () => plan.measures[1]!;

  const values = (fields: Record<string, string>) => ({
    value: '',
    numerator: '',
    denominator: '',
    confidenceLower: '',
    confidenceUpper: '',
    mostSimilarGroupAverage: '',
    sourceNote: '',
    note: '',
    ...fields,
  });

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '1000' } }));
    const { body, panel: scrutinyBody } = await createBody(context.database);
    slug = body.slug;
    const officerUser = await createUser(context.database, {
      displayName: 'Karin Takel',
      memberships: [{ policingBodyId: body.id, role: 'officer' }],
    });
    const colleagueUser = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'commissioner' }] });
    const forceUser = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] });
    const panelUser = await createUser(context.database, {
      memberships: [{ policingBodyId: body.id, role: 'panel_member', scrutinyBodyId: scrutinyBody.id }],
    });
    plan = await monitoredPlan(context.database, officerUser, body);
    for (const [holder, user] of [
      [officer, officerUser],
      [colleague, colleagueUser],
      [force, forceUser],
      [panel, panelUser],
    ] as const) {
      holder.agent = new Agent(app);
      await holder.agent.signIn(user.email, PASSWORD);
    }
    officer.name = officerUser.displayName;
  });
  afterAll(() => app.close());

  it('shows every priority and measure before any data, all ungraded with their reason', async () => {
    const page = await panel.agent.get(plan.dashboardUrl);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    for (const priority of plan.priorities) expect(text).toContain(priority.title);
    for (const measure of plan.measures) expect(dashboardRow(page.body, measure.lineageId)).toContain(measure.name);
    expect(dashboardRow(page.body, answerTime().lineageId)).toContain('No values yet');
    expect(dashboardRow(page.body, answerTime().lineageId)).toContain('Ungraded');
    expect(dashboardRow(page.body, answerTime().lineageId)).toContain('No data yet');
    expect(textOf(/<ul class="govuk-list" id="grade-counts">[\s\S]*?<\/ul>/.exec(page.body)![0])).toContain(
      'Ungraded 4 measures graded Ungraded',
    );
    expect(page.body).toContain(`href="${plan.dashboardUrl}?grade=ungraded"`);
    // Links to the rest of delivery monitoring; the panel may not import.
    expect(page.body).toContain(`href="/bodies/${slug}/crime-data"`);
    expect(page.body).toContain(`href="${plan.dashboardUrl}/reports"`);
    expect(page.body).not.toContain(`href="${plan.dashboardUrl}/import"`);
    expect((await officer.agent.get(plan.dashboardUrl)).body).toContain(`href="${plan.dashboardUrl}/import"`);
  });

  it('records monthly values and shows the latest, its grade and a sparkline on the dashboard', async () => {
    const figures = [100, 95, 92, 88, 85, 89];
    for (const [i, value] of figures.entries()) {
      const saved = await officer.agent.submit(
        measureUrl(2, 'values/new'),
        values({ month: String(i + 1), year: '2026', value: String(value), sourceNote: 'Force performance pack' }),
      );
      expect(saved.statusCode).toBe(302);
      expect(saved.headers.location).toBe(measureUrl(2));
    }
    const page = await panel.agent.get(plan.dashboardUrl);
    const row = dashboardRow(page.body, answerTime().lineageId);
    expect(row).toContain('89 seconds');
    expect(row).toContain('June 2026');
    // 89 meets the target of 90 (lower is better).
    expect(row).toContain('Green: content');
    expect(row).not.toContain('Revised');
    expect(page.body).toMatch(
      new RegExp(`data-measure="${answerTime().lineageId}">[\\s\\S]*?<svg[^>]*class="app-sparkline"[\\s\\S]*?</tr>`),
    );
    const stored = await context.database.db.select().from(measureValues).where(eq(measureValues.measureLineageId, answerTime().lineageId));
    expect(stored).toHaveLength(6);
    expect(stored.every((v) => v.source === 'form' && v.revision === 1 && v.sourceNote === 'Force performance pack')).toBe(true);
    const audit = (await auditChain(context.database)).filter((e) => e.action === 'measure_value.recorded');
    expect(audit).toHaveLength(6);
    expect(audit[0]!.actorLabel).toBe(officer.name);
  });

  it('records a quarterly survey value with its numerator, denominator and confidence interval', async () => {
    const saved = await force.agent.submit(
      measureUrl(1, 'values/new'),
      values({
        quarter: '1',
        financialYear: '2026',
        value: '72',
        numerator: '288',
        denominator: '400',
        confidenceLower: '69.5',
        confidenceUpper: '74.5',
        mostSimilarGroupAverage: '74',
      }),
    );
    expect(saved.statusCode).toBe(302);
    const [row] = await context.database.db
      .select()
      .from(measureValues)
      .where(eq(measureValues.measureLineageId, satisfaction().lineageId));
    expect(row).toMatchObject({
      periodKind: 'quarter',
      periodStart: '2026-04-01',
      value: 72,
      numerator: 288,
      denominator: 400,
      confidenceLower: 69.5,
      confidenceUpper: 74.5,
      mostSimilarGroupAverage: 74,
    });
    const page = await panel.agent.get(measureUrl(1));
    expect(page.statusCode).toBe(200);
    const table = textOf(/<table class="govuk-table" id="values-table">[\s\S]*?<\/table>/.exec(page.body)![0]);
    expect(table).toContain('Quarter 1 2026/27 (April to June 2026)');
    expect(table).toContain('72%');
    expect(table).toContain('288 / 400');
    expect(table).toContain('69.5% to 74.5%');
    expect(table).toContain('74%');
    // 72 is within 5% of the target of 75, but the whole survey interval misses it: a significant shortfall.
    expect(textOf(page.body)).toContain('Red: off track');
    expect(page.body).toContain('the whole interval misses the target');
    expect(page.body).toContain('<svg');
    expect(page.body).toContain('id="chart-summary"');
  });

  it('refuses invalid figures, keeping what was typed, and refuses a second value for a recorded period', async () => {
    const missing = await officer.agent.submit(
      measureUrl(1, 'values/new'),
      values({ quarter: '', financialYear: '2026', value: '', sourceNote: 'Victim survey wave 12' }),
    );
    expect(missing.statusCode).toBe(400);
    expect(errorSummaryText(missing.body)).toContain('Select the quarter');
    expect(errorSummaryText(missing.body)).toContain('Enter the value');
    expect(inputValue(missing.body, 'sourceNote')).toBe('Victim survey wave 12');

    const inconsistent = await officer.agent.submit(
      measureUrl(1, 'values/new'),
      values({
        quarter: '2',
        financialYear: '2026',
        value: '80',
        numerator: '288',
        denominator: '400',
        confidenceLower: '81',
        confidenceUpper: '',
      }),
    );
    expect(inconsistent.statusCode).toBe(400);
    const summary = errorSummaryText(inconsistent.body);
    expect(summary).toContain('The value must match the numerator and denominator: 288 out of 400 is 72%');
    expect(summary).toContain('Enter the upper end of the confidence interval as well');
    expect(summary).toContain('The lower end of the confidence interval must be no more than the value');
    expect(inputValue(inconsistent.body, 'numerator')).toBe('288');
    expect(inputValue(inconsistent.body, 'value')).toBe('80');

    const zero = await officer.agent.submit(
      measureUrl(2, 'values/new'),
      values({ month: '7', year: '2026', value: 'ninety', numerator: '5', denominator: '0' }),
    );
    expect(errorSummaryText(zero.body)).toContain('The value must be a number, like 72.5');
    expect(errorSummaryText(zero.body)).toContain('The denominator must be more than 0');

    const future = await officer.agent.submit(measureUrl(2, 'values/new'), values({ month: '1', year: '2027', value: '80' }));
    expect(future.statusCode).toBe(400);
    expect(errorSummaryText(future.body)).toContain('The period must have started');

    const again = await officer.agent.submit(measureUrl(2, 'values/new'), values({ month: '6', year: '2026', value: '70' }));
    expect(again.statusCode).toBe(409);
    expect(errorSummaryText(again.body)).toContain('A value for June 2026 is already recorded (89 seconds): correct that value instead');
    const stored = await context.database.db.select().from(measureValues).where(eq(measureValues.measureLineageId, answerTime().lineageId));
    expect(stored).toHaveLength(6);
  });

  it('a correction keeps the old figure: the history lists both and the latest is marked revised', async () => {
    const form = await officer.agent.get(measureUrl(2, 'values/2026-06'));
    expect(form.statusCode).toBe(200);
    expect(inputValue(form.body, 'value')).toBe('89');
    const noReason = await officer.agent.post(measureUrl(2, 'values/2026-06'), values({ value: '93', revision: '1', reason: '' }));
    expect(noReason.statusCode).toBe(400);
    expect(errorSummaryText(noReason.body)).toContain('Enter the reason for the correction');
    expect(inputValue(noReason.body, 'value')).toBe('93');

    const same = await officer.agent.post(measureUrl(2, 'values/2026-06'), values({ value: '89', revision: '1', reason: 'Checked' }));
    expect(same.statusCode).toBe(400);
    expect(errorSummaryText(same.body)).toContain('The figures are the same as the current value');

    const corrected = await officer.agent.post(
      measureUrl(2, 'values/2026-06'),
      values({ value: '93', revision: '1', reason: 'Calls from the test line were counted by mistake' }),
    );
    expect(corrected.statusCode).toBe(302);
    const rows = await context.database.db
      .select()
      .from(measureValues)
      .where(and(eq(measureValues.measureLineageId, answerTime().lineageId), eq(measureValues.periodStart, '2026-06-01')));
    expect(rows.map((r) => [r.revision, r.value]).sort()).toEqual([
      [1, 89],
      [2, 93],
    ]);
    expect(rows.find((r) => r.revision === 2)!.note).toBe('Calls from the test line were counted by mistake');

    const page = textOf((await panel.agent.get(measureUrl(2))).body);
    expect(page).toContain(`revised from 89 seconds on`);
    expect(page).toContain(`by ${officer.name}`);
    expect(page).toContain('June 2026: every figure recorded');
    expect(page).toMatch(/2 \(current\) 93 seconds/);
    expect(page).toMatch(/1 89 seconds/);
    expect(page).toContain('Calls from the test line were counted by mistake');

    const dashboard = await panel.agent.get(plan.dashboardUrl);
    const row = dashboardRow(dashboard.body, answerTime().lineageId);
    expect(row).toContain('93 seconds');
    expect(row).toContain('Revised');
    // 93 misses the target of 90 by 3.3%: amber now.
    expect(row).toContain('Amber');

    const audit = (await auditChain(context.database)).filter((e) => e.action === 'measure_value.corrected');
    expect(audit).toHaveLength(1);
    expect((audit[0]!.before as { value: number }).value).toBe(89);
    expect((audit[0]!.after as { value: number }).value).toBe(93);
  });

  it('measureStatuses gives the reports the current figure and marks it revised', async () => {
    // The route guard, as a request from an administrator would pass it.
    const administrator = {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'a@example.org',
      displayName: 'Admin',
      isAdmin: true,
      memberships: [],
    };
    const request = { params: { slug, planId: plan.planId }, user: administrator, headers: {} } as unknown as FastifyRequest;
    const performance = await performanceFor(context.database.db, request, 'performance.view');
    const statuses = await measureStatuses(context.database.db, performance);
    expect(statuses.map((s) => s.measure.name)).toEqual([
      'Violence and sexual offences',
      'Average 101 answer time',
      'Residents who feel safe after dark',
      'Victims satisfied with the service',
    ]);
    const answer = statuses.find((s) => s.measure.lineageId === answerTime().lineageId)!;
    expect(answer.series.map((v) => v.value)).toEqual([100, 95, 92, 88, 85, 93]);
    expect(answer.latest?.value).toBe(93);
    expect(answer.latestRevised).toBe(true);
    expect(answer.settings).toMatchObject({ gradingRule: 'target', amberMarginPercent: 5, version: 0 });
    // As at the end of May, June's correction is not yet in the series.
    const asAtMay = await measureStatuses(context.database.db, performance, { upTo: '2026-05-31' });
    const may = asAtMay.find((s) => s.measure.lineageId === answerTime().lineageId)!;
    expect(may.latest?.value).toBe(85);
    expect(may.latestRevised).toBe(false);
    expect(asAtMay.find((s) => s.measure.name === 'Residents who feel safe after dark')!.settings.gradingRule).toBe('baseline');
    expect(asAtMay.find((s) => s.measure.name === 'Violence and sexual offences')!.settings.gradingRule).toBe('trend');
  });

  it('a correction made from a stale form shows both figures and saves nothing until resubmitted', async () => {
    const mine = await officer.agent.get(measureUrl(2, 'values/2026-05'));
    const theirs = await colleague.agent.get(measureUrl(2, 'values/2026-05'));
    expect(inputValue(mine.body, 'revision')).toBe('1');
    expect(inputValue(theirs.body, 'revision')).toBe('1');
    const first = await colleague.agent.post(
      measureUrl(2, 'values/2026-05'),
      values({ value: '86', revision: '1', reason: 'Late calls added' }),
    );
    expect(first.statusCode).toBe(302);
    const second = await officer.agent.post(measureUrl(2, 'values/2026-05'), values({ value: '84', revision: '1', reason: 'Recount' }));
    expect(second.statusCode).toBe(409);
    const conflict = textOf(second.body);
    expect(conflict).toContain('Saved by someone else');
    expect(conflict).toContain('Their value 86 seconds');
    expect(conflict).toContain('Your value 84');
    expect(inputValue(second.body, 'value')).toBe('84');
    expect(inputValue(second.body, 'revision')).toBe('2');
    let rows = await context.database.db
      .select()
      .from(measureValues)
      .where(and(eq(measureValues.measureLineageId, answerTime().lineageId), eq(measureValues.periodStart, '2026-05-01')));
    expect(rows).toHaveLength(2);
    const again = await officer.agent.post(measureUrl(2, 'values/2026-05'), values({ value: '84', revision: '2', reason: 'Recount' }));
    expect(again.statusCode).toBe(302);
    rows = await context.database.db
      .select()
      .from(measureValues)
      .where(and(eq(measureValues.measureLineageId, answerTime().lineageId), eq(measureValues.periodStart, '2026-05-01')));
    expect(rows.map((r) => r.value).sort()).toEqual([84, 85, 86]);
  });

  it('unknown measures, periods and keys of the wrong kind are 404', async () => {
    const missing = '00000000-0000-4000-8000-000000000099';
    for (const url of [
      `${plan.dashboardUrl}/measures/${missing}`,
      `${plan.dashboardUrl}/measures/not-a-uuid`,
      `${plan.dashboardUrl}/measures/${missing}/values/new`,
      measureUrl(2, 'values/2026-08'), // no value recorded for August
      measureUrl(2, 'values/2026-13'),
      measureUrl(2, 'values/fy2026-27-q1'), // a quarter key for a monthly measure
      measureUrl(1, 'commentary/2026-04'),
      measureUrl(1, 'commentary/nonsense'),
      `${plan.dashboardUrl}/priorities/${missing}/summary/fy2026-27-q2`,
      `${plan.dashboardUrl}/priorities/${plan.priorities[0]!.lineageId}/summary/2026-07`,
      `/bodies/${slug}/plans/${missing}/performance`,
      `/bodies/no-such-body/plans/${plan.planId}/performance`,
    ]) {
      expect((await officer.agent.get(url)).statusCode, url).toBe(404);
    }
  });

  it('the owner chooses how a measure is graded, version-locked', async () => {
    const form = await force.agent.get(measureUrl(2, 'grading'));
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="target" checked');
    expect(inputValue(form.body, 'amberMarginPercent')).toBe('5');
    for (const title of ['Reduce murder and other homicide', 'Tackle cyber crime', 'Improve satisfaction among victims'])
      expect(form.body).toContain(title);
    const bad = await force.agent.post(measureUrl(2, 'grading'), {
      gradingRule: 'baseline',
      amberMarginPercent: '150',
      nationalMeasureCode: 'nonsense',
      version: '0',
    });
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryText(bad.body)).toContain('The amber margin must be between 0 and 100 percent');
    expect(errorSummaryText(bad.body)).toContain('Select a National Crime and Policing Measure from the list');
    expect(bad.body).toContain('value="baseline" checked');

    const saved = await force.agent.post(measureUrl(2, 'grading'), {
      gradingRule: 'baseline',
      amberMarginPercent: '10',
      nationalMeasureCode: '',
      version: '0',
    });
    expect(saved.statusCode).toBe(302);
    // The second save from the same stale form loses.
    const stale = await officer.agent.post(measureUrl(2, 'grading'), {
      gradingRule: 'trend',
      amberMarginPercent: '5',
      nationalMeasureCode: 'victim-satisfaction',
      version: '0',
    });
    expect(stale.statusCode).toBe(409);
    expect(textOf(stale.body)).toContain('Against the baseline');
    expect(inputValue(stale.body, 'version')).toBe('1');
    expect(stale.body).toContain('value="trend" checked');

    const page = textOf((await panel.agent.get(measureUrl(2))).body);
    expect(page).toContain('Against the baseline (amber within 10%)');
    // 93 against the baseline of 120: better, so green.
    expect(page).toContain('Green: content');
    expect((await panel.agent.get(measureUrl(2, 'grading'))).statusCode).toBe(403);
    expect(
      (await auditChain(context.database))
        .filter((e) => e.action === 'measure_settings.updated')
        .map((e) => (e.after as { gradingRule: string }).gradingRule),
    ).toEqual(['baseline']);
  });

  it('the owner writes commentary for a period, shown on the measure page, version-locked', async () => {
    const url = measureUrl(1, 'commentary/fy2026-27-q1');
    const form = await force.agent.get(url);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('The value for this period is 72%');
    const blank = await force.agent.post(url, { whatIsHappening: '', whatIsBeingDone: 'Call-backs within 48 hours', version: '0' });
    expect(blank.statusCode).toBe(400);
    expect(errorSummaryText(blank.body)).toContain('Enter what is happening');
    expect(blank.body).toContain('Call-backs within 48 hours');
    const saved = await force.agent.post(url, {
      whatIsHappening: 'Satisfaction with follow-up fell.',
      whatIsBeingDone: 'Call-backs within 48 hours',
      version: '0',
    });
    expect(saved.statusCode).toBe(302);
    const stale = await officer.agent.post(url, { whatIsHappening: 'Something else', whatIsBeingDone: '', version: '0' });
    expect(stale.statusCode).toBe(409);
    expect(textOf(stale.body)).toContain('Satisfaction with follow-up fell.');
    expect(stale.body).toContain('Something else');
    const page = textOf((await panel.agent.get(measureUrl(1))).body);
    expect(page).toContain('Quarter 1 2026/27 (April to June 2026)');
    expect(page).toContain('What is happening Satisfaction with follow-up fell.');
    expect(page).toContain('What is being done Call-backs within 48 hours');
    expect(page).not.toContain('Something else');
    expect((await panel.agent.get(url)).statusCode).toBe(403);
  });

  it('the office writes the officer’s summary of a priority for the last quarter, shown on the dashboard', async () => {
    // The test clock is 23 November 2026, so the last quarter ended is July to September 2026.
    const victims = plan.priorities[1]!;
    const url = `${plan.dashboardUrl}/priorities/${victims.lineageId}/summary/fy2026-27-q2`;
    const dashboard = await officer.agent.get(plan.dashboardUrl);
    expect(dashboard.body).toContain(`href="${url}"`);
    expect((await force.agent.get(url)).statusCode).toBe(403);
    expect((await force.agent.post(url, { summary: 'x', version: '0' })).statusCode).toBe(403);
    const blank = await officer.agent.submit(url, { summary: ' ', version: '0' });
    expect(blank.statusCode).toBe(400);
    expect(errorSummaryText(blank.body)).toContain('Enter the summary');
    const saved = await officer.agent.post(url, {
      summary: 'Victim satisfaction is below target; the new call-back standard starts in October.',
      version: '0',
    });
    expect(saved.statusCode).toBe(302);
    const stale = await colleague.agent.submit(url, { summary: 'A different account', version: '0' });
    expect(stale.statusCode).toBe(409);
    expect(textOf(stale.body)).toContain('the new call-back standard starts in October');
    const seen = textOf((await panel.agent.get(plan.dashboardUrl)).body);
    expect(seen).toContain('Officer’s summary: Quarter 2 2026/27 (July to September 2026)');
    expect(seen).toContain('the new call-back standard starts in October');
    const updated = await officer.agent.post(url, { summary: 'Updated account.', version: '1' });
    expect(updated.statusCode).toBe(302);
    expect((await auditChain(context.database)).filter((e) => e.action.startsWith('priority_summary.')).map((e) => e.action)).toEqual([
      'priority_summary.created',
      'priority_summary.updated',
    ]);
  });

  it('filters by priority, grade and source of evidence without JavaScript, and says when nothing matches', async () => {
    const victims = plan.priorities[1]!;
    const byPriority = await panel.agent.get(`${plan.dashboardUrl}?priority=${victims.lineageId}`);
    expect(dashboardRow(byPriority.body, satisfaction().lineageId)).toContain('Victims satisfied');
    expect(dashboardRow(byPriority.body, answerTime().lineageId)).toBe('');
    expect(textOf(byPriority.body)).toContain('Showing 1 of 4 measures');
    expect(byPriority.body).toContain(`<option value="${victims.lineageId}" selected>`);

    const green = await panel.agent.get(`${plan.dashboardUrl}?grade=green`);
    expect(dashboardRow(green.body, answerTime().lineageId)).toContain('Average 101 answer time');
    expect(dashboardRow(green.body, satisfaction().lineageId)).toBe('');

    const surveys = await panel.agent.get(`${plan.dashboardUrl}?source=public_survey`);
    expect(dashboardRow(surveys.body, plan.measures[3]!.lineageId)).toContain('Residents who feel safe');
    expect(textOf(surveys.body)).toContain('Showing 1 of 4 measures');

    const none = await panel.agent.get(`${plan.dashboardUrl}?grade=amber&source=victim_survey`);
    expect(textOf(none.body)).toContain('No measures match');
    expect(textOf(none.body)).toContain('Showing 0 of 4 measures');
    // Unknown filter values are ignored rather than failing.
    const odd = await panel.agent.get(`${plan.dashboardUrl}?grade=purple&priority=x&source=toString`);
    expect(odd.statusCode).toBe(200);
    expect(textOf(odd.body)).toContain('Showing 4 of 4 measures');
  });

  it('gives the dashboard as JSON', async () => {
    const response = await panel.agent.get(`${plan.dashboardUrl}?grade=red`, { accept: 'application/json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const json = response.json() as {
      counts: Record<string, number>;
      priorities: {
        title: string;
        measures: { name: string; grade: string; latest: { value: number; periodKey: string } | null; revised: boolean }[];
      }[];
    };
    expect(json.counts).toEqual({ green: 1, amber: 0, red: 1, ungraded: 2 });
    const measures = json.priorities.flatMap((p) => p.measures);
    expect(measures).toEqual([
      expect.objectContaining({
        name: 'Victims satisfied with the service',
        grade: 'red',
        latest: expect.objectContaining({ value: 72, periodKey: 'fy2026-27-q1' }),
      }),
    ]);
    const all = (await panel.agent.get(plan.dashboardUrl, { accept: 'application/json' })).json() as typeof json;
    const answer = all.priorities.flatMap((p) => p.measures).find((m) => m.name === 'Average 101 answer time')!;
    expect(answer).toMatchObject({ grade: 'green', revised: true, latest: { value: 93, periodKey: '2026-06' } });
  });
  it('measureStatuses picks the commentary of the measure’s own period within a chosen quarter', async () => {
    for (const [month, text] of [
      ['2026-04', 'April: new call handlers started.'],
      ['2026-05', 'May: a system outage.'],
      ['2026-06', 'June: back to normal.'],
      ['2026-07', 'July: summer demand.'],
    ] as const) {
      const saved = await force.agent.submit(measureUrl(2, `commentary/${month}`), {
        whatIsHappening: text,
        whatIsBeingDone: '',
        version: '0',
      });
      expect(saved.statusCode).toBe(302);
    }
    const administrator = {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'a@example.org',
      displayName: 'Admin',
      isAdmin: true,
      memberships: [],
    };
    const request = { params: { slug, planId: plan.planId }, user: administrator, headers: {} } as unknown as FastifyRequest;
    const performance = await performanceFor(context.database.db, request, 'performance.view');
    const commentaryOf = (statuses: Awaited<ReturnType<typeof measureStatuses>>) =>
      statuses.find((s) => s.measure.lineageId === answerTime().lineageId)!.commentary?.whatIsHappening;
    // Without a period: the latest value's (June 2026; no value was recorded for July).
    expect(commentaryOf(await measureStatuses(context.database.db, performance))).toBe('June: back to normal.');
    // For quarter 1 (April to June 2026), the latest month inside it.
    const quarter1 = { kind: 'quarter' as const, start: '2026-04-01' };
    expect(commentaryOf(await measureStatuses(context.database.db, performance, { upTo: '2026-06-30', period: quarter1 }))).toBe(
      'June: back to normal.',
    );
    // As at the end of May, for May.
    expect(
      commentaryOf(
        await measureStatuses(context.database.db, performance, { upTo: '2026-05-31', period: { kind: 'month', start: '2026-05-01' } }),
      ),
    ).toBe('May: a system outage.');
    // A quarter with no commentary for any of its months has none.
    expect(
      commentaryOf(await measureStatuses(context.database.db, performance, { period: { kind: 'quarter', start: '2025-04-01' } })),
    ).toBeUndefined();
  });

  it('a correction whose revision was lost or tampered with ends as a conflict, never a blind overwrite', async () => {
    const response = await officer.agent.submit(measureUrl(2, 'values/2026-04'), values({ value: '87', revision: 'x', reason: 'Recount' }));
    expect(response.statusCode).toBe(409);
    expect(textOf(response.body)).toContain('Their value 88 seconds');
    expect(inputValue(response.body, 'revision')).toBe('1');
  });
  it('gives a measure page as JSON, with every revision of each period', async () => {
    const response = await panel.agent.get(measureUrl(2), { accept: 'application/json' });
    expect(response.statusCode).toBe(200);
    const json = response.json() as {
      measure: { name: string; periodKind: string };
      settings: { gradingRule: string };
      grade: { grade: string };
      values: { period: string; value: number; revision: number; revisions: { revision: number; value: number; note: string }[] }[];
      commentary: { period: string; whatIsHappening: string }[];
    };
    expect(json.measure).toMatchObject({ name: 'Average 101 answer time', periodKind: 'month' });
    expect(json.settings.gradingRule).toBe('baseline');
    expect(json.values.map((v) => [v.period, v.value])).toEqual([
      ['2026-01', 100],
      ['2026-02', 95],
      ['2026-03', 92],
      ['2026-04', 88],
      ['2026-05', 84],
      ['2026-06', 93],
    ]);
    expect(json.values.find((v) => v.period === '2026-06')!.revisions.map((r) => [r.revision, r.value])).toEqual([
      [2, 93],
      [1, 89],
    ]);
    expect(json.commentary.map((c) => c.period)).toContain('2026-05');
  });
});
