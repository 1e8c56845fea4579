import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { startPlan } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { loadEditionTree } from '../../src/features/plans/plans.repository.ts';

describeOnEveryEngine('the refresh review board', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let planUrl: string;
  const editionUrl = (n: number) => `${planUrl}/editions/${n}`;
  const boardUrl = () => `${editionUrl(2)}/review-board`;
  const treeOf = async (n: number) => {
    const rows = await context.database.db.query.editions.findMany();
    const row = rows.find((e) => e.number === n && planUrl.includes(e.planId))!;
    return loadEditionTree(context.database.db, row.id, '');
  };

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body } = await createBody(context.database);
    const user = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    officer = new Agent(app);
    await officer.signIn(user.email, PASSWORD);
    planUrl = (
      await startPlan(officer, body.slug, { title: 'Police and Crime Plan 2016–21', startsOn: '2016-10-01', endsOn: '2021-03-31' })
    ).replace(/\/editions\/1$/, '');
    await officer.submit(`${editionUrl(1)}/priorities/new`, { title: 'Protect the most vulnerable from harm' });
    const priorityId = /priorities\/([0-9a-f-]{36})\/edit/.exec((await officer.get(editionUrl(1))).body)![1]!;
    for (const title of ['Reduce repeat victimisation', 'Improve the response to mental health']) {
      await officer.submit(`${editionUrl(1)}/objectives/new`, { priorityId, title });
    }
    const objectiveId = /objectives\/([0-9a-f-]{36})\/edit/.exec((await officer.get(editionUrl(1))).body)![1]!;
    for (const text of ['Fund independent advisers', 'Open a sexual assault referral centre']) {
      await officer.submit(`${editionUrl(1)}/commitments/new`, { objectiveId, text });
    }
    await officer.submit(`${editionUrl(1)}/new-edition`, { kind: 'refresh' });
  });
  afterAll(() => app.close());

  it('is only for refresh editions', async () => {
    expect((await officer.get(`${editionUrl(1)}/review-board`)).statusCode).toBe(404);
    expect((await officer.get(editionUrl(2))).body).toContain('Review board');
  });

  it('is set up with a title and date, refusing a date that is not real', async () => {
    const bad = await officer.submit(boardUrl(), {
      title: 'Stakeholder workshop',
      'heldOn-day': '31',
      'heldOn-month': '11',
      'heldOn-year': '2018',
    });
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryText(bad.body)).toContain('must be a real date');
    expect(bad.body).toContain('value="Stakeholder workshop"');
    const made = await officer.submit(boardUrl(), {
      title: 'Stakeholder workshop',
      'heldOn-day': '9',
      'heldOn-month': '11',
      'heldOn-year': '2018',
      notes: 'Panel link members attended',
    });
    expect(made.statusCode).toBe(302);
    const board = await officer.get(boardUrl());
    expect(board.body).toContain('Held on 9 November 2018');
    expect(board.body.match(/Carry forward/g)).toHaveLength(4);
  });

  it('records decisions and new items, then applies them all to the draft and keeps the record', async () => {
    const source = await treeOf(1);
    const [repeat, mentalHealth] = source.priorities[0]!.objectives;
    const [advisers, sarc] = repeat!.commitments;
    const amendWithoutWording = await officer.submit(`${boardUrl()}/decisions/${advisers!.lineageId}`, {
      disposition: 'amend',
      wording: '',
      rationale: 'Broaden it',
    });
    expect(amendWithoutWording.statusCode).toBe(400);
    expect(errorSummaryText(amendWithoutWording.body)).toContain('Enter the new wording');
    await officer.submit(`${boardUrl()}/decisions/${advisers!.lineageId}`, {
      disposition: 'amend',
      wording: 'Fund independent domestic and sexual violence advisers',
      rationale: 'Broaden it',
    });
    await officer.submit(`${boardUrl()}/decisions/${sarc!.lineageId}`, { disposition: 'retire', rationale: 'Achieved in 2018' });
    await officer.submit(`${boardUrl()}/decisions/${mentalHealth!.lineageId}`, {
      disposition: 'retire',
      rationale: 'Now led by health partners',
    });
    const priorityLineage = source.priorities[0]!.lineageId;
    await officer.submit(`${boardUrl()}/additions`, {
      parent: `priority:${priorityLineage}`,
      wording: 'Tackle serious violence',
      rationale: 'Serious Violence Strategy 2018',
    });

    const board = await officer.get(boardUrl());
    expect(board.body).toContain('Applying makes 4 changes');
    await officer.get(boardUrl());
    const applied = await officer.post(`${boardUrl()}/apply`, {});
    expect(applied.statusCode).toBe(302);

    const draft = await treeOf(2);
    expect(draft.priorities[0]!.objectives.map((o) => o.title)).toEqual(['Reduce repeat victimisation', 'Tackle serious violence']);
    expect(draft.priorities[0]!.objectives[0]!.commitments.map((c) => c.text)).toEqual([
      'Fund independent domestic and sexual violence advisers',
    ]);
    // The refreshed edition the board reviewed is untouched.
    expect((await treeOf(1)).priorities[0]!.objectives).toHaveLength(2);

    const record = await officer.get(boardUrl());
    expect(record.body).toContain('this board is now a record');
    expect(record.body).toContain('Achieved in 2018');
    expect(record.body).not.toContain('Record decision');
    expect((await officer.post(`${boardUrl()}/apply`, {})).statusCode).toBe(409);
    const { rows } = (await context.database.db.execute(
      sql`select action from audit_events where action like 'review_board.%' order by id`,
    )) as unknown as { rows: { action: string }[] };
    expect(rows.map((r) => r.action)).toEqual([
      'review_board.created',
      'review_board.decision_recorded',
      'review_board.decision_recorded',
      'review_board.decision_recorded',
      'review_board.item_proposed',
      'review_board.applied',
    ]);
  });
});
