import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forceAreas } from '../../src/features/organisations/organisations.tables.ts';
import { areasByCount, type AreaCount } from '../../src/features/performance/crime-data.repository.ts';
import { importPoliceDataFile } from '../../src/features/performance/police-data.service.ts';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, errorSummaryText, PASSWORD } from '../support/app.ts';
import { loadStopSearchMonth, loadStreetMonth, parseCsv, type CrimeGroup } from '../support/crime-data.ts';

/** The visible text of an HTML fragment, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The cells of the explorer's month × crime type table, row header first. */
function countRows(html: string): string[][] {
  const table = /<table class="govuk-table govuk-table--small-text-until-tablet app-count-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      textOf(cell[1]!.replace(/<span class="govuk-visually-hidden">[^<]*<\/span>/g, '')),
    ),
  );
}

const lsoa = (n: number): [string, string] => [`W0100${String(1000 + n)}`, `Ceredigion ${String(n).padStart(3, '0')}A`];

describeOnEveryEngine('crime data explorer', (context) => {
  let app: FastifyInstance;
  let viewer: Agent;
  let outsider: Agent;
  let slug: string;
  let bodyId: string;
  const url = (part = '') => `/bodies/${slug}/crime-data${part}`;

  // Three months of made-up aggregates for Dyfed-Powys, and a month of stop and search.
  const months: Record<string, CrimeGroup[]> = {
    '2018-11-01': [
      { type: 'Burglary', count: 4, lsoa: lsoa(1), outcome: 'Under investigation' },
      { type: 'Violence and sexual offences', count: 10, lsoa: lsoa(1), outcome: 'Unable to prosecute suspect' },
      { type: 'Violence and sexual offences', count: 3, lsoa: lsoa(2), outcome: 'Under investigation' },
      { type: 'Anti-social behaviour', count: 20, lsoa: lsoa(3) },
    ],
    '2018-12-01': [
      { type: 'Burglary', count: 6, lsoa: lsoa(2), outcome: 'Under investigation' },
      { type: 'Violence and sexual offences', count: 8, lsoa: lsoa(1), outcome: 'Unable to prosecute suspect' },
      // Two crimes data.police.uk could not place in an area.
      { type: 'Violence and sexual offences', count: 2 },
      { type: 'Anti-social behaviour', count: 15, lsoa: lsoa(3) },
      { type: 'Drugs', count: 1, lsoa: ['W01009999', '=HYPERLINK("http://evil.example")'] },
    ],
    '2019-01-01': [
      { type: 'Burglary', count: 5, lsoa: lsoa(1), outcome: 'Investigation complete; no suspect identified' },
      { type: 'Violence and sexual offences', count: 12, lsoa: lsoa(2), outcome: 'Under investigation' },
      { type: 'Anti-social behaviour', count: 18, lsoa: lsoa(3) },
      // Many small areas, so the drill-down has more than one page.
      ...Array.from({ length: 30 }, (_, i) => ({ type: 'Shoplifting', count: 1, lsoa: lsoa(10 + i), outcome: 'Awaiting court outcome' })),
    ],
  };

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body, partner: partnerBody } = await createBody(context.database, { forceAreaId: 'dyfed-powys' });
    const other = await createBody(context.database);
    slug = body.slug;
    bodyId = body.id;
    const partner = await createUser(context.database, {
      memberships: [{ policingBodyId: body.id, role: 'partner', partnerId: partnerBody.id }],
    });
    const stranger = await createUser(context.database, { memberships: [{ policingBodyId: other.body.id, role: 'officer' }] });
    viewer = new Agent(app);
    outsider = new Agent(app);
    await viewer.signIn(partner.email, PASSWORD);
    await outsider.signIn(stranger.email, PASSWORD);
  });
  afterAll(() => app.close());

  it('explains that nothing is loaded yet, and the force has nothing to explore', async () => {
    const page = await viewer.get(url());
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('No street-level crime data have been imported for Dyfed-Powys Police yet.');
    expect(page.body).not.toContain('app-count-table');
  });

  it('refuses users of another body (403), unknown bodies and areas (404), and signed-out visitors', async () => {
    expect((await outsider.get(url())).statusCode).toBe(403);
    expect((await outsider.get(url('/counts.csv'))).statusCode).toBe(403);
    expect((await outsider.get(url('/areas'))).statusCode).toBe(403);
    expect((await viewer.get('/bodies/no-such-body/crime-data')).statusCode).toBe(404);
    const anonymous = await new Agent(app).get(url());
    expect(anonymous.statusCode).toBe(302);

    for (const [month, groups] of Object.entries(months)) {
      await loadStreetMonth(context.database, { policingBodyId: bodyId, forceAreaId: 'dyfed-powys', month, groups });
    }
    await loadStopSearchMonth(context.database, {
      policingBodyId: bodyId,
      forceAreaId: 'dyfed-powys',
      month: '2019-01-01',
      groups: [
        { object: 'Controlled drugs', outcome: 'A no further action disposal', count: 7 },
        { object: 'Controlled drugs', outcome: 'Arrest', count: 2 },
        { object: 'Offensive weapons', outcome: 'A no further action disposal', count: 3 },
      ],
    });
    expect((await viewer.get(url('/areas/W01009998'))).statusCode).toBe(404);
    expect((await viewer.get(url('/areas/not-a-code'))).statusCode).toBe(404);
    expect((await outsider.get(url(`/areas/${lsoa(1)[0]}`))).statusCode).toBe(403);
  });

  it('shows the loaded months and, by default, every loaded month up to a year, by month and crime type with totals', async () => {
    const page = await viewer.get(url());
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Street-level crime November 2018 to January 2019 (3 months)');
    expect(text).toContain('Stop and search January 2019 (1 month)');
    expect(text).toContain('Outcomes none loaded');
    expect(page.body).toContain('value="2018-11"');
    expect(page.body).toContain('value="2019-01"');

    const rows = countRows(page.body);
    expect(rows[0]).toEqual(['Crime type', 'Nov 2018', 'Dec 2018', 'Jan 2019', 'Total']);
    // Published order: anti-social behaviour first, violence after shoplifting.
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      'Anti-social behaviour',
      'Burglary',
      'Drugs',
      'Shoplifting',
      'Violence and sexual offences',
      'All crime types',
    ]);
    const expected = (type: string | null, month: string) =>
      months[month]!.filter((g) => type === null || g.type === type).reduce((s, g) => s + g.count, 0);
    const monthKeys = Object.keys(months);
    for (const row of rows.slice(1)) {
      const type = row[0] === 'All crime types' ? null : row[0]!;
      const values = monthKeys.map((m) => expected(type, m));
      expect(row.slice(1)).toEqual([...values, values.reduce((a, b) => a + b, 0)].map(String));
    }
    const total = monthKeys.reduce((s, m) => s + expected(null, m), 0);
    expect(text).toContain(`${total} crimes were recorded in the 3 months from November 2018 to January 2019.`);
    expect(text).toContain(`The highest month was January 2019 with ${expected(null, '2019-01-01')}`);
    expect(page.body).toMatch(/<svg[^>]*role="img"/);
    expect(text).not.toMatch(/undefined|NaN|\[object/);

    // Outcomes by last category, and stop and search by object and outcome.
    expect(text).toMatch(/Under investigation 25 /);
    expect(text).toMatch(/No outcome recorded 56 /);
    expect(text).toContain('12 stops and searches were recorded from November 2018 to January 2019.');
    expect(text).toMatch(/Controlled drugs 9 Offensive weapons 3/);
    expect(text).toMatch(/A no further action disposal 10 Arrest 2/);
  });

  it('filters by months and crime type, linking each count to its areas', async () => {
    const page = await viewer.get(url('?from=2018-12&to=2019-01&type=violent-crime'));
    expect(page.statusCode).toBe(200);
    const rows = countRows(page.body);
    expect(rows).toEqual([
      ['Crime type', 'Dec 2018', 'Jan 2019', 'Total'],
      ['Violence and sexual offences', '10', '12', '22'],
      ['All crime types', '10', '12', '22'],
    ]);
    expect(page.body).toContain('<option value="violent-crime" selected>');
    expect(page.body).toContain(`href="${url('/areas')}?from=2018-12&amp;to=2018-12&amp;type=violent-crime"`);
    expect(textOf(page.body)).toContain('22 Violence and sexual offences crimes were recorded');
    // Outcomes follow the crime type; stop and search is not by crime type.
    expect(textOf(page.body)).toMatch(/Under investigation 12 .*Unable to prosecute suspect 8 .*No outcome recorded 2 /);

    const gap = await viewer.get(url('?from=2018-06&to=2018-12'));
    expect(gap.statusCode).toBe(200);
    expect(textOf(gap.body)).toContain('No data are loaded for June 2018, July 2018, August 2018, September 2018, October 2018');
  });

  it('refuses bad filters with the error summary, keeping what was typed', async () => {
    const bad = await viewer.get(url('?from=2018-13&to=last+year&type=murder'));
    expect(bad.statusCode).toBe(400);
    const summary = errorSummaryText(bad.body);
    expect(summary).toContain('Enter the start month as a year and month, for example 2018-10');
    expect(summary).toContain('Enter the end month as a year and month, for example 2019-02');
    expect(summary).toContain('Choose a crime type from the list');
    expect(bad.body).toContain('value="2018-13"');
    expect(bad.body).toContain('value="last year"');
    expect(bad.body).toContain('href="#from"');
    expect(bad.body).not.toContain('app-count-table');

    const backwards = await viewer.get(url('?from=2019-01&to=2018-11'));
    expect(backwards.statusCode).toBe(400);
    expect(errorSummaryText(backwards.body)).toContain('The end month must be the same as or after the start month');
    const tooLong = await viewer.get(url('?from=2010-01&to=2019-01'));
    expect(errorSummaryText(tooLong.body)).toContain('Choose a range of 36 months or fewer');
    expect((await viewer.get(url('/counts.csv?from=nonsense'))).statusCode).toBe(400);
    expect((await viewer.get(url('/areas?to=2019-99'))).statusCode).toBe(400);
  });

  it('drills down to the areas with the most crime, a page at a time, and to one area', async () => {
    const first = await viewer.get(url('/areas?from=2019-01&to=2019-01'));
    expect(first.statusCode).toBe(200);
    const text = textOf(first.body);
    expect(text).toContain('65 crimes in 33 lower layer super output areas');
    const names = [
      ...first.body.matchAll(/<th scope="row" class="govuk-table__header"><a class="govuk-link" href="([^"]+)">([^<]+)<\/a>/g),
    ];
    expect(names).toHaveLength(25);
    expect(names.slice(0, 3).map((n) => n[2])).toEqual([lsoa(3)[1], lsoa(2)[1], lsoa(1)[1]]);
    expect(names[3]![2]).toBe(lsoa(10)[1]); // ties in code order
    expect(first.body).toContain('page 1 of 2');
    const second = await viewer.get(url('/areas?from=2019-01&to=2019-01&page=2'));
    const more = [...second.body.matchAll(/<th scope="row" class="govuk-table__header"><a class="govuk-link" href="[^"]+">([^<]+)<\/a>/g)];
    expect(more).toHaveLength(8);
    expect(new Set([...names.map((n) => n[2]), ...more.map((n) => n[1])]).size).toBe(33);
    expect((await viewer.get(url('/areas?from=2019-01&to=2019-01&page=3'))).statusCode).toBe(404);

    const burglary = await viewer.get(url('/areas?from=2018-11&to=2019-01&type=burglary'));
    expect(textOf(burglary.body)).toContain('15 crimes in 2 lower layer super output areas');

    const area = await viewer.get(names[2]![1]!.replace(/&amp;/g, '&'));
    expect(area.statusCode).toBe(200);
    for (const html of [first.body, area.body]) expect(textOf(html)).not.toMatch(/undefined|NaN|\[object/);
    expect(textOf(area.body)).toContain(`${lsoa(1)[1]} Lower layer super output area ${lsoa(1)[0]}.`);
    expect(countRows(area.body)).toEqual([
      ['Crime type', 'Jan 2019', 'Total'],
      ['Burglary', '5', '5'],
      ['All crime types', '5', '5'],
    ]);
    const wider = await viewer.get(url(`/areas/${lsoa(1)[0]}?from=2018-11&to=2019-01`));
    expect(countRows(wider.body)).toEqual([
      ['Crime type', 'Nov 2018', 'Dec 2018', 'Jan 2019', 'Total'],
      ['Burglary', '4', '0', '5', '9'],
      ['Violence and sexual offences', '10', '8', '0', '18'],
      ['All crime types', '14', '8', '5', '27'],
    ]);
    expect((await viewer.get(url(`/areas/${lsoa(1)[0]}?from=2018-1x`))).statusCode).toBe(400);
  });

  it('downloads the counts and the areas as CSV that reads back, with formulas defused', async () => {
    const counts = await viewer.get(url('/counts.csv?from=2018-11&to=2019-01'));
    expect(counts.statusCode).toBe(200);
    expect(counts.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(counts.headers['content-disposition']).toBe('attachment; filename="crime-counts-dyfed-powys-2018-11-to-2019-01.csv"');
    const rows = parseCsv(counts.body);
    expect(rows[0]).toEqual(['Force area', 'Month', 'Crime type', 'Crimes']);
    const all = Object.values(months).flat();
    expect(rows.slice(1).reduce((s, r) => s + Number(r[3]), 0)).toBe(all.reduce((s, g) => s + g.count, 0));
    expect(rows).toContainEqual(['Dyfed-Powys Police', '2018-12', 'Violence and sexual offences', '10']);

    const areas = await viewer.get(url('/areas.csv?from=2018-12&to=2018-12'));
    expect(areas.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(areas.headers['content-disposition']).toBe('attachment; filename="crime-by-area-dyfed-powys-2018-12-to-2018-12.csv"');
    const areaRows = parseCsv(areas.body);
    expect(areaRows[0]).toEqual(['Force area', 'From', 'To', 'Crime type', 'LSOA code', 'LSOA name', 'Crimes']);
    expect(areaRows.slice(1).map((r) => [r[4], Number(r[6])])).toEqual([
      [lsoa(3)[0], 15],
      [lsoa(1)[0], 8],
      [lsoa(2)[0], 6],
      ['W01009999', 1],
    ]);
    // The LSOA name from the file that looked like a formula is text in the download.
    expect(areaRows[4]![5]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(areas.body).toContain(`"'=HYPERLINK(""http://evil.example"")"`);

    const one = await viewer.get(url(`/areas/${lsoa(1)[0]}/counts.csv?from=2018-11&to=2019-01`));
    expect(one.headers['content-disposition']).toBe(`attachment; filename="crime-counts-${lsoa(1)[0]}-2018-11-to-2019-01.csv"`);
    expect(parseCsv(one.body).slice(1)).toEqual([
      [lsoa(1)[0], lsoa(1)[1], '2018-11', 'Burglary', '4'],
      [lsoa(1)[0], lsoa(1)[1], '2018-11', 'Violence and sexual offences', '10'],
      [lsoa(1)[0], lsoa(1)[1], '2018-12', 'Violence and sexual offences', '8'],
      [lsoa(1)[0], lsoa(1)[1], '2019-01', 'Burglary', '5'],
    ]);
  });

  describe('a body whose force area data.police.uk does not cover', () => {
    it('explains why there is nothing, and offers an administrator the way to change it', async () => {
      await context.database.db
        .insert(forceAreas)
        .values({ id: 'northmoor', name: 'Northmoor Police (fictional)', nation: 'England', governanceModel: 'PCC', isFictional: true })
        .onConflictDoNothing();
      const { body } = await createBody(context.database, { forceAreaId: 'northmoor' });
      const admin = await createUser(context.database, { isAdmin: true });
      const agent = new Agent(app);
      await agent.signIn(admin.email, PASSWORD);
      const page = await agent.get(`/bodies/${body.slug}/crime-data`);
      expect(page.statusCode).toBe(200);
      expect(textOf(page.body)).toContain('is set up with Northmoor Police (fictional), which it does not cover');
      expect(page.body).toContain(`href="/bodies/${body.slug}/edit"`);
      expect((await agent.get(`/bodies/${body.slug}/crime-data/counts.csv`)).statusCode).toBe(200);
      expect((await agent.get(`/bodies/${body.slug}/crime-data/counts.csv`)).headers['content-type']).toContain('text/html');
    });
  });
});

/**
 * End to end with the importer: the five Dyfed-Powys months from data.police.uk, imported as a
 * user would, and the explorer's numbers checked against a count of the files made here.
 */
describeOnEveryEngine('crime data explorer over imported data.police.uk files', (context) => {
  const dataDir = fileURLToPath(new URL('../../../shared/data/police-uk/', import.meta.url));
  const files = ['2018-10', '2018-11', '2018-12', '2019-01', '2019-02'].map((m) => path.join(dataDir, `${m}-dyfed-powys-street.csv`));
  let app: FastifyInstance;
  let viewer: Agent;
  let slug: string;
  /** Month ("2018-10") → crime type → rows, and LSOA code → rows, counted from the CSV text. */
  const byMonth = new Map<string, Map<string, number>>();
  const byLsoa = new Map<string, number>();

  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database));
    const { body } = await createBody(context.database, { forceAreaId: 'dyfed-powys' });
    slug = body.slug;
    const officer = await createUser(context.database, { memberships: [{ policingBodyId: body.id, role: 'officer' }] });
    viewer = new Agent(app);
    await viewer.signIn(officer.email, PASSWORD);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      // These files quote nothing, so splitting on commas reads them exactly.
      expect(text).not.toContain('"');
      const [header, ...lines] = text.split(/\r?\n/).filter((line) => line !== '');
      expect(header!.split(',')[9]).toBe('Crime type');
      for (const line of lines) {
        const cells = line.split(',');
        const types = byMonth.get(cells[1]!) ?? new Map<string, number>();
        types.set(cells[9]!, (types.get(cells[9]!) ?? 0) + 1);
        byMonth.set(cells[1]!, types);
        if (cells[7]) byLsoa.set(cells[7], (byLsoa.get(cells[7]) ?? 0) + 1);
      }
      const report = await importPoliceDataFile(context.database, { path: file, policingBodyId: body.id, userId: officer.id });
      expect(report.status).toBe('succeeded');
      expect(report.files[0]).toMatchObject({ forceAreaId: 'dyfed-powys', rowsRejected: 0, rowsImported: lines.length });
    }
  }, 300_000);
  afterAll(() => app.close());

  it('counts every crime of every month and type as the files have them', async () => {
    const page = await viewer.get(`/bodies/${slug}/crime-data`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('Street-level crime October 2018 to February 2019 (5 months)');
    const rows = countRows(page.body);
    const months = [...byMonth.keys()].sort();
    expect(rows[0]).toEqual(['Crime type', 'Oct 2018', 'Nov 2018', 'Dec 2018', 'Jan 2019', 'Feb 2019', 'Total']);
    const types = new Set([...byMonth.values()].flatMap((m) => [...m.keys()]));
    expect(
      rows
        .slice(1, -1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([...types].sort());
    const format = (n: number) => new Intl.NumberFormat('en-GB').format(n);
    for (const row of rows.slice(1, -1)) {
      const counts = months.map((m) => byMonth.get(m)!.get(row[0]!) ?? 0);
      expect(row.slice(1)).toEqual([...counts, counts.reduce((a, b) => a + b, 0)].map(format));
    }
    const totals = months.map((m) => [...byMonth.get(m)!.values()].reduce((a, b) => a + b, 0));
    expect(rows.at(-1)!.slice(1)).toEqual([...totals, totals.reduce((a, b) => a + b, 0)].map(format));

    const csv = parseCsv((await viewer.get(`/bodies/${slug}/crime-data/counts.csv`)).body);
    for (const [, monthKey, type, count] of csv.slice(1)) expect(Number(count)).toBe(byMonth.get(monthKey!)!.get(type!));
    expect(csv.length - 1).toBe([...byMonth.values()].reduce((s, m) => s + m.size, 0));
  });

  it('puts each crime with a location in its LSOA', async () => {
    const areas = parseCsv((await viewer.get(`/bodies/${slug}/crime-data/areas.csv?from=2018-10&to=2019-02`)).body);
    expect(new Map(areas.slice(1).map((r) => [r[4]!, Number(r[6])]))).toEqual(byLsoa);
    const counts = [...byLsoa.values()];
    expect(areas.slice(1).map((r) => Number(r[6]))).toEqual([...counts].sort((a, b) => b - a));
  });

  it('ranks areas over every crime type exactly as the per-type rankings summed, page by page', async () => {
    const db = context.database.db;
    const range = { forceAreaId: 'dyfed-powys', from: '2018-10-01', to: '2019-02-01' };
    const everything = { limit: 1_000_000, offset: 0 };
    // Every type is read from the LSOA totals, one type from the counts by type beside them.
    const summed = new Map<string, { lsoaName: string; count: number }>();
    const types = new Set([...byMonth.values()].flatMap((m) => [...m.keys()]));
    for (const crimeType of types) {
      for (const area of (await areasByCount(db, { ...range, crimeType }, everything)).areas) {
        const seen = summed.get(area.lsoaCode);
        expect(seen === undefined || seen.lsoaName === area.lsoaName).toBe(true);
        summed.set(area.lsoaCode, { lsoaName: area.lsoaName, count: (seen?.count ?? 0) + area.count });
      }
    }
    const expected = [...summed]
      .map(([lsoaCode, { lsoaName, count }]) => ({ lsoaCode, lsoaName, count }))
      .sort((a, b) => b.count - a.count || (a.lsoaCode < b.lsoaCode ? -1 : a.lsoaCode > b.lsoaCode ? 1 : 0));
    const all = await areasByCount(db, { ...range, crimeType: null }, everything);
    expect(all.areas).toEqual(expected);
    expect(all.total).toBe(byLsoa.size);
    expect(all.crimes).toBe([...byLsoa.values()].reduce((a, b) => a + b, 0));
    // Pages of 25 join up to the same ranking, each with the same totals.
    const pages: AreaCount[] = [];
    for (let offset = 0; offset < all.total; offset += 25) {
      const page = await areasByCount(db, { ...range, crimeType: null }, { limit: 25, offset });
      expect([page.total, page.crimes]).toEqual([all.total, all.crimes]);
      pages.push(...page.areas);
    }
    expect(pages).toEqual(expected);
  });
});
