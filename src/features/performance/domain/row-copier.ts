import type { PoliceDataKind } from './performance-model.ts';
import {
  AggregateCounter,
  MalformedFileError,
  RejectionList,
  csvLine,
  cutShort,
  headerProblem,
  outcomeRow,
  quotedRecord,
  stopSearchRow,
  streetRow,
  type AnyRow,
  type RowResult,
} from './police-data-rows.ts';

const rowRules: Record<PoliceDataKind, (record: readonly string[], fileMonth: string) => RowResult<AnyRow>> = {
  street: streetRow,
  outcomes: outcomeRow,
  stop_and_search: stopSearchRow,
};

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;

/** COPY input: text, or bytes passed on from the file as they are. */
export type CopyInput = (string | Uint8Array)[];

/**
 * Turns one data.police.uk CSV file, pushed as text in pieces of any size, into the input of a
 * `COPY … (FORMAT csv)` into its raw table (the file's key is the column's default, not part of
 * the input). Every row is checked by its kind's row rules (police-data-rows.ts): a rejected row
 * is listed with its line number; a kept one is counted into the aggregates and written. The
 * header must be the kind's; a last row cut short, or a quote never closed, refuses the whole file.
 *
 * Nearly every line data.police.uk writes is already what the row rules would write back: no
 * quotes, no spaces to trim, every check passed. A quick scan recognises those lines and passes
 * them on as they are, a run of lines at a time — the file's own bytes, when the piece came with
 * them — so PostgreSQL parses them and this process does little more than look; every other line
 * goes through the row rules and is written out afresh, ending as the file's lines end.
 */
export class RowCopier {
  rowsRead = 0;
  rowsImported = 0;
  private carry = '';
  private nextLine = 1;
  private header: string[] | undefined;
  /** The header's line ending: lines passed on as they are must end the same way. */
  private crlf = false;
  /** Where each value of the line being checked starts and ends (reused: no allocation per row). */
  private readonly starts = new Int32Array(16);
  private readonly ends = new Int32Array(16);
  private readonly expectedCommas: number;

  constructor(
    private readonly kind: PoliceDataKind,
    private readonly fileMonth: string,
    private readonly counter: AggregateCounter,
    private readonly rejections: RejectionList,
  ) {
    this.expectedCommas = kind === 'street' ? 11 : 9;
  }

