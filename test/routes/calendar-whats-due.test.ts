import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { calendarItems, elections } from '../../src/features/calendar/calendar.tables.ts';
import { performanceReports } from '../../src/features/performance/performance.tables.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD, TestClock } from '../support/app.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { monitoredPlan } from '../support/performance.ts';

/** The text of one section of the "what's due" page, tags and all, without markup. */
function section(html: string, id: 'overdue' | 'next' | 'later'): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const rest = html.slice(start);
  const end = rest.slice(1).search(/id="(overdue|next|later)"|<details/);
  return (end < 0 ? rest : rest.slice(0, end + 1))
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

type IcsEvent = Record<string, string>;

/** A small RFC 5545 reader for the test: checks line endings and folding, then unfolds and parses. */
function parseIcs(text: string): { calendar: Record<string, string>; events: IcsEvent[] } {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ')) logical[logical.length - 1] += line.slice(1);
    else logical.push(line);
  }
  const calendar: Record<string, string> = {};
  const events: IcsEvent[] = [];
  let current: IcsEvent | null = null;
  for (const line of logical) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      events.push(current!);
      current = null;
    } else if (current) current[name] = value;
    else calendar[name] = value;
  }
  return { calendar, events };
}

const unescape = (value: string) => value.replace(/\\n/g, '\n').replace(/\\([,;\\])/g, '$1');

