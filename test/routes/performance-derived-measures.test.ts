import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { and, desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../src/platform/audit/audit.tables.ts';
import { measureSettings, measureValues } from '../../src/features/performance/performance.tables.ts';
import { recomputeDerivedMeasures } from '../../src/features/performance/derived-measures.service.ts';
import { importPoliceDataFile } from '../../src/features/performance/police-data.service.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { monitoredPlan, type MonitoredPlan } from '../support/performance.ts';
import { loadStreetMonth } from '../support/crime-data.ts';

const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const month = (index: number) => `${2018 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;

describeOnEveryEngine('derived measures: computed from imported street-level crime', (context) => {
  let app: FastifyInstance;
  let officer: Agent;
  let partner: Agent;
  let outsider: Agent;
  let slug: string;
  let bodyId: string;
  let plan: MonitoredPlan;
  const db = () => context.database.db;
  const derivedUrl = (measure: number | string) =>
    `/bodies/${slug}/plans/${plan.planId}/performance/measures/${typeof measure === 'number' ? plan.measures[measure]!.lineageId : measure}/derived`;
  const lineage = (measure: number) => plan.measures[measure]!.lineageId;
  const valuesOf = (measure: number) =>
    db()
      .select()
      .from(measureValues)
      .where(and(eq(measureValues.planId, plan.planId), eq(measureValues.measureLineageId, lineage(measure))))
      .orderBy(measureValues.periodStart, measureValues.revision);
  /** Violence and sexual offences per month in the made-up data: 100 + the month's index, and 7 burglaries. */
  const load = (index: number, violence = 100 + index) =>
    loadStreetMonth(context.database, {
      policingBodyId: bodyId,
      forceAreaId: 'dyfed-powys',
      month: month(index),
      groups: [
        { type: 'Violence and sexual offences', count: violence, lsoa: ['W01000001', 'Powys 001A'] },
        { type: 'Burglary', count: 7, lsoa: ['W01000001', 'Powys 001A'] },
      ],
    });

  /** Posts repeated fields (several ticked boxes), as a browser does, with the page's CSRF token. */
  const postPairs = async (agent: Agent, url: string, pairs: [string, string][]) => {
    const form = await agent.get(url);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    return app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pcp_session=${agent.sessionCookie}` },
      payload: new URLSearchParams([['_csrf', token], ...pairs]).toString(),
    });
  };

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, partner: partnerOrg } = await createBody(context.database, { forceAreaId: 'dyfed-powys' });
    const other = await createBody(context.database);
    slug = body.slug;
    bodyId = body.id;
    const office = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    const partnerUser = await createUser(context.database, {
      memberships: [{ policingBodyId: body.id, role: 'partner', partnerId: partnerOrg.id }],
    });
    const stranger = await createUser(context.database, { memberships: [{ policingBodyId: other.body.id, role: 'officer' }] });
    plan = await monitoredPlan(context.database, office, body);
    officer = new Agent(app);
    partner = new Agent(app);
    outsider = new Agent(app);
    await officer.signIn(office.email, PASSWORD);
    await partner.signIn(partnerUser.email, PASSWORD);
    await outsider.signIn(stranger.email, PASSWORD);
  });
  afterAll(() => app.close());

  it('lets only those who grade measures define them (403), for measures and plans that exist (404)', async () => {
    expect((await partner.get(derivedUrl(0))).statusCode).toBe(403);
    expect((await outsider.get(derivedUrl(0))).statusCode).toBe(403);
    expect((await officer.get(derivedUrl('00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404);
    expect((await officer.get(`/bodies/${slug}/plans/not-a-plan/performance/measures/${lineage(0)}/derived`)).statusCode).toBe(404);
    const form = await officer.get(derivedUrl(0));
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('No street-level crime data are loaded for Dyfed-Powys Police yet');
    expect(form.body).toContain('Not derived from open police data');
    // A partner cannot post either, even with a token from a page they may see.
    await partner.get(`/bodies/${slug}/crime-data`);
    expect((await partner.post(derivedUrl(0), { crimeTypes: 'burglary', statistic: 'monthly_count', version: '0' })).statusCode).toBe(403);
  });

  it('refuses an incomplete definition with the error summary, keeping the boxes ticked', async () => {
    await officer.get(derivedUrl(0));
    const refused = await officer.post(derivedUrl(0), { crimeTypes: 'violent-crime', version: '0' });
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryText(refused.body)).toContain('Choose what to compute');
    expect(refused.body).toMatch(/value="violent-crime" checked/);
    expect(refused.body).toContain('href="#statistic"');
    const unknown = await officer.post(derivedUrl(0), { crimeTypes: 'murder', statistic: 'monthly_count', version: '0' });
    expect(unknown.statusCode).toBe(400);
    expect(errorSummaryText(unknown.body)).toContain('Choose crime types from the list');
    expect(await db().select().from(measureSettings)).toEqual([]);
  });

  it('computes the values at once from the data already imported, and records the change in the audit log', async () => {
    for (const index of [9, 10, 11]) await load(index); // October to December 2018
    await officer.get(derivedUrl(0));
    const saved = await officer.post(derivedUrl(0), { crimeTypes: 'violent-crime', statistic: 'monthly_count', version: '0' });
    expect(saved.statusCode).toBe(302);
    expect(saved.headers.location).toBe(derivedUrl(0));
    const page = await officer.get(derivedUrl(0));
    expect(page.body).toContain('Violence and sexual offences is now computed from data.police.uk: 3 values recorded.');
    expect(page.body).toContain('Number of crimes: Violence and sexual offences');
    expect(textOf(page.body)).toMatch(/Oct 2018 109 1/);
    expect(textOf(page.body)).not.toMatch(/undefined|NaN|\[object/);

    const values = await valuesOf(0);
    expect(values.map((v) => [v.periodKind, v.periodStart, v.value, v.revision, v.source, v.enteredBy])).toEqual([
      ['month', '2018-10-01', 109, 1, 'derived', null],
      ['month', '2018-11-01', 110, 1, 'derived', null],
      ['month', '2018-12-01', 111, 1, 'derived', null],
    ]);
    expect(values[0]!.sourceNote).toBe('data.police.uk street-level crime, Violence and sexual offences');

    const [settings] = await db().select().from(measureSettings);
    expect(settings).toMatchObject({
      version: 1,
      gradingRule: 'target',
      derived: { dataset: 'street', crimeTypes: ['Violence and sexual offences'], statistic: 'monthly_count' },
    });
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, 'measure.derived_defined'));
    expect(event).toMatchObject({ subjectId: lineage(0), policingBodyId: bodyId });
    expect((event!.after as { derived: unknown }).derived).toEqual(settings!.derived);
  });

  it('refuses a save over someone else’s, showing both, and keeps the other columns of the settings row', async () => {
    // Someone changes the grading rule meanwhile (the grading form writes the same row).
    await db()
      .update(measureSettings)
      .set({ gradingRule: 'trend', version: 2 })
      .where(eq(measureSettings.measureLineageId, lineage(0)));
    await officer.get(derivedUrl(0));
    const stale = await postPairs(officer, derivedUrl(0), [
      ['crimeTypes', 'burglary'],
      ['crimeTypes', 'violent-crime'],
      ['statistic', 'rolling_12_months'],
      ['version', '1'],
    ]);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Saved by someone else');
    expect(stale.body).toContain('Number of crimes: Violence and sexual offences');
    expect(stale.body).toMatch(/value="burglary" checked/);
    expect(stale.body).toContain('name="version" value="2"');

    const again = await officer.post(derivedUrl(0), { crimeTypes: 'violent-crime', statistic: 'monthly_count', version: '2' });
    expect(again.statusCode).toBe(302);
    const [settings] = await db().select().from(measureSettings);
    expect(settings).toMatchObject({ version: 3, gradingRule: 'trend' });
  });

  it('recomputes on each import: twice over the same data writes nothing, a corrected month is revision 2', async () => {
    expect(await recomputeDerivedMeasures(db(), 'dyfed-powys')).toBe(0);
    await load(12); // January 2019
    expect(await recomputeDerivedMeasures(db(), 'dyfed-powys')).toBe(1);
    expect(await recomputeDerivedMeasures(db(), 'dyfed-powys')).toBe(0);
    await load(10, 90); // November 2018 re-published with fewer crimes
    expect(await recomputeDerivedMeasures(db(), 'dyfed-powys')).toBe(1);
    const values = await valuesOf(0);
    expect(values.filter((v) => v.periodStart === '2018-11-01').map((v) => [v.value, v.revision])).toEqual([
      [110, 1],
      [90, 2],
    ]);
    expect(await recomputeDerivedMeasures(db(), 'avon-and-somerset')).toBe(0);
  });

  it('gives rolling figures only where every month they need is loaded', async () => {
    await officer.get(derivedUrl(2));
    const saved = await officer.post(derivedUrl(2), { statistic: 'rolling_12_months', version: '0' });
    expect(saved.statusCode).toBe(302);
    expect(await valuesOf(2)).toEqual([]); // four months loaded, not twelve
    for (let i = 0; i <= 8; i += 1) await load(i); // January to September 2018
    expect(await recomputeDerivedMeasures(db(), 'dyfed-powys')).toBe(2 + 9); // two new 12-month sums, and nine new months of measure 0
    const values = await valuesOf(2);
    // All crime: violence (100 + index, November corrected to 90) and 7 burglaries a month.
    const all = (i: number) => (i === 10 ? 90 : 100 + i) + 7;
    const sum = (last: number) => Array.from({ length: 12 }, (_, k) => all(last - k)).reduce((a, b) => a + b, 0);
    expect(values.map((v) => [v.periodStart, v.value])).toEqual([
      ['2018-12-01', sum(11)],
      ['2019-01-01', sum(12)],
    ]);
    expect(values[0]!.sourceNote).toBe('data.police.uk street-level crime, all crime types');
  });

  it('adds up the months of a quarter for a quarterly measure, once all three are loaded', async () => {
    const form = await officer.get(derivedUrl(1));
    expect(form.body).toContain('each value covers a financial quarter');
    const saved = await officer.post(derivedUrl(1), { crimeTypes: 'burglary', statistic: 'monthly_count', version: '0' });
    expect(saved.statusCode).toBe(302);
    const values = await valuesOf(1);
    // January to March 2018 is Q4 2017/18; … October to December 2018 is Q3 2018/19; January 2019 alone is not a quarter.
    expect(values.map((v) => [v.periodKind, v.periodStart, v.value])).toEqual([
      ['quarter', '2018-01-01', 21],
      ['quarter', '2018-04-01', 21],
      ['quarter', '2018-07-01', 21],
      ['quarter', '2018-10-01', 21],
    ]);
  });

  it('stops computing a measure on request, keeping its values on record', async () => {
    const before = (await valuesOf(1)).length;
    await officer.get(derivedUrl(1));
    const removed = await officer.post(derivedUrl(1), { action: 'remove', version: '1' });
    expect(removed.statusCode).toBe(302);
    const [settings] = await db()
      .select()
      .from(measureSettings)
      .where(eq(measureSettings.measureLineageId, lineage(1)));
    expect(settings).toMatchObject({ derived: null, version: 2 });
    expect(await valuesOf(1)).toHaveLength(before);
    await load(13); // February 2019: nothing more for the quarterly measure
    await recomputeDerivedMeasures(db(), 'dyfed-powys');
    expect(await valuesOf(1)).toHaveLength(before);
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'measure.derived_removed'))
      .orderBy(desc(auditEvents.id));
    expect((event!.before as { derived: { crimeTypes: string[] } }).derived.crimeTypes).toEqual(['Burglary']);
  });
});

