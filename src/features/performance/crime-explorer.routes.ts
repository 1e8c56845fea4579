import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import type { Database } from '../../platform/db/database.ts';
import { errorSummary } from '../../platform/http/forms.ts';
import { notFound } from '../../platform/http/errors.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { paths } from '../../shared/paths.ts';
import { canManageOrganisations, findBodyBySlug, type PolicingBody } from '../organisations/index.ts';
import { forceAreas } from '../organisations/organisations.tables.ts';
import { seriesChartSvg } from './charts.ts';
import * as crimeData from './crime-data.repository.ts';
import { toCsv } from './domain/crime-explorer-csv.ts';
import { filterQuery, monthKey, monthRange, parseExplorerQuery, type ExplorerFilter } from './domain/crime-explorer-filters.ts';
import { crimeTypeByLabel, sortCrimeTypes, streetCrimeTypes } from './domain/crime-types.ts';
import type { PoliceDataKind } from './domain/performance-model.ts';
import { periodLabel, periodShortLabel } from './domain/periods.ts';
import { can } from './performance.permissions.ts';

/** LSOAs per page of the drill-down. */
export const AREAS_PER_PAGE = 25;

type ForceArea = typeof forceAreas.$inferSelect;
type Explorer = { body: PolicingBody; forceArea: ForceArea | undefined; loaded: Record<PoliceDataKind, string[]> };

const numberFormat = new Intl.NumberFormat('en-GB');
const formatCount = (n: number) => numberFormat.format(n);
const monthLong = (month: string) => periodLabel({ kind: 'month', start: month });
const monthShort = (month: string) => periodShortLabel({ kind: 'month', start: month });
const kindLabels: Record<PoliceDataKind, string> = {
  street: 'Street-level crime',
  outcomes: 'Outcomes',
  stop_and_search: 'Stop and search',
};

/** "October 2018 to February 2019 (5 months)", noting months missing in between. */
function loadedText(months: readonly string[]): string {
  if (months.length === 0) return 'none loaded';
  const first = months[0]!;
  const last = months[months.length - 1]!;
  const span = first === last ? monthLong(first) : `${monthLong(first)} to ${monthLong(last)}`;
  const missing = monthRange(first, last).filter((m) => !months.includes(m));
  const count = `${months.length} ${months.length === 1 ? 'month' : 'months'}`;
  return missing.length === 0 ? `${span} (${count})` : `${span} (${count}; not loaded: ${missing.map(monthLong).join(', ')})`;
}

/** "January 2019", "October 2018 to February 2019". */
const rangeText = (filter: ExplorerFilter) =>
  filter.from === filter.to ? monthLong(filter.from) : `${monthLong(filter.from)} to ${monthLong(filter.to)}`;

/** "Burglary, October 2018 to February 2019". */
const filterText = (filter: ExplorerFilter) => `${filter.crimeType ? filter.crimeType.label : 'All crime types'}, ${rangeText(filter)}`;

/** A months × crime types table with totals, rows in the published order of crime types. */
export function countTable(counts: readonly crimeData.MonthTypeCount[], months: readonly string[]) {
  const types = sortCrimeTypes(counts.map((c) => c.crimeType));
  const cell = new Map(counts.map((c) => [`${c.month}|${c.crimeType}`, c.count]));
  const rows = types.map((type) => {
    const values = months.map((month) => cell.get(`${month}|${type}`) ?? 0);
    return { type, crimeType: crimeTypeByLabel(type) ?? null, values, total: values.reduce((a, b) => a + b, 0) };
  });
  const monthTotals = months.map((_, i) => rows.reduce((sum, row) => sum + row.values[i]!, 0));
  return { rows, monthTotals, total: monthTotals.reduce((a, b) => a + b, 0) };
}

