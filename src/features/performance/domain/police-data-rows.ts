import type { PoliceDataKind, RejectedRow } from './performance-model.ts';

/**
 * The files data.police.uk publishes (https://data.police.uk/about/#columns): their names, their
 * headers, and what makes a row of each acceptable. Pure: the import streams records through these.
 */

export const streetColumns = [
  'Crime ID',
  'Month',
  'Reported by',
  'Falls within',
  'Longitude',
  'Latitude',
  'Location',
  'LSOA code',
  'LSOA name',
  'Crime type',
  'Last outcome category',
  'Context',
] as const;

export const outcomesColumns = [
  'Crime ID',
  'Month',
  'Reported by',
  'Falls within',
  'Longitude',
  'Latitude',
  'Location',
  'LSOA code',
  'LSOA name',
  'Outcome type',
] as const;

export const stopAndSearchColumns = [
  'Type',
  'Date',
  'Part of a policing operation',
  'Policing operation',
  'Latitude',
  'Longitude',
  'Gender',
  'Age range',
  'Self-defined ethnicity',
  'Officer-defined ethnicity',
  'Legislation',
  'Object of search',
  'Outcome',
  'Outcome linked to object of search',
  'Removal of more than just outer clothing',
] as const;

export const columnsOf: Record<PoliceDataKind, readonly string[]> = {
  street: streetColumns,
  outcomes: outcomesColumns,
  stop_and_search: stopAndSearchColumns,
};

export const kindLabels: Record<PoliceDataKind, string> = {
  street: 'street-level crime',
  outcomes: 'outcomes',
  stop_and_search: 'stop and search',
};

/** The first rejected rows kept per file; the rest are only counted. */
export const MAX_REJECTIONS_KEPT = 1000;

export type PoliceDataFileName = { kind: PoliceDataKind; forceSlug: string; month: string };

const suffixes: [string, PoliceDataKind][] = [
  ['street', 'street'],
  ['outcomes', 'outcomes'],
  ['stop-and-search', 'stop_and_search'],
];

/**
 * Reads a data.police.uk file name, with or without the archive's folder: `2019-01/2019-01-avon-
 * and-somerset-street.csv`. A browser's " (1)" for a second download of the same file is allowed.
 */
export function parsePoliceDataFileName(name: string): PoliceDataFileName | undefined {
  const base = name.split(/[\\/]/).pop() ?? '';
  const match = /^(\d{4})-(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)(?: \(\d+\))?\.csv$/i.exec(base);
  if (!match) return undefined;
  const [, year, monthNumber, rest] = match as unknown as [string, string, string, string];
  if (Number(monthNumber) < 1 || Number(monthNumber) > 12) return undefined;
  const lower = rest.toLowerCase();
  for (const [suffix, kind] of suffixes) {
    if (lower.endsWith(`-${suffix}`) && lower.length > suffix.length + 1) {
      return { kind, forceSlug: lower.slice(0, -suffix.length - 1), month: `${year}-${monthNumber}` };
    }
  }
  return undefined;
}

/** True for a zip entry that is a folder, which archives may list and the import skips. */
export const isDirectoryEntry = (name: string): boolean => name.endsWith('/');

/** Why a zip's entries cannot be imported, or undefined when every entry is a data.police.uk CSV of a known force. */
export function zipEntriesProblem(entryNames: readonly string[], knownForces: ReadonlySet<string>): string | undefined {
  const files = entryNames.filter((name) => !isDirectoryEntry(name));
  if (files.length === 0) return 'The zip file is empty: it holds no data.police.uk CSV files.';
  for (const name of files) {
    const parsed = parsePoliceDataFileName(name);
    if (!parsed) {
      return `The zip file holds "${name}", which is not a data.police.uk street, outcomes or stop-and-search CSV file. Nothing was imported.`;
    }
    if (!knownForces.has(parsed.forceSlug)) {
      return `The zip file holds "${name}", for a force area this service does not know ("${parsed.forceSlug}"). Nothing was imported.`;
    }
  }
  return undefined;
}

