import { inflateSync } from 'node:zlib';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { buildNationalStatement, buildQuarterlyReport, type ReportMeasureInput } from './domain/report-model.ts';
import { encodePng, plotPng, reportCharts, svgSize } from './report-charts.ts';
import { nationalStatementToDocx, quarterlyReportToDocx } from './report-docx.ts';
import { gradeLabels, ungradedReasonLabels } from './domain/grading.ts';

const status = (name: string, priority: string, values: number[], fields: Partial<ReportMeasureInput> = {}): ReportMeasureInput => {
  const series = values.map((value, i) => ({
    periodKind: 'month' as const,
    periodStart: `2024-0${4 + i}-01`,
    value,
    confidenceLower: null,
    confidenceUpper: null,
    revision: 1,
  }));
  return {
    measure: {
      lineageId: `lineage-${name}`,
      name,
      unit: 'crimes',
      owner: 'Chief Constable',
      polarity: 'lower_is_better',
      baselineValue: 120,
      baselinePeriod: '2023/24',
      targetValue: 90,
    },
    priority: { lineageId: priority },
    settings: { nationalMeasureCode: null },
    periodKind: 'month',
    series,
    latest: series.at(-1) ?? null,
    latestRevised: false,
    grade: values.length
      ? { grade: 'red', reason: null, explanation: 'Above the target of 90.' }
      : { grade: 'ungraded', reason: 'no_data', explanation: 'No figures yet.' },
    commentary: values.length
      ? {
          periodKind: 'month',
          periodStart: '2024-06-01',
          whatIsHappening: 'Calls rose.\nStaff were off sick.',
          whatIsBeingDone: 'More call handlers.',
        }
      : null,
    ...fields,
  };
};

const report = buildQuarterlyReport({
  quarter: { kind: 'quarter', start: '2024-04-01' },
  planTitle: 'Safer Streets Plan',
  bodyName: 'Police and Crime Commissioner for Somewhere',
  priorities: [
    { lineageId: 'p1', title: 'Cut crime' },
    { lineageId: 'p2', title: 'Put victims first' },
  ],
  statuses: [status('Answer time', 'p1', [100, 95, 130]), status('Satisfaction', 'p2', [])],
  summaries: new Map([['p1', 'Crime fell.']]),
});

const html = async (bytes: Buffer) => (await mammoth.convertToHtml({ buffer: bytes })).value;