/** The text alternative for the chart: total, highest and lowest months, first to last change. */
export function summaryText(what: string, months: readonly string[], totals: readonly number[]): string {
  if (months.length === 0) return `There are no data for ${what}.`;
  const total = totals.reduce((a, b) => a + b, 0);
  const span =
    months.length === 1
      ? monthLong(months[0]!)
      : `the ${months.length} months from ${monthLong(months[0]!)} to ${monthLong(months.at(-1)!)}`;
  const parts = [`${formatCount(total)} ${what} were recorded in ${span}.`];
  if (months.length > 1) {
    const high = totals.indexOf(Math.max(...totals));
    const low = totals.indexOf(Math.min(...totals));
    parts.push(
      `The highest month was ${monthLong(months[high]!)} with ${formatCount(totals[high]!)}; the lowest was ${monthLong(months[low]!)} with ${formatCount(totals[low]!)}.`,
    );
    const first = totals[0]!;
    const last = totals.at(-1)!;
    if (first > 0) {
      const change = Math.round(((last - first) / first) * 1000) / 10;
      parts.push(
        change === 0
          ? `${monthLong(months.at(-1)!)} was level with ${monthLong(months[0]!)}.`
          : `${monthLong(months.at(-1)!)} was ${Math.abs(change)}% ${change > 0 ? 'higher' : 'lower'} than ${monthLong(months[0]!)}.`,
      );
    }
  }
  return parts.join(' ');
}

/** The chart of a monthly series; the table beside it carries every figure. */
async function chartOf(title: string, series: { name: string; points: { label: string; value: number }[] }[]): Promise<string> {
  if (series.every((s) => s.points.length === 0)) return '';
  return seriesChartSvg({ title, yTitle: 'Crimes', series, kind: series[0]!.points.length > 1 ? 'line' : 'bar' });
}

function csvReply(reply: FastifyReply, fileName: string, rows: (string | number | null)[][]) {
  return reply
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .type('text/csv; charset=utf-8; header=present')
    .send(toCsv(rows));
}