/** End to end: a derived measure defined first gets its values from data.police.uk files as they are imported. */
describeOnEveryEngine('derived measures from imported data.police.uk files', (context) => {
  const file = (m: string) => fileURLToPath(new URL(`../../../shared/data/police-uk/${m}-dyfed-powys-street.csv`, import.meta.url));
  /** Rows of a crime type in a file, counted here (these files quote nothing). */
  const countOf = async (m: string, type: string) =>
    (await readFile(file(m), 'utf8')).split(/\r?\n/).filter((line) => line.split(',')[9] === type).length;

  it('computes the values on import, and a re-import of the same month adds no revision', async () => {
    const { app } = await buildTestApp(context.database);
    const { body } = await createBody(context.database, { forceAreaId: 'dyfed-powys' });
    const office = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    const plan = await monitoredPlan(context.database, office, body);
    const agent = new Agent(app);
    await agent.signIn(office.email, PASSWORD);
    const url = `/bodies/${body.slug}/plans/${plan.planId}/performance/measures/${plan.measures[0]!.lineageId}/derived`;
    await agent.get(url);
    expect((await agent.post(url, { crimeTypes: 'violent-crime', statistic: 'monthly_count', version: '0' })).statusCode).toBe(302);

    for (const m of ['2019-01', '2019-02', '2019-01']) {
      const report = await importPoliceDataFile(context.database, { path: file(m), policingBodyId: body.id, userId: office.id });
      expect(report.status).toBe('succeeded');
    }
    const values = await context.database.db
      .select()
      .from(measureValues)
      .where(eq(measureValues.measureLineageId, plan.measures[0]!.lineageId))
      .orderBy(measureValues.periodStart, measureValues.revision);
    expect(values.map((v) => [v.periodStart, v.value, v.revision, v.source])).toEqual([
      ['2019-01-01', await countOf('2019-01', 'Violence and sexual offences'), 1, 'derived'],
      ['2019-02-01', await countOf('2019-02', 'Violence and sexual offences'), 1, 'derived'],
    ]);
    const page = await agent.get(url);
    expect(page.body).toContain('Street-level crime loaded for Dyfed-Powys Police: Jan 2019 to Feb 2019 (2 months).');
    await app.close();
  }, 300_000);
});
