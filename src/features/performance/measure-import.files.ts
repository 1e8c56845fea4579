import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { fail, ok, type Result } from '../../shared/result.ts';
import type { UploadedFile } from '../plans/index.ts';
import {
  longColumns,
  periodFormats,
  templatePeriods,
  type CurrentFigures,
  type MeasureLayout,
  type MeasureRef,
  type SourceRow,
} from './domain/measure-file.ts';
import { periodKey, periodKindFor, type Period } from './domain/periods.ts';
import type { PeriodKind } from './domain/performance-model.ts';

/**
 * Reading and writing the measure values spreadsheet: CSV (UTF-8, with or without a byte order
 * mark) or XLSX. What the rows mean is decided in domain/measure-file.ts.
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The content type an XLSX workbook declares for its main part, in [Content_Types].xml. */
const WORKBOOK_PART_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';

const startsWith = (data: Buffer, bytes: number[]) => bytes.every((b, i) => data[i] === b);
const isZip = (data: Buffer) => startsWith(data, [0x50, 0x4b, 0x03, 0x04]);
/** The compound file format of Excel 97–2003 (.xls), Word .doc and others. */
const isCompoundFile = (data: Buffer) => startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Reads an uploaded CSV or XLSX into rows of text, or says why it cannot. */
export async function readSpreadsheet(file: UploadedFile): Promise<Result<SourceRow[], string>> {
  const name = file.name.toLowerCase();
  if (file.data.length === 0) return fail('The selected file is empty');
  if (isCompoundFile(file.data) || name.endsWith('.xls'))
    return fail(
      'The selected file is an old Excel workbook (.xls): save it as an Excel workbook (.xlsx) or as CSV UTF-8, then upload it again',
    );
  if (isZip(file.data)) {
    const kind = await inspectZip(file.data);
    if (kind === 'not_workbook') return fail('The selected file is a zip archive, not an Excel workbook: upload a .xlsx or .csv file');
    if (kind === 'too_large')
      return fail('The selected workbook is too large to read: copy the values into a new workbook, or save it as CSV UTF-8');
    return readXlsx(file.data);
  }
  if (name.endsWith('.xlsx'))
    return fail('The selected file is not a valid Excel workbook (.xlsx): save it again from Excel, or as CSV UTF-8');
  if (!/\.(csv|txt)$/.test(name) && !/^text\/(csv|plain)$/.test(file.type)) return fail('The selected file must be a CSV or an XLSX file');
  return readCsv(file.data);
}

function readCsv(data: Buffer): Result<SourceRow[], string> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return fail('The selected file is not UTF-8 text: in Excel, save it as "CSV UTF-8 (Comma delimited)" and upload it again');
  }
  if (text.includes('\u0000')) return fail('The selected file is not a CSV file: it is not text');
  let records: { record: string[]; raw: string }[];
  try {
    records = parse(text, { bom: true, raw: true, relax_column_count: true, skip_empty_lines: false }) as unknown as {
      record: string[];
      raw: string;
    }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return fail(`The selected file is not valid CSV${line ? ` (near line ${line})` : ''}: check for a quotation mark that is not closed`);
  }
  // A record's line is where it starts, counting the line breaks inside earlier records' quoted cells.
  const rows: SourceRow[] = [];
  let line = 1;
  for (const { record, raw } of records) {
    rows.push({ line, cells: record });
    line += (raw.match(/\r\n|\r|\n/g) ?? []).length;
  }
  return ok(rows);
}

/**
 * Unpacked, no plan's measure values come near this; a zip that claims more is refused before
 * ExcelJS inflates it in memory (a "zip bomb" fits in an upload of a few kilobytes).
 */
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

/** What the zip says of itself: whether it is an XLSX workbook, and whether it unpacks to a sane size. */
async function inspectZip(data: Buffer): Promise<'workbook' | 'not_workbook' | 'too_large'> {
  try {
    const { types, unpackedBytes } = await zipContents(data, '[Content_Types].xml');
    if (unpackedBytes > MAX_UNPACKED_BYTES) return 'too_large';
    return types !== null && types.includes(WORKBOOK_PART_TYPE) ? 'workbook' : 'not_workbook';
  } catch {
    return 'not_workbook';
  }
}

/** The text of one small entry of a zip held in memory (null when absent), and the size of everything unpacked. */
function zipContents(data: Buffer, entryName: string): Promise<{ types: string | null; unpackedBytes: number }> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('unreadable zip'));
      let unpackedBytes = 0;
      let text: string | null = null;
      zip.on('error', reject);
      zip.on('end', () => resolve({ types: text, unpackedBytes }));
      zip.on('entry', (entry: yauzl.Entry) => {
        unpackedBytes += entry.uncompressedSize;
        // [Content_Types].xml is a few kilobytes; anything bigger is not a workbook's.
        if (entry.fileName !== entryName || entry.uncompressedSize > 1024 * 1024) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('unreadable entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            text = Buffer.concat(chunks).toString('utf8');
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** A cell as the text a person would read in it. */
function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  // Spreadsheet dates are calendar days; ExcelJS gives them as midnight UTC.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result);
  if ('hyperlink' in value) return cellText((value as { text?: ExcelJS.CellValue }).text);
  if ('error' in value) return String(value.error);
  return '';
}

async function readXlsx(data: Buffer): Promise<Result<SourceRow[], string>> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return fail('The selected file could not be read as an Excel workbook (.xlsx): save it again from Excel, or as CSV UTF-8');
  }
  // The template's values are on its first sheet, "Values"; the measures sheet is for reference.
  const sheet = workbook.getWorksheet(VALUES_SHEET) ?? workbook.worksheets[0];
  if (!sheet) return fail('The selected workbook has no sheets: put the values on its first sheet');
  const rows: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    rows.push({ line: rowNumber, cells: Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1])) });
  });
  return ok(rows);
}