/** The crime data explorer: counts by month and crime type, drill-down to LSOA, CSV download. */
export async function crimeExplorerRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const db: Database = options.services.database.db;
  const base = '/bodies/:slug/crime-data';

  /** The body and its force area's loaded data, for anyone with a role in the body (the data are public). */
  const explorerFor = async (request: FastifyRequest): Promise<Explorer> => {
    const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
    if (!body) throw notFound();
    authorise(can(signedInUser(request), 'police_data.view', { policingBodyId: body.id }));
    const [forceArea] = body.forceAreaId ? await db.select().from(forceAreas).where(eq(forceAreas.id, body.forceAreaId)) : [];
    const loaded = forceArea ? await crimeData.loadedMonths(db, forceArea.id) : { street: [], outcomes: [], stop_and_search: [] };
    return { body, forceArea, loaded };
  };

  /** data.police.uk covers the territorial forces; a body without one (or a fictional one) has nothing to explore. */
  const hasData = (explorer: Explorer): explorer is Explorer & { forceArea: ForceArea } =>
    explorer.forceArea !== undefined && !explorer.forceArea.isFictional;

  const forceArea = (explorer: Explorer) => explorer.forceArea?.name ?? '';

  const common = (request: FastifyRequest, explorer: Explorer) => ({
    body: explorer.body,
    forceArea: explorer.forceArea,
    loadedKinds: (Object.keys(kindLabels) as PoliceDataKind[]).map((kind) => ({
      label: kindLabels[kind],
      text: loadedText(explorer.loaded[kind]),
    })),
    canImport: can(signedInUser(request), 'police_data.import', { policingBodyId: explorer.body.id }),
    canEditBody: canManageOrganisations(signedInUser(request), 'body.edit', { policingBodyId: explorer.body.id }),
    crimeTypes: streetCrimeTypes,
  });

  /**
   * The filters from the query string, or the page that explains what is wrong: the form again
   * with the GOV.UK error summary and the user's values (400), or the no-data page.
   */
  const filterOr = async (request: FastifyRequest, reply: FastifyReply, explorer: Explorer, template: string) => {
    const parsed = parseExplorerQuery(request.query, explorer.loaded.street);
    if (parsed.ok && hasData(explorer)) return { filter: parsed.filter, values: parsed.values, forceAreaId: explorer.forceArea.id };
    const errors = parsed.ok ? {} : parsed.errors;
    const hasErrors = Object.keys(errors).length > 0;
    await reply.code(hasErrors ? 400 : 200).page(template, {
      ...common(request, explorer),
      noForceArea: !hasData(explorer),
      values: parsed.values,
      errors,
      errorList: errorSummary(errors),
    });
    return null;
  };

  const pageCounts = async (forceAreaId: string, filter: ExplorerFilter, loaded: readonly string[]) => {
    const counts = await crimeData.countsByMonthAndType(db, {
      forceAreaId,
      from: filter.from,
      to: filter.to,
      crimeType: filter.crimeType?.label ?? null,
    });
    const inRange = monthRange(filter.from, filter.to);
    const months = inRange.filter((m) => loaded.includes(m));
    return { counts, months, notLoaded: inRange.filter((m) => !loaded.includes(m)) };
  };

  app.get(base, async (request, reply) => {
    const explorer = await explorerFor(request);
    const template = 'performance/views/crime-explorer.njk';
    const chosen = await filterOr(request, reply, explorer, template);
    if (!chosen) return reply;
    const { filter, values, forceAreaId } = chosen;
    const { counts, months, notLoaded } = await pageCounts(forceAreaId, filter, explorer.loaded.street);
    const table = countTable(counts, months);
    const range = { forceAreaId, from: filter.from, to: filter.to };
    const [outcomes, searches] = await Promise.all([
      crimeData.outcomeSummary(db, { ...range, crimeType: filter.crimeType?.label ?? null }),
      crimeData.stopSearchSummary(db, range),
    ]);
    const what = filter.crimeType ? `${filter.crimeType.label} crimes` : 'crimes';
    const name = filter.crimeType?.label ?? 'All crime';
    const points = months.map((m, i) => ({ label: monthShort(m), value: table.monthTotals[i]! }));
    const outcomeTotal = outcomes.reduce((sum, o) => sum + o.count, 0);
    const searchTotal = searches.reduce((sum, s) => sum + s.count, 0);
    const groupBy = (key: 'objectOfSearch' | 'outcome') => {
      const totals = new Map<string, number>();
      for (const s of searches) totals.set(s[key], (totals.get(s[key]) ?? 0) + s.count);
      return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label, count]) => ({ label, count }));
    };
    return reply.page(template, {
      ...common(request, explorer),
      values,
      errors: {},
      errorList: [],
      filter,
      filterText: filterText(filter),
      rangeText: filter.from === filter.to ? `in ${rangeText(filter)}` : `from ${rangeText(filter)}`,
      months: months.map((m) => ({ key: monthKey(m), short: monthShort(m), long: monthLong(m), query: filterQuery(filter, { month: m }) })),
      notLoaded: notLoaded.map(monthLong),
      table: {
        ...table,
        rows: table.rows.map((row) => ({
          ...row,
          typeQuery: row.crimeType ? filterQuery(filter, { type: row.crimeType }) : null,
          cellQueries: months.map((m) => (row.crimeType ? filterQuery(filter, { month: m, type: row.crimeType }) : null)),
        })),
      },
      filterQuery: filterQuery(filter),
      chart: await chartOf(`${name} per month, ${forceArea(explorer)}`, [{ name, points }]),
      summary: summaryText(what, months, table.monthTotals),
      outcomes: outcomes.map((o) => ({ ...o, percent: outcomeTotal ? Math.round((o.count / outcomeTotal) * 1000) / 10 : 0 })),
      outcomeTotal,
      searchTotal,
      searchesByObject: groupBy('objectOfSearch'),
      searchesByOutcome: groupBy('outcome'),
      formatCount,
    });
  });

  app.get(`${base}/counts.csv`, async (request, reply) => {
    const explorer = await explorerFor(request);
    const parsed = parseExplorerQuery(request.query, explorer.loaded.street);
    if (!parsed.ok || !hasData(explorer)) return filterOr(request, reply, explorer, 'performance/views/crime-explorer.njk');
    const { filter } = parsed;
    const { counts } = await pageCounts(explorer.forceArea.id, filter, explorer.loaded.street);
    const order = sortCrimeTypes(counts.map((c) => c.crimeType));
    const sorted = [...counts].sort((a, b) => a.month.localeCompare(b.month) || order.indexOf(a.crimeType) - order.indexOf(b.crimeType));
    return csvReply(reply, `crime-counts-${explorer.forceArea.id}-${monthKey(filter.from)}-to-${monthKey(filter.to)}.csv`, [
      ['Force area', 'Month', 'Crime type', 'Crimes'],
      ...sorted.map((c) => [explorer.forceArea.name, monthKey(c.month), c.crimeType, c.count]),
    ]);
  });

  const pageNumber = (request: FastifyRequest) => {
    const page = Number((request.query as { page?: string }).page ?? '1');
    return Number.isInteger(page) && page >= 1 ? page : 1;
  };

  app.get(`${base}/areas`, async (request, reply) => {
    const explorer = await explorerFor(request);
    const template = 'performance/views/crime-explorer-areas.njk';
    const chosen = await filterOr(request, reply, explorer, template);
    if (!chosen) return reply;
    const { filter, values, forceAreaId } = chosen;
    const page = pageNumber(request);
    const { areas, total, crimes } = await crimeData.areasByCount(
      db,
      { forceAreaId, from: filter.from, to: filter.to, crimeType: filter.crimeType?.label ?? null },
      { limit: AREAS_PER_PAGE, offset: (page - 1) * AREAS_PER_PAGE },
    );
    const pages = Math.max(1, Math.ceil(total / AREAS_PER_PAGE));
    if (page > pages) throw notFound();
    const areasUrl = (n: number) => `${paths.crimeExplorerPart(explorer.body.slug, 'areas')}?${filterQuery(filter, { page: n })}`;
    return reply.page(template, {
      ...common(request, explorer),
      values,
      errors: {},
      errorList: [],
      filter,
      filterText: filterText(filter),
      filterQuery: filterQuery(filter),
      areas: areas.map((area, i) => ({
        ...area,
        rank: (page - 1) * AREAS_PER_PAGE + i + 1,
        percent: crimes ? Math.round((area.count / crimes) * 1000) / 10 : 0,
        href: `${paths.crimeExplorerPart(explorer.body.slug, `areas/${encodeURIComponent(area.lsoaCode)}`)}?${filterQuery(filter)}`,
      })),
      total,
      crimes,
      page,
      pages,
      pagination: {
        previous: page > 1 ? { href: areasUrl(page - 1) } : undefined,
        next: page < pages ? { href: areasUrl(page + 1) } : undefined,
        items: Array.from({ length: pages }, (_, i) => i + 1)
          .filter((n) => n === 1 || n === pages || Math.abs(n - page) <= 2)
          .flatMap((n, i, list) => [
            ...(i > 0 && n - list[i - 1]! > 1 ? [{ ellipsis: true }] : []),
            { number: n, href: areasUrl(n), current: n === page },
          ]),
      },
      formatCount,
    });
  });

  app.get(`${base}/areas.csv`, async (request, reply) => {
    const explorer = await explorerFor(request);
    const parsed = parseExplorerQuery(request.query, explorer.loaded.street);
    if (!parsed.ok || !hasData(explorer)) return filterOr(request, reply, explorer, 'performance/views/crime-explorer-areas.njk');
    const { filter } = parsed;
    const { areas } = await crimeData.areasByCount(
      db,
      { forceAreaId: explorer.forceArea.id, from: filter.from, to: filter.to, crimeType: filter.crimeType?.label ?? null },
      // Every LSOA of a force area: the largest (the Metropolitan Police) has under 5,000.
      { limit: 100_000, offset: 0 },
    );
    const type = filter.crimeType ? `-${filter.crimeType.slug}` : '';
    return csvReply(reply, `crime-by-area-${explorer.forceArea.id}${type}-${monthKey(filter.from)}-to-${monthKey(filter.to)}.csv`, [
      ['Force area', 'From', 'To', 'Crime type', 'LSOA code', 'LSOA name', 'Crimes'],
      ...areas.map((a) => [
        explorer.forceArea.name,
        monthKey(filter.from),
        monthKey(filter.to),
        filter.crimeType?.label ?? 'All crime types',
        a.lsoaCode,
        a.lsoaName,
        a.count,
      ]),
    ]);
  });

  const lsoaPattern = /^[EW]0\d{7}$/;

  /** One LSOA: its months × crime types over the range (the crime type filter is kept for the way back). */
  const areaPage = async (request: FastifyRequest, reply: FastifyReply, format: 'html' | 'csv') => {
    const explorer = await explorerFor(request);
    const lsoaCode = (request.params as { lsoaCode: string }).lsoaCode;
    if (!lsoaPattern.test(lsoaCode)) throw notFound();
    const template = 'performance/views/crime-explorer-area.njk';
    if (!hasData(explorer)) return filterOr(request, reply, explorer, template);
    const area = await crimeData.findArea(db, explorer.forceArea.id, lsoaCode);
    if (!area) throw notFound();
    const parsed = parseExplorerQuery(request.query, explorer.loaded.street);
    if (!parsed.ok) {
      const errors = parsed.errors;
      return reply.code(Object.keys(errors).length > 0 ? 400 : 200).page(template, {
        ...common(request, explorer),
        area: { lsoaCode, lsoaName: area.lsoaName },
        values: parsed.values,
        errors,
        errorList: errorSummary(errors),
      });
    }
    const { filter, values } = parsed;
    const { counts } = await crimeData.areaCounts(db, explorer.forceArea.id, lsoaCode, { from: filter.from, to: filter.to });
    const months = monthRange(filter.from, filter.to).filter((m) => explorer.loaded.street.includes(m));
    if (format === 'csv') {
      const order = sortCrimeTypes(counts.map((c) => c.crimeType));
      const sorted = [...counts].sort((a, b) => a.month.localeCompare(b.month) || order.indexOf(a.crimeType) - order.indexOf(b.crimeType));
      return csvReply(reply, `crime-counts-${lsoaCode}-${monthKey(filter.from)}-to-${monthKey(filter.to)}.csv`, [
        ['LSOA code', 'LSOA name', 'Month', 'Crime type', 'Crimes'],
        ...sorted.map((c) => [lsoaCode, area.lsoaName, monthKey(c.month), c.crimeType, c.count]),
      ]);
    }
    const table = countTable(counts, months);
    const points = months.map((m, i) => ({ label: monthShort(m), value: table.monthTotals[i]! }));
    return reply.page(template, {
      ...common(request, explorer),
      area: { lsoaCode, lsoaName: area.lsoaName },
      values,
      errors: {},
      errorList: [],
      filter,
      filterText: rangeText(filter),
      filterQuery: filterQuery(filter),
      months: months.map((m) => ({ key: monthKey(m), short: monthShort(m), long: monthLong(m) })),
      table,
      chart: await chartOf(`All crime per month, ${area.lsoaName}`, [{ name: 'All crime', points }]),
      summary: summaryText(`crimes in ${area.lsoaName}`, months, table.monthTotals),
      formatCount,
    });
  };

  app.get(`${base}/areas/:lsoaCode`, (request, reply) => areaPage(request, reply, 'html'));
  app.get(`${base}/areas/:lsoaCode/counts.csv`, (request, reply) => areaPage(request, reply, 'csv'));
}
