import { crc32, deflateSync } from 'node:zlib';
import { measureChartSvg } from './charts.ts';
import type { QuarterlyReportContent, ReportMeasure } from './domain/report-model.ts';
import type { DocxChart } from './report-docx.ts';

/**
 * Charts for the Word version of a report. Word 2016 and later draw the SVG (the same chart as the
 * page); a Word document with an SVG must also carry a bitmap for older readers, so each chart
 * comes with a PNG drawn here: the same line, points, confidence intervals and dashed target and
 * baseline, without the text (there is no font rasteriser on the server). The chart's summary is
 * its alternative text and the table of values follows it, so nothing is only in the picture.
 */
export async function reportCharts(content: QuarterlyReportContent): Promise<Map<string, DocxChart>> {
  const charts = new Map<string, DocxChart>();
  for (const measure of content.priorities.flatMap((p) => p.measures)) {
    if (measure.series.length === 0) continue;
    const svg = await reportMeasureSvg(measure);
    const { width, height } = svgSize(svg);
    charts.set(measure.lineageId, { svg, png: plotPng(measure, width, height), width, height });
  }
  return charts;
}

/** A measure's chart from the report's frozen series, as the page and the Word document show it. */
export function reportMeasureSvg(measure: ReportMeasure): Promise<string> {
  return measureChartSvg({
    title: measure.name,
    unit: measure.unit,
    points: measure.series.map((p) => ({ label: p.label, value: p.value, lower: p.lower, upper: p.upper })),
    target: measure.target,
    baseline: measure.baseline?.value ?? null,
  });
}

/** The root element's width and height in pixels. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  return { width: width > 0 ? Math.round(width) : 600, height: height > 0 ? Math.round(height) : 300 };
}

type Rgb = readonly [number, number, number];
const BLUE: Rgb = [0x1d, 0x70, 0xb8];
const LIGHT_BLUE: Rgb = [0x8e, 0xb8, 0xdc];
const BLACK: Rgb = [0x0b, 0x0c, 0x0c];
const GREY: Rgb = [0x50, 0x5a, 0x5f];
const LIGHT_GREY: Rgb = [0xdd, 0xde, 0xe0];

/** A line chart of the measure's series as a PNG of the given size. Exported for its test. */
export function plotPng(measure: Pick<ReportMeasure, 'series' | 'target' | 'baseline'>, width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3, 0xff);
  const set = (x: number, y: number, colour: Rgb) => {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= width || py >= height) return;
    pixels.set(colour, (py * width + px) * 3);
  };
  const line = (x0: number, y0: number, x1: number, y1: number, colour: Rgb, thickness = 1, dash = 0) => {
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
    const r = Math.floor(thickness / 2);
    for (let i = 0; i <= steps; i++) {
      if (dash && Math.floor(i / dash) % 2 === 1) continue;
      const x = x0 + ((x1 - x0) * i) / steps;
      const y = y0 + ((y1 - y0) * i) / steps;
      for (let dx = -r; dx <= r; dx++) for (let dy = -r; dy <= r; dy++) set(x + dx, y + dy, colour);
    }
  };

  const left = 50;
  const right = width - 20;
  const top = 20;
  const bottom = height - 30;
  const values = measure.series.flatMap((p) => [p.value, p.lower, p.upper]).filter((v): v is number => v !== null);
  if (measure.target !== null) values.push(measure.target);
  if (measure.baseline) values.push(measure.baseline.value);
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) [min, max] = [min - 1, max + 1];
  const pad = (max - min) * 0.1;
  min -= pad;
  max += pad;
  const yOf = (v: number) => bottom - ((v - min) / (max - min)) * (bottom - top);
  const n = measure.series.length;
  const xOf = (i: number) => (n === 1 ? (left + right) / 2 : left + ((right - left) * i) / (n - 1));

  for (let g = 0; g <= 4; g++) line(left, top + ((bottom - top) * g) / 4, right, top + ((bottom - top) * g) / 4, LIGHT_GREY);
  line(left, top, left, bottom, GREY, 2);
  line(left, bottom, right, bottom, GREY, 2);
  if (measure.baseline) line(left, yOf(measure.baseline.value), right, yOf(measure.baseline.value), BLACK, 2, 4);
  if (measure.target !== null) line(left, yOf(measure.target), right, yOf(measure.target), BLACK, 2, 8);
  measure.series.forEach((p, i) => {
    if (p.lower !== null && p.upper !== null) line(xOf(i), yOf(p.lower), xOf(i), yOf(p.upper), LIGHT_BLUE, 3);
  });
  for (let i = 1; i < n; i++) line(xOf(i - 1), yOf(measure.series[i - 1]!.value), xOf(i), yOf(measure.series[i]!.value), BLUE, 3);
  measure.series.forEach((p, i) => {
    for (let dx = -4; dx <= 4; dx++)
      for (let dy = -4; dy <= 4; dy++) if (dx * dx + dy * dy <= 16) set(xOf(i) + dx, yOf(p.value) + dy, BLUE);
  });
  return encodePng(pixels, width, height);
}

/** An 8-bit RGB PNG (ISO/IEC 15948): signature, IHDR, one IDAT of unfiltered rows, IEND. */
export function encodePng(rgb: Buffer, width: number, height: number): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}
