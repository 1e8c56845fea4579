import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { formatValue, summariseSeries } from './domain/chart-summary.ts';
import { escapeXml } from './domain/sparkline.ts';

/**
 * Server-rendered charts: vega-lite compiled to vega, rendered headless to an SVG string, so a
 * chart reads without JavaScript and prints in the DOCX. Every chart is an image with a text
 * summary as its accessible name (the data table sits beside it on the page).
 *
 * Speed: compiling and parsing a spec costs far more than rendering it, and depends only on the
 * chart's shape (which layers, the axis title), never on the numbers; the numbers go in as named
 * data sets. So the parsed runtime is cached by shape and each chart is only a render.
 *
 * CSP: our policy has no 'unsafe-inline' for styles, which also blocks `style` attributes in
 * inline SVG; vega writes presentation attributes, and any `style` it emits is turned into them.
 */

export type ChartPoint = { label: string; value: number; lower?: number | null; upper?: number | null };
export type MeasureChartInput = {
  title: string;
  unit: string;
  points: readonly ChartPoint[];
  target?: number | null;
  baseline?: number | null;
  /** The most-similar-group average for each point, in the same order; null where unknown. */
  mostSimilarGroup?: readonly (number | null)[];
};
export type SeriesChartInput = {
  title: string;
  yTitle: string;
  series: readonly { name: string; points: readonly { label: string; value: number }[] }[];
  kind: 'line' | 'bar';
};

const WIDTH = 560;
const HEIGHT = 260;
const FONT = 'GDS Transport, arial, sans-serif';
const TEXT = '#0b0c0c';
const SECONDARY_TEXT = '#505a5f';
const BLUE = '#1d70b8';
/** GOV.UK colours, in an order where neighbours differ in lightness as well as hue. */
const PALETTE = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#f47738', '#28a197', '#912b88', '#505a5f'];
/** Dashes tell series apart without relying on colour (WCAG 1.4.1). */
const DASHES = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
  [4, 4],
  [1, 3],
  [10, 2],
  [3, 6],
];

export const MEASURE_SERIES_NAME = 'Recorded value';
export const MOST_SIMILAR_GROUP_NAME = 'Most similar group average';

const config = {
  font: FONT,
  background: 'white',
  // Marks are not separately navigable: the whole chart is one image named by its summary.
  aria: false,
  view: { stroke: null },
  axis: {
    labelFontSize: 14,
    titleFontSize: 14,
    titleFontWeight: 'bold',
    labelColor: TEXT,
    titleColor: TEXT,
    domainColor: SECONDARY_TEXT,
    tickColor: SECONDARY_TEXT,
    gridColor: '#b1b4b6',
    labelLimit: 160,
  },
  legend: {
    labelLimit: 0,
    labelFontSize: 14,
    titleFontSize: 14,
    labelColor: TEXT,
    titleColor: TEXT,
    orient: 'bottom',
    direction: 'vertical',
    symbolStrokeWidth: 3,
  },
  text: { fontSize: 14 },
} as const;

/** A line chart's legend shows a stretch of each line, dashes and all, not a dot. */
const lineLegend = { symbolType: 'stroke', symbolSize: 500, symbolStrokeWidth: 3 } as const;

/** Rotate period labels once there are too many to sit side by side. */
const labelAngleFor = (count: number) => (count > 8 ? -45 : 0);
const yTitleFor = (unit: string) => {
  const trimmed = unit.trim();
  if (trimmed === '%') return 'Per cent';
  return trimmed === '' ? 'Value' : trimmed[0]!.toUpperCase() + trimmed.slice(1);
};