/** The refusal for a header that is not exactly the kind's, or undefined when it is. */
export function headerProblem(kind: PoliceDataKind, header: readonly string[]): string | undefined {
  const expected = columnsOf[kind];
  const same = header.length === expected.length && header.every((column, index) => column.trim() === expected[index]);
  if (same) return undefined;
  return `The header is not a data.police.uk ${kindLabels[kind]} header: expected "${expected.join(',')}" but found "${header.join(',')}".`;
}

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

export type StreetRow = {
  month: string;
  crimeId: string | null;
  reportedBy: string;
  fallsWithin: string;
  longitude: number | null;
  latitude: number | null;
  location: string;
  lsoaCode: string | null;
  lsoaName: string | null;
  crimeType: string;
  lastOutcomeCategory: string | null;
  context: string | null;
};

export type OutcomeRow = {
  month: string;
  crimeId: string;
  reportedBy: string;
  fallsWithin: string;
  longitude: number | null;
  latitude: number | null;
  location: string;
  lsoaCode: string | null;
  lsoaName: string | null;
  outcomeType: string;
};

export type StopSearchRow = {
  month: string;
  type: string;
  occurredAt: string;
  partOfPolicingOperation: boolean | null;
  policingOperation: string | null;
  latitude: number | null;
  longitude: number | null;
  gender: string | null;
  ageRange: string | null;
  selfDefinedEthnicity: string | null;
  officerDefinedEthnicity: string | null;
  legislation: string | null;
  objectOfSearch: string | null;
  outcome: string | null;
  outcomeLinkedToObject: boolean | null;
  removalOfMoreThanOuterClothing: boolean | null;
};

export type RowResult<T> = { ok: true; row: T } | { ok: false; reason: string };

const optional = (value: string | undefined): string | null => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
};

class RowProblem extends Error {}

const required = (record: readonly string[], index: number, column: string): string => {
  const value = optional(record[index]);
  if (value === null) throw new RowProblem(`${column} is missing`);
  return value;
};

const decimal = /^-?\d+(\.\d+)?$/;

/** Longitude and latitude: both numbers in range, or both empty (data.police.uk's "No Location"). */
function coordinates(
  longitudeText: string | undefined,
  latitudeText: string | undefined,
): { longitude: number | null; latitude: number | null } {
  const longitude = optional(longitudeText);
  const latitude = optional(latitudeText);
  if (longitude === null && latitude === null) return { longitude: null, latitude: null };
  if (longitude === null || latitude === null) throw new RowProblem('Longitude and latitude must both be given, or both be empty');
  if (!decimal.test(longitude)) throw new RowProblem(`Longitude "${longitude}" is not a number`);
  if (!decimal.test(latitude)) throw new RowProblem(`Latitude "${latitude}" is not a number`);
  const x = Number(longitude);
  const y = Number(latitude);
  if (x < -180 || x > 180) throw new RowProblem(`Longitude ${longitude} is not between -180 and 180`);
  if (y < -90 || y > 90) throw new RowProblem(`Latitude ${latitude} is not between -90 and 90`);
  return { longitude: x, latitude: y };
}

function monthOf(record: readonly string[], index: number, fileMonth: string): string {
  const month = required(record, index, 'Month');
  if (!/^\d{4}-\d{2}$/.test(month)) throw new RowProblem(`Month "${month}" is not a month like ${fileMonth}`);
  if (month !== fileMonth) throw new RowProblem(`Month is ${month}, but this file is for ${fileMonth}`);
  return `${month}-01`;
}

function columnCount(record: readonly string[], kind: PoliceDataKind): void {
  const expected = columnsOf[kind].length;
  if (record.length !== expected) throw new RowProblem(`The row has ${record.length} columns; a ${kindLabels[kind]} row has ${expected}`);
}

