import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD } from '../support/app.ts';
import { monitoredPlan, type MonitoredPlan } from '../support/performance.ts';
import {
  measureCommentaries,
  measureSettings,
  measureValues,
  prioritySummaries,
} from '../../src/features/performance/performance.tables.ts';
import type { OrganisationRole } from '../../src/shared/current-user.ts';

type Who = OrganisationRole | 'admin' | 'other_commissioner';
const everyone: Who[] = ['commissioner', 'officer', 'force', 'partner', 'panel_member', 'panel_officer', 'admin', 'other_commissioner'];

/** Who may open each page (GET) and submit it (POST); everyone else gets 403. */
const readers: Who[] = ['commissioner', 'officer', 'force', 'partner', 'panel_member', 'panel_officer', 'admin'];
const owners: Who[] = ['commissioner', 'officer', 'force', 'admin'];
const office: Who[] = ['commissioner', 'officer', 'admin'];

describeOnEveryEngine('measure pages: who may see and change what', (context) => {
  let app: FastifyInstance;
  const agents = {} as Record<Who, Agent>;
  let plan: MonitoredPlan;
  let draft: MonitoredPlan;

  const counts = async () => {
    const db = context.database.db;
    return {
      values: (await db.select().from(measureValues)).length,
      settings: (await db.select().from(measureSettings)).length,
      commentary: (await db.select().from(measureCommentaries)).length,
      summaries: (await db.select().from(prioritySummaries)).length,
    };
  };

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '10000' } }));
    const { body, panel, partner } = await createBody(context.database);
    const other = await createBody(context.database);
    const users: Record<Who, Awaited<ReturnType<typeof createUser>>> = {
      commissioner: await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'commissioner' }] }),
      officer: await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] }),
      force: await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] }),
      partner: await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'partner', partnerId: partner.id }] }),
      panel_member: await createUser(context.database, {
        memberships: [{ policingBodyId: body.id, role: 'panel_member', scrutinyBodyId: panel.id }],
      }),
      panel_officer: await createUser(context.database, {
        memberships: [{ policingBodyId: body.id, role: 'panel_officer', scrutinyBodyId: panel.id }],
      }),
      admin: await createUser(context.database, { isAdmin: true }),
      other_commissioner: await createUser(context.database, { memberships: [{ policingBodyId: other.body.id, role: 'commissioner' }] }),
    };
    plan = await monitoredPlan(context.database, users.officer, body);
    draft = await monitoredPlan(context.database, users.officer, body, { issued: false, title: 'Draft plan' });
    for (const who of everyone) {
      agents[who] = new Agent(app);
      await agents[who].signIn(users[who].email, PASSWORD);
    }
    // One value and its commentary to correct and change.
    const saved = await agents.officer.submit(`${plan.dashboardUrl}/measures/${plan.measures[2]!.lineageId}/values/new`, {
      month: '4',
      year: '2026',
      value: '95',
    });
    expect(saved.statusCode).toBe(302);
  });
  afterAll(() => app.close());

  type Page = { name: string; url: string; view: Who[]; submit?: Who[]; fields?: Record<string, string> };
  const pages = (): Page[] => {
    const measure = `${plan.dashboardUrl}/measures/${plan.measures[2]!.lineageId}`;
    return [
      { name: 'dashboard', url: plan.dashboardUrl, view: readers },
      { name: 'measure page', url: measure, view: readers },
      {
        name: 'record a value',
        url: `${measure}/values/new`,
        view: owners,
        submit: owners,
        fields: { month: '5', year: '2026', value: '91' },
      },
      {
        name: 'correct a value',
        url: `${measure}/values/2026-04`,
        view: owners,
        submit: owners,
        fields: { value: '96', reason: 'Recount', revision: '1' },
      },
      {
        name: 'grading',
        url: `${measure}/grading`,
        view: owners,
        submit: owners,
        fields: { gradingRule: 'trend', amberMarginPercent: '5', version: '0' },
      },
      {
        name: 'commentary',
        url: `${measure}/commentary/2026-04`,
        view: owners,
        submit: owners,
        fields: { whatIsHappening: 'Calls are answered faster.', version: '0' },
      },
      {
        name: 'priority summary',
        url: `${plan.dashboardUrl}/priorities/${plan.priorities[0]!.lineageId}/summary/fy2026-27-q2`,
        view: office,
        submit: office,
        fields: { summary: 'On track.', version: '0' },
      },
    ];
  };

  it('each role opens exactly the pages its permissions allow, and others get 403', async () => {
    for (const page of pages()) {
      for (const who of everyone) {
        const response = await agents[who].get(page.url);
        expect(response.statusCode, `${who} GET ${page.name}`).toBe(page.view.includes(who) ? 200 : 403);
      }
    }
  });

  it('a refused submission changes nothing', async () => {
    const before = await counts();
    for (const page of pages()) {
      if (!page.submit) continue;
      for (const who of everyone.filter((w) => !page.submit!.includes(w))) {
        // A fresh token from the home page's sign-out form, so the refusal is the permission check, not CSRF.
        await agents[who].get('/');
        const response = await agents[who].post(page.url, page.fields!);
        expect(response.statusCode, `${who} POST ${page.name}`).toBe(403);
      }
    }
    expect(await counts()).toEqual(before);
    // The same way of posting works for someone allowed.
    await agents.force.get('/');
    const allowed = pages().find((p) => p.name === 'grading')!;
    expect((await agents.force.post(allowed.url, allowed.fields!)).statusCode).toBe(302);
  });

  it('an unissued plan is 404 for everyone but the office, who may set up monitoring against the draft', async () => {
    for (const who of everyone) {
      const response = await agents[who].get(draft.dashboardUrl);
      const expected = office.includes(who) ? 200 : who === 'other_commissioner' ? 403 : 404;
      expect(response.statusCode, who).toBe(expected);
    }
  });

  it('anonymous visitors are sent to sign in', async () => {
    const response = await new Agent(app).get(plan.dashboardUrl);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toContain('/sign-in');
  });
});
