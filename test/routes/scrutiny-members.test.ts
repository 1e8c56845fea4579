import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnEveryEngine } from '../support/database.ts';
import { formVersion } from '../support/plans.ts';
import { auditChain, inputValue } from '../support/organisations-helpers.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { dateFields } from '../support/scrutiny.ts';
import { panelMembers } from '../../src/features/scrutiny/scrutiny.tables.ts';

describeOnEveryEngine('panel members', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let force: Agent;
  let slug: string;
  const membersUrl = () => `/bodies/${slug}/scrutiny/members`;
  const member = (overrides: Record<string, string> = {}) => ({
    name: 'Councillor Asher Craig',
    kind: 'councillor',
    council: 'Bristol City Council',
    party: 'Labour',
    role: 'chair',
    linkThemes: 'Violence against women and girls\nRural crime',
    email: 'asher.craig@example.org',
    ...dateFields('startsOn', '2024-05-27'),
    ...overrides,
  });

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, panel } = await createBody(context.database);
    slug = body.slug;
    const panelOfficer = await createUser(context.database, {
      memberships: [{ policingBodyId: body.id, role: 'panel_officer', scrutinyBodyId: panel.id }],
    });
    const forceUser = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] });
    officer = new Agent(app);
    force = new Agent(app);
    await officer.signIn(panelOfficer.email, PASSWORD);
    await force.signIn(forceUser.email, PASSWORD);
  });
  afterAll(() => app.close());

  it('links the scrutiny pages from the body page and the scrutiny home page', async () => {
    expect((await force.get(`/bodies/${slug}`)).body).toContain(`href="/bodies/${slug}/scrutiny"`);
    const home = await force.get(`/bodies/${slug}/scrutiny`);
    expect(home.statusCode).toBe(200);
    for (const part of ['members', 'meetings', 'link-member-reports', 'actions'])
      expect(home.body).toContain(`href="/bodies/${slug}/scrutiny/${part}"`);
  });

  it('refuses bad input with field errors and keeps what was typed', async () => {
    const refused = await officer.submit(
      `${membersUrl()}/new`,
      member({ name: '', council: '', email: 'not-an-email', ...dateFields('endsOn', '2024-05-01') }),
    );
    expect(refused.statusCode).toBe(400);
    const summary = errorSummaryText(refused.body);
    expect(summary).toContain('Enter the member’s name');
    expect(summary).toContain('Enter the council that appointed the councillor');
    expect(summary).toContain('Enter an email address in the correct format');
    // Dates in the wrong order are a field error, not a database error.
    expect(summary).toContain('The date the membership ended must be on or after the date it started');
    expect(refused.body).toContain('href="#endsOn-day"');
    expect(inputValue(refused.body, 'party')).toBe('Labour');
    const badDate = await officer.submit(`${membersUrl()}/new`, member({ 'startsOn-day': '31', 'startsOn-month': '2' }));
    expect(errorSummaryText(badDate.body)).toContain('The date the membership started must be a real date');
    expect(await context.database.db.select().from(panelMembers)).toHaveLength(0);
  });

  it('adds councillors and independent members, listing current and former members', async () => {
    expect((await officer.submit(`${membersUrl()}/new`, member())).statusCode).toBe(302);
    expect(
      (
        await officer.submit(
          `${membersUrl()}/new`,
          member({
            name: 'Jo Independent',
            kind: 'independent',
            council: 'Ignored',
            party: '',
            role: 'vice_chair',
            email: '',
            linkThemes: '',
          }),
        )
      ).statusCode,
    ).toBe(302);
    expect(
      (
        await officer.submit(
          `${membersUrl()}/new`,
          member({
            name: 'Councillor Long Gone',
            role: 'member',
            ...dateFields('startsOn', '2016-05-01'),
            ...dateFields('endsOn', '2020-05-01'),
          }),
        )
      ).statusCode,
    ).toBe(302);
    const rows = await context.database.db.select().from(panelMembers);
    expect(rows.find((r) => r.name === 'Jo Independent')).toMatchObject({
      kind: 'independent',
      council: '',
      email: null,
      role: 'vice_chair',
    });

    const page = await force.get(membersUrl());
    expect(page.statusCode).toBe(200);
    const current = page.body.slice(page.body.indexOf('Current members'), page.body.indexOf('Former members'));
    const former = page.body.slice(page.body.indexOf('Former members'));
    expect(current).toContain('Councillor Asher Craig');
    expect(current).toContain('Independent co-opted member');
    expect(current).toContain('Rural crime');
    expect(current.indexOf('Councillor Asher Craig')).toBeLessThan(current.indexOf('Jo Independent'));
    expect(former).toContain('Councillor Long Gone');
    expect(former).not.toContain('Jo Independent');
    expect(page.body).not.toContain('Add a panel member');
  });

  it('changes a member with optimistic locking: a stale form shows both versions', async () => {
    const page = await officer.get(membersUrl());
    const id = new RegExp(`members/([0-9a-f-]{36})/edit"[^>]*>Change<span class="govuk-visually-hidden"> Councillor Asher Craig`).exec(
      page.body,
    )![1]!;
    const form = await officer.get(`${membersUrl()}/${id}/edit`);
    const version = formVersion(form.body);
    expect(inputValue(form.body, 'startsOn-year')).toBe('2024');
    const saved = await officer.post(
      `${membersUrl()}/${id}/edit`,
      member({ role: 'member', version, ...dateFields('endsOn', '2025-05-26') }),
    );
    expect(saved.statusCode).toBe(302);
    const stale = await officer.post(`${membersUrl()}/${id}/edit`, member({ role: 'vice_chair', version }));
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Saved by someone else');
    expect(stale.body).toContain('27 May 2024 to 26 May 2025');
    expect(formVersion(stale.body)).toBe(String(Number(version) + 1));
    const [row] = (await context.database.db.select().from(panelMembers)).filter((r) => r.id === id);
    expect(row).toMatchObject({ role: 'member', endsOn: '2025-05-26', version: 2 });
    const events = (await auditChain(context.database)).filter((e) => e.subjectId === id).map((e) => e.action);
    expect(events).toEqual(['panel_member.created', 'panel_member.updated']);
  });

  it('refuses the force to add or change members, and answers unknown members with 404', async () => {
    expect((await force.get(`${membersUrl()}/new`)).statusCode).toBe(403);
    expect((await force.post(`${membersUrl()}/new`, member())).statusCode).toBe(403);
    expect((await officer.get(`${membersUrl()}/not-a-uuid/edit`)).statusCode).toBe(404);
    expect((await officer.get(`${membersUrl()}/00000000-0000-4000-8000-000000000000/edit`)).statusCode).toBe(404);
  });
});