// The builders are module-level functions, not closures made per row: an import calls them for
// every row, and a closure per row is measurable there.
function attempt<T>(
  build: (record: readonly string[], fileMonth: string) => T,
  record: readonly string[],
  fileMonth: string,
): RowResult<T> {
  try {
    return { ok: true, row: build(record, fileMonth) };
  } catch (error) {
    if (error instanceof RowProblem) return { ok: false, reason: error.message };
    throw error;
  }
}

/** One street-level crime record, checked against the file's month (YYYY-MM). */
export function streetRow(record: readonly string[], fileMonth: string): RowResult<StreetRow> {
  return attempt(buildStreetRow, record, fileMonth);
}

function buildStreetRow(record: readonly string[], fileMonth: string): StreetRow {
  columnCount(record, 'street');
  const month = monthOf(record, 1, fileMonth);
  return {
    month,
    crimeId: optional(record[0]),
    reportedBy: required(record, 2, 'Reported by'),
    fallsWithin: required(record, 3, 'Falls within'),
    ...coordinates(record[4], record[5]),
    location: (record[6] ?? '').trim(),
    lsoaCode: optional(record[7]),
    lsoaName: optional(record[8]),
    crimeType: required(record, 9, 'Crime type'),
    lastOutcomeCategory: optional(record[10]),
    context: optional(record[11]),
  };
}

/** One outcomes record, checked against the file's month. */
export function outcomeRow(record: readonly string[], fileMonth: string): RowResult<OutcomeRow> {
  return attempt(buildOutcomeRow, record, fileMonth);
}

function buildOutcomeRow(record: readonly string[], fileMonth: string): OutcomeRow {
  columnCount(record, 'outcomes');
  const crimeId = required(record, 0, 'Crime ID');
  const month = monthOf(record, 1, fileMonth);
  return {
    month,
    crimeId,
    reportedBy: required(record, 2, 'Reported by'),
    fallsWithin: required(record, 3, 'Falls within'),
    ...coordinates(record[4], record[5]),
    location: (record[6] ?? '').trim(),
    lsoaCode: optional(record[7]),
    lsoaName: optional(record[8]),
    outcomeType: required(record, 9, 'Outcome type'),
  };
}

function yesNo(value: string | undefined, column: string): boolean | null {
  const text = optional(value);
  if (text === null) return null;
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  throw new RowProblem(`${column} is "${text}"; it must be True, False or empty`);
}

const DAY = 86_400_000;

/**
 * One stop-and-search record. Its Date is an ISO time in UTC while the file's month is the local
 * month, so a search just after midnight on the 1st of July (BST) is dated 30 June: a day either
 * side of the month is accepted.
 */
export function stopSearchRow(record: readonly string[], fileMonth: string): RowResult<StopSearchRow> {
  return attempt(buildStopSearchRow, record, fileMonth);
}

function buildStopSearchRow(record: readonly string[], fileMonth: string): StopSearchRow {
  columnCount(record, 'stop_and_search');
  const type = required(record, 0, 'Type');
  const dateText = required(record, 1, 'Date');
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(dateText) ? Date.parse(dateText) : NaN;
  if (Number.isNaN(time)) throw new RowProblem(`Date "${dateText}" is not a date and time like 2018-07-01T10:15:00+00:00`);
  const [year, month] = fileMonth.split('-').map(Number) as [number, number];
  const start = Date.UTC(year, month - 1, 1);
  const end = Date.UTC(year, month, 1);
  if (time < start - DAY || time >= end + DAY) throw new RowProblem(`Date ${dateText} is not in ${fileMonth}, the month of this file`);
  const { longitude, latitude } = coordinates(record[5], record[4]);
  return {
    month: `${fileMonth}-01`,
    type,
    occurredAt: new Date(time).toISOString(),
    partOfPolicingOperation: yesNo(record[2], 'Part of a policing operation'),
    policingOperation: optional(record[3]),
    latitude,
    longitude,
    gender: optional(record[6]),
    ageRange: optional(record[7]),
    selfDefinedEthnicity: optional(record[8]),
    officerDefinedEthnicity: optional(record[9]),
    legislation: optional(record[10]),
    objectOfSearch: optional(record[11]),
    outcome: optional(record[12]),
    outcomeLinkedToObject: yesNo(record[13], 'Outcome linked to object of search'),
    removalOfMoreThanOuterClothing: yesNo(record[14], 'Removal of more than just outer clothing'),
  };
}

