import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { formVersion } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD } from '../support/app.ts';
import { editions, fundingYears, grantPriorities, grants } from '../../src/features/plans/plans.tables.ts';
import { listFrameworks, loadEditionTree, SPR_FRAMEWORK_SLUG } from '../../src/features/plans/plans.repository.ts';

describeOnEveryEngine('the plan on a page and the full plan', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let editorUrl: string;
  let editionId: string;
  let partnerName: string;
  let bodySlug: string;
  let bodyId: string;
  let panelId: string;
  let planUrl: string;
  let threatTitle: string;
  const version = formVersion;
  /** The page's text with tags removed and whitespace collapsed, for reading order checks. */
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  const signedIn = async (policingBodyId: string, role: 'force' | 'panel_member' | 'officer', scrutinyBodyId?: string) => {
    const user = await createUser(context.database, { memberships: [{ policingBodyId, role, scrutinyBodyId }] });
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    return agent;
  };

  const tree = () => loadEditionTree(context.database.db, editionId, '');

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, panel, partner } = await createBody(context.database);
    panelId = panel.id;
    bodySlug = body.slug;
    bodyId = body.id;
    partnerName = partner.name;
    officer = await signedIn(body.id, 'officer');
    editorUrl = (
      await officer.submit(`/bodies/${body.slug}/plans/new`, {
        title: 'Safe, Resilient and Connected Communities',
        'periodStartsOn-day': '1',
        'periodStartsOn-month': '4',
        'periodStartsOn-year': '2025',
        'periodEndsOn-day': '31',
        'periodEndsOn-month': '3',
        'periodEndsOn-year': '2029',
      })
    ).headers.location as string;
    planUrl = editorUrl.replace(/\/editions\/\d+$/, '');
    const edition = await context.database.db.query.editions.findFirst({
      where: (e, { eq: equals }) => equals(e.planId, planUrl.split('/').pop()!),
    });
    editionId = edition!.id;

    const vision = await officer.get(`${editorUrl}/vision`);
    await officer.post(`${editorUrl}/vision`, { vision: 'Safe, resilient and connected communities', version: version(vision.body) });

    const threat = (await listFrameworks(context.database.db, body.id)).find((f) => f.slug === SPR_FRAMEWORK_SLUG)!.items[0]!;
    threatTitle = threat.title;
    await officer.submit(`${editorUrl}/priorities/new`, {
      title: 'Connecting communities and policing',
      aim: 'People feel safe where they live',
      summary: 'Local policing that people can reach.',
      frameworkItemIds: threat.id,
    });
    await officer.submit(`${editorUrl}/priorities/new`, { title: '<script>alert("x")</script>', aim: 'Escape me' });
    const [first, second] = (await tree()).priorities;

    await officer.submit(`${editorUrl}/objectives/new`, {
      priorityId: first!.id,
      title: 'Visible neighbourhood policing',
      description: 'Officers people know by name.',
      intendedOutcome: 'More people see local officers',
    });
    await officer.submit(`${editorUrl}/objectives/new`, { priorityId: first!.id, title: 'Answer 999 calls quickly' });
    await officer.submit(`${editorUrl}/objectives/new`, { priorityId: second!.id, title: 'Support victims of fraud' });
    const objectives = (await tree()).priorities.flatMap((p) => p.objectives);

    await officer.submit(`${editorUrl}/commitments/new`, {
      objectiveId: objectives[0]!.id,
      text: 'Recruit 100 more PCSOs',
      ownerKind: 'chief_constable',
      ownerRole: 'control',
      timescale: 'short',
      status: 'in_progress',
    });
    await officer.submit(`${editorUrl}/commitments/new`, {
      objectiveId: objectives[0]!.id,
      text: 'Fund a community safety hub in every district',
      ownerKind: 'partners',
      partnerIds: partner.id,
      ownerRole: 'influence',
      timescale: 'by_date',
      'targetDate-day': '31',
      'targetDate-month': '3',
      'targetDate-year': '2027',
      status: 'at_risk',
    });
    await officer.submit(`${editorUrl}/commitments/new`, {
      objectiveId: objectives[1]!.id,
      text: 'Publish call answering times every month',
      ownerKind: 'pcc',
      ownerRole: 'control',
      timescale: 'long',
    });

    const measure = {
      evidenceSource: 'public_survey',
      unit: '%',
      polarity: 'higher_is_better',
      frequency: 'quarterly',
      owner: 'Head of performance',
    };
    await officer.submit(`${editorUrl}/measures/new`, {
      ...measure,
      attachedTo: `objective:${objectives[2]!.id}`,
      name: 'Fraud victims satisfied',
      baselineValue: '61',
      baselinePeriod: '2023/24',
      targetValue: '70',
    });
    await officer.submit(`${editorUrl}/measures/new`, {
      ...measure,
      attachedTo: `priority:${first!.id}`,
      name: 'Confidence in local policing',
      baselineValue: '72.5',
      baselinePeriod: '2024/25',
      targetValue: '75',
    });
    await officer.submit(`${editorUrl}/measures/new`, {
      ...measure,
      attachedTo: `objective:${objectives[1]!.id}`,
      name: '999 calls answered in 10 seconds',
      evidenceSource: 'performance_metric',
      baselineValue: '12500',
      baselinePeriod: '2024/25',
    });

    for (const [kind, narrative] of [
      ['policing_provided', 'Neighbourhood teams in every ward.'],
      ['resources', 'The budget for each year is below.'],
      ['grants_and_victims', 'We commission victim services.'],
    ] as const) {
      const form = await officer.get(`${editorUrl}/sections/${kind}`);
      await officer.post(`${editorUrl}/sections/${kind}`, { text: narrative, version: version(form.body) });
    }
    const duty = await officer.get(`${editorUrl}/duties/equality`);
    await officer.post(`${editorUrl}/duties/equality`, {
      text: 'We assessed the plan’s effect on every protected group.',
      elementLineageIds: objectives[0]!.lineageId,
      version: version(duty.body),
    });

    // Funding and grants go straight into the tables: their own forms are tested in plan-resources.test.ts.
    const db = context.database.db;
    await db.insert(fundingYears).values([
      { editionId, financialYear: '2025/26', precept: 12_345_678_900, governmentGrant: 20_000_000_000, other: 150_000_050 },
      { editionId, financialYear: '2026/27', precept: 13_000_000_000, governmentGrant: 20_500_000_000, other: 0 },
    ]);
    const [grant] = await db
      .insert(grants)
      .values({
        editionId,
        position: 0,
        recipient: 'Northmoor Victim Support',
        amount: 125_000_000,
        startsOn: '2025-04-01',
        endsOn: '2026-03-31',
        purpose: 'Help for victims of crime',
        conditions: 'Quarterly returns',
      })
      .returning();
    await db.insert(grantPriorities).values({ grantId: grant!.id, priorityLineageId: second!.lineageId });
  });
  afterAll(() => app.close());

  describe('the plan on a page', () => {
    it('shows the title, period, vision, numbered priorities with aims, objectives and their measures', async () => {
      const response = await officer.get(`${editorUrl}/on-a-page`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const page = text(response.body);
      expect(page).toContain('Safe, Resilient and Connected Communities');
      expect(page).toContain('1 April 2025 to 31 March 2029');
      expect(page).toContain('Draft: not issued');
      expect(page).toContain('Safe, resilient and connected communities');
      expect(page).toMatch(
        /1 Connecting communities and policing Aim: People feel safe where they live Key objectives 1\.1 Visible neighbourhood policing 1\.2 Answer 999 calls quickly/,
      );
      // Measures of the priority and of its objectives are grouped under it, in the edition's order.
      expect(page).toMatch(
        /How we will measure priority 1 Measure Unit Baseline Target Confidence in local policing % 72\.5 \(2024\/25\) 75 999 calls answered in 10 seconds % 12,500 \(2024\/25\) Not set/,
      );
      expect(page).toMatch(
        /2 &lt;script&gt;.*2\.1 Support victims of fraud.*How we will measure priority 2.*Fraud victims satisfied % 61 \(2023\/24\) 70/,
      );
      expect(response.body).toContain('<caption class="app-poap__subtitle">How we will measure priority 1</caption>');
    });

    it('escapes what people typed', async () => {
      const response = await officer.get(`${editorUrl}/on-a-page`);
      expect(response.body).not.toContain('<script>alert');
      expect(response.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    });
  });

  describe('the full plan', () => {
    it('has a contents list linking to every section, each of which exists', async () => {
      const response = await officer.get(`${editorUrl}/plan`);
      expect(response.statusCode).toBe(200);
      const contents = /<nav class="app-document__contents"[\s\S]*?<\/nav>/.exec(response.body)![0];
      const targets = [...contents.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
      expect(targets).toEqual([
        'vision',
        'priorities',
        'priority-1',
        'priority-2',
        'statutory-sections',
        'section-policing-provided',
        'section-resources',
        'section-reporting',
        'section-performance',
        'section-grants-and-victims',
        'funding',
        'grants',
        'duties',
        'spr',
      ]);
      for (const target of targets) expect(response.body).toContain(`id="${target}"`);
    });

    it('numbers priorities, objectives and commitments, and names each commitment’s owner and role', async () => {
      const response = await officer.get(`${editorUrl}/plan`);
      const page = text(response.body);
      expect(page).toContain('Edition 2025–29, edition 1');
      expect(page).toContain('Draft: not issued');
      expect(page).toMatch(
        /1\. Connecting communities and policing Aim: People feel safe where they live Local policing that people can reach\./,
      );
      expect(page).toMatch(
        /1\.1 Visible neighbourhood policing Officers people know by name\. Intended outcome: More people see local officers/,
      );
      expect(page).toContain(
        '1.1.1 Recruit 100 more PCSOs The chief constable Controls (delivers it) Short term (within a year) In progress',
      );
      expect(page).toContain(
        `1.1.2 Fund a community safety hub in every district ${partnerName} Influences (persuades others to deliver it) By 31 March 2027 At risk`,
      );
      expect(page).toContain(
        '1.2.1 Publish call answering times every month The commissioner Controls (delivers it) Long term (over the whole plan) Not started',
      );
      expect(page).toContain('2.1 Support victims of fraud');
    });

    it('tabulates measures per priority, with evidence, direction, baseline period, frequency and owner', async () => {
      const page = text((await officer.get(`${editorUrl}/plan`)).body);
      expect(page).toMatch(
        /How we will measure priority 1 Measure Evidence source Unit Direction Baseline Target Reported Owner Confidence in local policing For priority 1 Public survey % Higher is better 72\.5 in 2024\/25 75 Quarterly Head of performance 999 calls answered in 10 seconds For objective 1\.2 Performance metric/,
      );
      expect(page).toMatch(
        /How we will measure priority 2 .* Fraud victims satisfied For objective 2\.1 Public survey % Higher is better 61 in 2023\/24 70/,
      );
    });

    it('shows the statutory sections, funding in pounds, grants, duty statements and the SPR table', async () => {
      const response = await officer.get(`${editorUrl}/plan`);
      const page = text(response.body);
      expect(page).toContain('The policing the chief constable will provide PRSRA 2011 s.7(1)(b) Neighbourhood teams in every ward.');
      expect(page).toContain('How the chief constable reports to the commissioner PRSRA 2011 s.7(1)(d) Not written yet.');
      expect(page).toContain('2025/26 £123,456,789 £200,000,000 £1,500,000.50 £324,956,789.50');
      expect(page).toContain('Total over the years £253,456,789 £405,000,000 £1,500,000.50 £659,956,789.50');
      expect(page).toContain(
        'Northmoor Victim Support £1,250,000 1 April 2025 to 31 March 2026 Help for victims of crime Quarterly returns 2. &lt;script&gt;',
      );
      expect(page).toContain(
        'We assessed the plan’s effect on every protected group. Parts of the plan that meet this duty: Objective 1.1: Visible neighbourhood policing',
      );
      expect(page).toContain(`${threatTitle} Priority 1: Connecting communities and policing Not needed`);
      expect(page).toMatch(/No explanation yet/);
      expect(response.body).not.toContain('<script>alert');
    });
  });

  describe('who may read them', () => {
    it('refuses a draft to the force and the panel, and shows the frozen edition to them', async () => {
      const force = await signedIn(bodyId, 'force');
      const panel = await signedIn(bodyId, 'panel_member', panelId);
      for (const agent of [force, panel]) {
        expect((await agent.get(`${editorUrl}/on-a-page`)).statusCode).toBe(403);
        expect((await agent.get(`${editorUrl}/plan`)).statusCode).toBe(403);
      }
      await context.database.db
        .update(editions)
        .set({ isFrozen: true, frozenAt: new Date('2025-03-20T12:00:00Z') })
        .where(eq(editions.id, editionId));
      try {
        for (const agent of [force, panel]) {
          expect((await agent.get(`${editorUrl}/on-a-page`)).statusCode).toBe(200);
          const plan = await agent.get(`${editorUrl}/plan`);
          expect(plan.statusCode).toBe(200);
          expect(text(plan.body)).toContain('Frozen on 20 March 2025: a record of the plan as issued');
        }
      } finally {
        await context.database.db.update(editions).set({ isFrozen: false, frozenAt: null }).where(eq(editions.id, editionId));
      }
    });

    it('refuses a member of another body, even for a frozen edition', async () => {
      const { body: other } = await createBody(context.database);
      const outsider = await signedIn(other.id, 'officer');
      await context.database.db.update(editions).set({ isFrozen: true }).where(eq(editions.id, editionId));
      try {
        expect((await outsider.get(`${editorUrl}/on-a-page`)).statusCode).toBe(403);
        expect((await outsider.get(`${editorUrl}/plan`)).statusCode).toBe(403);
      } finally {
        await context.database.db.update(editions).set({ isFrozen: false }).where(eq(editions.id, editionId));
      }
    });

    it('answers 404 for an unknown edition or plan, and sends people who are not signed in to sign in', async () => {
      expect((await officer.get(`${planUrl}/editions/99/on-a-page`)).statusCode).toBe(404);
      expect((await officer.get(`${planUrl}/editions/99/plan`)).statusCode).toBe(404);
      expect((await officer.get(`${planUrl}/editions/first/plan`)).statusCode).toBe(404);
      expect((await officer.get(`/bodies/${bodySlug}/plans/00000000-0000-4000-8000-000000000000/editions/1/plan`)).statusCode).toBe(404);
      const anonymous = await new Agent(app).get(`${editorUrl}/plan`);
      expect(anonymous.statusCode).toBe(302);
      expect(anonymous.headers.location).toMatch(/^\/sign-in/);
    });

    it('is linked from the edition page', async () => {
      const editor = await officer.get(editorUrl);
      expect(editor.body).toContain(`href="${editorUrl}/on-a-page">Plan on a page</a>`);
      expect(editor.body).toContain(`href="${editorUrl}/plan">Read the full plan</a>`);
    });
  });
});
