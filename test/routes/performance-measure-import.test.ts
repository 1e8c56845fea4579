import { readFile } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import { beforeAll, afterAll, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { multipartBody } from '../support/multipart.ts';
import { monitoredPlan, type MonitoredPlan } from '../support/performance.ts';
import { auditEvents } from '../../src/platform/audit/audit.tables.ts';
import { measureImports, measureValues } from '../../src/features/performance/performance.tables.ts';
import { currentValues } from '../../src/features/performance/measure-values.repository.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const fixture = (name: string) => readFile(new URL(`../fixtures/measure-values/${name}`, import.meta.url));

/** The text of a page without tags, with entities for quotes and arrows decoded. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/**
 * A zip built by hand, so an entry can claim an unpacked size it does not have: what a "zip bomb"
 * looks like to a reader that trusts the central directory.
 */
function zipOf(entries: { name: string; text: string; claimedSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.from(entry.text);
    const packed = deflateRawSync(data);
    const name = Buffer.from(entry.name);
    const size = entry.claimedSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>';

describeOnEveryEngine('importing measure values from a file', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let slug: string;
  let bodyId: string;
  let partnerId: string;
  let panelId: string;
  let plan: MonitoredPlan;

  const importUrl = () => `/bodies/${slug}/plans/${plan.planId}/performance/import`;
  const byName = (name: string) => plan.measures.find((m) => m.name === name)!;
  const violence = () => byName('Violence and sexual offences');
  const victims = () => byName('Victims satisfied with the service');
  const answerTime = () => byName('Average 101 answer time');
  const feelSafe = () => byName('Residents who feel safe after dark');

  const signedIn = async (role: 'force' | 'partner' | 'panel_member') => {
    const user = await createUser(context.database, {
      memberships: [
        {
          policingBodyId: bodyId,
          role,
          ...(role === 'partner' ? { partnerId } : {}),
          ...(role === 'panel_member' ? { scrutinyBodyId: panelId } : {}),
        },
      ],
    });
    const agent = new Agent(app);
    await agent.signIn(user.email, PASSWORD);
    return agent;
  };

  /** Posts the upload form as a browser would, with the token from the upload page. */
  async function upload(
    agent: Agent,
    file: { filename: string; content: Buffer | string; type?: string } | null,
  ): Promise<LightMyRequestResponse> {
    const form = await agent.get(importUrl());
    expect(form.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const parts = file
      ? [
          {
            name: 'file',
            filename: file.filename,
            type: file.type ?? (file.filename.endsWith('.xlsx') ? XLSX_TYPE : 'text/csv'),
            content: file.content,
          },
        ]
      : [{ name: 'file', filename: '', type: 'application/octet-stream', content: '' }];
    const { payload, contentType } = multipartBody([{ name: '_csrf', value: csrf }, ...parts]);
    return app.inject({
      method: 'POST',
      url: importUrl(),
      headers: { 'content-type': contentType, cookie: `pcp_session=${agent.sessionCookie}` },
      payload,
    });
  }

  /** Uploads and follows the redirect to the preview. */
  async function preview(agent: Agent, filename: string, content: Buffer | string) {
    const response = await upload(agent, { filename, content });
    expect(response.statusCode, errorSummaryText(response.body)).toBe(302);
    const url = response.headers.location as string;
    const page = await agent.get(url);
    expect(page.statusCode).toBe(200);
    return { url, page, importId: url.split('/').pop()! };
  }

  const current = async () => currentValues(context.database.db, plan.planId);
  const revisionCount = async () =>
    (await context.database.db.select().from(measureValues).where(eq(measureValues.planId, plan.planId))).length;
  const valueOf = async (lineageId: string, periodStart: string) =>
    (await current()).find((v) => v.measureLineageId === lineageId && v.periodStart === periodStart);

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, partner, panel } = await createBody(context.database);
    slug = body.slug;
    bodyId = body.id;
    partnerId = partner.id;
    panelId = panel.id;
    const owner = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    plan = await monitoredPlan(context.database, owner, body);
    officer = new Agent(app);
    await officer.signIn(owner.email, PASSWORD);
  });
  afterAll(async () => app?.close());

  it('round-trips the CSV template: fill in, preview, apply as revision 1; a changed value becomes revision 2 alone', async () => {
    const template = await officer.get(`${importUrl()}/template.csv`);
    expect(template.statusCode).toBe(200);
    expect(template.headers['content-type']).toMatch(/^text\/csv/);
    expect(template.headers['content-disposition']).toMatch(/attachment; filename=".+\.csv"/);
    const rows = parse(template.body, { bom: true }) as string[][];
    expect(rows[0]).toEqual([
      'measure_id',
      'measure',
      'period',
      'value',
      'numerator',
      'denominator',
      'lower',
      'upper',
      'msg_average',
      'source',
      'note',
    ]);
    // The clock says 23 November 2026: twelve months to November 2026 for the monthly measure.
    const violenceRows = rows.filter((r) => r[0] === violence().lineageId);
    expect(violenceRows.map((r) => r[2])).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    expect(rows.filter((r) => r[0] === victims().lineageId).map((r) => r[2])).toContain('fy2026-27-q3');
    expect(rows.filter((r) => r[0] === feelSafe().lineageId).map((r) => r[2])).toEqual(['fy2024-25', 'fy2025-26', 'fy2026-27']);
    expect(rows.slice(1).every((r) => r[3] === '')).toBe(true);

    // Fill in two monthly values and one quarterly value with its numerator and denominator.
    const filled = rows.map((r, i) => {
      if (i === 0) return r;
      if (r[0] === violence().lineageId && r[2] === '2026-09') return Object.assign([...r], { 3: '1500' });
      if (r[0] === violence().lineageId && r[2] === '2026-10') return Object.assign([...r], { 3: '1450', 9: 'Force crime data' });
      if (r[0] === victims().lineageId && r[2] === 'fy2026-27-q2') return Object.assign([...r], { 3: '75', 4: '300', 5: '400' });
      return r;
    });
    const csv = filled.map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n');
    const first = await preview(officer, 'values.csv', csv);
    const text = textOf(first.page.body);
    expect(text).toContain('New values 3');
    expect(text).toContain('Rejected rows 0');
    expect(first.page.body).toContain('Apply these 3 values');
    expect(await revisionCount()).toBe(0);

    const applied = await officer.submit(first.url, {}, `${first.url}/apply`);
    expect(applied.statusCode).toBe(302);
    expect(applied.headers.location).toBe(plan.dashboardUrl);
    const september = await valueOf(violence().lineageId, '2026-09-01');
    expect(september).toMatchObject({ value: 1500, revision: 1, source: 'file', measureImportId: first.importId });
    expect(await valueOf(violence().lineageId, '2026-10-01')).toMatchObject({ value: 1450, sourceNote: 'Force crime data', revision: 1 });
    expect(await valueOf(victims().lineageId, '2026-07-01')).toMatchObject({
      value: 75,
      numerator: 300,
      denominator: 400,
      periodKind: 'quarter',
    });
    expect(september!.enteredBy).not.toBeNull();
    expect(await revisionCount()).toBe(3);
    const [stored] = await context.database.db.select().from(measureImports).where(eq(measureImports.id, first.importId));
    expect(stored!.status).toBe('applied');
    const audit = await context.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'measure_import.applied'), eq(auditEvents.subjectId, first.importId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.policingBodyId).toBe(bodyId);

    // The next template carries the recorded values; change one and upload it again.
    const again = parse((await officer.get(`${importUrl()}/template.csv`)).body, { bom: true }) as string[][];
    const septemberRow = again.findIndex((r) => r[0] === violence().lineageId && r[2] === '2026-09');
    expect(again[septemberRow]![3]).toBe('1500');
    again[septemberRow]![3] = '1520';
    const second = await preview(
      officer,
      'values-corrected.csv',
      again.map((r) => r.map((c) => (/[",]/.test(c) ? `"${c}"` : c)).join(',')).join('\n'),
    );
    const secondText = textOf(second.page.body);
    expect(secondText).toContain('Revised values 1');
    expect(secondText).toContain('Unchanged values 2');
    expect(secondText).toContain('New values 0');
    expect(secondText).toMatch(/1500 → changed to 1520/);
    expect(second.page.body).toContain('Apply this value');
    expect((await officer.submit(second.url, {}, `${second.url}/apply`)).statusCode).toBe(302);
    expect(await valueOf(violence().lineageId, '2026-09-01')).toMatchObject({ value: 1520, revision: 2 });
    expect(await valueOf(violence().lineageId, '2026-10-01')).toMatchObject({ value: 1450, revision: 1 });
    expect(await revisionCount()).toBe(4);

    // Applying the same import twice records nothing more and says why.
    const twice = await officer.submit(second.url, {}, `${second.url}/apply`);
    expect(twice.statusCode).toBe(409);
    expect(errorSummaryText(twice.body)).toContain('already been applied');
    expect(await revisionCount()).toBe(4);
  });

  it('lists every rejected row with its line and reason, and refuses to apply any of the file', async () => {
    const before = await revisionCount();
    const { page, url } = await preview(officer, 'long-with-errors.csv', await fixture('long-with-errors.csv'));
    const text = textOf(page.body);
    const rejectedLines = [
      ...page.body.matchAll(
        /<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)<\/td>\s*<td class="govuk-table__cell">([^<]*)<\/td>/g,
      ),
    ].map((m) => Number(m[1]));
    expect(rejectedLines).toEqual([3, 4, 7, 8, 9, 10, 11, 12, 14]);
    expect(text).toContain('"Burglary" is not a measure of this plan');
    expect(text).toContain('"2024-13" is not a period');
    expect(text).toContain('Violence and sexual offences for Jul 2024 is already on line 2');
    expect(text).toContain('Victims satisfied with the service is reported quarterly');
    expect(text).toContain('must contain the value 80');
    expect(text).toContain('The value "abc" is not a number');
    expect(text).toContain('Give both the numerator and the denominator, or neither');
    expect(text).toContain('The denominator must be greater than 0');
    expect(text).toContain('Jan 2030 has not started yet');
    expect(text).toContain('Rejected rows 9');
    expect(text).toContain('Nothing in this file can be recorded');
    expect(page.body).not.toContain('/apply"');

    // Even posting the apply form by hand records nothing.
    const forced = await officer.post(`${url}/apply`, {});
    expect(forced.statusCode).toBe(409);
    expect(errorSummaryText(forced.body)).toContain('rows that cannot be recorded');
    expect(await revisionCount()).toBe(before);
    const [stored] = await context.database.db
      .select()
      .from(measureImports)
      .where(eq(measureImports.id, url.split('/').pop()!));
    expect(stored!.status).toBe('previewed');
    expect(stored!.rejected.map((r) => r.line)).toEqual([3, 4, 7, 8, 9, 10, 11, 12, 14]);
  });

  it('applies a long CSV of values given by measure name, with friendly periods, intervals and a byte order mark', async () => {
    const { url, page } = await preview(officer, 'long-by-name.csv', await fixture('long-by-name.csv'));
    expect(textOf(page.body)).toContain('New values 5');
    expect((await officer.submit(url, {}, `${url}/apply`)).statusCode).toBe(302);
    expect(await valueOf(violence().lineageId, '2024-06-01')).toMatchObject({ value: 1250, revision: 1 });
    expect(await valueOf(victims().lineageId, '2024-04-01')).toMatchObject({
      value: 72.5,
      numerator: 290,
      denominator: 400,
      confidenceLower: 68.1,
      confidenceUpper: 76.9,
      mostSimilarGroupAverage: 70.2,
      sourceNote: 'Victim survey',
      note: 'Survey of 400 victims, April to June',
    });
    expect(await valueOf(feelSafe().lineageId, '2024-04-01')).toMatchObject({
      value: 61,
      periodKind: 'financial_year',
      confidenceLower: 58,
    });
  });

  it('reads XLSX files in both layouts: dates, formulas and numbers as Excel stores them', async () => {
    // long.xlsx has the same five values as long-by-name.csv, applied above: nothing changes.
    const long = await preview(officer, 'long.xlsx', await fixture('long.xlsx'));
    const longText = textOf(long.page.body);
    expect(longText).toContain('Values in the file 5');
    expect(longText).toContain('Rejected rows 0');
    // Only the victims' note differs, and a note alone does not make a new revision.
    expect(longText).toContain('Unchanged values 5');

    const wide = await preview(officer, 'wide.xlsx', await fixture('wide.xlsx'));
    expect(textOf(wide.page.body)).toContain('New values 4');
    expect((await officer.submit(wide.url, {}, `${wide.url}/apply`)).statusCode).toBe(302);
    expect(await valueOf(violence().lineageId, '2024-08-01')).toMatchObject({ value: 1400, source: 'file' });
    expect(await valueOf(answerTime().lineageId, '2024-08-01')).toMatchObject({ value: 88 });
    expect(await valueOf(violence().lineageId, '2024-09-01')).toMatchObject({ value: 1350 });
    expect(await valueOf(victims().lineageId, '2024-07-01')).toMatchObject({ value: 74, periodKind: 'quarter' });
  });

  it('round-trips both XLSX templates, with the measures listed on a second sheet', async () => {
    for (const layout of ['long', 'wide'] as const) {
      const response = await officer.get(`${importUrl()}/template.xlsx?layout=${layout}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe(XLSX_TYPE);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const measuresSheet = workbook.getWorksheet('Measures')!;
      const listed = measuresSheet
        .getSheetValues()
        .slice(2)
        .map((r) => (r as ExcelJS.CellValue[]).slice(1));
      expect(listed).toContainEqual([
        victims().lineageId,
        victims().name,
        '%',
        'Quarterly',
        'a financial quarter, for example fy2024-25-q1',
      ]);
      expect(listed).toHaveLength(4);

      const values = workbook.getWorksheet('Values')!;
      const period = '2026-06';
      const newValue = layout === 'long' ? 111 : 222;
      if (layout === 'long') {
        values.eachRow((row) => {
          if (row.getCell(1).value === answerTime().lineageId && row.getCell(3).value === period) row.getCell(4).value = newValue;
        });
      } else {
        expect(values.getRow(2).getCell(1).value).toBe('measure_id');
        const column = (values.getRow(2).values as ExcelJS.CellValue[]).indexOf(answerTime().lineageId);
        values.eachRow((row) => {
          if (row.getCell(1).value === period) row.getCell(column).value = newValue;
        });
      }
      const content = Buffer.from(await workbook.xlsx.writeBuffer());
      const filled = await preview(officer, `template-${layout}.xlsx`, content);
      expect(textOf(filled.page.body)).toContain('Rejected rows 0');
      expect((await officer.submit(filled.url, {}, `${filled.url}/apply`)).statusCode).toBe(302);
      expect(await valueOf(answerTime().lineageId, '2026-06-01')).toMatchObject({ value: newValue, revision: layout === 'long' ? 1 : 2 });
    }
  });

  it('reads a wide CSV with names for headers', async () => {
    const wide = await preview(officer, 'wide-by-name.csv', await fixture('wide-by-name.csv'));
    // The same four values as wide.xlsx, already recorded.
    expect(textOf(wide.page.body)).toContain('Unchanged values 4');
  });

  it('round-trips the wide CSV template, which carries the recorded values under each measure', async () => {
    const rows = parse((await officer.get(`${importUrl()}/template.csv?layout=wide`)).body, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['period', ...plan.measures.map((m) => m.name)]);
    expect(rows[1]).toEqual(['measure_id', ...plan.measures.map((m) => m.lineageId)]);
    const column = rows[1]!.indexOf(answerTime().lineageId);
    const june = rows.find((r) => r[0] === '2026-06')!;
    expect(june[column]).toBe('222');
    // A quarter row has no cell for a monthly measure.
    expect(rows.find((r) => r[0] === 'fy2026-27-q1')![column]).toBe('');
    june[column] = '230';
    const { url, page } = await preview(officer, 'wide-template.csv', rows.map((r) => r.join(',')).join('\n'));
    const text = textOf(page.body);
    expect(text).toContain('Revised values 1');
    expect(text).toContain('New values 0');
    expect(text).toContain('222 → changed to 230');
    expect((await officer.submit(url, {}, `${url}/apply`)).statusCode).toBe(302);
    expect(await valueOf(answerTime().lineageId, '2026-06-01')).toMatchObject({ value: 230, revision: 3 });
    // Once applied, the page shows the file as it was, without comparing it with today's values.
    const applied = textOf((await officer.get(url)).body);
    expect(applied).toContain('Status Applied');
    expect(applied).not.toContain('Revised values');
  });

  it('records the values once when two people apply the same file at the same moment', async () => {
    const before = await revisionCount();
    const { url } = await preview(officer, 'values.csv', 'measure,period,value\nViolence and sexual offences,2025-03,777\n');
    const colleague = new Agent(app);
    const user = await createUser(context.database, { memberships: [{ policingBodyId: bodyId, role: 'force' }] });
    await colleague.signIn(user.email, PASSWORD);
    await Promise.all([officer.get(url), colleague.get(url)]);
    const answers = await Promise.all([officer.post(`${url}/apply`, {}), colleague.post(`${url}/apply`, {})]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([302, 409]);
    expect(await revisionCount()).toBe(before + 1);
    expect(await valueOf(violence().lineageId, '2025-03-01')).toMatchObject({ value: 777, revision: 1 });
  });

  it('refuses files that are missing, empty, not CSV or XLSX, not UTF-8, or have a header it does not know, keeping nothing', async () => {
    const importsBefore = (await context.database.db.select().from(measureImports).where(eq(measureImports.planId, plan.planId))).length;
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Not a spreadsheet')] }] }));
    const cases: [{ filename: string; content: Buffer | string; type?: string } | null, string][] = [
      [null, 'Select a CSV or XLSX file of measure values'],
      [{ filename: 'empty.csv', content: await fixture('empty.csv') }, 'The selected file is empty'],
      [{ filename: 'garbage-header.csv', content: await fixture('garbage-header.csv') }, 'not a header this service recognises'],
      [{ filename: 'not-utf8.csv', content: await fixture('not-utf8.csv') }, 'not UTF-8 text'],
      [{ filename: 'plan.docx', content: docx, type: 'application/octet-stream' }, 'zip archive, not an Excel workbook'],
      [{ filename: 'values.xlsx', content: 'measure,period,value\n' }, 'not a valid Excel workbook'],
      [{ filename: 'values.pdf', content: '%PDF-1.7', type: 'application/pdf' }, 'must be a CSV or an XLSX file'],
      [
        { filename: 'semicolons.csv', content: 'measure;period;value\nViolence and sexual offences;2024-05;1\n' },
        'separated by semicolons',
      ],
      [
        {
          filename: 'bomb.xlsx',
          content: zipOf([
            { name: '[Content_Types].xml', text: CONTENT_TYPES },
            { name: 'xl/worksheets/sheet1.xml', text: '<worksheet/>', claimedSize: 200 * 1024 * 1024 },
          ]),
        },
        'too large to read',
      ],
      [
        { filename: 'broken.xlsx', content: zipOf([{ name: '[Content_Types].xml', text: CONTENT_TYPES }]) },
        'The selected workbook has no sheets',
      ],
      [{ filename: 'wide.csv', content: 'period,Burglary\n2024-05,3\n' }, '"Burglary" is not a measure of this plan'],
      [{ filename: 'long.csv', content: 'measure,period,value,colour\n' }, 'does not recognise: colour'],
      [{ filename: 'blank.csv', content: 'measure,period,value\n,2024-05,\n' }, 'has no values'],
    ];
    for (const [file, message] of cases) {
      const response = await upload(officer, file);
      expect(response.statusCode, file?.filename).toBe(400);
      expect(textOf(errorSummaryText(response.body))).toContain(message);
      expect(response.body).toContain('govuk-file-upload');
      expect(response.body).toMatch(/<title>Error: /);
    }
    const importsAfter = (await context.database.db.select().from(measureImports).where(eq(measureImports.planId, plan.planId))).length;
    expect(importsAfter).toBe(importsBefore);
  });

  it('refuses a file over 5 MB', async () => {
    const response = await upload(officer, { filename: 'big.csv', content: Buffer.alloc(5 * 1024 * 1024 + 1, 'a') });
    expect(response.statusCode).toBe(413);
    expect(errorSummaryText(response.body)).toContain('smaller than 5 MB');
  });

  it('discards an import without recording anything, and will not apply it afterwards', async () => {
    const before = await revisionCount();
    const { url } = await preview(officer, 'values.csv', 'measure,period,value\nViolence and sexual offences,2025-01,999\n');
    const discarded = await officer.submit(url, {}, `${url}/discard`);
    expect(discarded.statusCode).toBe(302);
    expect(discarded.headers.location).toBe(importUrl());
    const applied = await officer.post(`${url}/apply`, {});
    expect(applied.statusCode).toBe(409);
    expect(errorSummaryText(applied.body)).toContain('discarded');
    expect(await revisionCount()).toBe(before);
    const audit = await context.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'measure_import.discarded'));
    expect(audit.some((a) => a.subjectId === url.split('/').pop())).toBe(true);
  });

  it('answers 404 for an unknown import or another plan’s, and 403 to roles that do not record values', async () => {
    const { url, importId } = await preview(officer, 'values.csv', 'measure,period,value\nViolence and sexual offences,2025-02,998\n');
    const owner = await createUser(context.database, { memberships: [{ policingBodyId: bodyId, role: 'officer' }] });
    const other = await monitoredPlan(context.database, owner, { id: bodyId, slug }, { title: 'Another plan' });
    const otherUrl = `/bodies/${slug}/plans/${other.planId}/performance/imports/${importId}`;
    expect((await officer.get(otherUrl)).statusCode).toBe(404);
    expect((await officer.post(`${otherUrl}/apply`, {})).statusCode).toBe(404);
    expect((await officer.get(url.replace(importId, '00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404);
    expect((await officer.get(url.replace(importId, 'not-an-id'))).statusCode).toBe(404);

    const force = await signedIn('force');
    expect((await force.get(url)).statusCode).toBe(200);
    for (const role of ['partner', 'panel_member'] as const) {
      const reader = await signedIn(role);
      expect((await reader.get(importUrl())).statusCode).toBe(403);
      expect((await reader.get(`${importUrl()}/template.csv`)).statusCode).toBe(403);
      expect((await reader.get(url)).statusCode).toBe(403);
      expect((await reader.post(`${url}/apply`, {})).statusCode).toBe(403);
    }
    const [stored] = await context.database.db.select().from(measureImports).where(eq(measureImports.id, importId));
    expect(stored!.status).toBe('previewed');
  });
});
