import type { ReportingFrequency } from '../../plans/domain/plan-tree.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import type { PeriodKind, RejectedRow, ValueFigures } from './performance-model.ts';
import { parsePeriodKey, periodContaining, periodKindFor, periodShortLabel, shiftPeriod, type Period } from './periods.ts';

/**
 * Measure values from an uploaded CSV or XLSX, after the file has been read into rows of text
 * cells. Everything here is pure: the service reads the file, this decides what each row means and
 * what is wrong with it, so a file is either applied whole or its every problem is listed.
 *
 * Two layouts are accepted:
 * - long: one row per measure and period, with the columns in `longColumns` (a row may give the
 *   measure by `measure_id`, its lineage id, or by `measure`, its exact name when no other measure
 *   of the plan shares it);
 * - wide: `period` in the first column, then one column per measure headed by its name. A second
 *   row starting `measure_id` may give each column's lineage id (the template has one), or a header
 *   may end with the id in brackets: "Average 101 answer time [<id>]". Wide files carry values only.
 */

/** The columns of the long layout, in the template's order. */
export const longColumns = [
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
] as const;
type LongColumn = (typeof longColumns)[number];

export type MeasureLayout = 'long' | 'wide';
export const measureLayouts: readonly MeasureLayout[] = ['long', 'wide'];

/** What the file needs to know of a measure of the plan. */
export type MeasureRef = { lineageId: string; name: string; unit: string; frequency: ReportingFrequency };

/** One row of the file as the user sees it: its line (CSV) or row number (XLSX), header = 1. */
export type SourceRow = { line: number; cells: readonly string[] };

/** A value ready to record, with the line it came from. */
export type ImportedValue = ValueFigures & {
  line: number;
  measureLineageId: string;
  periodKind: PeriodKind;
  periodStart: string;
  note: string;
};

export type MeasureFile = { layout: MeasureLayout; values: ImportedValue[]; rejected: RejectedRow[] };

/** More rows than any plan's measures need; beyond it the file is refused whole rather than read. */
export const MAX_VALUE_ROWS = 20_000;
/** Longest source or note kept from a file. */
export const MAX_TEXT_LENGTH = 2000;

const lineageIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const normaliseHeader = (cell: string) =>
  cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
const isBlank = (row: SourceRow) => row.cells.every((cell) => cell.trim() === '');

// ---------------------------------------------------------------------------------------------
// Periods and numbers as people write them.
// ---------------------------------------------------------------------------------------------

const monthNumbers = new Map(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((name, i) => [name, i + 1]),
);
const pad = (n: number) => String(n).padStart(2, '0');

/** The first calendar year of a financial year written "2024/25" or "2024/2025"; null if the years do not follow. */
function financialYear(first: string, second: string): number | null {
  const start = Number(first);
  const end = Number(second);
  const follows = second.length === 2 ? (start + 1) % 100 === end : start + 1 === end;
  return follows ? start : null;
}

/**
 * A period as written in a file: the keys this service uses ("2024-05", "fy2024-25-q1",
 * "fy2024-25"), or the friendly forms "May 2024", "2024-05-01" (a spreadsheet date on the first
 * of the month), "Q1 2024/25", "Quarter 1 2024/25" and "2024/25". Null for anything else.
 */
export function parsePeriodText(text: string): Period | null {
  const cleaned = text.trim().replace(/\s+/g, ' ');
  const key = parsePeriodKey(cleaned.toLowerCase());
  if (key) return key;
  let match = /^(\d{4})-(\d{2})-01$/.exec(cleaned);
  if (match) return parsePeriodKey(`${match[1]}-${match[2]}`);
  match = /^([a-z]+) (\d{4})$/i.exec(cleaned);
  if (match) {
    const name = match[1]!.toLowerCase();
    const month = monthNumbers.get(name.slice(0, 3));
    const isMonthName = month !== undefined && (name.length === 3 || name === 'sept' || fullMonthNames[month - 1] === name);
    return isMonthName ? { kind: 'month', start: `${match[2]}-${pad(month)}-01` } : null;
  }
  match = /^(?:q|quarter) ?([1-4]) (?:fy ?)?(\d{4})[/-](\d{2}|\d{4})$/i.exec(cleaned);
  if (match) {
    const fy = financialYear(match[2]!, match[3]!);
    return fy === null ? null : parsePeriodKey(`fy${fy}-${pad((fy + 1) % 100)}-q${match[1]}`);
  }
  // "2024-25" alone is not accepted: as a key it would read as a month.
  match = /^(?:fy ?)?(\d{4})\/(\d{2}|\d{4})$/i.exec(cleaned);
  if (match) {
    const fy = financialYear(match[1]!, match[2]!);
    return fy === null ? null : { kind: 'financial_year', start: `${fy}-04-01` };
  }
  return null;
}