// ---------------------------------------------------------------------------------------------
// COPY text format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2)
// ---------------------------------------------------------------------------------------------

/** Database columns of each raw table, in the order copyLine writes them (file_id first). */
export const copyColumns: Record<PoliceDataKind, { table: string; columns: string[] }> = {
  street: {
    table: 'street_crimes',
    columns: [
      'file_id',
      'month',
      'crime_id',
      'reported_by',
      'falls_within',
      'longitude',
      'latitude',
      'location',
      'lsoa_code',
      'lsoa_name',
      'crime_type',
      'last_outcome_category',
      'context',
    ],
  },
  outcomes: {
    table: 'crime_outcomes',
    columns: [
      'file_id',
      'month',
      'crime_id',
      'reported_by',
      'falls_within',
      'longitude',
      'latitude',
      'location',
      'lsoa_code',
      'lsoa_name',
      'outcome_type',
    ],
  },
  stop_and_search: {
    table: 'stop_searches',
    columns: [
      'file_id',
      'month',
      'type',
      'occurred_at',
      'part_of_policing_operation',
      'policing_operation',
      'latitude',
      'longitude',
      'gender',
      'age_range',
      'self_defined_ethnicity',
      'officer_defined_ethnicity',
      'legislation',
      'object_of_search',
      'outcome',
      'outcome_linked_to_object',
      'removal_of_more_than_outer_clothing',
    ],
  },
};

/** One value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
export function copyValue(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  // Nearly every value needs no escaping: test first, and replace only when something matches.
  return needsEscape.test(value) ? value.replace(escaped, escapeCharacter) : value;
}

const needsEscape = /[\\\t\n\r]/;
const escaped = /[\\\t\n\r]/g;
const escapeCharacter = (c: string) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r');

const needsArrayEscape = /[\\"]/;
const arrayEscaped = /[\\"]/g;

/** A PostgreSQL array literal (for passing a column of aggregate rows as one parameter): every element quoted, with quotes and backslashes escaped. */
export function arrayLiteral(values: readonly (string | number)[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i]!;
    if (i > 0) text += ',';
    text += typeof value === 'number' ? String(value) : `"${needsArrayEscape.test(value) ? value.replace(arrayEscaped, '\\$&') : value}"`;
  }
  return `${text}}`;
}

export type AnyRow = StreetRow | OutcomeRow | StopSearchRow;

/** A row as one line of COPY text, under the file it came from. */
export function copyLine(kind: PoliceDataKind, fileId: string, row: AnyRow): string {
  let values: (string | number | boolean | null)[];
  if (kind === 'street') {
    const r = row as StreetRow;
    values = [
      r.month,
      r.crimeId,
      r.reportedBy,
      r.fallsWithin,
      r.longitude,
      r.latitude,
      r.location,
      r.lsoaCode,
      r.lsoaName,
      r.crimeType,
      r.lastOutcomeCategory,
      r.context,
    ];
  } else if (kind === 'outcomes') {
    const r = row as OutcomeRow;
    values = [r.month, r.crimeId, r.reportedBy, r.fallsWithin, r.longitude, r.latitude, r.location, r.lsoaCode, r.lsoaName, r.outcomeType];
  } else {
    const r = row as StopSearchRow;
    values = [
      r.month,
      r.type,
      r.occurredAt,
      r.partOfPolicingOperation,
      r.policingOperation,
      r.latitude,
      r.longitude,
      r.gender,
      r.ageRange,
      r.selfDefinedEthnicity,
      r.officerDefinedEthnicity,
      r.legislation,
      r.objectOfSearch,
      r.outcome,
      r.outcomeLinkedToObject,
      r.removalOfMoreThanOuterClothing,
    ];
  }
  let line = fileId;
  for (const value of values) line += `\t${copyValue(value)}`;
  return `${line}\n`;
}

