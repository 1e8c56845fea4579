import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { calendarItems, elections } from '../../src/features/calendar/calendar.tables.ts';
import { rowsOf } from '../../src/platform/db/database.ts';
import type { OrganisationRole } from '../../src/shared/current-user.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { describeOnEveryEngine } from '../support/database.ts';

const date = (name: string, d: string, m: string, y: string) => ({ [`${name}-day`]: d, [`${name}-month`]: m, [`${name}-year`]: y });

describeOnEveryEngine('managing election dates and dated items', (context) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '10000' } }));
  });
  afterAll(() => app.close());

  async function signedIn(policingBodyId: string, role: OrganisationRole, scrutinyBodyId?: string, partnerId?: string) {
    const user = await createUser(context.database, { memberships: [{ policingBodyId, role, scrutinyBodyId, partnerId }] });
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    return agent;
  }
  const auditActions = async (subjectId: string) =>
    rowsOf<{ action: string }>(
      await context.database.db.execute(sql`select action from audit_events where subject_id = ${subjectId} order by id`),
    ).map((r) => r.action);

  it('records a postponed election and moves the plan deadline to the held date', async () => {
    const { body } = await createBody(context.database);
    const commissioner = await signedIn(body.id, 'commissioner');
    const url = `/bodies/${body.slug}/calendar/elections`;

    const added = await commissioner.submit(url, { ...date('scheduledOn', '7', '5', '2020'), ...date('heldOn', '', '', ''), note: '' });
    expect(added.statusCode).toBe(303);
    const [election] = await context.database.db.select().from(elections).where(eq(elections.policingBodyId, body.id));
    expect(election).toMatchObject({ scheduledOn: '2020-05-07', heldOn: null, version: 1 });

    const form = await commissioner.get(`${url}/${election!.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="version" value="1"');
    const changed = await commissioner.post(`${url}/${election!.id}`, {
      ...date('scheduledOn', '7', '5', '2020'),
      ...date('heldOn', '6', '5', '2021'),
      note: 'Postponed by the Coronavirus Act 2020',
      version: '1',
    });
    expect(changed.statusCode).toBe(303);
    const list = await commissioner.get(url);
    expect(list.body).toContain('6 May 2021');
    expect(list.body).toContain('Postponed by the Coronavirus Act 2020');
    expect(await auditActions(election!.id)).toEqual(['election.created', 'election.changed']);

    const whatsDue = await commissioner.get(`/bodies/${body.slug}/calendar`);
    // Due 31 March 2021 had the election gone ahead; held in May 2021, the deadline is 31 March 2022.
    expect(whatsDue.body).toContain('Issue the police and crime plan (election of 2021-05-06)');
    expect(whatsDue.body).toMatch(/31 March 2022[\s\S]{0,200}Issue the police and crime plan/);
    expect(whatsDue.body).not.toContain('31 March 2021');
  });

  it('refuses a held date before the due date, keeping what was typed, and a stale version shows both', async () => {
    const { body } = await createBody(context.database);
    const officer = await signedIn(body.id, 'officer');
    const url = `/bodies/${body.slug}/calendar/elections`;
    const bad = await officer.submit(url, { ...date('scheduledOn', '7', '5', '2020'), ...date('heldOn', '6', '5', '2019'), note: 'typo' });
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryText(bad.body)).toContain('The date held must be the same as or after the date it was due');
    expect(bad.body).toContain('value="2019"');
    expect(bad.body).toContain('typo');
    const missing = await officer.submit(url, { ...date('scheduledOn', '31', '2', '2020'), note: '' });
    expect(missing.statusCode).toBe(400);
    expect(errorSummaryText(missing.body)).toContain('must be a real date');

    await officer.submit(url, { ...date('scheduledOn', '2', '5', '2024'), note: '' });
    const duplicate = await officer.submit(url, { ...date('scheduledOn', '2', '5', '2024'), note: '' });
    expect(duplicate.statusCode).toBe(400);
    expect(errorSummaryText(duplicate.body)).toContain('There is already an election due on this date');

    const [election] = await context.database.db.select().from(elections).where(eq(elections.policingBodyId, body.id));
    const first = await officer.post(`${url}/${election!.id}`, { ...date('scheduledOn', '2', '5', '2024'), note: 'First', version: '1' });
    expect(first.statusCode).toBe(303);
    const stale = await officer.post(`${url}/${election!.id}`, { ...date('scheduledOn', '2', '5', '2024'), note: 'Second', version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Saved by someone else');
    expect(stale.body).toContain('First');
    expect(stale.body).toContain('name="version" value="2"');
    const [after] = await context.database.db.select().from(elections).where(eq(elections.id, election!.id));
    expect(after!.note).toBe('First');
  });

  it('lets the office add, change and mark a dated item done', async () => {
    const { body } = await createBody(context.database);
    const officer = await signedIn(body.id, 'officer');
    const url = `/bodies/${body.slug}/calendar/items`;
    const added = await officer.submit(url, {
      title: 'Precept 2027–28: proposed precept to the panel',
      kind: 'precept',
      ...date('dueOn', '31', '1', '2027'),
      statutoryBasis: 'PRSRA 2011 Sch.5',
      notes: '',
      forPanel: 'yes',
    });
    expect(added.statusCode).toBe(303);
    const [item] = await context.database.db.select().from(calendarItems).where(eq(calendarItems.policingBodyId, body.id));
    expect(item).toMatchObject({ dueOn: '2027-01-31', kind: 'precept', completedOn: null });
    expect(item!.scrutinyBodyId).not.toBeNull();

    const bad = await officer.submit(url, { title: '', kind: 'precept', ...date('dueOn', '', '', ''), forPanel: 'no' });
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryText(bad.body)).toContain('Enter what is due');
    expect(errorSummaryText(bad.body)).toContain('Enter the date it is due');

    const changed = await officer.submit(`${url}/${item!.id}`, {
      title: 'Precept 2027–28: proposal',
      kind: 'precept',
      ...date('dueOn', '30', '1', '2027'),
      statutoryBasis: 'PRSRA 2011 Sch.5',
      notes: 'Moved a day earlier',
      forPanel: 'no',
      version: '1',
    });
    expect(changed.statusCode).toBe(303);
    const done = await officer.submit(url, { version: '2' }, `${url}/${item!.id}/done`);
    expect(done.statusCode).toBe(303);
    const [after] = await context.database.db.select().from(calendarItems).where(eq(calendarItems.id, item!.id));
    expect(after).toMatchObject({
      title: 'Precept 2027–28: proposal',
      dueOn: '2027-01-30',
      scrutinyBodyId: null,
      completedOn: '2026-11-23',
      version: 3,
    });
    expect(await auditActions(item!.id)).toEqual(['calendar_item.created', 'calendar_item.changed', 'calendar_item.done']);
    // A stale "done" changes nothing.
    const stale = await officer.submit(url, { version: '2', undo: 'yes' }, `${url}/${item!.id}/done`);
    expect(stale.statusCode).toBe(303);
    const [still] = await context.database.db.select().from(calendarItems).where(eq(calendarItems.id, item!.id));
    expect(still!.completedOn).toBe('2026-11-23');
  });

  it('adds the precept timetable in one go, once', async () => {
    const { body, panel } = await createBody(context.database);
    const officer = await signedIn(body.id, 'officer');
    const url = `/bodies/${body.slug}/calendar/items`;
    const page = await officer.get(url);
    expect(page.body).toContain('Add the precept timetable for 2027');
    expect((await officer.post(`${url}/precept`, { year: '2027' })).statusCode).toBe(303);
    expect((await officer.get(url)).body).toContain('Added 4 precept dates for 2027');
    await officer.post(`${url}/precept`, { year: '2027' });
    const rows = await context.database.db.select().from(calendarItems).where(eq(calendarItems.policingBodyId, body.id));
    expect(rows.map((r) => r.dueOn).sort()).toEqual(['2027-01-31', '2027-02-07', '2027-02-15', '2027-02-22']);
    expect(rows.every((r) => r.kind === 'precept' && r.scrutinyBodyId === panel.id)).toBe(true);
    const panelOfficer = await signedIn(body.id, 'panel_officer', panel.id);
    await panelOfficer.get(url);
    expect((await panelOfficer.post(`${url}/precept`, { year: '2028' })).statusCode).toBe(403);
  });

  it('lets the panel officer add items to the panel’s calendar only', async () => {
    const { body, panel } = await createBody(context.database);
    const panelOfficer = await signedIn(body.id, 'panel_officer', panel.id);
    const url = `/bodies/${body.slug}/calendar/items`;
    const added = await panelOfficer.submit(url, {
      title: 'Panel meeting on the draft plan',
      kind: 'meeting',
      ...date('dueOn', '4', '2', '2027'),
      forPanel: 'no', // ignored: a panel officer's items are the panel's
    });
    expect(added.statusCode).toBe(303);
    const [item] = await context.database.db.select().from(calendarItems).where(eq(calendarItems.policingBodyId, body.id));
    expect(item!.scrutinyBodyId).toBe(panel.id);
    expect((await panelOfficer.get(`/bodies/${body.slug}/calendar/panel`)).body).toContain('Panel meeting on the draft plan');

    const [bodyItem] = await context.database.db
      .insert(calendarItems)
      .values({ policingBodyId: body.id, kind: 'other', title: 'Office item', dueOn: '2027-03-01' })
      .returning();
    expect((await panelOfficer.get(`${url}/${bodyItem!.id}`)).statusCode).toBe(403);
    expect((await panelOfficer.submit(url, { version: '1' }, `${url}/${bodyItem!.id}/done`)).statusCode).toBe(403);
    expect((await panelOfficer.get(`/bodies/${body.slug}/calendar/elections`)).statusCode).toBe(403);
  });

  it('refuses every other role, other bodies, and unknown ids', async () => {
    const { body, panel, partner } = await createBody(context.database);
    const [item] = await context.database.db
      .insert(calendarItems)
      .values({ policingBodyId: body.id, kind: 'other', title: 'Office item', dueOn: '2027-03-01' })
      .returning();
    const [election] = await context.database.db
      .insert(elections)
      .values({ policingBodyId: body.id, scheduledOn: '2024-05-02' })
      .returning();
    const base = `/bodies/${body.slug}/calendar`;
    for (const role of ['force', 'partner', 'panel_member'] as const) {
      const agent = await signedIn(
        body.id,
        role,
        role === 'panel_member' ? panel.id : undefined,
        role === 'partner' ? partner.id : undefined,
      );
      expect((await agent.get(base)).statusCode).toBe(200);
      expect((await agent.get(`${base}/elections`)).statusCode).toBe(403);
      expect((await agent.get(`${base}/elections/${election!.id}`)).statusCode).toBe(403);
      expect((await agent.get(`${base}/items`)).statusCode).toBe(403);
      expect((await agent.get(`${base}/items/${item!.id}`)).statusCode).toBe(403);
      expect((await agent.post(`${base}/elections`, { ...date('scheduledOn', '1', '5', '2032') })).statusCode).toBe(403);
    }
    const { body: other } = await createBody(context.database);
    const outsider = await signedIn(other.id, 'commissioner');
    expect((await outsider.get(`${base}/elections`)).statusCode).toBe(403);
    expect((await outsider.get(`${base}/items/${item!.id}`)).statusCode).toBe(403);
    // Another body's id under my own body's address is simply not found.
    expect((await outsider.get(`/bodies/${other.slug}/calendar/items/${item!.id}`)).statusCode).toBe(404);
    expect((await outsider.get(`/bodies/${other.slug}/calendar/elections/${election!.id}`)).statusCode).toBe(404);
    expect((await outsider.get(`/bodies/${other.slug}/calendar/elections/not-a-uuid`)).statusCode).toBe(404);
    expect((await outsider.get(`/bodies/${other.slug}/calendar/items/00000000-0000-0000-0000-000000000000`)).statusCode).toBe(404);
    expect(await context.database.db.select().from(elections).where(eq(elections.policingBodyId, body.id))).toHaveLength(1);
  });
});
