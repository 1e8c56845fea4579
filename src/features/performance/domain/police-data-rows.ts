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

/** Why a whole file is refused (its name, header, encoding or end): nothing in it is imported. */
export class MalformedFileError extends Error {}

export const cutShort = 'The file ends part-way through a row, so it looks cut short (truncated). Nothing in it was imported.';

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
  /** YYYY-MM, as data.police.uk writes months: always the file's month. */
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
  /** YYYY-MM, as data.police.uk writes months: always the file's month. */
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
  /** YYYY-MM, as data.police.uk writes months: always the file's month. */
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
  return month;
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
    month: fileMonth,
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
// COPY input: CSV (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.10)
// ---------------------------------------------------------------------------------------------

/**
 * The row fields each raw table is loaded with, in COPY's column order (the file's own order for
 * street and outcomes rows). The file's key is not among them: the raw tables' default supplies it.
 */
export const copyFields = {
  street: [
    'crimeId',
    'month',
    'reportedBy',
    'fallsWithin',
    'longitude',
    'latitude',
    'location',
    'lsoaCode',
    'lsoaName',
    'crimeType',
    'lastOutcomeCategory',
    'context',
  ],
  outcomes: ['crimeId', 'month', 'reportedBy', 'fallsWithin', 'longitude', 'latitude', 'location', 'lsoaCode', 'lsoaName', 'outcomeType'],
  stop_and_search: [
    'month',
    'type',
    'occurredAt',
    'partOfPolicingOperation',
    'policingOperation',
    'latitude',
    'longitude',
    'gender',
    'ageRange',
    'selfDefinedEthnicity',
    'officerDefinedEthnicity',
    'legislation',
    'objectOfSearch',
    'outcome',
    'outcomeLinkedToObject',
    'removalOfMoreThanOuterClothing',
  ],
} as const satisfies {
  street: readonly (keyof StreetRow)[];
  outcomes: readonly (keyof OutcomeRow)[];
  stop_and_search: readonly (keyof StopSearchRow)[];
};

