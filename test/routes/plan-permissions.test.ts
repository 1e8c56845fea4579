import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD } from '../support/app.ts';
import { elementIds, startPlan } from '../support/plans.ts';
import type { OrganisationRole } from '../../src/shared/current-user.ts';

/**
 * Every page of a DRAFT edition, as the office sees it, is refused to everyone else: the body's
 * other roles (drafts are not shared yet) and any role of another body. One table, every page.
 */
describeOnEveryEngine('who may open the pages of a draft plan', (context) => {
  let app: FastifyInstance;
  let office: Agent;
  const others: { label: string; agent: Agent }[] = [];
  let pages: string[] = [];
  let posts: { url: string; fields: Record<string, string> }[] = [];
  let changesUrl = '';

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '100' } }));
    const { body, panel, partner } = await createBody(context.database);
    const { body: otherBody } = await createBody(context.database);
    const officer = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    office = new Agent(app);
    await office.signIn(officer.email, PASSWORD);
    const roles: [OrganisationRole, Record<string, string>][] = [
      ['force', {}],
      ['partner', { partnerId: partner.id }],
      ['panel_member', { scrutinyBodyId: panel.id }],
      ['panel_officer', { scrutinyBodyId: panel.id }],
    ];
    for (const [role, extra] of roles) {
      const user = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role, ...extra }] });
      const agent = new Agent(app);
      await agent.signIn(user.email, PASSWORD);
      others.push({ label: role, agent });
    }
    const outsider = await createUser(context.database, { memberships: [{ policingBodyId: otherBody.id, role: 'commissioner' }] });
    const outsiderAgent = new Agent(app);
    await outsiderAgent.signIn(outsider.email, PASSWORD);
    others.push({ label: 'commissioner of another body', agent: outsiderAgent });

    const first = await startPlan(office, body.slug);
    const planUrl = first.replace(/\/editions\/1$/, '');
    await office.submit(`${first}/priorities/new`, { title: 'Protect people' });
    const [priorityId] = elementIds((await office.get(first)).body, 'priorities');
    await office.submit(`${first}/objectives/new`, { priorityId: priorityId!, title: 'Reduce harm' });
    const [objectiveId] = elementIds((await office.get(first)).body, 'objectives');
    await office.submit(`${first}/commitments/new`, { objectiveId: objectiveId!, text: 'Fund advisers' });
    await office.submit(`${first}/measures/new`, {
      attachedTo: `priority:${priorityId}`,
      name: 'Confidence',
      evidenceSource: 'public_survey',
      unit: '%',
      polarity: 'higher_is_better',
      frequency: 'quarterly',
    });
    await office.submit(`${first}/funding-years/new`, { financialYear: '2025/26', precept: '100', governmentGrant: '200' });
    await office.submit(`${first}/grants/new`, { recipient: 'A charity', amount: '1000' });
    await office.submit(`${first}/new-edition`, { kind: 'refresh' });
    const second = `${planUrl}/editions/2`;
    await office.submit(`${second}/review-board`, { title: 'Workshop', 'heldOn-day': '1', 'heldOn-month': '2', 'heldOn-year': '2026' });
    const editor = (await office.get(first)).body;
    const id = (segment: string) => elementIds(editor, segment)[0]!;
    const commitmentLineage = /id="commitment-([0-9a-f-]{36})"/.exec((await office.get(second)).body)![1]!;

    pages = [
      first,
      `${first}/completeness`,
      `${first}/coverage`,
      `${first}/on-a-page`,
      `${first}/plan`,
      `${first}/export.json`,
      `${first}/export.docx`,
      `${first}/vision`,
      `${first}/new-edition`,
      `${first}/sections/reporting`,
      `${first}/duties/equality`,
      ...['priorities', 'objectives', 'commitments', 'measures', 'funding-years', 'grants'].flatMap((segment) => [
        `${first}/${segment}/new`,
        `${first}/${segment}/${id(segment)}/edit`,
        `${first}/${segment}/${id(segment)}/delete`,
      ]),
      `${second}/review-board`,
      `${second}/review-board/decisions/${commitmentLineage}`,
      `${second}/review-board/additions`,
      `/bodies/${body.slug}/plans/new`,
      `/bodies/${body.slug}/plans/import`,
      `/bodies/${body.slug}/plans/import-word`,
      `/bodies/${body.slug}/frameworks/new`,
    ];
    changesUrl = `${planUrl}/changes.md?from=1&to=2`;
    posts = [
      { url: `${first}/priorities/new`, fields: { title: 'Sneaked in' } },
      { url: `${first}/priorities/${id('priorities')}/move`, fields: { direction: 'up' } },
      { url: `${first}/priorities/${id('priorities')}/delete`, fields: { confirm: 'yes' } },
      { url: `${first}/vision`, fields: { text: 'Changed', version: '1' } },
      { url: `${first}/sections/reporting`, fields: { text: 'Changed', version: '1' } },
      { url: `${first}/new-edition`, fields: { kind: 'variation' } },
      { url: `${second}/review-board/apply`, fields: {} },
      { url: `/bodies/${body.slug}/plans/new`, fields: { title: 'Another plan' } },
    ];
  });
  afterAll(() => app.close());

  it('lets the office open every page', async () => {
    for (const url of pages) expect([url, (await office.get(url)).statusCode]).toEqual([url, 200]);
  });

  it('refuses every page to every other role and to other bodies (403)', async () => {
    for (const { label, agent } of others) {
      for (const url of pages) expect([label, url, (await agent.get(url)).statusCode]).toEqual([label, url, 403]);
    }
  });

  it('does not show the changes between draft editions: other bodies get 403, the body’s own roles cannot see the drafts (404)', async () => {
    expect((await office.get(changesUrl)).statusCode).toBe(200);
    for (const { label, agent } of others) {
      expect([label, (await agent.get(changesUrl)).statusCode]).toEqual([label, label.includes('another body') ? 403 : 404]);
    }
  });

  it('refuses every change to them, and changes nothing', async () => {
    const before = (await office.get(pages[0]!)).body;
    for (const { label, agent } of others) {
      await agent.get('/');
      for (const { url, fields } of posts) expect([label, url, (await agent.post(url, fields)).statusCode]).toEqual([label, url, 403]);
    }
    const after = (await office.get(pages[0]!)).body;
    const comparable = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '');
    expect(comparable(after)).toBe(comparable(before));
  });
});
