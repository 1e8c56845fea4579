import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { pageText as text, stepDate, takeStep } from '../support/lifecycle.ts';
import { formVersion, startPlan } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { editions, plans } from '../../src/features/plans/plans.tables.ts';
import { editionTransitions } from '../../src/features/lifecycle/lifecycle.tables.ts';
import { publishedEditions } from '../../src/features/publication/publication.tables.ts';
import { auditEvents } from '../../src/platform/audit/audit.tables.ts';

/** The smallest statutory path from draft to issue (as in lifecycle-process.test.ts). */
async function issue(office: Agent, panelOfficer: Agent, commissioner: Agent, url: string, months: [string, string]): Promise<void> {
  const steps: [Agent, string, Record<string, string>][] = [
    [office, 'consult-chief-constable', { ...stepDate(`${months[0]}-01`), how: 'Meeting', views: 'Supportive' }],
    [office, 'send-to-panel', { ...stepDate(`${months[0]}-10`), waiverReason: 'Short plan' }],
    [panelOfficer, 'record-panel-report', { ...stepDate(`${months[1]}-01`), summary: 'Welcomed', noRecommendations: 'yes' }],
    [office, 'give-response', { ...stepDate(`${months[1]}-05`), response: 'Thank you' }],
    [office, 'publish-response', stepDate(`${months[1]}-06`)],
    [commissioner, 'issue', { ...stepDate(`${months[1]}-10`), reference: `DN ${months[1]}`, decidedBy: 'Alex Example' }],
  ];
  for (const [agent, step, fields] of steps) {
    const response = await takeStep(agent, url, step, fields);
    if (response.statusCode !== 302) throw new Error(`${step}: ${response.statusCode} ${errorSummaryText(response.body)}`);
  }
}