// ---------------------------------------------------------------------------------------------
// The import's fast path: a COPY line straight from the split fields
// ---------------------------------------------------------------------------------------------

/** A row's COPY line, or why the row is rejected. */
export type LineResult = string | { reason: string };

/** COPY text for an optional (trimmed) value. */
const copyOptional = (value: string | null): string => (value === null ? '\\N' : copyValue(value));

/**
 * Valid coordinates as COPY text: the file's own digits, which the double precision columns read
 * to the same number copyLine's String(Number(text)) gives, without parsing and formatting twice.
 */
function coordinateTexts(longitudeText: string | undefined, latitudeText: string | undefined): [string, string] {
  const longitude = optional(longitudeText);
  const latitude = optional(latitudeText);
  if (longitude === null && latitude === null) return ['\\N', '\\N'];
  if (longitude === null || latitude === null) throw new RowProblem('Longitude and latitude must both be given, or both be empty');
  if (!decimal.test(longitude)) throw new RowProblem(`Longitude "${longitude}" is not a number`);
  if (!decimal.test(latitude)) throw new RowProblem(`Latitude "${latitude}" is not a number`);
  const x = Number(longitude);
  const y = Number(latitude);
  if (x < -180 || x > 180) throw new RowProblem(`Longitude ${longitude} is not between -180 and 180`);
  if (y < -90 || y > 90) throw new RowProblem(`Latitude ${latitude} is not between -90 and 90`);
  return [longitude, latitude];
}

/**
 * The same checks, reasons and COPY text as copyLine(kind, fileId, streetRow(record, fileMonth)):
 * an import calls this for every row, so it makes no row object. `prefix` is the file id and the
 * month's column ("<file id>\t<YYYY-MM-01>"); a kept row is counted in `counter`.
 */
export function streetLine(record: readonly string[], fileMonth: string, prefix: string, counter: AggregateCounter): LineResult {
  try {
    columnCount(record, 'street');
    monthOf(record, 1, fileMonth);
    const crimeId = optional(record[0]);
    const reportedBy = required(record, 2, 'Reported by');
    const fallsWithin = required(record, 3, 'Falls within');
    const [longitude, latitude] = coordinateTexts(record[4], record[5]);
    const location = (record[6] ?? '').trim();
    const lsoaCode = optional(record[7]);
    const lsoaName = optional(record[8]);
    const crimeType = required(record, 9, 'Crime type');
    const lastOutcomeCategory = optional(record[10]);
    const context = optional(record[11]);
    counter.addStreet(crimeType, lsoaCode, lsoaName, lastOutcomeCategory);
    return `${prefix}\t${copyOptional(crimeId)}\t${copyValue(reportedBy)}\t${copyValue(fallsWithin)}\t${longitude}\t${latitude}\t${copyValue(location)}\t${copyOptional(lsoaCode)}\t${copyOptional(lsoaName)}\t${copyValue(crimeType)}\t${copyOptional(lastOutcomeCategory)}\t${copyOptional(context)}\n`;
  } catch (error) {
    if (error instanceof RowProblem) return { reason: error.message };
    throw error;
  }
}

