import { Document, Packer, Paragraph } from 'docx';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { formFields, multipartBody, type Part } from '../support/multipart.ts';
import { auditEvents } from '../../src/platform/audit/audit.tables.ts';
import { editionToDocx } from '../../src/features/plans/docx-export.ts';
import { editionToPlanJson } from '../../src/features/plans/domain/plan-json.ts';
import { commitment, edition, objective, priority } from '../../src/features/plans/domain/test-editions.ts';
import type { EditionTree } from '../../src/features/plans/domain/plan-tree.ts';
import { listPlans, loadEditionTree } from '../../src/features/plans/plans.repository.ts';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The plan as an officer might have it in Word: made with our own DOCX export. */
const source = edition({
  vision: 'Safe, resilient and connected communities.',
  priorities: [
    priority(
      'p1',
      [
        objective(
          'o1',
          [
            commitment('c1', { text: 'Fund independent domestic violence advisers' }),
            commitment('c2', { text: 'Work with councils on licensing' }),
          ],
          { title: 'Reduce repeat victimisation' },
        ),
        objective('o2', [commitment('c3', { text: 'Answer 999 calls within 10 seconds' })], { title: 'Answer calls quickly' }),
      ],
      { title: 'Protect people at risk' },
    ),
    priority(
      'p2',
      [objective('o3', [commitment('c4', { text: 'Call every victim back within a day' })], { title: 'Improve victim satisfaction' })],
      { title: 'Support victims and witnesses' },
    ),
  ],
});

async function docxOf(tree: EditionTree, title = 'Police and Crime Plan 2024–2028'): Promise<Buffer> {
  const json = editionToPlanJson(
    'https://plans.example.org/schema/plan-v1.json',
    {
      plan: { id: 'plan', title, periodStartsOn: '2024-04-01', periodEndsOn: '2028-03-31' },
      edition: { id: 'edition', number: 1, label: '2024–28, edition 1', kind: 'new_plan', isFrozen: true },
      body: { name: 'Example PCC', forceAreaId: 'avon-and-somerset' },
    },
    tree,
    { partnerName: () => undefined, frameworkItem: () => undefined },
  );
  return editionToDocx(json, { frameworkTitle: () => undefined });
}

const shape = (tree: EditionTree) =>
  tree.priorities.map((p) => [p.title, p.objectives.map((o) => [o.title, o.commitments.map((c) => c.text)])]);

