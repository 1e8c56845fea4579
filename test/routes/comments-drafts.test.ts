import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { startPlan } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { editions } from '../../src/features/plans/plans.tables.ts';
import { elementComments } from '../../src/features/comments/comments.tables.ts';
import { auditEvents } from '../../src/platform/audit/audit.tables.ts';

describeOnEveryEngine('comments on a shared draft, following the element into the next edition', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let member: Agent;
  let outsider: Agent;
  let planUrl: string;
  let priorityLineage: string;
  let commitmentLineage: string;
  const editionUrl = (n: number) => `${planUrl}/editions/${n}`;
  const commentsUrl = (n: number, lineageId = '') => `${editionUrl(n)}/comments${lineageId ? `/${lineageId}` : ''}`;
  const editionRow = async (n: number) =>
    (await context.database.db.query.editions.findMany()).find((e) => e.number === n && planUrl.includes(e.planId))!;
  const threadVersion = (html: string) => /name="version" value="(\d+)"/.exec(html)![1]!;

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, panel } = await createBody(context.database);
    const other = await createBody(context.database);
    const officerUser = await createUser(context.database, {
      displayName: 'Sam Officer',
      memberships: [{ policingBodyId: body.id, role: 'officer' }],
    });
    const memberUser = await createUser(context.database, {
      displayName: 'Cllr Jo Member',
      memberships: [{ policingBodyId: body.id, role: 'panel_member', scrutinyBodyId: panel.id }],
    });
    const outsiderUser = await createUser(context.database, {
      memberships: [{ policingBodyId: other.body.id, role: 'panel_member', scrutinyBodyId: other.panel.id }],
    });
    [officer, member, outsider] = [new Agent(app), new Agent(app), new Agent(app)];
    await officer.signIn(officerUser.email, PASSWORD);
    await member.signIn(memberUser.email, PASSWORD);
    await outsider.signIn(outsiderUser.email, PASSWORD);
    planUrl = (await startPlan(officer, body.slug, { vision: 'Safe, resilient and connected communities' })).replace(/\/editions\/1$/, '');
    await officer.submit(`${editionUrl(1)}/priorities/new`, { title: 'Preventing and deterring crime' });
    const priorityId = /priorities\/([0-9a-f-]{36})\/edit/.exec((await officer.get(editionUrl(1))).body)![1]!;
    await officer.submit(`${editionUrl(1)}/objectives/new`, { priorityId, title: 'Fewer repeat victims' });
    const objectiveId = /objectives\/([0-9a-f-]{36})\/edit/.exec((await officer.get(editionUrl(1))).body)![1]!;
    await officer.submit(`${editionUrl(1)}/commitments/new`, {
      objectiveId,
      text: 'We will fund 10 advisers',
      ownerKind: 'pcc',
      ownerRole: 'control',
    });
    const editor = (await officer.get(editionUrl(1))).body;
    priorityLineage = /id="priority-([0-9a-f-]{36})"/.exec(editor)![1]!;
    commitmentLineage = /id="commitment-([0-9a-f-]{36})"/.exec(editor)![1]!;
  });
  afterAll(() => app.close());

  it('keeps a draft and its comments with the office until it is sent to the panel', async () => {
    expect((await member.get(commentsUrl(1))).statusCode).toBe(403);
    expect((await member.get(commentsUrl(1, priorityLineage))).statusCode).toBe(403);
    const page = await officer.get(commentsUrl(1, priorityLineage));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Comments can be made once this draft has been sent to the panel');
    // A member who found the form anyway cannot post to it.
    expect((await member.post(commentsUrl(1, priorityLineage), { comment: 'Too early' })).statusCode).toBe(403);
    expect((await officer.post(commentsUrl(1, priorityLineage), { comment: 'Too early' })).statusCode).toBe(403);
  });

  it('lets a panel member comment on an element once the draft has been sent to the panel', async () => {
    // Shared by setting the state directly: this suite tests comments, not the lifecycle's "send to panel" step.
    await context.database.db
      .update(editions)
      .set({ lifecycleState: 'sent_to_panel' })
      .where(eq(editions.id, (await editionRow(1)).id));
    const list = await member.get(commentsUrl(1));
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Priority 1: Preventing and deterring crime');
    expect(list.body).toContain('Commitment 1.1.1');

    const empty = await member.submit(commentsUrl(1, priorityLineage), { comment: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(errorSummaryText(empty.body)).toContain('Enter your comment');
    expect(empty.body).toContain('href="#comment"');

    const made = await member.submit(commentsUrl(1, priorityLineage), { comment: 'Which measures show this priority is met?' });
    expect(made.statusCode).toBe(302);
    const page = await member.get(commentsUrl(1, priorityLineage));
    expect(page.body).toContain('Which measures show this priority is met?');
    expect(page.body).toContain('Cllr Jo Member, Panel member');
    expect(page.body).toMatch(/govuk-tag--yellow">\s*Open/);
    // The member may reply but not settle the thread.
    expect(page.body).not.toContain('Save the status');
    const [thread] = await context.database.db.select().from(elementComments).where(eq(elementComments.lineageId, priorityLineage));
    expect(thread).toMatchObject({ status: 'open', parentId: null, draftNumber: 1, elementType: 'priority' });
    expect(
      (await member.post(`${commentsUrl(1, priorityLineage)}/threads/${thread!.id}/status`, { status: 'noted', version: '1' })).statusCode,
    ).toBe(403);
    expect((await member.get(commentsUrl(1) + '?status=open')).body).toContain('Which measures show this priority is met?');
    // The vision has one lineage per plan: the plan's own id.
    const planId = planUrl.split('/').pop()!;
    expect((await member.submit(commentsUrl(1, planId), { comment: 'The vision should name the Isles of Scilly' })).statusCode).toBe(302);
    expect((await member.get(commentsUrl(1))).body).toContain('The vision should name the Isles of Scilly');
    expect((await member.get(commentsUrl(1) + '?status=addressed')).body).not.toContain('Which measures show this priority is met?');
  });

  it('lets the officer reply and mark the comment addressed, refusing a stale status change', async () => {
    const page = await officer.get(commentsUrl(1, priorityLineage));
    const threadId = /id="thread-([0-9a-f-]{36})"/.exec(page.body)![1]!;
    const version = threadVersion(page.body);
    const missing = await officer.post(`${commentsUrl(1, priorityLineage)}/threads/${threadId}/status`, { version });
    expect(missing.statusCode).toBe(400);
    expect(errorSummaryText(missing.body)).toContain('Select the status of the comment');

    const saved = await officer.post(`${commentsUrl(1, priorityLineage)}/threads/${threadId}/status`, {
      status: 'addressed',
      reply: 'Draft 2 adds two measures under this priority.',
      version,
    });
    expect(saved.statusCode).toBe(302);
    const after = await member.get(commentsUrl(1, priorityLineage));
    expect(after.body).toMatch(/govuk-tag--green">\s*Addressed/);
    expect(after.body).toContain('Draft 2 adds two measures under this priority.');
    expect(after.body).toContain('Sam Officer, Office of the commissioner (staff)');

    const stale = await officer.post(`${commentsUrl(1, priorityLineage)}/threads/${threadId}/status`, { status: 'noted', version });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Saved by someone else');
    expect(stale.body).toContain('The comment is now marked addressed');
    const [thread] = await context.database.db.select().from(elementComments).where(eq(elementComments.id, threadId));
    expect(thread!.status).toBe('addressed');

    const reply = await member.submit(
      commentsUrl(1, priorityLineage),
      { reply: 'Thank you.' },
      `${commentsUrl(1, priorityLineage)}/threads/${threadId}/replies`,
    );
    expect(reply.statusCode).toBe(302);
    const actions = (
      await context.database.db
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(eq(auditEvents.subjectType, 'element_comment'))
    ).map((e) => e.action);
    expect(actions.sort()).toEqual(['comment.created', 'comment.created', 'comment.replied', 'comment.replied', 'comment.status_changed']);
  });

  it('shows the thread on the same element of a new edition made from the draft, labelled with where it was made', async () => {
    const made = await officer.submit(`${editionUrl(1)}/new-edition`, { kind: 'refresh' });
    expect(made.statusCode).toBe(302);
    expect(made.headers.location).toBe(editionUrl(2));
    const page = await officer.get(commentsUrl(2, priorityLineage));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Which measures show this priority is met?');
    expect(page.body).toContain('Draft 2 adds two measures under this priority.');
    expect(page.body).toContain(`on ${(await editionRow(1)).label}, draft 1`);
    expect((await officer.get(commentsUrl(2))).body).toContain('2 threads: 1 open, 1 addressed, 0 noted');
    // The commitment had no comments, on either edition.
    expect((await officer.get(commentsUrl(2, commitmentLineage))).body).toContain('No comments on this part of the plan yet');
    // The new edition is the office's own draft until it too goes to the panel.
    expect((await member.get(commentsUrl(2, priorityLineage))).statusCode).toBe(403);
  });

  it('shows an issued edition’s comments read-only', async () => {
    await context.database.db
      .update(editions)
      .set({ isFrozen: true, lifecycleState: 'issued' })
      .where(eq(editions.id, (await editionRow(1)).id));
    const page = await member.get(commentsUrl(1, priorityLineage));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Which measures show this priority is met?');
    expect(page.body).not.toContain('Add the comment');
    expect((await member.post(commentsUrl(1, priorityLineage), { comment: 'Late' })).statusCode).toBe(403);
    const count = await context.database.db
      .select()
      .from(elementComments)
      .where(and(eq(elementComments.lineageId, priorityLineage), eq(elementComments.body, 'Late')));
    expect(count).toHaveLength(0);
  });

  it('refuses other bodies, unknown elements and unknown threads', async () => {
    expect([403, 404]).toContain((await outsider.get(commentsUrl(1))).statusCode);
    expect([403, 404]).toContain((await outsider.get(commentsUrl(1, priorityLineage))).statusCode);
    expect((await officer.get(commentsUrl(1, '00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404);
    expect((await officer.get(commentsUrl(1, 'not-a-uuid'))).statusCode).toBe(404);
    expect((await officer.get(`${planUrl}/editions/9/comments`)).statusCode).toBe(404);
    await context.database.db
      .update(editions)
      .set({ lifecycleState: 'sent_to_panel' })
      .where(eq(editions.id, (await editionRow(2)).id));
    expect(
      (await officer.post(`${commentsUrl(2, commitmentLineage)}/threads/00000000-0000-4000-8000-000000000000/replies`, { reply: 'x' }))
        .statusCode,
    ).toBe(404);
  });
});
