import { Ajv2020 } from 'ajv/dist/2020.js';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { startPlan } from '../support/plans.ts';
import { bodyFields } from '../support/organisations-helpers.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD, testConfig, type TestClock } from '../support/app.ts';
import { editions, priorities } from '../../src/features/plans/plans.tables.ts';
import { publishedEditions } from '../../src/features/publication/publication.tables.ts';
import { publishEdition } from '../../src/features/publication/index.ts';
import {
  agendaDocuments,
  agendaItems,
  meetingAttendance,
  meetings,
  panelMembers,
  resolutions,
} from '../../src/features/scrutiny/scrutiny.tables.ts';
import { insertRecommendations, publishResponses, recordResponse } from '../../src/features/scrutiny/recommendations.repository.ts';
import type { PlanJson } from '../../src/features/plans/domain/plan-json.ts';

describeOnEveryEngine('the public site of a body', (context) => {
  let app: FastifyInstance;
  let clock: TestClock;
  let officer: Agent;
  let officerId: string;
  let reader: Agent;
  let slug: string;
  let bodyId: string;
  let panelId: string;
  let planUrl: string;
  const editionUrl = (n: number) => `${planUrl}/editions/${n}`;
  const db = () => context.database.db;
  const editionRow = async (n: number) => (await db().query.editions.findMany()).find((e) => e.number === n && planUrl.includes(e.planId))!;

  /** What the lifecycle does when the commissioner issues an edition: freeze it and publish it, in one transaction. */
  const issueAndPublish = async (n: number) => {
    const edition = await editionRow(n);
    await db().transaction(async (tx) => {
      await tx.update(editions).set({ isFrozen: true, frozenAt: clock.now(), lifecycleState: 'issued' }).where(eq(editions.id, edition.id));
      await tx
        .update(editions)
        .set({ lifecycleState: 'superseded' })
        .where(and(eq(editions.planId, edition.planId), eq(editions.lifecycleState, 'issued'), sql`${editions.id} <> ${edition.id}`));
      await publishEdition(tx, { policingBodyId: bodyId, editionId: edition.id, publishedAt: clock.now() });
    });
    const [row] = await db().select().from(publishedEditions).where(eq(publishedEditions.editionId, edition.id));
    return row!;
  };

  const expectPublicHeaders = (response: LightMyRequestResponse) => {
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('nonce');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  };

  beforeAll(async () => {
    ({ app, clock } = await buildTestApp(context.database));
    const created = await createBody(context.database, { name: 'Police and Crime Commissioner for Northmoor' });
    slug = created.body.slug;
    bodyId = created.body.id;
    panelId = created.panel.id;
    const user = await createUser(context.database, { memberships: [{ policingBodyId: bodyId, role: 'officer' }] });
    officerId = user.id;
    officer = new Agent(app);
    await officer.signIn(user.email, PASSWORD);
    reader = new Agent(app);
    planUrl = (
      await startPlan(officer, slug, {
        title: 'Police and Crime Plan 2025–29',
        startsOn: '2025-04-01',
        endsOn: '2029-03-31',
        vision: 'Safe and connected communities',
      })
    ).replace(/\/editions\/1$/, '');
    await officer.submit(`${editionUrl(1)}/priorities/new`, { title: 'Protect the most vulnerable from harm' });
    const priorityId = /priorities\/([0-9a-f-]{36})\/edit/.exec((await officer.get(editionUrl(1))).body)![1]!;
    await officer.submit(`${editionUrl(1)}/objectives/new`, { priorityId, title: 'Reduce repeat victimisation' });
    const objectiveId = /objectives\/([0-9a-f-]{36})\/edit/.exec((await officer.get(editionUrl(1))).body)![1]!;
    await officer.submit(`${editionUrl(1)}/commitments/new`, {
      objectiveId,
      text: 'We will fund 10 independent domestic violence advisers',
      ownerKind: 'pcc',
      ownerRole: 'control',
    });
    await issueAndPublish(1);
  });
  afterAll(() => app.close());

  it('shows the plan in force on the home page, without a session or cookie, with an ETag and public caching', async () => {
    const home = await reader.get(`/${slug}`);
    expect(home.statusCode).toBe(200);
    expectPublicHeaders(home);
    expect(home.body).toContain('Police and Crime Plan 2025–29');
    expect(home.body).toContain('1 April 2025 to 31 March 2029');
    expect(home.body).toContain('Police and Crime Commissioner: Alex Example');
    expect(home.body).toContain(`href="/${slug}/plan"`);
    expect(home.body).toContain(`href="/${slug}/plan-on-a-page"`);
    expect(home.body).toContain(`href="/${slug}/plan.json"`);
    // No inline script, so nothing in the page depends on the request.
    expect(home.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(home.body).not.toContain('nonce=');
    expect((await reader.get(`/${slug}/`)).body).toBe(home.body);
  });

  it('answers a repeated request with 304 when the ETag matches, and sets no cookie for a signed-in reader either', async () => {
    const first = await reader.get(`/${slug}/plan`);
    const etag = first.headers.etag as string;
    const again = await reader.get(`/${slug}/plan`, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect((await reader.get(`/${slug}/plan`, { 'if-none-match': '"something-else"' })).statusCode).toBe(200);
    const head = await app.inject({ method: 'HEAD', url: `/${slug}/plan` });
    expect(head.statusCode).toBe(200);
    expect(head.headers.etag).toBe(etag);
    expect(head.headers['set-cookie']).toBeUndefined();
    const signedIn = await officer.get(`/${slug}/plan`);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.headers['set-cookie']).toBeUndefined();
    expect(signedIn.body).toBe(first.body);
  });

  it('shows the accessible full plan and the plan on a page as published', async () => {
    const plan = await reader.get(`/${slug}/plan`);
    expect(plan.statusCode).toBe(200);
    expectPublicHeaders(plan);
    expect(plan.body).toContain('<h1 class="govuk-heading-xl" id="plan-title">Police and Crime Plan 2025–29</h1>');
    expect(plan.body).toContain('1. Protect the most vulnerable from harm');
    expect(plan.body).toContain('We will fund 10 independent domestic violence advisers');
    expect(plan.body).toContain('Issued, published on 23 November 2026');
    // Links of the private editor never reach the public page.
    expect(plan.body).not.toContain('/bodies/');
    const onAPage = await reader.get(`/${slug}/plan-on-a-page`);
    expect(onAPage.statusCode).toBe(200);
    expect(onAPage.body).toContain('class="app-poap"');
    expect(onAPage.body).toContain('Reduce repeat victimisation');
    expect(onAPage.body).not.toContain('/bodies/');
    expect(onAPage.headers.etag).not.toBe(plan.headers.etag);
  });

  it('publishes the plan as open data, valid against the plan-v1 schema', async () => {
    const response = await reader.get(`/${slug}/plan.json`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expectPublicHeaders(response);
    const json = JSON.parse(response.body) as PlanJson;
    const validate = new Ajv2020({ allErrors: true }).compile(
      JSON.parse((await app.inject({ method: 'GET', url: '/schema/plan-v1.json' })).body),
    );
    expect(validate(json) ? [] : validate.errors).toEqual([]);
    expect(json).toMatchObject({
      schema: `${testConfig().publicUrl}/schema/plan-v1.json`,
      plan: { title: 'Police and Crime Plan 2025–29', periodStartsOn: '2025-04-01' },
      edition: { number: 1, isFrozen: true },
      vision: 'Safe and connected communities',
    });
    expect(json.priorities[0]!.objectives[0]!.commitments[0]!.text).toBe('We will fund 10 independent domestic violence advisers');
  });

  it('keeps the published snapshot immutable: the database refuses changes, and later edits do not reach the public page', async () => {
    const before = await reader.get(`/${slug}/plan`);
    await expect(
      db().update(publishedEditions).set({ fullPlanHtml: 'tampered' }).where(eq(publishedEditions.policingBodyId, bodyId)),
    ).rejects.toThrow();
    await expect(db().delete(publishedEditions).where(eq(publishedEditions.policingBodyId, bodyId))).rejects.toThrow();
    // Someone changes the issued edition's data directly in the database.
    const edition = await editionRow(1);
    await db().update(priorities).set({ title: 'Something else entirely' }).where(eq(priorities.editionId, edition.id));
    await db().update(editions).set({ vision: 'A rewritten vision' }).where(eq(editions.id, edition.id));
    // A fresh process, with nothing in memory, renders the same bytes from the snapshot.
    const { app: fresh } = await buildTestApp(context.database, { clock });
    try {
      for (const path of ['/plan', '/plan-on-a-page', '/plan.json']) {
        const response = await fresh.inject({ method: 'GET', url: `/${slug}${path}` });
        expect(response.body).not.toContain('Something else entirely');
        expect(response.body).not.toContain('A rewritten vision');
        if (path === '/plan') {
          expect(response.body).toBe(before.body);
          expect(response.headers.etag).toBe(before.headers.etag);
        }
      }
    } finally {
      await fresh.close();
    }
    await db().update(priorities).set({ title: 'Protect the most vulnerable from harm' }).where(eq(priorities.editionId, edition.id));
    await db().update(editions).set({ vision: 'Safe and connected communities' }).where(eq(editions.id, edition.id));
  });

  it('publishes a later edition: the home page shows it, the archive keeps both and the changes page lists what changed', async () => {
    const first = await db().select().from(publishedEditions).where(eq(publishedEditions.policingBodyId, bodyId));
    expect(first).toHaveLength(1);
    expect((await officer.submit(`${editionUrl(1)}/new-edition`, { kind: 'refresh' })).statusCode).toBe(302);
    const second = await editionRow(2);
    await db()
      .update(priorities)
      .set({ title: 'Protect the most vulnerable people from harm and exploitation' })
      .where(eq(priorities.editionId, second.id));
    clock.advanceMinutes(60 * 24 * 30);
    const published = await issueAndPublish(2);

    const home = await reader.get(`/${slug}`);
    expect(home.body).toContain('2025–29, edition 2 (refresh)');
    expect((await reader.get(`/${slug}/plan`)).body).toContain('1. Protect the most vulnerable people from harm and exploitation');

    const archive = await reader.get(`/${slug}/editions`);
    expect(archive.statusCode).toBe(200);
    expectPublicHeaders(archive);
    expect(archive.body).toContain(`href="/${slug}/editions/${first[0]!.id}"`);
    expect(archive.body).toContain(`href="/${slug}/editions/${published.id}"`);
    const old = await reader.get(`/${slug}/editions/${first[0]!.id}`);
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('This is an earlier edition');
    expect(old.body).toContain('1. Protect the most vulnerable from harm</h3>');
    expect((await reader.get(`/${slug}/editions/${first[0]!.id}/plan-on-a-page`)).statusCode).toBe(200);
    expect(JSON.parse((await reader.get(`/${slug}/editions/${first[0]!.id}/plan.json`)).body).edition.number).toBe(1);

    const changes = await reader.get(`/${slug}/changes`);
    expect(changes.statusCode).toBe(200);
    expect(changes.body).toContain('1 change,');
    expect(changes.body).toMatch(/Changed<\/strong>\s*Priority: Protect the most vulnerable people from harm and exploitation/);
    expect(changes.body).toContain('<span class="govuk-visually-hidden">added: </span>people');
  });

  it('lists the panel’s recommendations with published responses only', async () => {
    const edition = await editionRow(2);
    const [published, unpublished] = await insertRecommendations(db(), {
      policingBodyId: bodyId,
      scrutinyBodyId: panelId,
      editionId: edition.id,
      draftNumber: 1,
      meetingId: null,
      source: 'panel_report',
      madeOn: '2026-01-10',
      responseDueOn: '2026-02-10',
      items: [{ text: 'Set clearer measures for repeat victims' }, { text: 'Name who is responsible for each commitment' }],
    });
    await recordResponse(db(), {
      id: published!.id,
      version: 1,
      status: 'accepted',
      text: 'We have added two measures.',
      respondedOn: '2026-01-20',
      respondedBy: officerId,
    });
    await publishResponses(db(), edition.id, '2026-01-25');
    await recordResponse(db(), {
      id: unpublished!.id,
      version: 1,
      status: 'not_accepted',
      text: 'A draft response not yet published',
      respondedOn: '2026-01-26',
      respondedBy: officerId,
    });

    const page = await reader.get(`/${slug}/recommendations`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.body).toContain('Set clearer measures for repeat victims');
    expect(page.body).toContain('We have added two measures.');
    expect(page.body).toContain('Accepted');
    expect(page.body).not.toContain('Name who is responsible for each commitment');
    expect(page.body).not.toContain('A draft response not yet published');
  });

  it('shows formal public meetings with agenda, minutes, votes and documents, and nothing of private ones', async () => {
    const member = (
      await db()
        .insert(panelMembers)
        .values({
          scrutinyBodyId: panelId,
          name: 'Cllr Pat Jones',
          kind: 'councillor',
          council: 'Northmoor County Council',
          role: 'chair',
          startsOn: '2024-05-01',
        })
        .returning()
    )[0]!;
    const [publicMeeting, privateMeeting] = await db()
      .insert(meetings)
      .values([
        {
          scrutinyBodyId: panelId,
          kind: 'formal_public',
          title: 'Panel meeting, February 2026',
          heldOn: '2026-02-05',
          startsAt: '10:00',
          place: 'County Hall',
        },
        { scrutinyBodyId: panelId, kind: 'private_session', title: 'Private briefing on the draft', heldOn: '2026-01-15' },
      ])
      .returning();
    await db().insert(meetingAttendance).values({ meetingId: publicMeeting!.id, panelMemberId: member.id, attendance: 'present' });
    const [item, privateItem] = await db()
      .insert(agendaItems)
      .values([
        {
          meetingId: publicMeeting!.id,
          position: 1,
          title: 'Draft police and crime plan',
          purpose: 'To review the draft',
          minutes: 'The panel discussed the draft plan at length.',
        },
        { meetingId: privateMeeting!.id, position: 1, title: 'Confidential briefing item', minutes: 'Private minutes' },
      ])
      .returning();
    await db()
      .insert(resolutions)
      .values({ agendaItemId: item!.id, position: 1, text: 'The panel endorses the plan', votesFor: 8, votesAgainst: 1, abstentions: 2 });
    const content = Buffer.from('%PDF-1.4 report');
    const [document, privateDocument] = await db()
      .insert(agendaDocuments)
      .values([
        {
          agendaItemId: item!.id,
          title: 'Report on the draft plan',
          fileName: 'Report – draft plan.pdf',
          mediaType: 'application/pdf',
          sizeBytes: content.length,
          sha256: 'x',
          content,
        },
        {
          agendaItemId: privateItem!.id,
          title: 'Private paper',
          fileName: 'private.pdf',
          mediaType: 'application/pdf',
          sizeBytes: content.length,
          sha256: 'y',
          content,
        },
      ])
      .returning();

    const list = await reader.get(`/${slug}/meetings`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Panel meeting, February 2026');
    expect(list.body).not.toContain('Private briefing on the draft');

    const page = await reader.get(`/${slug}/meetings/${publicMeeting!.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Draft police and crime plan');
    expect(page.body).toContain('The panel discussed the draft plan at length.');
    expect(page.body).toContain('The panel endorses the plan');
    expect(page.body).toContain('for 8, against 1, abstentions 2');
    expect(page.body).toContain('Cllr Pat Jones (Northmoor County Council): Present');
    expect(page.body).toContain(`href="/${slug}/meetings/${publicMeeting!.id}/documents/${document!.id}"`);

    const download = await reader.get(`/${slug}/meetings/${publicMeeting!.id}/documents/${document!.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(
      'attachment; filename="Report _ draft plan.pdf"; filename*=UTF-8\'\'Report%20%E2%80%93%20draft%20plan.pdf',
    );
    expect(download.headers.etag).toBe('"x"');
    expect(download.rawPayload.equals(content)).toBe(true);

    expect((await reader.get(`/${slug}/meetings/${privateMeeting!.id}`)).statusCode).toBe(404);
    expect((await reader.get(`/${slug}/meetings/${privateMeeting!.id}/documents/${privateDocument!.id}`)).statusCode).toBe(404);
    // A public meeting's address with a private meeting's document is still refused.
    expect((await reader.get(`/${slug}/meetings/${publicMeeting!.id}/documents/${privateDocument!.id}`)).statusCode).toBe(404);
  });

  it('answers an unknown body, page or edition with 404, and a body with nothing published says so', async () => {
    const unknown = await reader.get('/no-such-body');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Page not found');
    expect(unknown.headers['set-cookie']).toBeUndefined();
    expect((await reader.get('/no-such-body/plan')).statusCode).toBe(404);
    expect((await reader.get(`/${slug}/editions/not-a-uuid`)).statusCode).toBe(404);
    expect((await reader.get(`/${slug}/editions/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
    expect((await reader.get(`/${slug}/meetings/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
    const { body: quiet } = await createBody(context.database);
    const nothing = await reader.get(`/${quiet.slug}`);
    expect(nothing.statusCode).toBe(404);
    expect(nothing.body).toContain('Nothing published yet');
    expect((await reader.get(`/${quiet.slug}/plan`)).statusCode).toBe(404);
    // Fixed paths of the service still win over the public site.
    expect((await reader.get('/accessibility')).body).toContain('Accessibility');
  });

  it('refuses an edition of another body', async () => {
    const { body: other } = await createBody(context.database);
    const edition = await editionRow(1);
    await expect(
      db().transaction((tx) => publishEdition(tx, { policingBodyId: other.id, editionId: edition.id, publishedAt: clock.now() })),
    ).rejects.toThrow(/is not an edition of body/);
  });

  it('refuses a body web address that is a path of the service', async () => {
    const admin = new Agent(app);
    const user = await createUser(context.database, { isAdmin: true });
    await admin.signIn(user.email, PASSWORD);
    const attempts: Record<string, string>[] = [{ slug: 'admin' }, { slug: 'sign-in' }, { name: 'Health', slug: '' }];
    for (const fields of attempts) {
      const response = await admin.submit('/bodies/new', bodyFields(fields));
      expect(response.statusCode).toBe(400);
      expect(errorSummaryText(response.body)).toMatch(/Web address name cannot be “(admin|sign-in|health)”: the service uses that address/);
    }
    expect((await admin.submit('/bodies/new', bodyFields({ slug: 'northmoor-pcc' }))).statusCode).toBe(302);
  });
});