describeOnEveryEngine('the statutory calendar: what’s due and the iCalendar feeds', (context) => {
  let app: FastifyInstance;
  const clock = new TestClock(new Date('2026-11-23T10:00:00Z'));
  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, {
      clock,
      config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '10000', PUBLIC_URL: 'http://plans.example.org' },
    }));
  });
  afterAll(() => app.close());

  async function signedIn(policingBodyId: string, role: 'commissioner' | 'officer' | 'force' | 'panel_member', scrutinyBodyId?: string) {
    const user = await createUser(context.database, { memberships: [{ policingBodyId, role, scrutinyBodyId }] });
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    return agent;
  }

  it('computes the plan deadline from a postponed election, and lists the panel’s dates on its own calendar', async () => {
    const { body, panel } = await createBody(context.database);
    await context.database.db.insert(elections).values({ policingBodyId: body.id, scheduledOn: '2024-05-02', heldOn: null });
    await context.database.db.insert(elections).values({ policingBodyId: body.id, scheduledOn: '2028-05-04', heldOn: '2029-05-03' });
    await context.database.db.insert(calendarItems).values([
      { policingBodyId: body.id, kind: 'meeting', title: 'Panel budget workshop', dueOn: '2027-01-10', scrutinyBodyId: panel.id },
      { policingBodyId: body.id, kind: 'other', title: 'Office-only deadline', dueOn: '2027-01-11' },
    ]);
    const agent = await signedIn(body.id, 'panel_member', panel.id);

    const all = await agent.get(`/bodies/${body.slug}/calendar`);
    // Plan after the 2024 election runs to 31 March of the financial year of the next (postponed) one.
    expect(section(all.body, 'later')).toContain('31 March 2030 Plan period ends (plan after the election of 2024-05-02)');
    expect(section(all.body, 'later')).toContain(
      '31 March 2030 Issue the police and crime plan (election of 2029-05-03) Plan PRSRA 2011 s.5(1)–(2)',
    );

    const panelPage = await agent.get(`/bodies/${body.slug}/calendar/panel`);
    expect(panelPage.statusCode).toBe(200);
    expect(panelPage.body).toContain('Panel budget workshop');
    expect(panelPage.body).not.toContain('Office-only deadline');
    // The statutory annual report meeting (July by default: no settings row for this body).
    expect(section(panelPage.body, 'later')).toContain(
      '31 July 2027 Panel’s public meeting on the annual report (2027) Annual report PRSRA 2011 s.12, s.28(4)',
    );
  });

  it('serves each feed as RFC 5545 at its secret address, and 404 for any other token', async () => {
    const { body, panel } = await createBody(context.database);
    const long =
      'Precept 2027–28: the commissioner’s response to the panel’s report, with reasons; copied to the chief executive, the chair and the clerk';
    await context.database.db.insert(calendarItems).values([
      {
        policingBodyId: body.id,
        kind: 'precept',
        title: long,
        dueOn: '2027-02-15',
        statutoryBasis: 'PRSRA 2011 Sch.5, para 1',
        scrutinyBodyId: panel.id,
      },
      { policingBodyId: body.id, kind: 'other', title: 'Office only', dueOn: '2027-02-16' },
    ]);
    const agent = await signedIn(body.id, 'officer');
    const page = await agent.get(`/bodies/${body.slug}/calendar`);
    const feedUrl = /<code class="app-break-anywhere">([^<]+)<\/code>/.exec(page.body)?.[1];
    expect(feedUrl).toMatch(new RegExp(`/bodies/${body.slug}/calendar/body-[A-Za-z0-9_-]{32}\\.ics$`));
    const feedPath = new URL(feedUrl!).pathname;

    // No session: calendar apps cannot sign in.
    const anonymous = new Agent(app);
    const feed = await anonymous.get(feedPath);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const { calendar, events } = parseIcs(feed.body);
    expect(calendar).toMatchObject({ BEGIN: 'VCALENDAR', VERSION: '2.0', END: 'VCALENDAR' });
    expect(feed.body).toMatch(/\r\n /); // the long title was folded
    const precept = events.find((e) => e['DTSTART;VALUE=DATE'] === '20270215')!;
    expect(unescape(precept.SUMMARY!)).toBe(long);
    expect(precept.SUMMARY).toContain('reasons\\; copied to the chief executive\\,');
    expect(precept['DTEND;VALUE=DATE']).toBe('20270216');
    expect(unescape(precept.DESCRIPTION!)).toContain('Statutory basis: PRSRA 2011 Sch.5, para 1');
    expect(precept.DTSTAMP).toBe('20261123T100000Z');
    expect(precept.UID).toMatch(/@plans\.example\.org$/);
    expect(events.some((e) => e.SUMMARY === 'Office only')).toBe(true);
    const uids = events.map((e) => e.UID);
    expect(new Set(uids).size).toBe(uids.length);

    // UIDs are stable from one fetch to the next, so calendar apps update rather than duplicate.
    const again = parseIcs((await anonymous.get(feedPath)).body);
    expect(again.events.map((e) => e.UID)).toEqual(uids);

    // The panel's feed: its own address, only the panel's dates.
    const panelPage = await agent.get(`/bodies/${body.slug}/calendar/panel`);
    const panelPath = new URL(/<code class="app-break-anywhere">([^<]+)<\/code>/.exec(panelPage.body)![1]!).pathname;
    expect(panelPath).toMatch(/\/calendar\/panel-/);
    const panelFeed = parseIcs((await anonymous.get(panelPath)).body);
    expect(panelFeed.events.some((e) => e['DTSTART;VALUE=DATE'] === '20270215')).toBe(true);
    expect(panelFeed.events.some((e) => e.SUMMARY === 'Office only')).toBe(false);

    // Wrong tokens: altered, another scope's, another body's.
    const token = /body-([^.]+)\.ics$/.exec(feedPath)![1]!;
    const altered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect((await anonymous.get(`/bodies/${body.slug}/calendar/body-${altered}.ics`)).statusCode).toBe(404);
    expect((await anonymous.get(`/bodies/${body.slug}/calendar/panel-${token}.ics`)).statusCode).toBe(404);
    const { body: other } = await createBody(context.database);
    expect((await anonymous.get(`/bodies/${other.slug}/calendar/body-${token}.ics`)).statusCode).toBe(404);
    expect((await anonymous.get(`/bodies/no-such-body/calendar/body-${token}.ics`)).statusCode).toBe(404);
    expect((await anonymous.get(`/bodies/${body.slug}/calendar/whatever.ics`)).statusCode).toBe(404);
  });

  it('counts a quarterly performance report made in the service, and flags the next quarter without one as overdue', async () => {
    const { body } = await createBody(context.database);
    const officer = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    const plan = await monitoredPlan(context.database, officer, body);
    // The report for January to March 2026 was made; April to June 2026 (due 29 August) was not.
    await context.database.db.insert(performanceReports).values({
      planId: plan.planId,
      kind: 'quarterly',
      periodStart: '2026-01-01',
      title: 'Performance report: January to March 2026',
      content: {},
      generatedBy: officer.id,
      generatedAt: new Date('2026-05-20T09:00:00Z'),
    });
    const agent = new Agent(app);
    await agent.signIn(officer.email, PASSWORD);
    const page = await agent.get(`/bodies/${body.slug}/calendar`);
    expect(section(page.body, 'overdue')).toContain('Quarterly performance report to the panel: quarter 1 of 2026–27');
    expect(section(page.body, 'overdue')).not.toContain('quarter 4 of 2025–26');
    expect(section(page.body, 'next')).toContain('29 November 2026 Quarterly performance report to the panel: quarter 2 of 2026–27');
  });

  it('keeps the calendar to the body’s own people', async () => {
    const { body } = await createBody(context.database);
    const { body: other } = await createBody(context.database);
    const outsider = await signedIn(other.id, 'commissioner');
    expect((await outsider.get(`/bodies/${body.slug}/calendar`)).statusCode).toBe(403);
    expect((await outsider.get(`/bodies/${body.slug}/calendar/panel`)).statusCode).toBe(403);
    expect((await outsider.get(`/bodies/no-such-body/calendar`)).statusCode).toBe(404);
    const anonymous = await new Agent(app).get(`/bodies/${body.slug}/calendar`);
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toContain('/sign-in');
  });

  // Last: it moves the clock forward for good.
  it('flags an overdue item first, and moves a due item into Overdue when the clock passes its date', async () => {
    const { body, panel } = await createBody(context.database);
    await context.database.db.insert(calendarItems).values([
      { policingBodyId: body.id, kind: 'precept', title: 'Precept proposal to the panel', dueOn: '2026-11-01' },
      { policingBodyId: body.id, kind: 'other', title: 'Community safety report', dueOn: '2026-11-30', scrutinyBodyId: panel.id },
      { policingBodyId: body.id, kind: 'other', title: 'Already done thing', dueOn: '2026-11-02', completedOn: '2026-11-02' },
      { policingBodyId: body.id, kind: 'other', title: 'Far-off review', dueOn: '2027-09-01' },
    ]);
    const agent = await signedIn(body.id, 'force');

    const page = await agent.get(`/bodies/${body.slug}/calendar`);
    expect(page.statusCode).toBe(200);
    expect(section(page.body, 'overdue')).toContain('Overdue (1)');
    expect(section(page.body, 'overdue')).toMatch(/1 November 2026 Precept proposal to the panel Precept Overdue/);
    expect(page.body).toContain('govuk-tag--red');
    expect(section(page.body, 'next')).toMatch(/30 November 2026 Community safety report Other Due soon/);
    expect(section(page.body, 'later')).toMatch(/1 September 2027 Far-off review Other Upcoming/);
    expect(page.body).not.toContain('Already done thing');
    // Overdue comes before everything else on the page.
    expect(page.body.indexOf('id="overdue"')).toBeLessThan(page.body.indexOf('id="next"'));

    clock.advanceMinutes(8 * 24 * 60); // 1 December 2026
    // Eight days on, the session has timed out: sign in again.
    const later = await (await signedIn(body.id, 'force')).get(`/bodies/${body.slug}/calendar`);
    expect(section(later.body, 'overdue')).toContain('Overdue (2)');
    expect(section(later.body, 'overdue')).toMatch(/30 November 2026 Community safety report Other Overdue/);
  });
});