describeOnEveryEngine('importing a plan from a Word document', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let slug: string;
  let bodyId: string;
  let word: Buffer;
  const uploadUrl = () => `/bodies/${slug}/plans/import-word`;
  const confirmUrl = () => `/bodies/${slug}/plans/import-word/confirm`;
  const planCount = async () => (await listPlans(context.database.db, bodyId)).length;

  const signedIn = async (policingBodyId: string, role: 'force' | 'officer') => {
    const user = await createUser(context.database, { memberships: [{ policingBodyId, role }] });
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    return agent;
  };

  /** Posts the upload form as a browser would, with the token from the form unless one is given. */
  async function upload(agent: Agent, parts: readonly Part[], token?: string): Promise<LightMyRequestResponse> {
    const form = await agent.get(uploadUrl());
    const csrf = token ?? /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const { payload, contentType } = multipartBody([{ name: '_csrf', value: csrf }, ...parts]);
    return app.inject({
      method: 'POST',
      url: uploadUrl(),
      headers: { 'content-type': contentType, cookie: `pcp_session=${agent.sessionCookie}` },
      payload,
    });
  }
  const wordFile = (content: string | Buffer, filename = 'plan.docx', type = DOCX_TYPE): Part => ({
    name: 'file',
    filename,
    type,
    content,
  });

  /** Uploads the document and returns the preview's fields, as the browser would send them back. */
  async function preview(agent: Agent, content: Buffer = word) {
    const response = await upload(agent, [wordFile(content)]);
    expect(response.statusCode).toBe(200);
    return { response, fields: formFields(response.body, confirmUrl()) };
  }
  /** The preview row (by index) whose text is `text`. */
  const rowOf = (fields: Record<string, string>, text: string) => {
    const key = Object.keys(fields).find((k) => /^item-\d+-text$/.test(k) && fields[k] === text);
    if (!key) throw new Error(`no row for ${text}`);
    return key.replace(/-text$/, '');
  };

  async function importedTree(response: LightMyRequestResponse) {
    expect(response.statusCode).toBe(302);
    const planId = (response.headers.location as string).split('/')[4]!;
    const row = (await context.database.db.query.editions.findFirst({ where: (e, { eq: equals }) => equals(e.planId, planId) }))!;
    return { planId, edition: row, tree: await loadEditionTree(context.database.db, row.id, row.vision) };
  }

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body } = await createBody(context.database);
    slug = body.slug;
    bodyId = body.id;
    officer = await signedIn(body.id, 'officer');
    word = await docxOf(source);
  });
  afterAll(async () => app?.close());

  it('links to the import from the plans page, and shows the upload form', async () => {
    expect((await officer.get(`/bodies/${slug}/plans`)).body).toContain(`href="${uploadUrl()}">Import a plan from a Word document</a>`);
    const page = await officer.get(uploadUrl());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Import a plan from a Word document');
    expect(page.body).toContain('enctype="multipart/form-data"');
  });

  it('shows the structure it found, saves nothing until confirmed, then creates the plan with it', async () => {
    const before = await planCount();
    const { response, fields } = await preview(officer);
    expect(response.body).toContain('the service found 2 priorities, 3 objectives and 4 commitments');
    for (const text of [
      'Protect people at risk',
      'Reduce repeat victimisation',
      'Answer 999 calls within 10 seconds',
      'Support victims and witnesses',
    ])
      expect(response.body).toContain(text);
    expect(fields).toMatchObject({
      title: 'Police and Crime Plan 2024–2028',
      vision: source.vision,
      'periodStartsOn-year': '2026',
      itemCount: '9',
    });
    expect(fields['item-0-level']).toBe('priority');
    expect(fields['item-1-level']).toBe('objective');
    expect(fields['item-2-level']).toBe('commitment');
    expect(await planCount()).toBe(before);

    const created = await officer.post(confirmUrl(), fields);
    const { planId, edition: row, tree } = await importedTree(created);
    expect(created.headers.location).toBe(`/bodies/${slug}/plans/${planId}/editions/1`);
    expect(shape(tree)).toEqual(shape(source));
    expect(row.vision).toBe(source.vision);
    expect(row.kind).toBe('new_plan');
    // Commitments arrive without owner or role: the completeness check asks for them.
    expect(tree.priorities[0]!.objectives[0]!.commitments[0]).toMatchObject({
      ownerKind: null,
      ownerRole: null,
      timescale: null,
      status: 'not_started',
    });
    expect(tree.statutorySections).toHaveLength(5);

    const [event] = await context.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'plan.imported_from_word'), eq(auditEvents.subjectId, planId)));
    expect(event?.after).toMatchObject({ source: { fileName: 'plan.docx' }, counts: { priorities: 2, objectives: 3, commitments: 4 } });
    expect((await officer.get(created.headers.location as string)).body).toContain('has been imported from Word');
  });

  it('honours what the officer changed on the preview: an item left out, one renamed, two moved up a level', async () => {
    const { fields } = await preview(officer);
    delete fields[`${rowOf(fields, 'Work with councils on licensing')}-include`];
    fields[`${rowOf(fields, 'Answer calls quickly')}-text`] = 'Answer every call quickly';
    fields[`${rowOf(fields, 'Improve victim satisfaction')}-level`] = 'priority';
    fields[`${rowOf(fields, 'Call every victim back within a day')}-level`] = 'objective';
    fields.title = 'Imported and adjusted';

    const { tree, planId } = await importedTree(await officer.post(confirmUrl(), fields));
    expect(shape(tree)).toEqual([
      [
        'Protect people at risk',
        [
          ['Reduce repeat victimisation', ['Fund independent domestic violence advisers']],
          ['Answer every call quickly', ['Answer 999 calls within 10 seconds']],
        ],
      ],
      ['Support victims and witnesses', []],
      ['Improve victim satisfaction', [['Call every victim back within a day', []]]],
    ]);
    expect((await listPlans(context.database.db, bodyId)).find((p) => p.id === planId)?.title).toBe('Imported and adjusted');
  });

  it('shows every problem on the preview, keeping what was typed, and saves nothing', async () => {
    const before = await planCount();
    const { fields } = await preview(officer);
    const firstObjective = rowOf(fields, 'Reduce repeat victimisation');
    const response = await officer.post(confirmUrl(), {
      ...fields,
      title: '',
      'periodEndsOn-year': '2020',
      [`${firstObjective}-level`]: 'commitment',
      [`${rowOf(fields, 'Answer 999 calls within 10 seconds')}-text`]: '  ',
    });
    expect(response.statusCode).toBe(400);
    const summary = errorSummaryText(response.body);
    expect(summary).toContain('Enter the title of the plan');
    expect(summary).toContain('The end of the plan period must be after its start');
    expect(summary).toContain('Item 2 is a commitment with no objective above it');
    expect(summary).toContain('Enter the text of item 6, or leave it out');
    expect(response.body).toContain(`href="#${firstObjective}-level"`);
    expect(response.body).toContain('<title>Error: ');
    // What was typed is kept: the level just chosen, and the rows as they were.
    const kept = formFields(response.body, confirmUrl());
    expect(kept[`${firstObjective}-level`]).toBe('commitment');
    expect(kept['periodEndsOn-year']).toBe('2020');
    expect(kept[`${rowOf(kept, 'Work with councils on licensing')}-include`]).toBe('yes');
    expect(await planCount()).toBe(before);
  });

  it('refuses files it cannot use, saying why, and creates nothing', async () => {
    const before = await planCount();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const onlyParagraphs = await Packer.toBuffer(
      new Document({
        sections: [{ children: [new Paragraph('Our plan is to keep people safe.'), new Paragraph('We will do our best.')] }],
      }),
    );
    const cases: [Part[], number, string][] = [
      [[], 400, 'Select a Word document (.docx)'],
      [[wordFile(png, 'plan.png', 'image/png')], 400, 'The selected file must be a Word document, ending .docx'],
      [[wordFile(png, 'plan.docx')], 400, 'The selected file is not a Word document'],
      [[wordFile('Priority 1: keep people safe', 'plan.docx', 'text/plain')], 400, 'The selected file is not a Word document'],
      // A ZIP that is not a Word document.
      [
        [wordFile(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64)]), 'plan.docx')],
        400,
        'The selected file is not a Word document',
      ],
      [[wordFile('', 'plan.docx')], 400, 'The selected file is empty'],
      [[wordFile(onlyParagraphs)], 400, 'The selected document has no headings'],
      [[wordFile(Buffer.alloc(10 * 1024 * 1024 + 1, 0x50))], 413, 'The selected file must be smaller than 10 MB'],
    ];
    for (const [parts, status, message] of cases) {
      const response = await upload(officer, parts);
      expect({ status: response.statusCode, summary: errorSummaryText(response.body) }).toEqual({
        status,
        summary: expect.stringContaining(message),
      });
      expect(response.body).toContain('id="file-error"');
    }
    expect(await planCount()).toBe(before);
  });

  it('is only for the commissioner’s office of the body', async () => {
    const { fields } = await preview(officer);
    const before = await planCount();
    const force = await signedIn(bodyId, 'force');
    const other = await signedIn((await createBody(context.database)).body.id, 'officer');
    for (const agent of [force, other]) {
      expect((await agent.get(uploadUrl())).statusCode).toBe(403);
      // A valid token from a page the agent may see, so only the role is wrong.
      const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/account')).body)![1]!;
      const { payload, contentType } = multipartBody([{ name: '_csrf', value: token }, wordFile(word)]);
      const uploaded = await app.inject({
        method: 'POST',
        url: uploadUrl(),
        headers: { 'content-type': contentType, cookie: `pcp_session=${agent.sessionCookie}` },
        payload,
      });
      expect(uploaded.statusCode).toBe(403);
      expect((await agent.post(confirmUrl(), { ...fields, _csrf: token })).statusCode).toBe(403);
    }
    expect(await planCount()).toBe(before);
  });

  it('needs a valid CSRF token on both forms', async () => {
    const before = await planCount();
    expect((await upload(officer, [wordFile(word)], 'not-the-token')).statusCode).toBe(403);
    const { fields } = await preview(officer);
    expect((await officer.post(confirmUrl(), { ...fields, _csrf: 'not-the-token' })).statusCode).toBe(403);
    expect(await planCount()).toBe(before);
  });

  describe('signed out', () => {
    it('sends the upload to sign in without reading it', async () => {
      const response = await app.inject({ method: 'POST', url: uploadUrl(), ...multipartHeaders([wordFile(word)]) });
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/sign-in');
    });
  });
});

function multipartHeaders(parts: readonly Part[]) {
  const { payload, contentType } = multipartBody(parts);
  return { headers: { 'content-type': contentType }, payload };
}