/** The outcomes counterpart of streetLine. */
export function outcomeLine(record: readonly string[], fileMonth: string, prefix: string, counter: AggregateCounter): LineResult {
  try {
    columnCount(record, 'outcomes');
    const crimeId = required(record, 0, 'Crime ID');
    monthOf(record, 1, fileMonth);
    const reportedBy = required(record, 2, 'Reported by');
    const fallsWithin = required(record, 3, 'Falls within');
    const [longitude, latitude] = coordinateTexts(record[4], record[5]);
    const location = (record[6] ?? '').trim();
    const lsoaCode = optional(record[7]);
    const lsoaName = optional(record[8]);
    const outcomeType = required(record, 9, 'Outcome type');
    counter.addOutcome(outcomeType);
    return `${prefix}\t${copyValue(crimeId)}\t${copyValue(reportedBy)}\t${copyValue(fallsWithin)}\t${longitude}\t${latitude}\t${copyValue(location)}\t${copyOptional(lsoaCode)}\t${copyOptional(lsoaName)}\t${copyValue(outcomeType)}\n`;
  } catch (error) {
    if (error instanceof RowProblem) return { reason: error.message };
    throw error;
  }
}

/** Stop and search rows are few (hundreds a month per force): the row builder serves. */
export function stopSearchLine(record: readonly string[], fileMonth: string, prefix: string, counter: AggregateCounter): LineResult {
  const result = stopSearchRow(record, fileMonth);
  if (!result.ok) return { reason: result.reason };
  counter.add(result.row);
  return copyLine('stop_and_search', prefix.slice(0, prefix.indexOf('\t')), result.row);
}

export const lineReaders: Record<
  PoliceDataKind,
  (record: readonly string[], fileMonth: string, prefix: string, counter: AggregateCounter) => LineResult
> = {
  street: streetLine,
  outcomes: outcomeLine,
  stop_and_search: stopSearchLine,
};

// ---------------------------------------------------------------------------------------------
// Aggregates, counted as rows stream past
// ---------------------------------------------------------------------------------------------

/**
 * What a missing category is counted under in the aggregates, whose columns are all required:
 * anti-social behaviour has no outcome, "No Location" crimes have no LSOA.
 */
export const NOT_GIVEN = '';

export type PoliceDataAggregates = {
  byMonth: { crimeType: string; count: number }[];
  byLsoa: { crimeType: string; lsoaCode: string; lsoaName: string; count: number }[];
  /** All crime types together per LSOA: the explorer's area ranking reads this, not byLsoa summed. */
  byLsoaMonth: { lsoaCode: string; lsoaName: string; count: number }[];
  byOutcome: { crimeType: string; outcomeCategory: string; count: number }[];
  outcomes: { outcomeType: string; count: number }[];
  stopSearches: { objectOfSearch: string; outcome: string; officerDefinedEthnicity: string; count: number }[];
};

const SEPARATOR = '\u0000';

/** Counts for one file's aggregate tables, in memory: at most one entry per distinct key. */
export class AggregateCounter {
  private readonly counts = {
    byMonth: new Map<string, number>(),
    byLsoa: new Map<string, number>(),
    byOutcome: new Map<string, number>(),
    outcomes: new Map<string, number>(),
    stopSearches: new Map<string, number>(),
  };
  private readonly lsoaNames = new Map<string, string>();
  private readonly lsoasByType = new Map<string, Map<string, number>>();
  private readonly outcomesByType = new Map<string, Map<string, number>>();

  constructor(private readonly kind: PoliceDataKind) {}

  add(row: AnyRow): void {
    if (this.kind === 'street') {
      const r = row as StreetRow;
      this.addStreet(r.crimeType, r.lsoaCode, r.lsoaName, r.lastOutcomeCategory);
    } else if (this.kind === 'outcomes') {
      this.addOutcome((row as OutcomeRow).outcomeType);
    } else {
      const bump = AggregateCounter.bump;
      const r = row as StopSearchRow;
      bump(
        this.counts.stopSearches,
        (r.objectOfSearch ?? NOT_GIVEN) + SEPARATOR + (r.outcome ?? NOT_GIVEN) + SEPARATOR + (r.officerDefinedEthnicity ?? NOT_GIVEN),
      );
    }
  }