const fullMonthNames = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** A number as written: "1234", "-0.5", "1,234.5", "1e3". Null for anything else. */
export function parseNumber(text: string): number | null {
  const cleaned = text.trim();
  const plain = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(cleaned);
  const grouped = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(cleaned);
  if (!plain && !grouped) return null;
  const value = Number(cleaned.replace(/,/g, ''));
  return Number.isFinite(value) ? value : null;
}

/** How the template and the error messages describe a period kind's format. */
export const periodFormats: Record<PeriodKind, { words: string; example: string }> = {
  month: { words: 'a month', example: '2024-05' },
  quarter: { words: 'a financial quarter', example: 'fy2024-25-q1' },
  financial_year: { words: 'a financial year', example: 'fy2024-25' },
};

const frequencyWords: Record<ReportingFrequency, string> = { monthly: 'monthly', quarterly: 'quarterly', annually: 'annually' };

// ---------------------------------------------------------------------------------------------
// Rows.
// ---------------------------------------------------------------------------------------------

/** The figures of one value, as text cells; blank cells are absent. */
type Figures = Partial<Record<'value' | 'numerator' | 'denominator' | 'lower' | 'upper' | 'msg_average' | 'source' | 'note', string>>;

/** Checks one value's period and figures; the reasons it cannot be recorded, or the value. */
function checkValue(
  measure: MeasureRef,
  periodText: string,
  figures: Figures,
  today: string,
  line: number,
  isDuplicate: DuplicateCheck,
):
  | { ok: true; period: Period; value: Omit<ImportedValue, 'line' | 'measureLineageId' | 'periodKind' | 'periodStart'> }
  | { ok: false; reasons: string[] } {
  const reasons: string[] = [];
  const kind = periodKindFor(measure.frequency);
  const format = periodFormats[kind];
  let period: Period | null = null;
  if (periodText.trim() === '') reasons.push('The period is missing');
  else {
    period = parsePeriodText(periodText);
    if (!period) reasons.push(`"${periodText.trim()}" is not a period: write ${format.words} like ${format.example}`);
    else if (period.kind !== kind) {
      reasons.push(
        `${periodShortLabel(period)} is ${periodFormats[period.kind].words}, but ${measure.name} is reported ${frequencyWords[measure.frequency]}: write ${format.words} like ${format.example}`,
      );
      period = null;
    } else if (period.start > today) {
      reasons.push(`${periodShortLabel(period)} has not started yet`);
      period = null;
    } else {
      const duplicate = isDuplicate(measure, period, line);
      if (duplicate) reasons.push(duplicate);
    }
  }

  const numberOf = (column: keyof Figures, label: string): number | null => {
    const text = figures[column];
    if (text === undefined) return null;
    const value = parseNumber(text);
    if (value === null) reasons.push(`The ${label} "${text.trim()}" is not a number`);
    return value;
  };
  const value = numberOf('value', 'value');
  if (figures.value === undefined) reasons.push('The value is missing');
  const numerator = numberOf('numerator', 'numerator');
  const denominator = numberOf('denominator', 'denominator');
  if ((figures.numerator === undefined) !== (figures.denominator === undefined))
    reasons.push('Give both the numerator and the denominator, or neither');
  if (denominator !== null && denominator <= 0) reasons.push('The denominator must be greater than 0');
  const lower = numberOf('lower', 'lower limit');
  const upper = numberOf('upper', 'upper limit');
  if ((figures.lower === undefined) !== (figures.upper === undefined))
    reasons.push('Give both the lower and the upper limit of the confidence interval, or neither');
  // The database refuses an interval that does not contain its value (measure_values_interval_check).
  if (value !== null && lower !== null && upper !== null && !(lower <= value && value <= upper))
    reasons.push(`The confidence interval ${lower} to ${upper} must contain the value ${value}`);
  const mostSimilarGroupAverage = numberOf('msg_average', 'most similar group average');
  const sourceNote = (figures.source ?? '').trim();
  const note = (figures.note ?? '').trim();
  if (sourceNote.length > MAX_TEXT_LENGTH) reasons.push(`The source must be ${MAX_TEXT_LENGTH} characters or fewer`);
  if (note.length > MAX_TEXT_LENGTH) reasons.push(`The note must be ${MAX_TEXT_LENGTH} characters or fewer`);

  if (reasons.length > 0 || !period || value === null) return { ok: false, reasons };
  return {
    ok: true,
    period,
    value: { value, numerator, denominator, confidenceLower: lower, confidenceUpper: upper, mostSimilarGroupAverage, sourceNote, note },
  };
}

