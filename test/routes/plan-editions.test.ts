import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { startPlan } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { editions } from '../../src/features/plans/plans.tables.ts';
import { loadEditionTree } from '../../src/features/plans/plans.repository.ts';

describeOnEveryEngine('new editions and their principal changes', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let force: Agent;
  let planUrl: string;
  const editionUrl = (n: number) => `${planUrl}/editions/${n}`;
  const editionRow = async (n: number) =>
    (await context.database.db.query.editions.findMany()).find((e) => e.number === n && planUrl.includes(e.planId))!;

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body } = await createBody(context.database);
    const user = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    const forceUser = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] });
    officer = new Agent(app);
    force = new Agent(app);
    await officer.signIn(user.email, PASSWORD);
    await force.signIn(forceUser.email, PASSWORD);
    planUrl = (
      await startPlan(officer, body.slug, { title: 'Police and Crime Plan 2017–20', startsOn: '2017-04-01', endsOn: '2021-03-31' })
    ).replace(/\/editions\/1$/, '');
    await officer.submit(`${editionUrl(1)}/priorities/new`, { title: 'Protect the most vulnerable from harm' });
    const priorityId = /priorities\/([0-9a-f-]{36})\/edit/.exec((await officer.get(editionUrl(1))).body)![1]!;
    await officer.submit(`${editionUrl(1)}/objectives/new`, { priorityId, title: 'Reduce repeat victimisation' });
    const objectiveId = /objectives\/([0-9a-f-]{36})\/edit/.exec((await officer.get(editionUrl(1))).body)![1]!;
    await officer.submit(`${editionUrl(1)}/commitments/new`, {
      objectiveId,
      text: 'We will fund 10 advisers',
      ownerKind: 'pcc',
      ownerRole: 'control',
    });
  });
  afterAll(() => app.close());

  it('asks which kind of edition, then copies the tree keeping every lineage id', async () => {
    const refused = await officer.submit(`${editionUrl(1)}/new-edition`, {});
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryText(refused.body)).toContain('Select the kind of edition');
    const made = await officer.submit(`${editionUrl(1)}/new-edition`, { kind: 'refresh' });
    expect(made.statusCode).toBe(302);
    expect(made.headers.location).toBe(editionUrl(2));
    const [one, two] = [await editionRow(1), await editionRow(2)];
    expect(two).toMatchObject({ kind: 'refresh', parentEditionId: one.id, label: '2017–21, edition 2 (refresh)' });
    const [a, b] = [await loadEditionTree(context.database.db, one.id, ''), await loadEditionTree(context.database.db, two.id, '')];
    const lineages = (t: typeof a) =>
      t.priorities.flatMap((p) => [p.lineageId, ...p.objectives.flatMap((o) => [o.lineageId, ...o.commitments.map((c) => c.lineageId)])]);
    expect(lineages(b)).toEqual(lineages(a));
    expect(b.priorities[0]!.id).not.toBe(a.priorities[0]!.id);
    expect(b.statutorySections.map((s) => s.lineageId).sort()).toEqual(a.statutorySections.map((s) => s.lineageId).sort());
  });

  it('lists the principal changes with word-level differences, as a page and as Markdown', async () => {
    const commitmentId = /commitments\/([0-9a-f-]{36})\/edit/.exec((await officer.get(editionUrl(2))).body)![1]!;
    const form = await officer.get(`${editionUrl(2)}/commitments/${commitmentId}/edit`);
    const objectiveId = /<option value="([0-9a-f-]{36})" selected>/.exec(form.body)![1]!;
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    expect(
      (
        await officer.post(`${editionUrl(2)}/commitments/${commitmentId}/edit`, {
          objectiveId,
          text: 'We will fund 15 advisers',
          ownerKind: 'pcc',
          ownerRole: 'influence',
          version,
        })
      ).statusCode,
    ).toBe(302);
    await officer.submit(`${editionUrl(2)}/priorities/new`, { title: 'Support victims and witnesses' });

    const page = await officer.get(`${planUrl}/changes?from=1&to=2`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2 changes from');
    expect(page.body).toMatch(/Added<\/strong>\s*Priority: Support victims and witnesses/);
    expect(page.body).toContain('<del class="app-del"><span class="govuk-visually-hidden">removed: </span>10</del>');
    expect(page.body).toContain('<ins class="app-ins"><span class="govuk-visually-hidden">added: </span>15</ins>');

    const markdown = await officer.get(`${planUrl}/changes.md?from=1&to=2`);
    expect(markdown.headers['content-type']).toContain('text/markdown');
    expect(markdown.body).toContain('- **Added** priority: Support victims and witnesses');
    expect(markdown.body).toContain('  - Text: We will fund ~~10~~ **15** advisers');
    expect(markdown.body).toContain('  - Control or influence: ~~control~~ **influence**');
  });

  it('compares only the editions a user may see: drafts stay with the office', async () => {
    await context.database.db
      .update(editions)
      .set({ isFrozen: true })
      .where(eq(editions.id, (await editionRow(1)).id));
    expect((await force.get(`${planUrl}/changes?from=1&to=2`)).statusCode).toBe(404);
    const forView = await force.get(`${planUrl}/changes`);
    expect(forView.statusCode).toBe(200);
    expect(forView.body).toContain('nothing to compare');
    expect(forView.body).not.toContain('Support victims and witnesses');
    expect((await force.get(`${editionUrl(1)}/new-edition`)).statusCode).toBe(403);
    expect((await force.get(`${planUrl}/changes.md?from=1&to=2`)).statusCode).toBe(404);
  });

  it('makes a variation from a frozen edition', async () => {
    const made = await officer.submit(`${editionUrl(1)}/new-edition`, { kind: 'variation' });
    expect(made.headers.location).toBe(editionUrl(3));
    expect((await officer.get(`${planUrl}/changes?from=1&to=3`)).body).toContain('The two editions are the same');
  });
});