export async function measureChartSvg(input: MeasureChartInput): Promise<string> {
  const points = input.points.filter((point) => Number.isFinite(point.value));
  const target = finiteOrNull(input.target);
  const baseline = finiteOrNull(input.baseline);
  const hasInterval = points.some((point) => isFiniteNumber(point.lower) && isFiniteNumber(point.upper));
  const comparison = (input.mostSimilarGroup ?? []).map(finiteOrNull);
  const hasComparison = points.some((_, i) => comparison[i] !== null && comparison[i] !== undefined);
  const summary = summariseSeries({ name: input.title, unit: input.unit, points, target, baseline });
  if (points.length === 0) return emptyChart(input.title, summary);

  const rows = points.map((point) => ({ label: point.label, series: MEASURE_SERIES_NAME, value: point.value }));
  if (hasComparison) {
    points.forEach((point, i) => {
      const value = comparison[i];
      if (value !== null && value !== undefined) rows.push({ label: point.label, series: MOST_SIMILAR_GROUP_NAME, value });
    });
  }
  const intervals = points
    .filter((point) => isFiniteNumber(point.lower) && isFiniteNumber(point.upper))
    .map((point) => ({ label: point.label, lower: Math.min(point.lower!, point.upper!), upper: Math.max(point.lower!, point.upper!) }));
  const rules = [
    ...(target === null
      ? []
      : [{ name: 'Target', value: target, text: `Target ${formatValue(target, input.unit)}`, align: 'right', x: WIDTH }]),
    ...(baseline === null
      ? []
      : [{ name: 'Baseline', value: baseline, text: `Baseline ${formatValue(baseline, input.unit)}`, align: 'left', x: 0 }]),
  ];

  const labels = points.map((point) => point.label);
  const x = {
    field: 'label',
    type: 'ordinal',
    sort: null,
    title: null,
    axis: { labelAngle: labelAngleFor(labels.length), labelOverlap: 'parity' },
  } as const;
  const y = {
    field: 'value',
    type: 'quantitative',
    title: yTitleFor(input.unit),
    scale: { zero: false, nice: true, padding: 12 },
  } as const;
  const seriesNames = hasComparison ? [MEASURE_SERIES_NAME, MOST_SIMILAR_GROUP_NAME] : [MEASURE_SERIES_NAME];
  const layers: unknown[] = [];
  if (hasInterval) {
    layers.push({
      data: { name: 'intervals' },
      mark: { type: 'rule', color: BLUE, strokeWidth: 2, opacity: 0.6 },
      encoding: { x, y: { field: 'lower', type: 'quantitative', title: y.title, scale: y.scale }, y2: { field: 'upper' } },
    });
    layers.push({
      data: { name: 'intervals' },
      mark: { type: 'tick', color: BLUE, thickness: 2, size: 10, opacity: 0.6 },
      encoding: { x, y: { field: 'lower', type: 'quantitative' } },
    });
    layers.push({
      data: { name: 'intervals' },
      mark: { type: 'tick', color: BLUE, thickness: 2, size: 10, opacity: 0.6 },
      encoding: { x, y: { field: 'upper', type: 'quantitative' } },
    });
  }
  layers.push({
    data: { name: 'points' },
    mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 3 },
    encoding: {
      x,
      y,
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: seriesNames, range: [BLUE, SECONDARY_TEXT] },
        legend: hasComparison ? lineLegend : null,
      },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: seriesNames, range: [DASHES[0], DASHES[1]] },
        legend: hasComparison ? lineLegend : null,
      },
    },
  });
  if (rules.length > 0) {
    layers.push({
      data: { name: 'rules' },
      mark: { type: 'rule', color: TEXT, strokeWidth: 2, strokeDash: [6, 4] },
      encoding: { y: { field: 'value', type: 'quantitative' } },
    });
    // Target label at the right end, baseline at the left, so the two never overlap.
    for (const align of ['right', 'left'] as const) {
      if (!rules.some((rule) => rule.align === align)) continue;
      layers.push({
        data: { name: 'rules' },
        transform: [{ filter: `datum.align === '${align}'` }],
        mark: { type: 'text', color: TEXT, dy: -10, fontWeight: 'bold', align },
        encoding: {
          y: { field: 'value', type: 'quantitative' },
          text: { field: 'text' },
          x: { field: 'x', type: 'quantitative', scale: null },
        },
      });
    }
  }
  const spec = { width: WIDTH, height: HEIGHT, config, layer: layers } as unknown as TopLevelSpec;
  const svg = await render(spec, { points: rows, intervals, rules });
  return accessible(svg, input.title, summary);
}

export async function seriesChartSvg(input: SeriesChartInput): Promise<string> {
  const series = input.series.map((s) => ({ name: s.name, points: s.points.filter((point) => Number.isFinite(point.value)) }));
  const summary = seriesSummary(input.title, series);
  const rows = series.flatMap((s) => s.points.map((point) => ({ label: point.label, series: s.name, value: point.value })));
  if (rows.length === 0) return emptyChart(input.title, summary);

  // Keep periods in the order given, across series (a later series may start earlier).
  const labels = [...new Set(rows.map((row) => row.label))];
  const rowsInOrder = labels.flatMap((label) => rows.filter((row) => row.label === label));
  const names = series.map((s) => s.name);
  const many = names.length > 1;
  const x = {
    field: 'label',
    type: 'ordinal',
    sort: null,
    title: null,
    axis: { labelAngle: labelAngleFor(labels.length), labelOverlap: 'parity' },
  } as const;
  const y = {
    field: 'value',
    type: 'quantitative',
    title: input.yTitle || 'Value',
    scale: input.kind === 'bar' ? { zero: true, nice: true } : { zero: false, nice: true, padding: 12 },
  } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: names, range: PALETTE },
    legend: many ? (input.kind === 'line' ? lineLegend : {}) : null,
  } as const;
  const encoding =
    input.kind === 'bar'
      ? { x, y, color, ...(many ? { xOffset: { field: 'series', type: 'nominal', sort: null, scale: { domain: names } } } : {}) }
      : {
          x,
          y,
          color,
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: names, range: DASHES },
            legend: many ? lineLegend : null,
          },
        };
  const mark = input.kind === 'bar' ? { type: 'bar' } : { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 3 };
  const spec = { width: WIDTH, height: HEIGHT, config, data: { name: 'points' }, mark, encoding } as unknown as TopLevelSpec;
  const svg = await render(spec, { points: rowsInOrder });
  return accessible(svg, input.title, summary);
}