describe('the quarterly report as a Word document', () => {
  it('has real headings, the exceptions before the priorities, grades in words, tables of values and commentary line by line', async () => {
    const out = await html(await quarterlyReportToDocx(report, { generatedOn: '1 July 2024' }));
    const headings = [...out.matchAll(/<h(\d)>(.*?)<\/h\d>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual([
      '1 Exceptions',
      '1 Grades this quarter',
      '1 1. Cut crime',
      '2 Summary',
      '2 Answer time',
      '3 Commentary',
      '1 2. Put victims first',
      '2 Summary',
      '2 Satisfaction',
      '3 Commentary',
    ]);
    expect(out).toContain('Safer Streets Plan: performance report');
    expect(out).toContain(gradeLabels.red);
    expect(out).toContain(`${gradeLabels.ungraded}: ${ungradedReasonLabels.no_data}`);
    expect(out).toContain('<thead><tr><th><p><strong>Period</strong></p></th>');
    expect(out).toContain('<td><p>Jun 2024</p></td><td><p>130</p></td>');
    expect(out).toContain('<p>Calls rose.</p><p>Staff were off sick.</p>');
    expect(out).toContain('No commentary for this quarter.');
    expect(out).toContain('Crime fell.');
    expect(out).toContain(report.priorities[0]!.measures[0]!.chartSummary);
  });

  it('carries each chart as an SVG with a PNG of the same size for Word versions without SVG', async () => {
    const charts = await reportCharts(report);
    // A measure with no figures has no chart; its table and summary say so.
    expect([...charts.keys()]).toEqual(['lineage-Answer time']);
    const chart = charts.get('lineage-Answer time')!;
    expect(chart.svg).toMatch(/^<svg/);
    expect(svgSize(chart.svg)).toEqual({ width: chart.width, height: chart.height });
    const png = chart.png;
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(chart.width);
    expect(png.readUInt32BE(20)).toBe(chart.height);
    const out = await html(await quarterlyReportToDocx(report, { generatedOn: '1 July 2024', charts }));
    // The picture's alternative text is the chart's summary.
    const summary = report.priorities[0]!.measures[0]!.chartSummary;
    expect(summary).toContain('130');
    expect(out).toContain(`alt="${summary}"`);
    expect(out).toMatch(/<img [^>]*src="data:image\/png;base64,/);
  });
});

describe('the chart as a bitmap', () => {
  /** The RGB pixel at (x, y) of a PNG written by encodePng (one IDAT, filter 0 on every row). */
  const pixel = (png: Buffer, x: number, y: number) => {
    const width = png.readUInt32BE(16);
    const idatLength = png.readUInt32BE(33);
    const rows = inflateSync(png.subarray(41, 41 + idatLength));
    const at = y * (width * 3 + 1) + 1 + x * 3;
    return [rows[at], rows[at + 1], rows[at + 2]];
  };

  it('round-trips pixels through the PNG encoding', () => {
    const rgb = Buffer.alloc(3 * 2 * 2, 0xff);
    rgb.set([1, 2, 3], 9);
    const png = encodePng(rgb, 2, 2);
    expect(pixel(png, 1, 1)).toEqual([1, 2, 3]);
    expect(pixel(png, 0, 0)).toEqual([255, 255, 255]);
  });

  it('plots the highest value at the top of the plot and the lowest at the bottom', () => {
    const measure = { series: report.priorities[0]!.measures[0]!.series, target: null, baseline: null };
    const png = plotPng(measure, 200, 100);
    // Plot area: x 50…180, y 20…70, padded by a tenth of the range: 95 sits low, 130 high.
    const yOf = (v: number) => Math.round(70 - ((v - 91.5) / (133.5 - 91.5)) * 50);
    const blue = [0x1d, 0x70, 0xb8];
    expect(pixel(png, 50, yOf(100))).toEqual(blue);
    expect(pixel(png, 115, yOf(95))).toEqual(blue);
    expect(pixel(png, 180, yOf(130))).toEqual(blue);
    expect(pixel(png, 180, yOf(95))).not.toEqual(blue);
  });
});

describe('the national statement as a Word document', () => {
  it('has a heading per national measure, the sentence with its periods, and says which are not yet reported', async () => {
    const statement = buildNationalStatement({
      quarter: { kind: 'quarter', start: '2024-04-01' },
      planTitle: 'Safer Streets Plan',
      bodyName: 'PCC',
      nationalMeasures: [
        { code: 'homicide', title: 'Reduce murder and other homicide' },
        { code: 'cyber-crime', title: 'Tackle cyber crime' },
      ],
      statuses: [
        status('Homicides', 'p1', [20, 16], {
          settings: { nationalMeasureCode: 'homicide' },
          measure: {
            lineageId: 'h',
            name: 'Homicides',
            unit: '',
            owner: '',
            polarity: 'lower_is_better',
            baselineValue: 28,
            baselinePeriod: '2019',
            targetValue: null,
          },
        }),
      ],
    });
    const out = await html(await nationalStatementToDocx(statement, { generatedOn: '1 July 2024' }));
    expect(out).toContain('<h1>Reduce murder and other homicide</h1>');
    expect(out).toContain('<h1>Tackle cyber crime</h1>');
    expect(out).toContain('Homicides fell from 28 (2019) to 16 (May 2024), a change of \u221242.9%.');
    expect(out).toContain('<td><p>\u221212 (\u221242.9%), better</p></td>');
    expect(out).toContain('Not yet reported');
  });
});
