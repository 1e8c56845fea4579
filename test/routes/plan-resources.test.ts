import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { formVersion } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { auditEventsNamed } from '../support/accounts-helpers.ts';
import { editions, fundingYears, grantPriorities, grants } from '../../src/features/plans/plans.tables.ts';

describeOnEveryEngine('recording funding years and the grants register', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let editorUrl: string;
  let editionId: string;
  let partnerName: string;
  const version = formVersion;
  const ids = (html: string, segment: string) => [...html.matchAll(new RegExp(`/${segment}/([0-9a-f-]{36})/edit`, 'g'))].map((m) => m[1]!);
  const newPlan = (title: string) => ({
    title,
    'periodStartsOn-day': '1',
    'periodStartsOn-month': '4',
    'periodStartsOn-year': '2025',
    'periodEndsOn-day': '31',
    'periodEndsOn-month': '3',
    'periodEndsOn-year': '2029',
  });
  const year = (financialYear: string, precept: string, governmentGrant: string, other = '') => ({
    financialYear,
    precept,
    governmentGrant,
    other,
  });

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, partner } = await createBody(context.database);
    partnerName = partner.name;
    const user = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    officer = new Agent(app);
    await officer.signIn(user.email, PASSWORD);
    editorUrl = (await officer.submit(`/bodies/${body.slug}/plans/new`, newPlan('Police and Crime Plan'))).headers.location as string;
    const planId = /plans\/([0-9a-f-]{36})\//.exec(editorUrl)![1]!;
    editionId = (await context.database.db.select().from(editions).where(eq(editions.planId, planId)))[0]!.id;
    await officer.submit(`${editorUrl}/priorities/new`, { title: 'Protect people at risk' });
    await officer.submit(`${editorUrl}/priorities/new`, { title: 'Support victims and witnesses' });
  });
  afterAll(() => app.close());

  const fundingRows = () =>
    context.database.db.select().from(fundingYears).where(eq(fundingYears.editionId, editionId)).orderBy(fundingYears.financialYear);
  const grantRows = () => context.database.db.select().from(grants).where(eq(grants.editionId, editionId)).orderBy(grants.position);
  const completeness = async () =>
    (await officer.get(`${editorUrl}/completeness`, { accept: 'application/json' })).json() as {
      requirements: { id: string; isMet: boolean; fixUrl: string }[];
    };
  const priorityLineages = async () =>
    [...(await officer.get(editorUrl)).body.matchAll(/id="priority-([0-9a-f-]{36})"/g)].map((m) => m[1]!);

  it('adds funding years entered in pounds, stores exact pence and shows the totals', async () => {
    const form = await officer.get(`${editorUrl}/funding-years/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Add a funding year');
    expect((await officer.post(`${editorUrl}/funding-years/new`, year('2025/26', '1,234,567.89', '12345678.50', '0.1'))).statusCode).toBe(
      302,
    );
    expect((await officer.submit(`${editorUrl}/funding-years/new`, year('2026/27', '200,000,000', '0.2'))).statusCode).toBe(302);
    expect((await fundingRows()).map((r) => [r.financialYear, r.precept, r.governmentGrant, r.other])).toEqual([
      ['2025/26', 123456789, 1234567850, 10],
      ['2026/27', 20000000000, 20, 0],
    ]);
    const editor = await officer.get(editorUrl);
    expect(editor.body).toContain('id="funding"');
    expect(editor.body).toContain('£1,234,567.89');
    expect(editor.body).toContain('£12,345,678.50');
    // 123456789 + 1234567850 + 10 pence, added exactly.
    expect(editor.body).toContain('£13,580,246.49');
    expect(editor.body).toContain('£200,000,000.20');
    expect(ids(editor.body, 'funding-years')).toHaveLength(2);
    expect((await auditEventsNamed(context.database, 'funding_year.added')).length).toBe(2);
  });

  it('refuses a second funding year for the same financial year with a field error, not a server error', async () => {
    const response = await officer.submit(`${editorUrl}/funding-years/new`, year('2025/26', '1', '1'));
    expect(response.statusCode).toBe(400);
    expect(errorSummaryText(response.body)).toContain('This edition already has funding for that financial year');
    expect(response.body).toContain('href="#financialYear"');
    expect(await fundingRows()).toHaveLength(2);
  });

  it('refuses a financial year in the wrong form and amounts that are not pounds, keeping what was typed', async () => {
    for (const [financialYear, message] of [
      ['2025/27', 'two years in a row'],
      ['2025-26', 'two years in a row'],
      ['', 'Enter the financial year'],
    ] as const) {
      const response = await officer.submit(`${editorUrl}/funding-years/new`, year(financialYear, '1.234', '-5', 'abc'));
      expect(response.statusCode).toBe(400);
      const summary = errorSummaryText(response.body);
      expect(summary).toContain(message);
      expect(summary).toContain('The precept must be an amount in pounds');
      expect(summary).toContain('The government grant must be an amount in pounds');
      expect(summary).toContain('The other funding must be an amount in pounds');
      expect(response.body).toContain('value="1.234"');
    }
    const blank = await officer.submit(`${editorUrl}/funding-years/new`, year('2027/28', '', ''));
    expect(errorSummaryText(blank.body)).toContain('Enter the precept');
    expect(await fundingRows()).toHaveLength(2);
  });

  it('changes a funding year, showing pounds in the form, and refuses a stale version showing both', async () => {
    const [first] = await fundingRows();
    const form = await officer.get(`${editorUrl}/funding-years/${first!.id}/edit`);
    expect(form.body).toContain('value="1,234,567.89"');
    const stale = version(form.body);
    expect(
      (
        await officer.post(`${editorUrl}/funding-years/${first!.id}/edit`, {
          ...year('2025/26', '1,300,000', '12,345,678.50', '0.1'),
          version: stale,
        })
      ).statusCode,
    ).toBe(302);
    expect((await fundingRows())[0]!.precept).toBe(130000000);
    expect((await auditEventsNamed(context.database, 'funding_year.updated')).length).toBe(1);

    await officer.get(`${editorUrl}/funding-years/${first!.id}/edit`);
    const conflict = await officer.post(`${editorUrl}/funding-years/${first!.id}/edit`, {
      ...year('2025/26', '999', '12,345,678.50'),
      version: stale,
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain('Saved by someone else');
    expect(conflict.body).toContain('£1,300,000');
    expect(conflict.body).toContain('value="999"');
    expect((await fundingRows())[0]!.precept).toBe(130000000);
  });

  it('refuses changing a year to one the edition already has', async () => {
    const [first, second] = await fundingRows();
    const form = await officer.get(`${editorUrl}/funding-years/${second!.id}/edit`);
    const response = await officer.post(`${editorUrl}/funding-years/${second!.id}/edit`, {
      ...year(first!.financialYear, '1', '1'),
      version: version(form.body),
    });
    expect(response.statusCode).toBe(400);
    expect(errorSummaryText(response.body)).toContain('already has funding for that financial year');
    expect((await fundingRows()).map((r) => r.financialYear)).toEqual(['2025/26', '2026/27']);
  });

  it('removes a funding year after confirmation', async () => {
    const second = (await fundingRows())[1]!;
    const confirm = await officer.get(`${editorUrl}/funding-years/${second.id}/delete`);
    expect(confirm.body).toContain('Are you sure you want to remove the funding year “2026/27”?');
    expect((await officer.post(`${editorUrl}/funding-years/${second.id}/delete`, {})).statusCode).toBe(302);
    expect((await fundingRows()).map((r) => r.financialYear)).toEqual(['2025/26']);
    expect((await auditEventsNamed(context.database, 'funding_year.removed')).map((e) => e.subjectId)).toEqual([second.id]);
  });

  it('meets the s.7(1)(c) resources requirement only with both the narrative and a funding year', async () => {
    const first = (await fundingRows())[0]!;
    await officer.get(`${editorUrl}/funding-years/${first.id}/delete`);
    await officer.post(`${editorUrl}/funding-years/${first.id}/delete`, {});
    const resources = async () => (await completeness()).requirements.find((r) => r.id === 'contents.resources')!;
    expect((await resources()).isMet).toBe(false);
    const form = await officer.get(`${editorUrl}/sections/resources`);
    expect(
      (
        await officer.post(`${editorUrl}/sections/resources`, {
          text: 'The commissioner funds the force from the precept and the police grant.',
          version: version(form.body),
        })
      ).statusCode,
    ).toBe(302);
    const unmet = await resources();
    expect(unmet.isMet).toBe(false);
    expect(unmet.fixUrl).toBe(`${editorUrl}/funding-years/new`);
    expect((await officer.get(unmet.fixUrl)).statusCode).toBe(200);
    expect((await officer.submit(unmet.fixUrl, year('2025/26', '1,234,567.89', '12,345,678.50'))).statusCode).toBe(302);
    expect((await resources()).isMet).toBe(true);
  });

  it('adds grants in pounds, linked to this edition’s priorities, offering the body’s partners', async () => {
    const [first, second] = await priorityLineages();
    const form = await officer.get(`${editorUrl}/grants/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(partnerName);
    expect(form.body).toContain(`value="${first}"`);
    const response = await officer.post(`${editorUrl}/grants/new`, {
      recipient: partnerName,
      amount: '250,000.05',
      'startsOn-day': '1',
      'startsOn-month': '4',
      'startsOn-year': '2025',
      'endsOn-day': '31',
      'endsOn-month': '3',
      'endsOn-year': '2026',
      purpose: 'Independent domestic violence advisers',
      conditions: 'Quarterly reports on outcomes for victims',
      priorityLineageIds: second!,
    });
    expect(response.statusCode).toBe(302);
    expect((await officer.submit(`${editorUrl}/grants/new`, { recipient: 'Victim Support', amount: '75000' })).statusCode).toBe(302);
    const rows = await grantRows();
    expect(rows.map((g) => [g.recipient, g.amount, g.startsOn, g.endsOn])).toEqual([
      [partnerName, 25000005, '2025-04-01', '2026-03-31'],
      ['Victim Support', 7500000, null, null],
    ]);
    expect(
      (await context.database.db.select().from(grantPriorities).where(eq(grantPriorities.grantId, rows[0]!.id))).map(
        (l) => l.priorityLineageId,
      ),
    ).toEqual([second]);
    const editor = await officer.get(editorUrl);
    expect(editor.body).toContain('id="grants"');
    expect(editor.body).toContain('£250,000.05');
    expect(editor.body).toContain('2. Support victims and witnesses');
    expect(editor.body).toContain('1 April 2025 to 31 March 2026');
    expect((await auditEventsNamed(context.database, 'grant.added')).length).toBe(2);
  });

  it('refuses a grant without a recipient, with a bad amount or dates, keeping what was typed', async () => {
    const response = await officer.submit(`${editorUrl}/grants/new`, {
      recipient: '',
      amount: '12.345',
      'startsOn-day': '1',
      'startsOn-month': '4',
      'startsOn-year': '2026',
      'endsOn-day': '1',
      'endsOn-month': '4',
      'endsOn-year': '2025',
      purpose: 'Keep this purpose',
    });
    expect(response.statusCode).toBe(400);
    const summary = errorSummaryText(response.body);
    expect(summary).toContain('Enter who receives the grant');
    expect(summary).toContain('The amount of the grant must be an amount in pounds');
    expect(response.body).toContain('Keep this purpose');
    const dates = await officer.submit(`${editorUrl}/grants/new`, {
      recipient: 'A',
      amount: '1',
      'startsOn-day': '1',
      'startsOn-month': '4',
      'startsOn-year': '2026',
      'endsOn-day': '1',
      'endsOn-month': '4',
      'endsOn-year': '2025',
    });
    expect(errorSummaryText(dates.body)).toContain('The end date must be after the start date');
    const unreal = await officer.submit(`${editorUrl}/grants/new`, {
      recipient: 'A',
      amount: '1',
      'startsOn-day': '31',
      'startsOn-month': '2',
      'startsOn-year': '2026',
    });
    expect(errorSummaryText(unreal.body)).toContain('The start date must be a real date');
    expect(await grantRows()).toHaveLength(2);
  });

  it('refuses a priority from another plan', async () => {
    const otherUrl = (await officer.submit(editorUrl.replace(/\/plans\/.*$/, '/plans/new'), newPlan('Another plan'))).headers
      .location as string;
    await officer.submit(`${otherUrl}/priorities/new`, { title: 'Somewhere else' });
    const foreign = /id="priority-([0-9a-f-]{36})"/.exec((await officer.get(otherUrl)).body)![1]!;
    const response = await officer.submit(`${editorUrl}/grants/new`, { recipient: 'Elsewhere', amount: '1', priorityLineageIds: foreign });
    expect(response.statusCode).toBe(400);
    expect(errorSummaryText(response.body)).toContain('Select priorities of this plan');
    expect(await grantRows()).toHaveLength(2);
  });

  it('changes a grant and its priorities, and shows both versions after a conflicting edit', async () => {
    const [first] = await priorityLineages();
    const grant = (await grantRows())[1]!;
    const form = await officer.get(`${editorUrl}/grants/${grant.id}/edit`);
    expect(form.body).toContain('value="75,000"');
    const stale = version(form.body);
    expect(
      (
        await officer.post(`${editorUrl}/grants/${grant.id}/edit`, {
          recipient: 'Victim Support',
          amount: '80,000',
          conditions: 'Annual report',
          priorityLineageIds: first!,
          version: stale,
        })
      ).statusCode,
    ).toBe(302);
    const [changed] = await context.database.db.select().from(grants).where(eq(grants.id, grant.id));
    expect([changed!.amount, changed!.conditions]).toEqual([8000000, 'Annual report']);
    expect(
      (await context.database.db.select().from(grantPriorities).where(eq(grantPriorities.grantId, grant.id))).map(
        (l) => l.priorityLineageId,
      ),
    ).toEqual([first]);
    expect((await auditEventsNamed(context.database, 'grant.updated')).length).toBe(1);

    await officer.get(`${editorUrl}/grants/${grant.id}/edit`);
    const conflict = await officer.post(`${editorUrl}/grants/${grant.id}/edit`, {
      recipient: 'Victim Support Wales',
      amount: '1',
      version: stale,
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain('Saved by someone else');
    expect(conflict.body).toContain('£80,000');
    expect(conflict.body).toContain('value="Victim Support Wales"');
    expect((await context.database.db.select().from(grants).where(eq(grants.id, grant.id)))[0]!.recipient).toBe('Victim Support');
  });

  it('moves a grant up the register and removes one', async () => {
    const [first, second] = await grantRows();
    await officer.get(editorUrl);
    expect((await officer.post(`${editorUrl}/grants/${second!.id}/move`, { direction: 'up' })).statusCode).toBe(302);
    expect((await grantRows()).map((g) => g.id)).toEqual([second!.id, first!.id]);
    expect((await auditEventsNamed(context.database, 'grant.moved')).length).toBe(1);
    await officer.get(`${editorUrl}/grants/${first!.id}/delete`);
    expect((await officer.post(`${editorUrl}/grants/${first!.id}/delete`, {})).statusCode).toBe(302);
    expect((await grantRows()).map((g) => g.id)).toEqual([second!.id]);
    expect(await context.database.db.select().from(grantPriorities).where(eq(grantPriorities.grantId, first!.id))).toEqual([]);
    expect((await auditEventsNamed(context.database, 'grant.removed')).length).toBe(1);
  });

  it('refuses every change to funding and grants in a frozen edition, and changes nothing', async () => {
    const funding = (await fundingRows())[0]!;
    const grant = (await grantRows())[0]!;
    await context.database.db.update(editions).set({ isFrozen: true }).where(eq(editions.id, editionId));
    try {
      await officer.get(editorUrl);
      expect((await officer.get(`${editorUrl}/funding-years/new`)).statusCode).toBe(409);
      expect((await officer.get(`${editorUrl}/grants/new`)).statusCode).toBe(409);
      const add = await officer.post(`${editorUrl}/funding-years/new`, year('2030/31', '1', '1'));
      expect(add.statusCode).toBe(409);
      expect(add.body).toContain('This edition is frozen');
      expect(
        (
          await officer.post(`${editorUrl}/funding-years/${funding.id}/edit`, {
            ...year('2025/26', '1', '1'),
            version: String(funding.version),
          })
        ).statusCode,
      ).toBe(409);
      expect(
        (await officer.post(`${editorUrl}/grants/${grant.id}/edit`, { recipient: 'Changed', amount: '1', version: String(grant.version) }))
          .statusCode,
      ).toBe(409);
      expect((await officer.post(`${editorUrl}/grants/${grant.id}/delete`, {})).statusCode).toBe(409);
      const editor = await officer.get(editorUrl);
      expect(editor.body).not.toContain('/funding-years/new');
      expect(editor.body).not.toContain('/grants/new');
      expect(await fundingRows()).toEqual([funding]);
      expect(await grantRows()).toEqual([grant]);
    } finally {
      await context.database.db.update(editions).set({ isFrozen: false }).where(eq(editions.id, editionId));
    }
  });
});