  /** One street crime, from its fields (the import's fast path makes no row object). */
  addStreet(crimeType: string, lsoaCodeOrNull: string | null, lsoaName: string | null, lastOutcomeCategory: string | null): void {
    const bump = AggregateCounter.bump;
    bump(this.counts.byMonth, crimeType);
    const lsoaCode = lsoaCodeOrNull ?? NOT_GIVEN;
    if (!this.lsoaNames.has(lsoaCode)) this.lsoaNames.set(lsoaCode, lsoaName ?? NOT_GIVEN);
    // Counted per crime type first (14 of them), then by LSOA or outcome: two lookups of short
    // strings cost less than one of a key joined for every row.
    let lsoas = this.lsoasByType.get(crimeType);
    if (!lsoas) this.lsoasByType.set(crimeType, (lsoas = new Map()));
    bump(lsoas, lsoaCode);
    let outcomes = this.outcomesByType.get(crimeType);
    if (!outcomes) this.outcomesByType.set(crimeType, (outcomes = new Map()));
    bump(outcomes, lastOutcomeCategory ?? NOT_GIVEN);
  }

  /** One outcome, from its type. */
  addOutcome(outcomeType: string): void {
    AggregateCounter.bump(this.counts.outcomes, outcomeType);
  }

  private static bump(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  result(): PoliceDataAggregates {
    for (const [crimeType, lsoas] of this.lsoasByType) {
      for (const [lsoaCode, count] of lsoas) this.counts.byLsoa.set(crimeType + SEPARATOR + lsoaCode, count);
    }
    for (const [crimeType, outcomes] of this.outcomesByType) {
      for (const [outcome, count] of outcomes) this.counts.byOutcome.set(crimeType + SEPARATOR + outcome, count);
    }
    const entries = (map: Map<string, number>) => [...map].map(([key, count]) => ({ parts: key.split(SEPARATOR), count }));
    return {
      byMonth: entries(this.counts.byMonth).map(({ parts: [crimeType], count }) => ({ crimeType: crimeType!, count })),
      byLsoa: entries(this.counts.byLsoa).map(({ parts: [crimeType, lsoaCode], count }) => ({
        crimeType: crimeType!,
        lsoaCode: lsoaCode!,
        lsoaName: this.lsoaNames.get(lsoaCode!) ?? NOT_GIVEN,
        count,
      })),
      byLsoaMonth: this.byLsoaMonth(),
      byOutcome: entries(this.counts.byOutcome).map(({ parts: [crimeType, outcomeCategory], count }) => ({
        crimeType: crimeType!,
        outcomeCategory: outcomeCategory!,
        count,
      })),
      outcomes: entries(this.counts.outcomes).map(({ parts: [outcomeType], count }) => ({ outcomeType: outcomeType!, count })),
      stopSearches: entries(this.counts.stopSearches).map(({ parts: [objectOfSearch, outcome, officerDefinedEthnicity], count }) => ({
        objectOfSearch: objectOfSearch!,
        outcome: outcome!,
        officerDefinedEthnicity: officerDefinedEthnicity!,
        count,
      })),
    };
  }

  /** The LSOA counts summed over crime types (derived at the end: no extra work per row). */
  private byLsoaMonth(): PoliceDataAggregates['byLsoaMonth'] {
    const totals = new Map<string, number>();
    for (const [key, count] of this.counts.byLsoa) {
      const lsoaCode = key.slice(key.indexOf(SEPARATOR) + 1);
      totals.set(lsoaCode, (totals.get(lsoaCode) ?? 0) + count);
    }
    return [...totals].map(([lsoaCode, count]) => ({ lsoaCode, lsoaName: this.lsoaNames.get(lsoaCode) ?? NOT_GIVEN, count }));
  }
}

/** Keeps the first rejected rows and counts the rest. */
export class RejectionList {
  readonly kept: RejectedRow[] = [];
  total = 0;
  constructor(private readonly limit = MAX_REJECTIONS_KEPT) {}
  add(line: number, reason: string): void {
    this.total += 1;
    if (this.kept.length < this.limit) this.kept.push({ line, reason });
  }
}

/** "2019-01" → "January 2019". */
export function monthLabel(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, number - 1, 1)).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

