import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { elementIds, startPlan } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { editions } from '../../src/features/plans/plans.tables.ts';
import { loadEditionTree } from '../../src/features/plans/plans.repository.ts';

describeOnEveryEngine('editing objectives, commitments and measures', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let editorUrl: string;
  let partnerId: string;
  let otherPartnerId: string;
  const ids = elementIds;

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, partner } = await createBody(context.database);
    const { partner: otherPartner } = await createBody(context.database);
    partnerId = partner.id;
    otherPartnerId = otherPartner.id;
    const user = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    officer = new Agent(app);
    await officer.signIn(user.email, PASSWORD);
    editorUrl = await startPlan(officer, body.slug);
    await officer.submit(`${editorUrl}/priorities/new`, { title: 'Protect people at risk' });
    await officer.submit(`${editorUrl}/priorities/new`, { title: 'Support victims and witnesses' });
  });
  afterAll(() => app.close());

  async function tree() {
    const edition = await context.database.db.query.editions.findFirst({ where: (e, { eq: equals }) => equals(e.number, 1) });
    const [row] = await context.database.db.select().from(editions).where(eq(editions.id, edition!.id));
    return loadEditionTree(context.database.db, row!.id, '');
  }

  it('adds objectives under a priority, offering that priority by default', async () => {
    const [first, second] = ids((await officer.get(editorUrl)).body, 'priorities');
    const form = await officer.get(`${editorUrl}/objectives/new?priority=${first}`);
    expect(form.body).toMatch(new RegExp(`<option value="${first}" selected>`));
    expect(
      (
        await officer.post(`${editorUrl}/objectives/new`, {
          priorityId: first!,
          title: 'Reduce repeat victimisation',
          intendedOutcome: 'Fewer repeat victims',
        })
      ).statusCode,
    ).toBe(302);
    expect((await officer.submit(`${editorUrl}/objectives/new`, { priorityId: first!, title: 'Safeguard children' })).statusCode).toBe(302);
    expect(
      (await officer.submit(`${editorUrl}/objectives/new`, { priorityId: second!, title: 'Improve victim satisfaction' })).statusCode,
    ).toBe(302);
    const t = await tree();
    expect(t.priorities.map((p) => p.objectives.map((o) => o.title))).toEqual([
      ['Reduce repeat victimisation', 'Safeguard children'],
      ['Improve victim satisfaction'],
    ]);
  });

  it('refuses an objective without a priority or title, keeping what was typed', async () => {
    const response = await officer.submit(`${editorUrl}/objectives/new`, { priorityId: '', title: '', description: 'Keep this text' });
    expect(response.statusCode).toBe(400);
    expect(errorSummaryText(response.body)).toContain('Select the priority this objective serves');
    expect(errorSummaryText(response.body)).toContain('Enter the objective');
    expect(response.body).toContain('Keep this text');
  });

  it('moves an objective to another priority and reorders within one', async () => {
    const objectiveIds = ids((await officer.get(editorUrl)).body, 'objectives');
    const [, second] = ids((await officer.get(editorUrl)).body, 'priorities');
    const safeguard = objectiveIds[1]!;
    await officer.get(editorUrl);
    expect((await officer.post(`${editorUrl}/objectives/${safeguard}/move`, { direction: 'up' })).statusCode).toBe(302);
    expect((await tree()).priorities[0]!.objectives.map((o) => o.title)).toEqual(['Safeguard children', 'Reduce repeat victimisation']);
    const edit = await officer.get(`${editorUrl}/objectives/${safeguard}/edit`);
    const version = /name="version" value="(\d+)"/.exec(edit.body)![1]!;
    expect(
      (await officer.post(`${editorUrl}/objectives/${safeguard}/edit`, { priorityId: second!, title: 'Safeguard children', version }))
        .statusCode,
    ).toBe(302);
    const t = await tree();
    expect(t.priorities[1]!.objectives.map((o) => o.title)).toEqual(['Improve victim satisfaction', 'Safeguard children']);
  });

  it('records a commitment with partner owners and an influence role', async () => {
    const objectiveId = (await tree()).priorities[0]!.objectives[0]!.id;
    const response = await officer.submit(`${editorUrl}/commitments/new?objective=${objectiveId}`, {
      objectiveId,
      text: 'We will fund independent domestic violence advisers',
      ownerKind: 'partners',
      partnerIds: partnerId,
      ownerRole: 'influence',
      timescale: 'by_date',
      'targetDate-day': '31',
      'targetDate-month': '3',
      'targetDate-year': '2026',
      status: 'in_progress',
    });
    expect(response.statusCode).toBe(302);
    const commitment = (await tree()).priorities[0]!.objectives[0]!.commitments[0]!;
    expect(commitment).toMatchObject({
      ownerKind: 'partners',
      partnerIds: [partnerId],
      ownerRole: 'influence',
      timescale: 'by_date',
      targetDate: '2026-03-31',
      status: 'in_progress',
    });
    const editor = await officer.get(editorUrl);
    expect(editor.body).toContain('influences');
  });

  it('refuses partners without a partner, a bad target date, and another body’s partner', async () => {
    const objectiveId = (await tree()).priorities[0]!.objectives[0]!.id;
    const noPartner = await officer.submit(`${editorUrl}/commitments/new`, {
      objectiveId,
      text: 'A',
      ownerKind: 'partners',
      timescale: 'by_date',
      'targetDate-day': '31',
      'targetDate-month': '2',
      'targetDate-year': '2026',
    });
    expect(noPartner.statusCode).toBe(400);
    expect(errorSummaryText(noPartner.body)).toContain('Select the partner organisations that own this commitment');
    expect(errorSummaryText(noPartner.body)).toContain('Enter a real target date');
    const foreign = await officer.submit(`${editorUrl}/commitments/new`, {
      objectiveId,
      text: 'B',
      ownerKind: 'partners',
      partnerIds: otherPartnerId,
    });
    expect(foreign.statusCode).toBe(400);
    expect(errorSummaryText(foreign.body)).toContain('Select partner organisations of this body');
    expect((await tree()).priorities[0]!.objectives[0]!.commitments).toHaveLength(1);
  });

  it('adds measures to priorities and objectives with baselines and targets', async () => {
    const t = await tree();
    const priorityId = t.priorities[0]!.id;
    const objectiveId = t.priorities[0]!.objectives[0]!.id;
    const bad = await officer.submit(`${editorUrl}/measures/new`, {
      attachedTo: `priority:${priorityId}`,
      name: 'Confidence',
      evidenceSource: 'public_survey',
      unit: '%',
      polarity: 'higher_is_better',
      baselineValue: 'lots',
      frequency: 'quarterly',
    });
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryText(bad.body)).toContain('Baseline must be a number');
    for (const [attachedTo, name] of [
      [`priority:${priorityId}`, 'Public confidence in the police'],
      [`objective:${objectiveId}`, 'Repeat victims within 12 months'],
    ] as const) {
      const response = await officer.submit(`${editorUrl}/measures/new`, {
        attachedTo,
        name,
        evidenceSource: 'public_survey',
        unit: '%',
        polarity: 'higher_is_better',
        baselineValue: '72.5',
        baselinePeriod: '2024/25',
        targetValue: '75',
        frequency: 'quarterly',
      });
      expect(response.statusCode).toBe(302);
    }
    const measures = (await tree()).measures;
    expect(measures.map((m) => [m.name, m.attachedTo.kind, m.baselineValue, m.targetValue])).toEqual([
      ['Public confidence in the police', 'priority', 72.5, 75],
      ['Repeat victims within 12 months', 'objective', 72.5, 75],
    ]);
  });

  it('refuses every change to a frozen edition with a clear message, and changes nothing', async () => {
    const t = await tree();
    const edition = await context.database.db.query.editions.findFirst({ where: (e, { eq: equals }) => equals(e.number, 1) });
    await context.database.db.update(editions).set({ isFrozen: true }).where(eq(editions.id, edition!.id));
    try {
      await officer.get(editorUrl);
      const response = await officer.post(`${editorUrl}/objectives/${t.priorities[0]!.objectives[0]!.id}/edit`, {
        priorityId: t.priorities[0]!.id,
        title: 'Changed',
        version: '1',
      });
      expect(response.statusCode).toBe(409);
      expect(response.body).toContain('This edition is frozen');
      expect((await officer.get(`${editorUrl}/priorities/new`)).statusCode).toBe(409);
      expect((await tree()).priorities[0]!.objectives[0]!.title).toBe(t.priorities[0]!.objectives[0]!.title);
    } finally {
      await context.database.db.update(editions).set({ isFrozen: false }).where(eq(editions.id, edition!.id));
    }
  });

  it('removes an objective with commitments only after confirmation', async () => {
    const objective = (await tree()).priorities[0]!.objectives[0]!;
    const confirm = await officer.get(`${editorUrl}/objectives/${objective.id}/delete`);
    expect(confirm.body).toContain('This also removes its 1 commitment');
    expect((await officer.post(`${editorUrl}/objectives/${objective.id}/delete`, {})).headers.location).toContain('/delete');
    expect((await officer.post(`${editorUrl}/objectives/${objective.id}/delete`, { confirm: 'yes' })).statusCode).toBe(302);
    const after = await tree();
    expect(after.priorities[0]!.objectives.some((o) => o.id === objective.id)).toBe(false);
    expect(after.measures.map((m) => m.name)).toEqual(['Public confidence in the police']);
  });
});