describeOnEveryEngine('changing the plan period in an addendum or variation', (context) => {
  let app: FastifyInstance;
  const agents: Record<string, Agent> = {};
  let planUrl = '';
  let planId = '';
  let slug = '';
  const editionUrl = (n: number) => `${planUrl}/editions/${n}`;
  const db = () => context.database.db;
  const editionRow = async (n: number) => (await db().select().from(editions)).find((e) => e.number === n && e.planId === planId)!;
  /** Opens the period page and posts with the version it shows. */
  const save = async (url: string, fields: Record<string, string>) => {
    const version = formVersion((await agents.officer!.get(url)).body);
    return agents.officer!.post(url, { ...fields, version });
  };
  const planRow = async () => (await db().select().from(plans).where(eq(plans.id, planId)))[0]!;

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '100' } }));
    const { body, panel, partner } = await createBody(context.database);
    const { body: otherBody } = await createBody(context.database);
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
    const first = await startPlan(agents.officer!, slug, {
      title: 'Police and Crime Plan 2026–29',
      startsOn: '2026-04-01',
      endsOn: '2029-03-31',
    });
    planUrl = first.replace(/\/editions\/1$/, '');
    planId = planUrl.split('/').at(-1)!;
    await agents.officer!.submit(`${first}/priorities/new`, { title: 'Connecting communities and policing' });
  });
  afterAll(() => app.close());

  it('has no period page for a new plan or a refresh, and no link to one', async () => {
    const officer = agents.officer!;
    expect((await officer.get(`${editionUrl(1)}/period`)).statusCode).toBe(404);
    expect((await officer.get(editionUrl(1))).body).not.toContain(`${editionUrl(1)}/period`);
    await issue(officer, agents.panelOfficer!, agents.commissioner!, editionUrl(1), ['2026-05', '2026-06']);
    expect((await officer.submit(`${editionUrl(1)}/new-edition`, { kind: 'refresh' })).statusCode).toBe(302);
    expect((await officer.get(`${editionUrl(2)}/period`)).statusCode).toBe(404);
    expect((await officer.get(editionUrl(2))).body).not.toContain('/period"');
  });

  it('is for the commissioner’s office only', async () => {
    const officer = agents.officer!;
    expect((await officer.submit(`${editionUrl(1)}/new-edition`, { kind: 'addendum' })).statusCode).toBe(302);
    const addendum = editionUrl(3);
    expect((await editionRow(3)).kind).toBe('addendum');
    for (const name of ['force', 'partner', 'panelMember', 'panelOfficer']) {
      expect((await agents[name]!.get(`${addendum}/period`)).statusCode, name).toBe(403);
      expect((await agents[name]!.post(`${addendum}/period`, stepDate('2030-03-31', 'newPeriodEndsOn'))).statusCode, name).toBe(403);
    }
    expect((await agents.outsider!.get(`${addendum}/period`)).statusCode).toBe(403);
    expect((await agents.commissioner!.get(`${addendum}/period`)).statusCode).toBe(200);
    expect((await officer.get(`${planUrl}/editions/99/period`)).statusCode).toBe(404);
    expect((await editionRow(3)).newPeriodEndsOn).toBeNull();
  });

  it('rejects a date that is not real or not after the start, keeping the values', async () => {
    const url = `${editionUrl(3)}/period`;
    const page = await agents.officer!.get(url);
    expect(text(page.body)).toContain('The plan period is currently 1 April 2026 to 31 March 2029');
    const version = formVersion(page.body);
    const unreal = await agents.officer!.post(url, { ...stepDate('2030-02-31', 'newPeriodEndsOn'), version, action: 'save' });
    expect(unreal.statusCode).toBe(400);
    expect(errorSummaryText(unreal.body)).toContain('The new end of the plan period must be a real date');
    expect(unreal.body).toContain('href="#newPeriodEndsOn-day"');
    expect(unreal.body).toMatch(/name="newPeriodEndsOn-day"[^>]*value="31"|value="31"[^>]*name="newPeriodEndsOn-day"/);
    const early = await save(url, { ...stepDate('2026-03-31', 'newPeriodEndsOn'), action: 'save' });
    expect(early.statusCode).toBe(400);
    expect(errorSummaryText(early.body)).toContain('The new end of the plan period must be after its start');
    expect(early.body).toMatch(/value="2026"/);
    expect((await save(url, { action: 'save' })).statusCode).toBe(400);
    expect((await editionRow(3)).newPeriodEndsOn).toBeNull();
  });

  it('sets, clears and sets the new end on the addendum draft, audited and locked by version', async () => {
    const officer = agents.officer!;
    const url = `${editionUrl(3)}/period`;
    const stale = formVersion((await officer.get(url)).body);
    const saved = await save(url, { ...stepDate('2031-03-31', 'newPeriodEndsOn'), action: 'save' });
    expect(saved.statusCode).toBe(302);
    expect((await editionRow(3)).newPeriodEndsOn).toBe('2031-03-31');
    expect(text((await officer.get(editionUrl(3))).body)).toContain('This edition changes the plan period to end on 31 March 2031');
    expect((await officer.get(editionUrl(3))).body).toContain(`href="${url}"`);

    const conflict = await officer.post(url, { ...stepDate('2032-03-31', 'newPeriodEndsOn'), version: stale, action: 'save' });
    expect(conflict.statusCode).toBe(409);
    expect(text(conflict.body)).toContain('New end of the plan period: 31 March 2031');
    expect((await editionRow(3)).newPeriodEndsOn).toBe('2031-03-31');

    expect((await save(url, { action: 'clear' })).statusCode).toBe(302);
    expect((await editionRow(3)).newPeriodEndsOn).toBeNull();
    expect(text((await officer.get(editionUrl(3))).body)).not.toContain('This edition changes the plan period');
    expect((await save(url, { ...stepDate('2030-03-31', 'newPeriodEndsOn'), action: 'save' })).statusCode).toBe(302);

    const audit = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, (await editionRow(3)).id))
      // In the order they were written: without it PostgreSQL may return them in any order.
      .orderBy(auditEvents.id);
    expect(audit.filter((a) => a.action === 'edition.period_change_set').map((a) => a.after)).toEqual([
      { newPeriodEndsOn: '2031-03-31' },
      { newPeriodEndsOn: null },
      { newPeriodEndsOn: '2030-03-31' },
    ]);
  });

  it('changes the plan period when the addendum is issued; the earlier published edition keeps the old one', async () => {
    const officer = agents.officer!;
    expect((await planRow()).periodEndsOn).toBe('2029-03-31');
    await issue(officer, agents.panelOfficer!, agents.commissioner!, editionUrl(3), ['2026-10', '2026-11']);
    expect(await editionRow(3)).toMatchObject({ isFrozen: true, newPeriodEndsOn: '2030-03-31' });
    expect((await planRow()).periodEndsOn).toBe('2030-03-31');
    const [issueStep] = await db()
      .select()
      .from(editionTransitions)
      .where(eq(editionTransitions.editionId, (await editionRow(3)).id))
      .then((rows) => rows.filter((t) => t.event === 'issue'));
    expect(issueStep!.evidence).toMatchObject({ periodEndsOn: '2030-03-31' });
    // Issued: the page can no longer change it.
    expect((await officer.get(`${editionUrl(3)}/period`)).statusCode).toBe(409);

    const reader = new Agent(app);
    const current = JSON.parse((await reader.get(`/${slug}/plan.json`)).body);
    expect(current.edition.number).toBe(3);
    expect(current.plan).toMatchObject({ periodStartsOn: '2026-04-01', periodEndsOn: '2030-03-31' });
    expect(text((await reader.get(`/${slug}/plan`)).body)).toContain('31 March 2030');

    const published = await db().select().from(publishedEditions).orderBy(publishedEditions.publishedAt);
    const firstPublished = published.find(
      (p) =>
        (p.planJson as { edition: { number: number } }).edition.number === 1 &&
        p.planJson &&
        (p.planJson as { plan: { id: string } }).plan.id === planId,
    );
    expect(firstPublished).toBeDefined();
    const old = JSON.parse((await reader.get(`/${slug}/editions/${firstPublished!.id}/plan.json`)).body);
    expect(old.edition.number).toBe(1);
    expect(old.plan.periodEndsOn).toBe('2029-03-31');
  });
});