// ---------------------------------------------------------------------------------------------
// CSV records
// ---------------------------------------------------------------------------------------------

export type CsvRecord = { record: string[]; line: number };

/** Thrown at the end of a file whose last quoted value never closed: the file was cut short. */
export class UnclosedQuoteError extends Error {}

/**
 * Splits decoded CSV text, pushed in pieces of any size, into records (RFC 4180: quoted values
 * may hold commas, doubled quotes and line breaks), each with the line it starts on. Lines
 * without a quote, which is nearly every line data.police.uk publishes, take a fast path; a
 * general CSV parser spends most of an import's time here. Empty lines and a BOM are skipped.
 */
export class CsvSplitter {
  private carry = '';
  private nextLine = 1;
  private started = false;

  /** Adds text and appends every record now complete to `out`. */
  push(text: string, out: CsvRecord[]): void {
    let s = this.carry + text;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    this.carry = s.slice(this.scan(s, out, false));
  }

  /** Ends the text: a last record without a line break is returned; an unclosed quote throws. */
  end(out: CsvRecord[]): void {
    const s = this.carry;
    this.carry = '';
    this.scan(s, out, true);
  }

  /** Reads records from `s`; returns where the unfinished rest begins. */
  private scan(s: string, out: CsvRecord[], final: boolean): number {
    let position = 0;
    while (position < s.length) {
      const newline = s.indexOf('\n', position);
      if (newline === -1 && !final) return position;
      const lineEnd = newline === -1 ? s.length : newline;
      const quote = s.indexOf('"', position);
      if (quote === -1 || quote > lineEnd) {
        let text = s.slice(position, lineEnd);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (text !== '') out.push({ record: text.split(','), line: this.nextLine });
        this.nextLine += 1;
        position = lineEnd + 1;
        continue;
      }
      const parsed = quotedRecord(s, position, final);
      if (!parsed) {
        if (final) throw new UnclosedQuoteError('A quoted value is not closed');
        return position;
      }
      out.push({ record: parsed.record, line: this.nextLine });
      this.nextLine += 1 + parsed.lineBreaks;
      position = parsed.end;
    }
    return position;
  }
}

/** One record that has quotes, from `start`; undefined when its end is not in `s` yet. */
function quotedRecord(s: string, start: number, final: boolean): { record: string[]; end: number; lineBreaks: number } | undefined {
  const record: string[] = [];
  let field = '';
  let lineBreaks = 0;
  let i = start;
  let atFieldStart = true;
  for (;;) {
    if (i >= s.length) {
      // The text ended without a line break: the record is complete only at the end of the file.
      if (!final) return undefined;
      record.push(field);
      return { record, end: i, lineBreaks };
    }
    const c = s.charCodeAt(i);
    if (atFieldStart && c === 0x22) {
      // A quoted value: up to the quote not doubled.
      i += 1;
      for (;;) {
        const close = s.indexOf('"', i);
        if (close === -1) return undefined;
        const piece = s.slice(i, close);
        for (let k = piece.indexOf('\n'); k !== -1; k = piece.indexOf('\n', k + 1)) lineBreaks += 1;
        field += piece;
        if (close + 1 < s.length && s.charCodeAt(close + 1) === 0x22) {
          field += '"';
          i = close + 2;
          continue;
        }
        if (close + 1 >= s.length && !final) return undefined;
        i = close + 1;
        break;
      }
      atFieldStart = false;
      continue;
    }
    atFieldStart = false;
    if (c === 0x2c) {
      record.push(field);
      field = '';
      atFieldStart = true;
      i += 1;
    } else if (c === 0x0a || (c === 0x0d && s.charCodeAt(i + 1) === 0x0a)) {
      record.push(field);
      return { record, end: i + (c === 0x0d ? 2 : 1), lineBreaks };
    } else {
      field += s[i];
      i += 1;
    }
  }
}