/** Finds measures by lineage id and by exact name (trimmed), noting names two measures share. */
function measureIndex(measures: readonly MeasureRef[]) {
  const byId = new Map(measures.map((m) => [m.lineageId.toLowerCase(), m]));
  const byName = new Map<string, MeasureRef[]>();
  for (const m of measures) byName.set(m.name.trim(), [...(byName.get(m.name.trim()) ?? []), m]);
  return {
    byId: (id: string) => byId.get(id.trim().toLowerCase()),
    byName: (name: string): { measure?: MeasureRef; reason?: string } => {
      const found = byName.get(name.trim()) ?? [];
      if (found.length === 1) return { measure: found[0]! };
      if (found.length > 1) return { reason: `More than one measure is called "${name.trim()}": give its measure_id` };
      return { reason: `"${name.trim()}" is not a measure of this plan` };
    },
  };
}

/**
 * Remembers which line gave each measure and period, so a second one is refused. A line counts
 * even when its figures are wrong: correcting it must not turn up a duplicate afterwards.
 */
function duplicates() {
  const seen = new Map<string, number>();
  return (measure: MeasureRef, period: Period, line: number): string | null => {
    const key = `${measure.lineageId}|${period.kind}|${period.start}`;
    const first = seen.get(key);
    if (first !== undefined) return `${measure.name} for ${periodShortLabel(period)} is already on line ${first}`;
    seen.set(key, line);
    return null;
  };
}
type DuplicateCheck = ReturnType<typeof duplicates>;

/**
 * Reads the rows of a measure values file. Fails (with a message for the upload page) when the
 * file cannot be read as either layout; otherwise gives every value that can be recorded and
 * every row that cannot, by line. Rows with no figures at all (a template row left empty) are
 * skipped: they say nothing. `today` (ISO date) refuses periods that have not started.
 */
export function readMeasureFile(rows: readonly SourceRow[], measures: readonly MeasureRef[], today: string): Result<MeasureFile, string> {
  const nonBlank = rows.filter((row) => !isBlank(row));
  const header = nonBlank[0];
  if (!header) return fail('The selected file is empty');
  const headers = header.cells.map(normaliseHeader);
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  const isLong = headers.includes('value') && headers.includes('period') && (headers.includes('measure_id') || headers.includes('measure'));
  if (nonBlank.length - 1 > MAX_VALUE_ROWS)
    return fail(`The selected file has more than ${MAX_VALUE_ROWS.toLocaleString('en-GB')} rows: split it into smaller files`);
  if (isLong) return readLong(header, headers, nonBlank.slice(1), measures, today);
  if (headers[0] === 'period') return readWide(header, nonBlank.slice(1), measures, today);
  // Excel in some languages saves "CSV" with semicolons between cells.
  if (headers.length === 1 && /;/.test(headers[0]!) && /period/.test(headers[0]!))
    return fail(
      'The cells of the file are separated by semicolons: in Excel, save it as "CSV UTF-8 (Comma delimited)" and upload it again',
    );
  return fail(
    'The first row of the file is not a header this service recognises: use the template, whose first row starts measure_id, measure, period, value (one row per value) or period followed by the names of measures (one column per measure)',
  );
}

