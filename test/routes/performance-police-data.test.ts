import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../src/platform/audit/audit.tables.ts';
import { policeDataImports } from '../../src/features/performance/performance.tables.ts';
import { buildApp } from '../../src/app.ts';
import { POLICE_DATA_IMPORT_JOB, runQueuedPoliceDataImports } from '../../src/features/performance/police-data.jobs.ts';
import { paths } from '../../src/shared/paths.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, MemoryMailer, PASSWORD, testConfig } from '../support/app.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { multipartBody, type Part } from '../support/multipart.ts';
import { realPoliceFile, zipOf } from '../support/police-data.ts';

const STREET_FILE = '2019-02-dyfed-powys-street.csv';

describeOnEveryEngine('uploading data.police.uk files', (context) => {
  let app: FastifyInstance;
  let slug: string;
  let bodyId: string;
  let otherSlug: string;
  const agents: Record<'officer' | 'force' | 'partner' | 'panel' | 'outsider', Agent> = {} as never;

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, panel, partner } = await createBody(context.database, { forceAreaId: 'dyfed-powys' });
    const other = await createBody(context.database, { forceAreaId: 'dyfed-powys' });
    slug = body.slug;
    bodyId = body.id;
    otherSlug = other.body.slug;
    const users = {
      officer: await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] }),
      force: await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'force' }] }),
      partner: await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'partner', partnerId: partner.id }] }),
      panel: await createUser(context.database, {
        memberships: [{ policingBodyId: body.id, role: 'panel_member', scrutinyBodyId: panel.id }],
      }),
      outsider: await createUser(context.database, { memberships: [{ policingBodyId: other.body.id, role: 'officer' }] }),
    };
    for (const [name, user] of Object.entries(users)) {
      const agent = new Agent(app);
      await agent.signIn(user.email, PASSWORD);
      agents[name as keyof typeof agents] = agent;
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Posts the upload form as a browser does: the CSRF token first, then the file. */
  async function upload(agent: Agent, file: Part | undefined, url = paths.policeData(slug)): Promise<LightMyRequestResponse> {
    const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/account')).body)![1]!;
    const { payload, contentType } = multipartBody([{ name: '_csrf', value: token }, ...(file ? [file] : [])]);
    return app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': contentType, cookie: `pcp_session=${agent.sessionCookie}` },
      payload,
    });
  }
  const csv = (filename: string, content: Buffer | string): Part => ({ name: 'file', filename, type: 'text/csv', content });

  it('imports an uploaded street file and shows the report for it', async () => {
    const content = readFileSync(realPoliceFile(STREET_FILE));
    const response = await upload(agents.officer, csv(STREET_FILE, content));
    expect(response.statusCode).toBe(303);
    const importUrl = response.headers.location as string;
    expect(importUrl).toMatch(new RegExp(`^${paths.policeData(slug)}/imports/[0-9a-f-]{36}$`));

    const page = await agents.officer.get(importUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Import of ${STREET_FILE}`);
    expect(page.body).toContain('1 file imported.');
    const rows = content.toString('utf8').trimEnd().split('\n').length - 1;
    // Shown with thousands separated (3,247).
    expect(rows).toBeGreaterThan(999);
    expect(page.body).toMatch(
      new RegExp(
        `Rows imported\\s*</dt>\\s*<dd class="govuk-summary-list__value">\\s*${new Intl.NumberFormat('en-GB').format(rows)}\\s*</dd>`,
      ),
    );
    expect(page.body).toContain('February 2019');
    expect(page.body).toContain('Dyfed-Powys Police');
    // Finished: no progress bar to poll, no script.
    expect(page.body).not.toContain('police-data-progress.js');

    const progress = await agents.officer.get(`${importUrl}/progress`);
    expect(progress.json()).toMatchObject({ status: 'succeeded', bytesRead: content.length, byteSize: content.length, finished: true });

    const list = await agents.partner.get(paths.policeData(slug));
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(STREET_FILE);
    expect(list.body).toContain(new Intl.NumberFormat('en-GB').format(rows));
    // The partner reads but may not import: no upload form.
    expect(list.body).not.toContain('enctype="multipart/form-data"');

    const [record] = await context.database.db
      .select()
      .from(policeDataImports)
      .where(eq(policeDataImports.id, importUrl.split('/').pop()!));
    const actions = (await context.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, record!.id))).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['police_data_import.uploaded', 'police_data_import.finished']));
  });

  it('shows a clear message for a malformed file, and the page of a queued import has a progress bar and a Refresh link', async () => {
    const response = await upload(agents.force, csv(STREET_FILE, 'Crime ID,Month\nabc,2019-02\n'));
    expect(response.statusCode).toBe(303);
    const page = await agents.force.get(response.headers.location as string);
    expect(page.body).toContain('The header is not a data.police.uk street-level crime header');
    expect(page.body).toContain('The data held for this month has not changed.');

    const [queued] = await context.database.db
      .insert(policeDataImports)
      .values({
        policingBodyId: bodyId,
        fileName: 'later.zip',
        byteSize: 3 * 1024 * 1024,
        sha256: 'x',
        storedPath: '/nowhere',
        status: 'running',
        bytesRead: 1024 * 1024,
      })
      .returning();
    const running = await agents.force.get(paths.policeDataImport(slug, queued!.id));
    expect(running.body).toMatch(/<progress id="import-progress" max="3145728" value="1048576"/);
    expect(running.body).toContain('1.0 MB of 3.0 MB read');
    expect(running.body).toContain(`href="${paths.policeDataImport(slug, queued!.id)}">Refresh</a>`);
    expect(running.body).toMatch(/<script type="module" src="\/assets\/police-data-progress.js" nonce="[^"]+"><\/script>/);
    expect(running.body).not.toMatch(/http-equiv="refresh"/);
    expect((await agents.force.get('/assets/police-data-progress.js')).statusCode).toBe(200);
  });

  it('imports a zip and refuses one with unexpected content', async () => {
    const zip = zipOf([{ name: '2019-02/' }, { name: `2019-02/${STREET_FILE}`, content: readFileSync(realPoliceFile(STREET_FILE)) }]);
    const good = await upload(agents.officer, { name: 'file', filename: 'download.zip', type: 'application/zip', content: zip });
    expect((await agents.officer.get(good.headers.location as string)).body).toContain('1 file imported.');

    const bad = zipOf([{ name: 'readme.txt', content: 'hello' }]);
    const refused = await upload(agents.officer, { name: 'file', filename: 'download.zip', type: 'application/zip', content: bad });
    const page = await agents.officer.get(refused.headers.location as string);
    expect(page.body).toContain(
      'The zip file holds &quot;readme.txt&quot;, which is not a data.police.uk street, outcomes or stop-and-search CSV file',
    );
  });

  it('asks for a file when none is chosen', async () => {
    const response = await upload(agents.officer, { name: 'file', filename: '', type: 'application/octet-stream', content: '' });
    expect(response.statusCode).toBe(400);
    expect(errorSummaryText(response.body)).toContain('Select a data.police.uk CSV file or zip file');
  });

  it('lets only the office and the force import; 403 for other roles and other bodies, 404 for unknown ids', async () => {
    const before = await context.database.db.select().from(policeDataImports);
    for (const agent of [agents.partner, agents.panel, agents.outsider]) {
      expect((await upload(agent, csv(STREET_FILE, readFileSync(realPoliceFile(STREET_FILE))))).statusCode).toBe(403);
    }
    expect(await context.database.db.select().from(policeDataImports)).toHaveLength(before.length);
    expect((await agents.outsider.get(paths.policeData(slug))).statusCode).toBe(403);
    expect((await agents.panel.get(paths.policeData(slug))).statusCode).toBe(200);

    const someImport = before.find((i) => i.policingBodyId === bodyId)!;
    expect((await agents.outsider.get(paths.policeDataImport(slug, someImport.id))).statusCode).toBe(403);
    // Another body's page does not show this body's import.
    expect((await agents.outsider.get(paths.policeDataImport(otherSlug, someImport.id))).statusCode).toBe(404);
    expect((await agents.officer.get(paths.policeDataImport(slug, '00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404);
    expect((await agents.officer.get(paths.policeDataImport(slug, 'not-an-id'))).statusCode).toBe(404);
    expect((await agents.officer.get(paths.policeData('no-such-body'))).statusCode).toBe(404);
  });

  it('sends anonymous uploads to sign in', async () => {
    const { payload, contentType } = multipartBody([csv(STREET_FILE, 'x')]);
    const response = await app.inject({ method: 'POST', url: paths.policeData(slug), headers: { 'content-type': contentType }, payload });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(paths.signIn());
  });

  it('queues the import for the job when the process runs a job queue, and shows its progress until it is done', async () => {
    const sent: { name: string; data?: Record<string, unknown> }[] = [];
    const queued = await buildApp({
      config: testConfig(),
      database: context.database,
      mailer: new MemoryMailer(),
      jobs: { send: async (name, data) => (sent.push({ name, data }), 'job-1') },
    });
    try {
      const officer = await createUser(context.database, { memberships: [{ policingBodyId: bodyId, role: 'officer' }] });
      const agent = new Agent(queued);
      await agent.signIn(officer.email, PASSWORD);
      const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/account')).body)![1]!;
      const { payload, contentType } = multipartBody([
        { name: '_csrf', value: token },
        csv(STREET_FILE, readFileSync(realPoliceFile(STREET_FILE))),
      ]);
      const response = await queued.inject({
        method: 'POST',
        url: paths.policeData(slug),
        headers: { 'content-type': contentType, cookie: `pcp_session=${agent.sessionCookie}` },
        payload,
      });
      expect(response.statusCode).toBe(303);
      const importUrl = response.headers.location as string;
      expect(sent).toEqual([{ name: POLICE_DATA_IMPORT_JOB, data: { importId: importUrl.split('/').pop() } }]);
      const waiting = await agent.get(importUrl);
      expect(waiting.body).toContain('Waiting to start');
      expect(waiting.body).toMatch(/<progress id="import-progress" max="\d+" value="0"/);
      expect((await agent.get(`${importUrl}/progress`)).json()).toMatchObject({ status: 'queued', bytesRead: 0, finished: false });

      await runQueuedPoliceDataImports(context.database);
      const done = await agent.get(importUrl);
      expect(done.body).toContain('1 file imported.');
      expect(done.body).not.toContain('<progress');
    } finally {
      await queued.close();
    }
  });
});