// ---------------------------------------------------------------------------------------------
// Templates.
// ---------------------------------------------------------------------------------------------

const VALUES_SHEET = 'Values';
const MEASURES_SHEET = 'Measures';

/** Periods a template offers for each kind: a year of months, two years of quarters, three years. */
const TEMPLATE_PERIODS: Record<PeriodKind, number> = { month: 12, quarter: 8, financial_year: 3 };

export type TemplateInput = {
  measures: readonly MeasureRef[];
  planStartsOn: string;
  today: string;
  /** The latest recorded figures, so a template carries what is already recorded. */
  current: readonly CurrentFigures[];
};

const frequencyText = { monthly: 'Monthly', quarterly: 'Quarterly', annually: 'Annually' } as const;
const formatText = (kind: PeriodKind) => `${periodFormats[kind].words}, for example ${periodFormats[kind].example}`;
const figure = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** The rows of the template's values sheet, as text, in the chosen layout. */
export function templateRows(input: TemplateInput, layout: MeasureLayout): { rows: string[][]; notApplicable: [number, number][] } {
  const current = new Map(input.current.map((c) => [`${c.measureLineageId}|${c.periodKind}|${c.periodStart}`, c]));
  const currentOf = (measure: MeasureRef, period: Period) => current.get(`${measure.lineageId}|${period.kind}|${period.start}`);
  const periodsOf = (kind: PeriodKind) => templatePeriods(kind, input.planStartsOn, input.today, TEMPLATE_PERIODS[kind]);

  if (layout === 'long') {
    const rows: string[][] = [[...longColumns]];
    for (const measure of input.measures) {
      for (const period of periodsOf(periodKindFor(measure.frequency))) {
        const c = currentOf(measure, period);
        rows.push([
          measure.lineageId,
          measure.name,
          periodKey(period),
          figure(c?.value),
          figure(c?.numerator),
          figure(c?.denominator),
          figure(c?.confidenceLower),
          figure(c?.confidenceUpper),
          figure(c?.mostSimilarGroupAverage),
          '',
          '',
        ]);
      }
    }
    return { rows, notApplicable: [] };
  }

  // Wide: months, then quarters, then years, for the kinds the plan's measures use.
  const kinds = (['month', 'quarter', 'financial_year'] as const).filter((k) =>
    input.measures.some((m) => periodKindFor(m.frequency) === k),
  );
  const rows: string[][] = [
    ['period', ...input.measures.map((m) => m.name)],
    ['measure_id', ...input.measures.map((m) => m.lineageId)],
  ];
  const notApplicable: [number, number][] = [];
  for (const kind of kinds) {
    for (const period of periodsOf(kind)) {
      const row = [periodKey(period)];
      input.measures.forEach((measure, i) => {
        if (periodKindFor(measure.frequency) !== kind) {
          notApplicable.push([rows.length, i + 1]);
          row.push('');
        } else row.push(figure(currentOf(measure, period)?.value));
      });
      rows.push(row);
    }
  }
  return { rows, notApplicable };
}

const csvCell = (text: string) => (/[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** The template as CSV: UTF-8 with a byte order mark, so Excel opens names with accents correctly. */
export function templateCsv(input: TemplateInput, layout: MeasureLayout): string {
  return `\uFEFF${templateRows(input, layout)
    .rows.map((row) => row.map(csvCell).join(','))
    .join('\r\n')}\r\n`;
}

/** The template as an XLSX workbook: the values sheet, and the measures with their formats. */
export async function templateXlsx(input: TemplateInput, layout: MeasureLayout): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Police and Crime Plans';
  const values = workbook.addWorksheet(VALUES_SHEET, { views: [{ state: 'frozen', ySplit: layout === 'wide' ? 2 : 1 }] });
  const { rows, notApplicable } = templateRows(input, layout);
  rows.forEach((row, r) => {
    // Figures as numbers, so Excel treats them as numbers; ids, names and periods as text.
    values.addRow(row.map((cell, i) => (cell !== '' && isFigure(layout, r, i) ? Number(cell) : cell)));
  });
  values.getRow(1).font = { bold: true };
  if (layout === 'wide') {
    values.getRow(2).font = { color: { argb: 'FF505A5F' } };
    values.getColumn(1).width = 16;
    for (let i = 2; i <= rows[0]!.length; i += 1) values.getColumn(i).width = 28;
    for (const [row, column] of notApplicable) {
      values.getCell(row + 1, column + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE0E0E0' } };
    }
  } else {
    const widths: Record<string, number> = { measure_id: 38, measure: 40, period: 14, source: 30, note: 40 };
    longColumns.forEach((name, i) => (values.getColumn(i + 1).width = widths[name] ?? 12));
  }
  // Periods stay text, so Excel does not turn 2024-05 into a date.
  values.getColumn(layout === 'wide' ? 1 : 3).numFmt = '@';

  const measures = workbook.addWorksheet(MEASURES_SHEET);
  measures.addRow(['measure_id', 'measure', 'unit', 'frequency', 'period format']);
  measures.getRow(1).font = { bold: true };
  for (const m of input.measures) {
    measures.addRow([m.lineageId, m.name, m.unit, frequencyText[m.frequency], formatText(periodKindFor(m.frequency))]);
  }
  [38, 40, 14, 12, 44].forEach((width, i) => (measures.getColumn(i + 1).width = width));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Whether a template cell holds a figure: long columns value to msg_average; wide cells below the two header rows. */
const isFigure = (layout: MeasureLayout, row: number, column: number) =>
  layout === 'long' ? row >= 1 && column >= 3 && column <= 8 : row >= 2 && column >= 1;