function readLong(
  header: SourceRow,
  headers: string[],
  body: readonly SourceRow[],
  measures: readonly MeasureRef[],
  today: string,
): Result<MeasureFile, string> {
  const known = new Set<string>(longColumns);
  const unknown = headers.filter((h, i) => !known.has(h) && header.cells[i]!.trim() !== '');
  if (unknown.length > 0)
    return fail(
      `The header names ${unknown.length === 1 ? 'a column' : 'columns'} this service does not recognise: ${unknown.join(', ')}. The columns are ${longColumns.join(', ')}`,
    );
  const repeated = headers.filter((h, i) => h !== '' && headers.indexOf(h) !== i);
  if (repeated.length > 0) return fail(`The header names ${[...new Set(repeated)].join(', ')} more than once`);
  const columnOf = new Map(headers.map((h, i) => [h as LongColumn, i]));
  const index = measureIndex(measures);
  const isDuplicate = duplicates();
  const values: ImportedValue[] = [];
  const rejected: RejectedRow[] = [];

  for (const row of body) {
    const cell = (column: LongColumn): string | undefined => {
      const i = columnOf.get(column);
      const text = i === undefined ? undefined : row.cells[i];
      return text === undefined || text.trim() === '' ? undefined : text;
    };
    const figures: Figures = {};
    for (const column of ['value', 'numerator', 'denominator', 'lower', 'upper', 'msg_average', 'source', 'note'] as const) {
      const text = cell(column);
      if (text !== undefined) figures[column] = text;
    }
    const hasFigures = (['value', 'numerator', 'denominator', 'lower', 'upper', 'msg_average'] as const).some((c) => c in figures);
    if (!hasFigures) {
      if (figures.source === undefined && figures.note === undefined) continue;
    }

    const id = cell('measure_id');
    const name = cell('measure');
    let measure: MeasureRef | undefined;
    let measureReason: string | undefined;
    if (id !== undefined) {
      measure = index.byId(id);
      if (!measure)
        measureReason = lineageIdPattern.test(id.trim())
          ? `The measure_id ${id.trim()} is not a measure of this plan`
          : `The measure_id "${id.trim()}" is not a measure id: copy it from the template`;
    } else if (name !== undefined) {
      ({ measure, reason: measureReason } = index.byName(name));
    } else measureReason = 'The measure is missing: give its measure_id or its name';

    if (!measure) {
      rejected.push({ line: row.line, reason: measureReason! });
      continue;
    }
    const checked = checkValue(measure, cell('period') ?? '', figures, today, row.line, isDuplicate);
    if (!checked.ok) {
      rejected.push({ line: row.line, reason: checked.reasons.join('. ') });
      continue;
    }
    const value: ImportedValue = {
      line: row.line,
      measureLineageId: measure.lineageId,
      periodKind: checked.period.kind,
      periodStart: checked.period.start,
      ...checked.value,
    };
    values.push(value);
  }
  return ok({ layout: 'long', values, rejected });
}

/** "Name [id]" or "Name (id)": the name and the id, when a header carries one. */
function splitHeader(text: string): { name: string; id?: string } {
  const match = /^(.*?)\s*[[(]\s*([0-9a-f-]{36})\s*[\])]\s*$/i.exec(text.trim());
  return match && lineageIdPattern.test(match[2]!) ? { name: match[1]!, id: match[2]! } : { name: text.trim() };
}