function seriesSummary(title: string, series: readonly { name: string; points: readonly { label: string; value: number }[] }[]): string {
  if (series.length === 1) return summariseSeries({ name: series[0]!.name || title, unit: '', points: series[0]!.points });
  const parts = series.map((s) => summariseSeries({ name: s.name, unit: '', points: s.points }));
  return [`${title}.`, ...parts].join(' ');
}

/** vega-lite warns on the console about merged legends and the like; our specs are fixed and tested. */
const silent = {
  level: () => silent,
  error: () => silent,
  warn: () => silent,
  info: () => silent,
  debug: () => silent,
} as unknown as Parameters<typeof compile>[1] extends infer Options ? (Options extends { logger?: infer Logger } ? Logger : never) : never;

/**
 * One headless view per chart shape, kept and reused: building a view costs about as much as
 * rendering it, so reuse roughly halves the time per chart. A view renders one chart at a time,
 * hence the queue; a handful of shapes cover every page.
 */
type CachedView = { view: vega.View; datasets: Set<string>; queue: Promise<unknown> };
const viewCache = new Map<string, CachedView>();
const VIEW_CACHE_LIMIT = 100;

function cachedView(spec: TopLevelSpec, datasetNames: readonly string[]): CachedView {
  const key = JSON.stringify(spec);
  const cached = viewCache.get(key);
  if (cached) return cached;
  const view = new vega.View(vega.parse(compile(spec, { logger: silent }).spec), { renderer: 'none', logLevel: vega.None });
  // vega-lite keeps a named data set in the compiled spec only if a layer uses it.
  const entry = { view, datasets: new Set(datasetNames.filter((name) => hasDataset(view, name))), queue: Promise.resolve() };
  if (viewCache.size >= VIEW_CACHE_LIMIT) {
    const [oldestKey, oldest] = viewCache.entries().next().value!;
    viewCache.delete(oldestKey);
    void oldest.queue.finally(() => oldest.view.finalize());
  }
  viewCache.set(key, entry);
  return entry;
}

async function render(spec: TopLevelSpec, data: Record<string, readonly object[]>): Promise<string> {
  const entry = cachedView(spec, Object.keys(data));
  const rendering = entry.queue.then(async () => {
    for (const [name, values] of Object.entries(data)) {
      // Copies: vega tags the objects it is given.
      if (entry.datasets.has(name))
        entry.view.data(
          name,
          values.map((row) => ({ ...row })),
        );
    }
    return withoutHiddenText(withoutMarkRoles(withoutStyleAttributes(await entry.view.toSVG())));
  });
  // The next chart waits for this one, whether it succeeds or not.
  entry.queue = rendering.catch(() => undefined);
  return rendering;
}

function hasDataset(view: vega.View, name: string): boolean {
  try {
    view.data(name);
    return true;
  } catch {
    return false;
  }
}

/** SVG presentation attributes that may stand in for a CSS declaration of the same name. */
const presentationAttributes = new Set([
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'pointer-events',
  'display',
  'visibility',
  'cursor',
]);

/**
 * Turns `style="a: b; c: d"` into `a="b" c="d"` (presentation attributes are not styles under
 * CSP) and drops declarations that have no attribute form. Exported for its test.
 */
export function withoutStyleAttributes(svg: string): string {
  return svg.replace(/\sstyle="([^"]*)"/g, (_, declarations: string) =>
    declarations
      .split(';')
      .map((declaration) => {
        const colon = declaration.indexOf(':');
        if (colon < 0) return '';
        const name = declaration.slice(0, colon).trim().toLowerCase();
        const value = declaration.slice(colon + 1).trim();
        return presentationAttributes.has(name) && value !== '' ? ` ${name}="${value}"` : '';
      })
      .join(''),
  );
}

/**
 * vega labels each mark for assistive technology; inside one `role="img"` those labels are
 * never read, and half-hidden structure confuses checkers, so they go.
 */
function withoutMarkRoles(svg: string): string {
  return svg.replace(/\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g, '');
}

/** Labels vega hid to avoid overlaps (opacity 0) only add weight, and would be found by search in the page. */
function withoutHiddenText(svg: string): string {
  return svg.replace(/<text[^>]*\sopacity="0"[^>]*>[^<]*<\/text>/g, '');
}

/** The root becomes one image: role, accessible name, a title for the tooltip, and a class for layout. */
function accessible(svg: string, title: string, summary: string): string {
  return svg.replace(
    /^<svg([^>]*?)\sclass="marks"([^>]*)>/,
    (_, before: string, after: string) =>
      `<svg${before} class="app-chart"${after} role="img" aria-label="${escapeXml(summary)}" focusable="false"><title>${escapeXml(title)}</title>`,
  );
}

function emptyChart(title: string, summary: string): string {
  const height = 60;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(summary)}" focusable="false">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect x="0.5" y="0.5" width="${WIDTH - 1}" height="${height - 1}" fill="white" stroke="#b1b4b6"/>` +
    `<text x="${WIDTH / 2}" y="${height / 2 + 5}" text-anchor="middle" font-family="${FONT}" font-size="16" fill="${TEXT}">No data yet</text></svg>`
  );
}

const isFiniteNumber = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);
const finiteOrNull = (value: number | null | undefined): number | null => (isFiniteNumber(value) ? value : null);
