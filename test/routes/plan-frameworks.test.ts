import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { startPlan } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';

describeOnEveryEngine('frameworks and coverage', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let force: Agent;
  let slug: string;

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body } = await createBody(context.database);
    slug = body.slug;
    const user = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    const forceUser = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] });
    officer = new Agent(app);
    force = new Agent(app);
    await officer.signIn(user.email, PASSWORD);
    await force.signIn(forceUser.email, PASSWORD);
  });
  afterAll(() => app.close());

  it('adds a local framework alongside the three national ones', async () => {
    const empty = await officer.submit(`/bodies/${slug}/frameworks/new`, { name: 'Local strategy', items: '  \n ' });
    expect(empty.statusCode).toBe(400);
    expect(errorSummaryText(empty.body)).toContain('Enter at least one item');
    const made = await officer.submit(`/bodies/${slug}/frameworks/new`, {
      name: 'Serious Violence Duty strategy 2024',
      items: 'Knife crime\nYouth violence\nKnife crime',
    });
    expect(made.statusCode).toBe(302);
    const duplicate = await officer.submit(`/bodies/${slug}/frameworks/new`, { name: 'Serious Violence Duty strategy 2024', items: 'X' });
    expect(errorSummaryText(duplicate.body)).toContain('already has a framework with this name');
    const list = await officer.get(`/bodies/${slug}/frameworks`);
    expect(list.body).toContain('Strategic Policing Requirement 2023');
    expect(list.body).toContain('National Crime and Policing Measures');
    expect(list.body).toContain('Serious Violence Strategy 2018');
    expect(list.body.match(/<li>Knife crime<\/li>/g)).toHaveLength(1);
    expect((await force.get(`/bodies/${slug}/frameworks/new`)).statusCode).toBe(403);
  });

  it('shows which items an edition addresses and which nothing does', async () => {
    const editorUrl = await startPlan(officer, slug, { title: 'Plan' });
    const form = await officer.get(`${editorUrl}/priorities/new`);
    const knife = /value="([0-9a-f-]{36})"[^>]*>\s*<label[^>]*>\s*Knife crime/.exec(form.body)?.[1];
    expect(knife).toBeDefined();
    await officer.post(`${editorUrl}/priorities/new`, { title: 'Tackle knife crime', frameworkItemIds: knife! });
    const coverage = await officer.get(`${editorUrl}/coverage`);
    expect(coverage.statusCode).toBe(200);
    expect(coverage.body).toMatch(
      /Knife crime<\/th>\s*<td class="govuk-table__cell">\s*<ul class="govuk-list"><li>1 Tackle knife crime<\/li>/,
    );
    expect(coverage.body).toContain('Serious Violence Duty strategy 2024 (1 not addressed)');
    expect(coverage.body).toContain('Strategic Policing Requirement 2023 (7 not addressed)');
  });
});