function readWide(
  header: SourceRow,
  body: readonly SourceRow[],
  measures: readonly MeasureRef[],
  today: string,
): Result<MeasureFile, string> {
  const index = measureIndex(measures);
  const idRow = body[0] && normaliseHeader(body[0].cells[0] ?? '') === 'measure_id' ? body[0] : undefined;
  const problems: string[] = [];
  const columns: { column: number; measure: MeasureRef }[] = [];
  header.cells.forEach((text, column) => {
    if (column === 0) return;
    const given = splitHeader(text);
    const id = idRow?.cells[column]?.trim() || given.id;
    if (!id && given.name === '') return;
    const letter = columnLetter(column);
    if (id) {
      const measure = index.byId(id);
      if (measure) columns.push({ column, measure });
      else problems.push(`column ${letter} (${given.name || id}) has a measure_id that is not a measure of this plan`);
      return;
    }
    const found = index.byName(given.name);
    if (found.measure) columns.push({ column, measure: found.measure });
    else problems.push(`column ${letter}: ${found.reason}`);
  });
  if (problems.length > 0)
    return fail(
      `The header is not recognised: ${problems.join('; ')}. Each column after period must be headed by the name of a measure of this plan`,
    );
  const repeated = columns.filter((c, i) => columns.findIndex((d) => d.measure === c.measure) !== i);
  if (repeated.length > 0) return fail(`The header names ${repeated.map((c) => c.measure.name).join(', ')} more than once`);
  if (columns.length === 0) return fail('The header names no measures: put the name of a measure at the top of each column after period');

  const isDuplicate = duplicates();
  const values: ImportedValue[] = [];
  const rejected: RejectedRow[] = [];
  for (const row of idRow ? body.slice(1) : body) {
    const periodText = row.cells[0] ?? '';
    for (const { column, measure } of columns) {
      const text = row.cells[column];
      if (text === undefined || text.trim() === '') continue;
      const checked = checkValue(measure, periodText, { value: text }, today, row.line, isDuplicate);
      if (!checked.ok) {
        rejected.push({ line: row.line, reason: `${measure.name}: ${checked.reasons.join('. ')}` });
        continue;
      }
      const value: ImportedValue = {
        line: row.line,
        measureLineageId: measure.lineageId,
        periodKind: checked.period.kind,
        periodStart: checked.period.start,
        ...checked.value,
      };
      values.push(value);
    }
  }
  return ok({ layout: 'wide', values, rejected });
}

/** Spreadsheet column letters, as people see them: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

// ---------------------------------------------------------------------------------------------
// Templates and previews.
// ---------------------------------------------------------------------------------------------

/** A recorded value's figures, as far as a preview compares them. */
export type CurrentFigures = {
  measureLineageId: string;
  periodKind: string;
  periodStart: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  confidenceLower: number | null;
  confidenceUpper: number | null;
  mostSimilarGroupAverage: number | null;
};

export type ChangeKind = 'new' | 'revised' | 'unchanged';
export type PreviewChange = { value: ImportedValue; current: CurrentFigures | null; change: ChangeKind };

const keyOf = (v: { measureLineageId: string; periodKind: string; periodStart: string }) =>
  `${v.measureLineageId}|${v.periodKind}|${v.periodStart}`;

/** Same figures as recordValues compares: a value whose figures match is not recorded again. */
const sameFigures = (a: ImportedValue, b: CurrentFigures) =>
  a.value === b.value &&
  a.numerator === b.numerator &&
  a.denominator === b.denominator &&
  a.confidenceLower === b.confidenceLower &&
  a.confidenceUpper === b.confidenceUpper &&
  a.mostSimilarGroupAverage === b.mostSimilarGroupAverage;

/** What applying the values would do to each: a new period, a revision, or nothing. */
export function previewChanges(values: readonly ImportedValue[], current: readonly CurrentFigures[]): PreviewChange[] {
  const byKey = new Map(current.map((c) => [keyOf(c), c]));
  return values.map((value) => {
    const existing = byKey.get(keyOf(value)) ?? null;
    const change: ChangeKind = !existing ? 'new' : sameFigures(value, existing) ? 'unchanged' : 'revised';
    return { value, current: existing, change };
  });
}

/**
 * The periods a template offers for a measure: the latest ones that have started, up to the
 * given count, and none before the plan starts (or, before a plan starts, its first period).
 */
export function templatePeriods(kind: PeriodKind, planStartsOn: string, today: string, count: number): Period[] {
  const last = periodContaining(kind, today);
  const first = periodContaining(kind, planStartsOn);
  if (last.start < first.start) return [first];
  const periods: Period[] = [];
  for (let p = last; p.start >= first.start && periods.length < count; p = shiftPeriod(p, -1)) periods.unshift(p);
  return periods;
}
