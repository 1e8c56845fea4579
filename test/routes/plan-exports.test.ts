import { Ajv2020 } from 'ajv/dist/2020.js';
import { and, eq } from 'drizzle-orm';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { multipartBody, type Part } from '../support/multipart.ts';
import { formVersion } from '../support/plans.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD, testConfig } from '../support/app.ts';
import { auditEvents } from '../../src/platform/audit/audit.tables.ts';
import * as organisations from '../../src/features/organisations/organisations.repository.ts';
import { fundingYears, grantPriorities, grants } from '../../src/features/plans/plans.tables.ts';
import { listFrameworks, listPlans, loadEditionTree, SPR_FRAMEWORK_SLUG } from '../../src/features/plans/plans.repository.ts';
import type { PlanJson } from '../../src/features/plans/domain/plan-json.ts';

describeOnEveryEngine('exporting and importing plans', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let editorUrl: string;
  let editionId: string;
  let bodyId: string;
  let bodySlug: string;
  let partnerName: string;
  let other: { id: string; slug: string; name: string };
  let otherOfficer: Agent;
  let schemaUrl: string;
  const version = formVersion;

  const signedIn = async (policingBodyId: string, role: 'force' | 'officer') => {
    const user = await createUser(context.database, { memberships: [{ policingBodyId, role }] });
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    return agent;
  };

  const exportJson = async (agent: Agent, url = editorUrl) => JSON.parse((await agent.get(`${url}/export.json`)).body) as PlanJson;
  const planCount = async (policingBodyId: string) => (await listPlans(context.database.db, policingBodyId)).length;

  /** Posts the import form as a browser would, with the token from the form unless one is given. */
  async function upload(agent: Agent, slug: string, parts: readonly Part[], token?: string): Promise<LightMyRequestResponse> {
    const form = await agent.get(`/bodies/${slug}/plans/import`);
    const csrf = token ?? /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const { payload, contentType } = multipartBody([{ name: '_csrf', value: csrf }, ...parts]);
    return app.inject({
      method: 'POST',
      url: `/bodies/${slug}/plans/import`,
      headers: { 'content-type': contentType, cookie: `pcp_session=${agent.sessionCookie}` },
      payload,
    });
  }
  const jsonFile = (content: string | Buffer, filename = 'plan.json'): Part => ({
    name: 'file',
    filename,
    type: 'application/json',
    content,
  });

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, partner } = await createBody(context.database);
    bodyId = body.id;
    bodySlug = body.slug;
    partnerName = partner.name;
    officer = await signedIn(body.id, 'officer');
    const created = await createBody(context.database);
    other = created.body;
    otherOfficer = await signedIn(other.id, 'officer');
    schemaUrl = `${testConfig().publicUrl}/schema/plan-v1.json`;

    editorUrl = (
      await officer.submit(`/bodies/${body.slug}/plans/new`, {
        title: 'Police and Crime Plan 2025–2029',
        vision: 'Safe, resilient and connected communities',
        'periodStartsOn-day': '1',
        'periodStartsOn-month': '4',
        'periodStartsOn-year': '2025',
        'periodEndsOn-day': '31',
        'periodEndsOn-month': '3',
        'periodEndsOn-year': '2029',
      })
    ).headers.location as string;
    const planId = editorUrl.split('/')[4]!;
    editionId = (await context.database.db.query.editions.findFirst({ where: (e, { eq: equals }) => equals(e.planId, planId) }))!.id;
    const tree = () => loadEditionTree(context.database.db, editionId, '');

    const threats = (await listFrameworks(context.database.db, body.id)).find((f) => f.slug === SPR_FRAMEWORK_SLUG)!.items;
    await officer.submit(`${editorUrl}/priorities/new`, {
      title: 'Protect people at risk',
      aim: 'Fewer victims',
      frameworkItemIds: threats[0]!.id,
    });
    await officer.submit(`${editorUrl}/priorities/new`, { title: 'Support victims and witnesses' });
    const [first, second] = (await tree()).priorities;
    await officer.submit(`${editorUrl}/objectives/new`, {
      priorityId: first!.id,
      title: 'Reduce repeat victimisation',
      intendedOutcome: 'Fewer repeat victims',
    });
    await officer.submit(`${editorUrl}/objectives/new`, { priorityId: second!.id, title: 'Improve victim satisfaction' });
    const objectives = (await tree()).priorities.flatMap((p) => p.objectives);
    await officer.submit(`${editorUrl}/commitments/new`, {
      objectiveId: objectives[0]!.id,
      text: 'Fund independent domestic violence advisers',
      ownerKind: 'partners',
      partnerIds: partner.id,
      ownerRole: 'influence',
      timescale: 'by_date',
      'targetDate-day': '31',
      'targetDate-month': '3',
      'targetDate-year': '2026',
      status: 'in_progress',
      frameworkItemIds: threats[1]!.id,
    });
    await officer.submit(`${editorUrl}/commitments/new`, {
      objectiveId: objectives[1]!.id,
      text: 'Publish satisfaction every quarter',
      ownerKind: 'chief_constable',
      ownerRole: 'control',
      timescale: 'short',
    });
    const measure = { evidenceSource: 'public_survey', unit: '%', polarity: 'higher_is_better', frequency: 'quarterly' };
    await officer.submit(`${editorUrl}/measures/new`, {
      ...measure,
      attachedTo: `priority:${first!.id}`,
      name: 'Confidence in local policing',
      baselineValue: '72.5',
      baselinePeriod: '2024/25',
      targetValue: '75',
    });
    await officer.submit(`${editorUrl}/measures/new`, {
      ...measure,
      attachedTo: `objective:${objectives[1]!.id}`,
      name: 'Victims satisfied',
    });
    const section = await officer.get(`${editorUrl}/sections/resources`);
    await officer.post(`${editorUrl}/sections/resources`, { text: 'The budget for each year is below.', version: version(section.body) });
    const duty = await officer.get(`${editorUrl}/duties/equality`);
    await officer.post(`${editorUrl}/duties/equality`, {
      text: 'We assessed every protected group.',
      elementLineageIds: objectives[0]!.lineageId,
      version: version(duty.body),
    });
    const spr = await officer.get(`${editorUrl}/spr/${threats[2]!.id}`);
    await officer.post(`${editorUrl}/spr/${threats[2]!.id}`, {
      text: 'Met by the regional organised crime unit.',
      version: version(spr.body),
    });
    // Funding and grants go straight into the tables: their forms are not what is tested here.
    const db = context.database.db;
    await db
      .insert(fundingYears)
      .values({ editionId, financialYear: '2025/26', precept: 12_345_678_950, governmentGrant: 20_000_000_000, other: 0 });
    const [grant] = await db
      .insert(grants)
      .values({
        editionId,
        position: 0,
        recipient: 'Victim Support',
        amount: 25_000_000,
        startsOn: '2025-04-01',
        purpose: 'Help for victims',
      })
      .returning();
    await db.insert(grantPriorities).values({ grantId: grant!.id, priorityLineageId: second!.lineageId });
  });
  afterAll(() => app.close());

  describe('the plan-v1 schema', () => {
    it('is public, draft 2020-12, with its own address as $id', async () => {
      const response = await app.inject({ method: 'GET', url: '/schema/plan-v1.json' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/schema+json; charset=utf-8');
      expect(response.headers['set-cookie']).toBeUndefined();
      const schema = JSON.parse(response.body);
      expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: schemaUrl, type: 'object' });
    });
  });

  describe('JSON export', () => {
    it('downloads the whole edition as plan-v1, valid against the served schema', async () => {
      const response = await officer.get(`${editorUrl}/export.json`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-disposition']).toBe('attachment; filename="police-and-crime-plan-2025-2029-edition-1.json"');
      expect(response.headers['cache-control']).toBe('no-store');
      const json = JSON.parse(response.body) as PlanJson;
      // Checked with a validator compiled here from what the public address serves, not the service's own.
      const validate = new Ajv2020({ allErrors: true }).compile(
        JSON.parse((await app.inject({ method: 'GET', url: '/schema/plan-v1.json' })).body),
      );
      expect(validate(json) ? [] : validate.errors).toEqual([]);
      expect(json).toMatchObject({
        schema: schemaUrl,
        schemaVersion: 1,
        plan: { title: 'Police and Crime Plan 2025–2029', periodStartsOn: '2025-04-01', periodEndsOn: '2029-03-31' },
        edition: { id: editionId, number: 1, label: '2025–29, edition 1', kind: 'new_plan', isFrozen: false },
        vision: 'Safe, resilient and connected communities',
      });
      expect(json.body.forceAreaId).toBe('avon-and-somerset');
      const commitment = json.priorities[0]!.objectives[0]!.commitments[0]!;
      expect(commitment).toMatchObject({
        ownerKind: 'partners',
        partners: [partnerName],
        ownerRole: 'influence',
        timescale: 'by_date',
        targetDate: '2026-03-31',
        status: 'in_progress',
      });
      expect(commitment.frameworkItems).toEqual([{ framework: SPR_FRAMEWORK_SLUG, code: expect.any(String) }]);
      expect(json.measures.map((m) => [m.name, m.attachedTo.kind])).toEqual([
        ['Confidence in local policing', 'priority'],
        ['Victims satisfied', 'objective'],
      ]);
      expect(json.statutorySections).toHaveLength(5);
      expect(json.dutyStatements.find((d) => d.duty === 'equality')!.elementLineageIds).toEqual([
        json.priorities[0]!.objectives[0]!.lineageId,
      ]);
      expect(json.sprExplanations).toEqual([
        { framework: SPR_FRAMEWORK_SLUG, code: expect.any(String), explanation: 'Met by the regional organised crime unit.' },
      ]);
      expect(json.fundingYears).toEqual([
        { lineageId: expect.any(String), financialYear: '2025/26', precept: 12_345_678_950, governmentGrant: 20_000_000_000, other: 0 },
      ]);
      expect(json.grants[0]).toMatchObject({
        recipient: 'Victim Support',
        amount: 25_000_000,
        priorityLineageIds: [json.priorities[1]!.lineageId],
      });
      expect(response.body).not.toContain((await organisations.listPartners(context.database.db, bodyId))[0]!.id);
    });

    it('is for people who may view the edition: drafts for the office only, never another body', async () => {
      expect((await (await signedIn(bodyId, 'force')).get(`${editorUrl}/export.json`)).statusCode).toBe(403);
      expect((await otherOfficer.get(`${editorUrl}/export.json`)).statusCode).toBe(403);
      expect((await otherOfficer.get(`${editorUrl}/export.docx`)).statusCode).toBe(403);
      const anonymous = await app.inject({ method: 'GET', url: `${editorUrl}/export.json` });
      expect(anonymous.statusCode).toBe(302);
      expect(anonymous.headers.location).toContain('/sign-in');
      expect((await officer.get(`${editorUrl.replace(/\/1$/, '/9')}/export.json`)).statusCode).toBe(404);
    });

    it('is linked from the edition page', async () => {
      const page = (await officer.get(editorUrl)).body;
      expect(page).toContain(`href="${editorUrl}/export.json"`);
      expect(page).toContain(`href="${editorUrl}/export.docx"`);
    });
  });

  describe('Word export', () => {
    it('downloads a DOCX with the plan’s headings, commitments and measure table', async () => {
      const response = await app.inject({
        method: 'GET',
        url: `${editorUrl}/export.docx`,
        headers: { cookie: `pcp_session=${officer.sessionCookie}` },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(response.headers['content-disposition']).toBe('attachment; filename="police-and-crime-plan-2025-2029-edition-1.docx"');
      const { value: html } = await mammoth.convertToHtml({ buffer: response.rawPayload });
      expect(html).toContain('<h1>1. Protect people at risk</h1>');
      expect(html).toContain('<h1>2. Support victims and witnesses</h1>');
      expect(html).toContain('<h2>1.1 Reduce repeat victimisation</h2>');
      expect(html).toContain('<h2>2.1 Improve victim satisfaction</h2>');
      expect(html).toContain(`Owner: ${partnerName}; influences.`);
      expect(html).toContain('<td><p>Confidence in local policing</p></td><td><p>Priority 1</p></td>');
      expect(html).toContain('<td><p>£123,456,789.50</p></td>');
      expect(html).toContain('<h1>Resources provided to the chief constable</h1><p>The budget for each year is below.</p>');
    });
  });

  describe('JSON import', () => {
    const importUrl = () => `/bodies/${bodySlug}/plans/import`;

    it('offers the upload form to the office, linked from the plans page, and refuses others', async () => {
      const form = await officer.get(importUrl());
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('enctype="multipart/form-data"');
      expect((await officer.get(`/bodies/${bodySlug}/plans`)).body).toContain(`href="${importUrl()}"`);
      expect((await (await signedIn(bodyId, 'force')).get(importUrl())).statusCode).toBe(403);
      expect((await otherOfficer.get(importUrl())).statusCode).toBe(403);
      const { payload, contentType } = multipartBody([jsonFile('{}')]);
      const anonymous = await app.inject({ method: 'POST', url: importUrl(), headers: { 'content-type': contentType }, payload });
      expect(anonymous.statusCode).toBe(302);
      expect(anonymous.headers.location).toBe('/sign-in');
    });

    it('refuses an upload without a valid CSRF token and writes nothing', async () => {
      const before = await planCount(bodyId);
      const response = await upload(officer, bodySlug, [jsonFile(JSON.stringify(await exportJson(officer)))], 'not-the-token');
      expect(response.statusCode).toBe(403);
      expect(await planCount(bodyId)).toBe(before);
    });

    it('imports an export as a new draft plan that exports the same, apart from its ids', async () => {
      const source = await exportJson(officer);
      const before = await planCount(bodyId);
      const response = await upload(officer, bodySlug, [jsonFile(JSON.stringify(source, null, 2))]);
      expect(response.statusCode).toBe(302);
      const newEditorUrl = response.headers.location as string;
      expect(newEditorUrl).toMatch(/\/plans\/[0-9a-f-]{36}\/editions\/1$/);
      expect(await planCount(bodyId)).toBe(before + 1);
      expect((await officer.get(newEditorUrl)).body).toContain('has been imported as a new plan');

      const copy = await exportJson(officer, newEditorUrl);
      expect(copy.plan.id).not.toBe(source.plan.id);
      expect(copy.edition.id).not.toBe(source.edition.id);
      expect({ ...copy, plan: { ...copy.plan, id: 'x' }, edition: { ...copy.edition, id: 'x' } }).toEqual({
        ...source,
        plan: { ...source.plan, id: 'x' },
        edition: { ...source.edition, id: 'x' },
      });

      const [event] = await context.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'plan.imported'), eq(auditEvents.subjectId, copy.plan.id!)));
      expect(event).toMatchObject({ policingBodyId: bodyId, subjectType: 'plan' });
      expect(event!.after).toMatchObject({
        source: { plan: { id: source.plan.id } },
        counts: { priorities: 2, objectives: 2, commitments: 2, measures: 2, grants: 1 },
      });
    });

    it('lists every problem with its JSON path and writes nothing', async () => {
      const source = await exportJson(officer);
      source.priorities[0]!.title = 'x'.repeat(301);
      source.measures[1]!.lineageId = 'not-a-uuid';
      source.priorities[1]!.objectives[0]!.commitments[0]!.status = 'finished' as never;
      const before = await planCount(bodyId);
      const response = await upload(officer, bodySlug, [jsonFile(JSON.stringify(source))]);
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('<title>Error: Import a plan from JSON');
      const summary = errorSummaryText(response.body);
      expect(summary).toContain('it has 3 problems. Nothing was imported');
      expect(summary).toContain('$.priorities[0].title: Must be 300 characters or fewer');
      expect(summary).toContain('$.measures[1].lineageId: Must be a UUID');
      expect(summary).toContain('$.priorities[1].objectives[0].commitments[0].status: Must be one of');
      expect(await planCount(bodyId)).toBe(before);
    });

    it('refuses partners the body does not have, naming them, until they are added', async () => {
      const source = JSON.stringify(await exportJson(officer));
      const refused = await upload(otherOfficer, other.slug, [jsonFile(source)]);
      expect(refused.statusCode).toBe(400);
      expect(errorSummaryText(refused.body)).toContain(
        `Add this partner organisation to ${other.name} first, then import again: ${partnerName}`,
      );
      expect(errorSummaryText(refused.body)).toContain(
        `$.priorities[0].objectives[0].commitments[0].partners[0]: ${partnerName} is not one of this body’s partner organisations`,
      );
      expect(refused.body).toContain(`href="/bodies/${other.slug}/partners/new"`);
      expect(await planCount(other.id)).toBe(0);

      await organisations.insertPartner(context.database.db, { policingBodyId: other.id, kind: 'other', name: partnerName.toUpperCase() });
      const imported = await upload(otherOfficer, other.slug, [jsonFile(source)]);
      expect(imported.statusCode).toBe(302);
      const copy = await exportJson(otherOfficer, imported.headers.location as string);
      expect(copy.body.name).toBe(other.name);
      expect(copy.priorities[0]!.objectives[0]!.commitments[0]!.partners).toEqual([partnerName.toUpperCase()]);
      expect(copy.priorities.map((p) => p.lineageId)).toEqual(JSON.parse(source).priorities.map((p: { lineageId: string }) => p.lineageId));
    });

    it('explains files it cannot read: none, not JSON, another version, too large', async () => {
      const before = await planCount(bodyId);
      const cases: [Part[], number, string][] = [
        [[], 400, 'Select a JSON file exported from this service'],
        [[jsonFile('', '')], 400, 'Select a JSON file exported from this service'],
        [
          [{ name: 'file', filename: 'plan.docx', type: 'application/octet-stream', content: 'PK' }],
          400,
          'The selected file must be a JSON file, ending .json',
        ],
        [[jsonFile('{"schemaVersion": 1,')], 400, 'The selected file is not valid JSON'],
        [[jsonFile('{"schemaVersion": 2}')], 400, '$.schemaVersion: The file uses schema version 2; this service reads version 1'],
        [[jsonFile(Buffer.alloc(5 * 1024 * 1024 + 1, 0x20))], 413, 'The selected file must be smaller than 5 MB'],
        [[jsonFile('{}', 'a.json'), jsonFile('{}', 'b.json')], 413, 'Select one file'],
      ];
      for (const [parts, status, message] of cases) {
        const response = await upload(officer, bodySlug, parts);
        expect({ status: response.statusCode, summary: errorSummaryText(response.body) }).toEqual({
          status,
          summary: expect.stringContaining(message),
        });
        expect(response.body).toContain('id="file-error"');
      }
      expect(await planCount(bodyId)).toBe(before);
    });
  });
});
