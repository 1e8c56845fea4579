import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD } from '../support/app.ts';
import { dateFields, minimalPdf, upload } from '../support/scrutiny.ts';
import * as organisations from '../../src/features/organisations/organisations.repository.ts';
import {
  agendaDocuments,
  agendaItems,
  linkMemberReports,
  meetings,
  panelMembers,
  resolutions,
  scrutinyActions,
} from '../../src/features/scrutiny/scrutiny.tables.ts';
import type { OrganisationRole } from '../../src/shared/current-user.ts';

type Who = OrganisationRole | 'admin' | 'other_panel_officer' | 'other_commissioner';
const everyone: Who[] = [
  'commissioner',
  'officer',
  'force',
  'partner',
  'panel_member',
  'panel_officer',
  'admin',
  'other_panel_officer',
  'other_commissioner',
];
const bodyRoles: Who[] = ['commissioner', 'officer', 'force', 'partner', 'panel_member', 'panel_officer', 'admin'];

describeOnEveryEngine('scrutiny pages: who may see and change what', (context) => {
  let app: FastifyInstance;
  const agents = {} as Record<Who, Agent>;
  let slug: string;
  let otherSlug: string;
  let noPanelSlug: string;
  const ids: Record<string, string> = {};
  const tables = { panelMembers, meetings, agendaItems, resolutions, linkMemberReports, scrutinyActions, agendaDocuments };
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(tables).map(async ([name, table]) => [name, (await context.database.db.select().from(table)).length]),
      ),
    );

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '10000' } }));
    const { body, panel, partner } = await createBody(context.database);
    const other = await createBody(context.database);
    const noPanel = await organisations.insertBody(context.database.db, {
      kind: 'pcc',
      name: 'A body without a panel yet',
      slug: `no-panel-${process.pid}`,
      forceAreaId: 'avon-and-somerset',
      holderName: 'Alex Example',
      holderTitle: 'Police and Crime Commissioner',
      termStartsOn: '2024-05-13',
      termEndsOn: '2028-05-12',
      publishesInWelsh: false,
    });
    slug = body.slug;
    otherSlug = other.body.slug;
    noPanelSlug = noPanel.slug;
    const membership = (role: OrganisationRole) => ({
      policingBodyId: body.id,
      role,
      scrutinyBodyId: role.startsWith('panel_') ? panel.id : undefined,
      partnerId: role === 'partner' ? partner.id : undefined,
    });
    const users = {
      commissioner: await createUser(context.database, {
        memberships: [membership('commissioner'), { policingBodyId: noPanel.id, role: 'commissioner' }],
      }),
      officer: await createUser(context.database, { memberships: [membership('officer')] }),
      force: await createUser(context.database, { memberships: [membership('force')] }),
      partner: await createUser(context.database, { memberships: [membership('partner')] }),
      panel_member: await createUser(context.database, { memberships: [membership('panel_member')] }),
      panel_officer: await createUser(context.database, { memberships: [membership('panel_officer')] }),
      admin: await createUser(context.database, { isAdmin: true }),
      other_panel_officer: await createUser(context.database, {
        memberships: [{ policingBodyId: other.body.id, role: 'panel_officer', scrutinyBodyId: other.panel.id }],
      }),
      other_commissioner: await createUser(context.database, { memberships: [{ policingBodyId: other.body.id, role: 'commissioner' }] }),
    };
    for (const who of everyone) {
      agents[who] = new Agent(app);
      await agents[who].signIn(users[who].email, PASSWORD);
    }

    const db = context.database.db;
    const [member] = await db
      .insert(panelMembers)
      .values({
        scrutinyBodyId: panel.id,
        name: 'Councillor Asher Craig',
        kind: 'councillor',
        council: 'Bristol City Council',
        startsOn: '2018-05-01',
      })
      .returning();
    const [meeting] = await db
      .insert(meetings)
      .values({ scrutinyBodyId: panel.id, kind: 'private_session', title: 'Private briefing', heldOn: '2018-11-09', place: 'Room 1' })
      .returning();
    const [item] = await db.insert(agendaItems).values({ meetingId: meeting!.id, position: 1, title: 'Plan refresh' }).returning();
    const [resolution] = await db.insert(resolutions).values({ agendaItemId: item!.id, position: 1, text: 'Noted' }).returning();
    const [report] = await db
      .insert(linkMemberReports)
      .values({ scrutinyBodyId: panel.id, panelMemberId: member!.id, title: 'Workshop', eventOn: '2018-11-09' })
      .returning();
    const [action] = await db
      .insert(scrutinyActions)
      .values({ policingBodyId: body.id, meetingId: meeting!.id, description: 'Circulate outputs', ownerName: 'OPCC', dueOn: '2018-11-30' })
      .returning();
    const pdf = minimalPdf();
    const [document] = await db
      .insert(agendaDocuments)
      .values({
        agendaItemId: item!.id,
        title: 'Report',
        fileName: 'report.pdf',
        mediaType: 'application/pdf',
        sizeBytes: pdf.length,
        sha256: 'x',
        content: pdf,
      })
      .returning();
    Object.assign(ids, {
      member: member!.id,
      meeting: meeting!.id,
      item: item!.id,
      resolution: resolution!.id,
      report: report!.id,
      action: action!.id,
      document: document!.id,
    });
  });
  afterAll(() => app.close());

  const s = () => `/bodies/${slug}/scrutiny`;
  const item = () => `${s()}/meetings/${ids.meeting}/items/${ids.item}`;
  const viewPages = () => [
    s(),
    `${s()}/members`,
    `${s()}/meetings`,
    `${s()}/meetings/${ids.meeting}`,
    `${s()}/link-member-reports`,
    `${s()}/link-member-reports/${ids.report}`,
    `${s()}/actions`,
    `${s()}/actions?show=overdue`,
    `${s()}/documents/${ids.document}`,
  ];
  const managePages = () => [
    `${s()}/members/new`,
    `${s()}/members/${ids.member}/edit`,
    `${s()}/meetings/new`,
    `${s()}/meetings/${ids.meeting}/edit`,
    `${s()}/meetings/${ids.meeting}/attendance`,
    `${s()}/meetings/${ids.meeting}/items/new`,
    `${item()}/edit`,
    `${item()}/measures`,
    `${item()}/minutes`,
    `${item()}/documents/new`,
    `${item()}/resolutions/new`,
    `${item()}/resolutions/${ids.resolution}/edit`,
    `${s()}/actions/new`,
    `${s()}/actions/new?meeting=${ids.meeting}`,
    `${s()}/actions/${ids.action}/edit`,
  ];
  const reportPages = () => [`${s()}/link-member-reports/new`, `${s()}/link-member-reports/${ids.report}/edit`];

  describe.each(everyone)('%s', (who) => {
    it('reads every scrutiny page of the body only with a role in it', async () => {
      const expected = bodyRoles.includes(who) ? 200 : 403;
      for (const url of viewPages()) expect([url, (await agents[who].get(url)).statusCode]).toEqual([url, expected]);
    });

    it('changes the panel’s record only as the panel officer or an administrator', async () => {
      const expected = who === 'panel_officer' || who === 'admin' ? 200 : 403;
      for (const url of managePages()) expect([url, (await agents[who].get(url)).statusCode]).toEqual([url, expected]);
    });

    it('writes link-member reports only as a panel member, the panel officer or an administrator', async () => {
      const expected = ['panel_member', 'panel_officer', 'admin'].includes(who) ? 200 : 403;
      for (const url of reportPages()) expect([url, (await agents[who].get(url)).statusCode]).toEqual([url, expected]);
    });
  });

  it('refuses every change to those who may not make it, and changes nothing', async () => {
    const before = await counts();
    const posts: [string, Record<string, string>][] = [
      [`${s()}/members/new`, { name: 'X', kind: 'independent', role: 'member', ...dateFields('startsOn', '2020-01-01') }],
      [
        `${s()}/members/${ids.member}/edit`,
        { name: 'X', kind: 'independent', role: 'member', ...dateFields('startsOn', '2020-01-01'), version: '1' },
      ],
      [`${s()}/meetings/new`, { kind: 'workshop', title: 'X', place: 'Y', ...dateFields('heldOn', '2020-01-01') }],
      [`${s()}/meetings/${ids.meeting}/attendance`, { version: '1', [`attendance-${ids.member}`]: 'absent' }],
      [`${s()}/meetings/${ids.meeting}/items/new`, { title: 'X' }],
      [`${item()}/move`, { direction: 'down' }],
      [`${item()}/minutes`, { minutes: 'X', version: '1' }],
      [`${item()}/resolutions/new`, { text: 'X', voteKind: 'without_vote' }],
      [`${s()}/actions/new`, { description: 'X', ownerName: 'Y', status: 'open', ...dateFields('dueOn', '2020-01-01') }],
      [
        `${s()}/actions/${ids.action}/edit`,
        { description: 'X', ownerName: 'Y', status: 'open', ...dateFields('dueOn', '2020-01-01'), version: '1' },
      ],
      [`${s()}/actions/${ids.action}/progress`, { status: 'cancelled', version: '1' }],
    ];
    for (const who of [
      'commissioner',
      'officer',
      'force',
      'partner',
      'panel_member',
      'other_panel_officer',
      'other_commissioner',
    ] as Who[]) {
      await agents[who].get(`/bodies/${otherSlug}`);
      for (const [url, fields] of posts) expect([who, url, (await agents[who].post(url, fields)).statusCode]).toEqual([who, url, 403]);
      const report = await agents[who].post(`${s()}/link-member-reports/new`, {
        panelMemberId: ids.member!,
        title: 'X',
        ...dateFields('eventOn', '2018-01-01'),
      });
      expect([who, report.statusCode]).toEqual([who, who === 'panel_member' ? 302 : 403]);
      const uploaded = await upload(
        agents[who],
        `${item()}/documents/new`,
        { title: 'X' },
        { name: 'x.pdf', type: 'application/pdf', content: minimalPdf() },
      );
      expect([who, uploaded.statusCode]).toEqual([who, 403]);
    }
    const after = await counts();
    expect(after).toEqual({ ...before, linkMemberReports: before.linkMemberReports! + 1 });
  });

  it('never shows one body’s meetings, documents or actions through another body’s address', async () => {
    const other = `/bodies/${otherSlug}/scrutiny`;
    for (const url of [
      `${other}/meetings/${ids.meeting}`,
      `${other}/meetings/${ids.meeting}/edit`,
      `${other}/meetings/${ids.meeting}/items/${ids.item}/minutes`,
      `${other}/members/${ids.member}/edit`,
      `${other}/link-member-reports/${ids.report}`,
      `${other}/actions/${ids.action}/edit`,
      `${other}/actions/new?meeting=${ids.meeting}`,
      `${other}/actions/new?item=${ids.item}`,
      `${other}/documents/${ids.document}`,
    ]) {
      expect([url, (await agents.other_panel_officer.get(url)).statusCode]).toEqual([url, 404]);
    }
    const list = await agents.other_panel_officer.get(`${other}/actions`);
    expect(list.body).not.toContain('Circulate outputs');
  });

  it('answers unknown and malformed ids with 404', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const url of [
      `${s()}/members/${unknown}/edit`,
      `${s()}/members/nonsense/edit`,
      `${s()}/meetings/${unknown}`,
      `${s()}/meetings/nonsense`,
      `${s()}/meetings/${ids.meeting}/items/${unknown}/edit`,
      `${s()}/meetings/${unknown}/items/${ids.item}/edit`,
      `${item()}/resolutions/${unknown}/edit`,
      `${s()}/link-member-reports/${unknown}`,
      `${s()}/actions/${unknown}/edit`,
      `${s()}/actions/${unknown}/progress`,
      `${s()}/documents/${unknown}`,
      `${s()}/documents/nonsense`,
      `/bodies/no-such-body/scrutiny`,
      `/bodies/no-such-body/scrutiny/meetings`,
    ]) {
      expect([url, (await agents.panel_officer.get(url)).statusCode]).toEqual([url, 404]);
    }
  });

  it('a body without a panel says so, and has no other scrutiny pages', async () => {
    const home = await agents.commissioner.get(`/bodies/${noPanelSlug}/scrutiny`);
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('has not been added yet');
    expect((await agents.commissioner.get(`/bodies/${noPanelSlug}/scrutiny/meetings`)).statusCode).toBe(404);
  });

  it('sends anonymous visitors to sign in', async () => {
    const anonymous = new Agent(app);
    const response = await anonymous.get(`${s()}/meetings`);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toContain('/sign-in');
  });
});