  /**
   * Adds the next piece of text, and its bytes if they are one per character; returns the COPY
   * input for every row it completes.
   */
  push(text: string, bytes?: Uint8Array): CopyInput {
    let s = this.carry + text;
    // Where the piece's own bytes begin in s (after the rest of the last piece).
    const bytesFrom = this.carry.length;
    if (this.nextLine === 1 && this.header === undefined && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    const out: CopyInput = [];
    this.carry = s.slice(this.scan(s, out, bytes, bytesFrom));
    return out;
  }

  /** Ends the file: returns the COPY input for a last row without a line break. */
  end(): CopyInput {
    const s = this.carry;
    this.carry = '';
    const out: CopyInput = [];
    if (s !== '') this.lastRecord(s, out);
    if (!this.header) throw new MalformedFileError('The file is empty: it has no header and no rows.');
    return out;
  }

  /**
   * The text after the last line break (push keeps a record that is not complete yet, so it is
   * one record): a row, unless it is shorter than the header (cut short).
   */
  private lastRecord(rest: string, out: CopyInput): void {
    const trimmed = rest.endsWith('\r') ? rest.slice(0, -1) : rest;
    if (trimmed === '') return;
    let record: string[];
    if (trimmed.includes('"')) {
      const parsed = quotedRecord(trimmed, 0, true);
      if (!parsed) throw new MalformedFileError(`${cutShort} A quoted value is not closed.`);
      record = parsed.record;
    } else {
      record = trimmed.split(',');
    }
    if (!this.header) {
      this.takeHeader(record, false);
      return;
    }
    if (record.length < this.header.length) throw new MalformedFileError(cutShort);
    this.takeRecord(record, this.nextLine, out);
  }

  /** Reads the complete records in `s`; returns where the unfinished rest begins. */
  private scan(s: string, out: CopyInput, bytes: Uint8Array | undefined, bytesFrom: number): number {
    let position = 0;
    let runStart = -1;
    let nextQuote = -1;
    let nextNul = -1;
    let nextCr = -1;
    /** Passes on the lines from runStart to `at` as they are: the file's bytes when they came with it. */
    const closeRun = (at: number) => {
      if (runStart !== -1) {
        push(out, bytes && runStart >= bytesFrom ? bytes.subarray(runStart - bytesFrom, at - bytesFrom) : s.slice(runStart, at));
      }
      runStart = -1;
    };
    while (position < s.length) {
      const newline = s.indexOf('\n', position);
      if (newline === -1) break;
      const contentEnd = newline > position && s.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
      if (nextQuote !== s.length && nextQuote < position) nextQuote = indexOrEnd(s, '"', position);
      if (nextQuote < newline) {
        // A quoted value may hold commas and line breaks: the general reader takes the record.
        closeRun(position);
        const parsed = quotedRecord(s, position, false);
        if (!parsed) return position;
        if (!this.header) this.takeHeader(parsed.record, s.charCodeAt(parsed.end - 2) === CR);
        else this.takeRecord(parsed.record, this.nextLine, out);
        this.nextLine += 1 + parsed.lineBreaks;
        position = parsed.end;
        continue;
      }
      if (contentEnd === position) {
        // An empty line: skipped, as any CSV reader would.
        closeRun(position);
      } else if (!this.header) {
        this.takeHeader(s.slice(position, contentEnd).split(','), contentEnd !== newline);
      } else {
        if (nextNul !== s.length && nextNul < position) nextNul = indexOrEnd(s, '\u0000', position);
        if (nextCr !== s.length && nextCr < position) nextCr = indexOrEnd(s, '\r', position);
        const asWritten =
          nextNul >= newline && nextCr >= contentEnd && (contentEnd !== newline) === this.crlf && this.passes(s, position, contentEnd);
        if (asWritten) {
          if (runStart === -1) runStart = position;
          this.rowsRead += 1;
          this.rowsImported += 1;
        } else {
          closeRun(position);
          this.takeRecord(s.slice(position, contentEnd).split(','), this.nextLine, out);
        }
      }
      this.nextLine += 1;
      position = newline + 1;
    }
    closeRun(position);
    return position;
  }

  private takeHeader(record: string[], crlf: boolean): void {
    const problem = headerProblem(this.kind, record);
    if (problem) throw new MalformedFileError(problem);
    this.header = record;
    this.crlf = crlf;
  }

  /** A record through the row rules: kept and written out afresh, or rejected with its line. */
  private takeRecord(record: string[], line: number, out: CopyInput): void {
    this.rowsRead += 1;
    if (record.some((value) => value.includes('\u0000'))) {
      this.rejections.add(line, 'The row holds a NUL character, which is not text');
      return;
    }
    const result = rowRules[this.kind](record, this.fileMonth);
    if (!result.ok) {
      this.rejections.add(line, result.reason);
      return;
    }
    this.rowsImported += 1;
    this.counter.add(result.row);
    push(out, csvLine(this.kind, result.row, this.crlf ? '\r\n' : '\n'));
  }

  /**
   * True when the line (no quotes, no NUL, no carriage return inside) is exactly what the row
   * rules would write back: the right number of columns, nothing to trim, every check passed.
   * Counts the row into the aggregates when it is. Stop and search rows are reformatted (their
   * dates and yes/no values are rewritten), so they always go through the rules.
   */
  private passes(s: string, start: number, end: number): boolean {
    if (this.kind === 'stop_and_search') return false;
    const { starts, ends } = this;
    let count = 0;
    starts[0] = start;
    for (let at = s.indexOf(',', start); at !== -1 && at < end; at = s.indexOf(',', at + 1)) {
      if (count === this.expectedCommas) return false;
      ends[count] = at;
      count += 1;
      starts[count] = at + 1;
    }
    if (count !== this.expectedCommas) return false;
    ends[count] = end;
    // Every value is empty, or starts and ends with a visible ASCII character: nothing to trim.
    for (let i = 0; i <= count; i += 1) {
      if (ends[i]! > starts[i]! && !(visible(s.charCodeAt(starts[i]!)) && visible(s.charCodeAt(ends[i]! - 1)))) return false;
    }
    // Month (the 2nd column) must be the file's; Reported by and Falls within (3rd, 4th) are required.
    if (ends[1]! - starts[1]! !== this.fileMonth.length || !s.startsWith(this.fileMonth, starts[1]!)) return false;
    if (ends[2] === starts[2] || ends[3] === starts[3]) return false;
    if (!coordinatesPass(s, starts[4]!, ends[4]!, starts[5]!, ends[5]!)) return false;
    if (this.kind === 'street') {
      // Crime type (10th) is required; LSOA code and name (8th, 9th) and the outcome (11th) are not.
      if (ends[9] === starts[9]) return false;
      const lsoaCode = slice(s, starts[7]!, ends[7]!);
      // The name is read only for an LSOA not seen before in the file: it belongs to the code.
      const lsoaName = this.counter.knowsLsoa(lsoaCode) ? null : slice(s, starts[8]!, ends[8]!);
      this.counter.addStreet(s.slice(starts[9], ends[9]), lsoaCode, lsoaName, slice(s, starts[10]!, ends[10]!));
      return true;
    }
    // Outcomes: Crime ID (1st) and Outcome type (10th) are required.
    if (ends[0] === starts[0] || ends[9] === starts[9]) return false;
    this.counter.addOutcome(s.slice(starts[9], ends[9]));
    return true;
  }
}

/** Adds to COPY input, joining text to text before it (fewer, larger writes). */
function push(out: CopyInput, input: string | Uint8Array): void {
  const last = out.length - 1;
  if (typeof input === 'string' && last >= 0 && typeof out[last] === 'string') out[last] += input;
  else out.push(input);
}

/** An optional value: null when empty. */
const slice = (s: string, start: number, end: number): string | null => (start === end ? null : s.slice(start, end));

const indexOrEnd = (s: string, character: string, from: number): number => {
  const index = s.indexOf(character, from);
  return index === -1 ? s.length : index;
};

/** A printable ASCII character other than a space: String.prototype.trim would keep it. */
const visible = (code: number): boolean => code > 0x20 && code < 0x7f && code !== QUOTE && code !== COMMA;

/** Longitude and latitude as the row rules accept them: both empty, or both numbers in range. */
function coordinatesPass(s: string, longitudeStart: number, longitudeEnd: number, latitudeStart: number, latitudeEnd: number): boolean {
  const longitudeEmpty = longitudeStart === longitudeEnd;
  const latitudeEmpty = latitudeStart === latitudeEnd;
  if (longitudeEmpty || latitudeEmpty) return longitudeEmpty && latitudeEmpty;
  return decimalWithin(s, longitudeStart, longitudeEnd, 180) && decimalWithin(s, latitudeStart, latitudeEnd, 90);
}

const ZERO = 0x30;
const NINE = 0x39;

/**
 * True when s[start, end) is a decimal the row rules accept (/^-?\d+(\.\d+)?$/) between -limit
 * and limit, read from the characters without making a string or a number.
 */
function decimalWithin(s: string, start: number, end: number, limit: number): boolean {
  let i = s.charCodeAt(start) === 0x2d ? start + 1 : start;
  let whole = 0;
  const digitsFrom = i;
  for (; i < end; i += 1) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    whole = whole * 10 + (c - ZERO);
  }
  if (i === digitsFrom) return false;
  let fractionIsZero = true;
  if (i < end) {
    if (s.charCodeAt(i) !== 0x2e || i + 1 === end) return false;
    for (i += 1; i < end; i += 1) {
      const c = s.charCodeAt(i);
      if (c < ZERO || c > NINE) return false;
      if (c !== ZERO) fractionIsZero = false;
    }
  }
  return whole < limit || (whole === limit && fractionIsZero);
}
