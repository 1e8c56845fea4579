import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import type { OrganisationRole } from '../../src/shared/current-user.ts';

describeOnEveryEngine('authoring a plan: plans, editions and priorities', (context) => {
  let app: FastifyInstance;
  let slug: string;
  let bodyId: string;
  const agents: Partial<Record<OrganisationRole | 'other', Agent>> = {};

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body } = await createBody(context.database);
    const { body: otherBody } = await createBody(context.database);
    slug = body.slug;
    bodyId = body.id;
    for (const role of ['officer', 'commissioner', 'force', 'panel_member'] as const) {
      const { panel } = role === 'panel_member' ? { panel: await findPanel(bodyId) } : { panel: null };
      const user = await createUser(context.database, {
        memberships: [{ policingBodyId: bodyId, role, ...(panel ? { scrutinyBodyId: panel } : {}) }],
      });
      agents[role] = new Agent(app);
      await agents[role]!.signIn(user.email, PASSWORD);
    }
    const outsider = await createUser(context.database, { memberships: [{ policingBodyId: otherBody.id, role: 'officer' }] });
    agents.other = new Agent(app);
    await agents.other.signIn(outsider.email, PASSWORD);
  });
  afterAll(() => app.close());

  async function findPanel(id: string): Promise<string> {
    const { findScrutinyBodyOf } = await import('../../src/features/organisations/index.ts');
    return (await findScrutinyBodyOf(context.database.db, id))!.id;
  }

  async function createPlan(agent: Agent): Promise<string> {
    const response = await agent.submit(`/bodies/${slug}/plans/new`, {
      title: 'Police and Crime Plan 2025–29',
      'periodStartsOn-day': '1',
      'periodStartsOn-month': '4',
      'periodStartsOn-year': '2025',
      'periodEndsOn-day': '31',
      'periodEndsOn-month': '3',
      'periodEndsOn-year': '2029',
      vision: 'Safer communities for everyone',
    });
    expect(response.statusCode).toBe(302);
    return response.headers.location as string;
  }

  describe('starting a plan', () => {
    it('offers a default period ending 31 March of the financial year of the next election', async () => {
      const page = await agents.officer!.get(`/bodies/${slug}/plans/new`);
      expect(page.statusCode).toBe(200);
      // createBody's term ends 12 May 2028, so the election falls in 2028/29.
      expect(page.body).toMatch(/name="periodEndsOn-year"[^>]*value="2029"/);
    });

    it('keeps the values and shows the error summary when the period is wrong', async () => {
      const response = await agents.officer!.submit(`/bodies/${slug}/plans/new`, {
        title: 'My plan',
        'periodStartsOn-day': '1',
        'periodStartsOn-month': '4',
        'periodStartsOn-year': '2025',
        'periodEndsOn-day': '31',
        'periodEndsOn-month': '2',
        'periodEndsOn-year': '2025',
      });
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toContain('The end of the plan period must be a real date');
      expect(response.body).toContain('value="My plan"');
    });

    it('creates the plan with a first draft edition and lets only the office see the draft', async () => {
      const editorUrl = await createPlan(agents.officer!);
      expect(editorUrl).toMatch(new RegExp(`^/bodies/${slug}/plans/[0-9a-f-]{36}/editions/1$`));
      const editor = await agents.officer!.get(editorUrl);
      expect(editor.statusCode).toBe(200);
      expect(editor.body).toContain('Safer communities for everyone');
      expect((await agents.commissioner!.get(editorUrl)).statusCode).toBe(200);
      expect((await agents.force!.get(editorUrl)).statusCode).toBe(403);
      expect((await agents.panel_member!.get(editorUrl)).statusCode).toBe(403);
      expect((await agents.other!.get(editorUrl)).statusCode).toBe(403);
      expect((await agents.force!.get(`/bodies/${slug}/plans/new`)).statusCode).toBe(403);
    });

    it('answers 404 for an unknown plan or edition', async () => {
      const editorUrl = await createPlan(agents.officer!);
      expect((await agents.officer!.get(editorUrl.replace(/editions\/1$/, 'editions/9'))).statusCode).toBe(404);
      expect((await agents.officer!.get(`/bodies/${slug}/plans/not-a-uuid/editions/1`)).statusCode).toBe(404);
      expect((await agents.officer!.get(`/bodies/${slug}/plans/00000000-0000-4000-8000-000000000000/editions/1`)).statusCode).toBe(404);
    });
  });

  describe('priorities', () => {
    let editorUrl: string;
    beforeAll(async () => {
      editorUrl = await createPlan(agents.officer!);
    });

    it('adds, reorders and removes priorities, auditing each change', async () => {
      const officer = agents.officer!;
      for (const title of ['Protect the most vulnerable', 'Strengthen local policing', 'Support victims']) {
        const response = await officer.submit(`${editorUrl}/priorities/new`, { title, aim: `Aim of ${title}` });
        expect(response.statusCode).toBe(302);
      }
      const order = async () =>
        [...(await officer.get(editorUrl)).body.matchAll(/govuk-summary-card__title"[^>]*>\d+\. ([^<]+)</g)].map((m) => m[1]);
      expect(await order()).toEqual(['Protect the most vulnerable', 'Strengthen local policing', 'Support victims']);
      const lastId = [...(await officer.get(editorUrl)).body.matchAll(/priorities\/([0-9a-f-]{36})\/edit/g)].map((m) => m[1])[2];
      expect(lastId).toBeDefined();
      await officer.get(editorUrl);
      expect((await officer.post(`${editorUrl}/priorities/${lastId}/move`, { direction: 'up' })).statusCode).toBe(302);
      expect(await order()).toEqual(['Protect the most vulnerable', 'Support victims', 'Strengthen local policing']);
      await officer.get(editorUrl);
      expect((await officer.post(`${editorUrl}/priorities/${lastId}/delete`, { confirm: 'yes' })).statusCode).toBe(302);
      expect(await order()).toEqual(['Protect the most vulnerable', 'Strengthen local policing']);
      const { rows } = (await context.database.db.execute(
        sql`select action from audit_events where subject_id = ${lastId} order by id`,
      )) as unknown as {
        rows: { action: string }[];
      };
      expect(rows.map((r) => r.action)).toEqual(['priority.added', 'priority.moved', 'priority.removed']);
    });

    it('shows the error summary and keeps what was typed', async () => {
      const response = await agents.officer!.submit(`${editorUrl}/priorities/new`, { title: '', aim: 'An aim worth keeping' });
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toContain('Enter the priority');
      expect(response.body).toContain('An aim worth keeping');
    });

    it('does not let a second editor overwrite the first: both versions are shown', async () => {
      const first = agents.officer!;
      const second = agents.commissioner!;
      await first.submit(`${editorUrl}/priorities/new`, { title: 'Tackle violence' });
      const id = [...(await first.get(editorUrl)).body.matchAll(/priorities\/([0-9a-f-]{36})\/edit/g)].map((m) => m[1]).pop()!;
      const editUrl = `${editorUrl}/priorities/${id}/edit`;
      await first.get(editUrl);
      await second.get(editUrl);
      expect((await first.post(editUrl, { title: 'Tackle serious violence', version: '1' })).statusCode).toBe(302);
      const conflict = await second.post(editUrl, { title: 'Tackle violence against women and girls', version: '1' });
      expect(conflict.statusCode).toBe(409);
      expect(conflict.body).toContain('Saved by someone else');
      expect(conflict.body).toContain('Tackle serious violence');
      expect(conflict.body).toContain('value="Tackle violence against women and girls"');
      expect((await first.get(editorUrl)).body).toContain('Tackle serious violence');
    });

    it('asks before removing a priority that has objectives', async () => {
      await agents.officer!.submit(`${editorUrl}/priorities/new`, { title: 'Has objectives' });
      const id = [...(await agents.officer!.get(editorUrl)).body.matchAll(/priorities\/([0-9a-f-]{36})\/edit/g)].map((m) => m[1]).pop()!;
      const { objectives } = await import('../../src/features/plans/plans.tables.ts');
      const edition = await context.database.db.query.priorities.findFirst({ where: (p, { eq }) => eq(p.id, id) });
      await context.database.db
        .insert(objectives)
        .values({ editionId: edition!.editionId, priorityId: id, position: 0, title: 'An objective' });
      const confirm = await agents.officer!.get(`${editorUrl}/priorities/${id}/delete`);
      expect(confirm.body).toContain('This also removes its 1 objective');
      const unconfirmed = await agents.officer!.post(`${editorUrl}/priorities/${id}/delete`, {});
      expect(unconfirmed.statusCode).toBe(302);
      expect(unconfirmed.headers.location).toBe(`${editorUrl}/priorities/${id}/delete`);
      expect((await agents.officer!.get(editorUrl)).body).toContain('Has objectives');
    });

    it('refuses other roles and other bodies', async () => {
      for (const role of ['force', 'panel_member', 'other'] as const) {
        expect((await agents[role]!.get(`${editorUrl}/priorities/new`)).statusCode).toBe(403);
      }
    });
  });

  it('checks completeness as a task list and as JSON', async () => {
    const editorUrl = await createPlan(agents.officer!);
    const page = await agents.officer!.get(`${editorUrl}/completeness`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Statutory completeness check');
    expect(page.body).toContain('PRSRA 2011 s.7(1)(b)');
    const json = (await agents.officer!.get(`${editorUrl}/completeness`, { accept: 'application/json' })).json();
    expect(json.isComplete).toBe(false);
    expect(json.requirements.find((r: { id: string }) => r.id === 'contents.objectives')).toMatchObject({
      isMet: false,
      fixUrl: `${editorUrl}/priorities/new`,
    });
    // Seven SPR 2023 threats shipped as reference data, each a requirement.
    expect(json.requirements.filter((r: { group: string }) => r.group === 'spr')).toHaveLength(7);
  });
});