const needsQuotes = /[",\r\n]/;

/**
 * One value as CSV for COPY: null as nothing; an empty string quoted, so that it stays an empty
 * string; quotes doubled inside quotes where the value needs them.
 */
export function csvValue(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  if (value === '') return '""';
  return needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export type AnyRow = StreetRow | OutcomeRow | StopSearchRow;

/**
 * A checked row as one line of COPY input (copyFields), ending as the file's lines end: COPY
 * takes the first line's ending for every line.
 */
export function csvLine(kind: PoliceDataKind, row: AnyRow, lineEnd: '\n' | '\r\n' = '\n'): string {
  const values = row as unknown as Record<string, string | number | boolean | null>;
  const fields = copyFields[kind];
  let line = csvValue(values[fields[0]!]!);
  for (let i = 1; i < fields.length; i += 1) line += `,${csvValue(values[fields[i]!]!)}`;
  return `${line}${lineEnd}`;
}

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
  /** Per LSOA: all crime types together, and the count of each type it has. */
  byLsoaMonth: { lsoaCode: string; lsoaName: string; count: number; byCrimeType: Record<string, number> }[];
  byOutcome: { crimeType: string; outcomeCategory: string; count: number }[];
  outcomes: { outcomeType: string; count: number }[];
  stopSearches: { objectOfSearch: string; outcome: string; officerDefinedEthnicity: string; count: number }[];
};

/** A count in a map, bumped in place: one lookup per row instead of a get and a set. */
type Tally = { count: number };

/** Street crimes of one type: in all, by LSOA and by last outcome. */
type TypeTally = Tally & { byLsoa: Map<string, Tally>; byOutcome: Map<string, Tally> };

function bump(map: Map<string, Tally>, key: string): void {
  const tally = map.get(key);
  if (tally) tally.count += 1;
  else map.set(key, { count: 1 });
}

/** Counts for one file's aggregate tables, in memory: at most one entry per distinct key. */
export class AggregateCounter {
  private readonly byType = new Map<string, TypeTally>();
  /** Each LSOA's name as first seen (the name belongs to the code). */
  private readonly lsoaNames = new Map<string, string>();
  private readonly outcomes = new Map<string, Tally>();
  private readonly stopSearches = new Map<
    string,
    { objectOfSearch: string; outcome: string; officerDefinedEthnicity: string; count: number }
  >();

  constructor(private readonly kind: PoliceDataKind) {}

  add(row: AnyRow): void {
    if (this.kind === 'street') {
      const r = row as StreetRow;
      this.addStreet(r.crimeType, r.lsoaCode, r.lsoaName, r.lastOutcomeCategory);
    } else if (this.kind === 'outcomes') {
      this.addOutcome((row as OutcomeRow).outcomeType);
    } else {
      const r = row as StopSearchRow;
      const objectOfSearch = r.objectOfSearch ?? NOT_GIVEN;
      const outcome = r.outcome ?? NOT_GIVEN;
      const officerDefinedEthnicity = r.officerDefinedEthnicity ?? NOT_GIVEN;
      const key = JSON.stringify([objectOfSearch, outcome, officerDefinedEthnicity]);
      const tally = this.stopSearches.get(key);
      if (tally) tally.count += 1;
      else this.stopSearches.set(key, { objectOfSearch, outcome, officerDefinedEthnicity, count: 1 });
    }
  }

  /**
   * One street crime, from its values (the import's fast path makes no row object). Counted per
   * crime type first (14 of them), then by LSOA and by outcome within it: three lookups of short
   * strings per row.
   */
  addStreet(crimeType: string, lsoaCodeOrNull: string | null, lsoaName: string | null, lastOutcomeCategory: string | null): void {
    let type = this.byType.get(crimeType);
    if (!type) this.byType.set(crimeType, (type = { count: 0, byLsoa: new Map(), byOutcome: new Map() }));
    type.count += 1;
    const lsoaCode = lsoaCodeOrNull ?? NOT_GIVEN;
    const lsoa = type.byLsoa.get(lsoaCode);
    if (lsoa) lsoa.count += 1;
    else {
      type.byLsoa.set(lsoaCode, { count: 1 });
      if (!this.lsoaNames.has(lsoaCode)) this.lsoaNames.set(lsoaCode, lsoaName ?? NOT_GIVEN);
    }
    bump(type.byOutcome, lastOutcomeCategory ?? NOT_GIVEN);
  }

  /** True once a street crime in the LSOA (or with none: null) has been counted. */
  knowsLsoa(lsoaCode: string | null): boolean {
    return this.lsoaNames.has(lsoaCode ?? NOT_GIVEN);
  }

  /** One outcome, from its type. */
  addOutcome(outcomeType: string): void {
    bump(this.outcomes, outcomeType);
  }

  result(): PoliceDataAggregates {
    const types = [...this.byType];
    const byLsoa = new Map<string, PoliceDataAggregates['byLsoaMonth'][number]>();
    for (const [crimeType, type] of types) {
      for (const [lsoaCode, { count }] of type.byLsoa) {
        let lsoa = byLsoa.get(lsoaCode);
        if (!lsoa)
          byLsoa.set(lsoaCode, (lsoa = { lsoaCode, lsoaName: this.lsoaNames.get(lsoaCode) ?? NOT_GIVEN, count: 0, byCrimeType: {} }));
        lsoa.count += count;
        lsoa.byCrimeType[crimeType] = count;
      }
    }
    return {
      byMonth: types.map(([crimeType, { count }]) => ({ crimeType, count })),
      byLsoaMonth: [...byLsoa.values()],
      byOutcome: types.flatMap(([crimeType, type]) =>
        [...type.byOutcome].map(([outcomeCategory, { count }]) => ({ crimeType, outcomeCategory, count })),
      ),
      outcomes: [...this.outcomes].map(([outcomeType, { count }]) => ({ outcomeType, count })),
      stopSearches: [...this.stopSearches.values()].map((tally) => ({ ...tally })),
    };
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

/** One record that has quotes, from `start`; undefined when its end is not in `s` yet. */
export function quotedRecord(s: string, start: number, final: boolean): { record: string[]; end: number; lineBreaks: number } | undefined {
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
