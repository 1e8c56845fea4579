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

const NUL = 0x00;
const NEWLINE = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const NO_BYTES = Buffer.alloc(0);

/** COPY input: rows written afresh as text, and runs of the file's own bytes passed on as they are. */
export type CopyInput = (string | Uint8Array)[];

/**
 * Turns one data.police.uk CSV file, pushed as UTF-8 bytes in pieces of any size, into the input
 * of a `COPY … (FORMAT csv)` into its raw table (the file's key is the column's default, not part
 * of the input). Every row is checked by its kind's row rules (police-data-rows.ts): a rejected
 * row is listed with its line number; a kept one is counted into the aggregates and written. The
 * header must be the kind's; a last row cut short, or a quote never closed, refuses the whole file.
 *
 * Nearly every line data.police.uk writes is already what the row rules would write back: no
 * quotes, no spaces to trim, every check passed. A quick look at each line's bytes recognises those
 * lines, and they are passed on as the file's own bytes, a run of lines at a time, so PostgreSQL
 * parses them and this process does little more than look (it never decodes them). Every other
 * line is decoded, goes through the row rules and is written out afresh, ending as the file's
 * lines end.
 */
export class RowCopier {
  rowsRead = 0;
  rowsImported = 0;
  /** The bytes of a record not complete yet, from the end of the last piece. */
  private carry: Buffer = NO_BYTES;
  private nextLine = 1;
  private header: string[] | undefined;
  /** The header's line ending: lines passed on as they are must end the same way. */
  private crlf = false;
  /** Where each value of the line being checked starts and ends (reused: no allocation per row). */
  private readonly starts = new Int32Array(12);
  private readonly ends = new Int32Array(12);
  private readonly expectedCommas: number;
  private readonly monthBytes: Buffer;
  /** The LSOA codes, crime or outcome types, and outcomes read so far. */
  private readonly lsoaCode = new TextCache();
  private readonly category = new TextCache();
  private readonly outcome = new TextCache();

  constructor(
    private readonly kind: PoliceDataKind,
    private readonly fileMonth: string,
    private readonly counter: AggregateCounter,
    private readonly rejections: RejectionList,
  ) {
    this.expectedCommas = kind === 'street' ? 11 : 9;
    this.monthBytes = Buffer.from(fileMonth, 'latin1');
  }

  /** Adds the next piece of the file (UTF-8, already checked); returns the COPY input for every row it completes. */
  push(piece: Buffer): CopyInput {
    let s = this.carry.length === 0 ? piece : Buffer.concat([this.carry, piece]);
    if (this.header === undefined && this.nextLine === 1 && startsWithByteOrderMark(s)) s = s.subarray(3);
    const out: CopyInput = [];
    this.carry = s.subarray(this.scan(s, out));
    return out;
  }

  /** Ends the file: returns the COPY input for a last row without a line break. */
  end(): CopyInput {
    const rest = decode(this.carry, 0, this.carry.length);
    this.carry = NO_BYTES;
    const out: CopyInput = [];
    if (rest !== '' && !(this.header === undefined && rest === '\uFEFF')) this.lastRecord(rest, out);
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

  /**
   * Reads the complete records in `s`; returns where the unfinished rest begins. Buffer.indexOf
   * finds each line break, comma, quote, NUL and carriage return (natively, many times faster
   * than looking at each byte here).
   */
  private scan(s: Buffer, out: CopyInput): number {
    const length = s.length;
    let position = 0;
    let runStart = -1;
    let nextQuote = -1;
    let nextNul = -1;
    let nextCr = -1;
    /** Passes on the lines from runStart to `at` as they are. */
    const closeRun = (at: number) => {
      if (runStart !== -1) out.push(s.subarray(runStart, at));
      runStart = -1;
    };
    while (position < length) {
      const newline = s.indexOf(NEWLINE, position);
      if (nextQuote !== length && nextQuote < position) nextQuote = indexOrEnd(s, QUOTE, position);
      if (nextQuote < (newline === -1 ? length : newline)) {
        // A quoted value may hold commas and line breaks: the general reader takes the record.
        closeRun(position);
        const end = quotedRecordEnd(s, position);
        if (end === -1) return position;
        const parsed = quotedRecord(decode(s, position, end), 0, true)!;
        if (!this.header) this.takeHeader(parsed.record, s[end - 2] === CR);
        else this.takeRecord(parsed.record, this.nextLine, out);
        this.nextLine += 1 + parsed.lineBreaks;
        position = end;
        continue;
      }
      if (newline === -1) break;
      const contentEnd = newline > position && s[newline - 1] === CR ? newline - 1 : newline;
      if (contentEnd === position) {
        // An empty line: skipped, as any CSV reader would.
        closeRun(position);
      } else if (!this.header) {
        this.takeHeader(decode(s, position, contentEnd).split(','), contentEnd !== newline);
      } else {
        if (nextNul !== length && nextNul < position) nextNul = indexOrEnd(s, NUL, position);
        if (nextCr !== length && nextCr < position) nextCr = indexOrEnd(s, CR, position);
        const plain = nextNul >= newline && nextCr >= contentEnd && (contentEnd !== newline) === this.crlf;
        if (plain && this.passes(s, position, contentEnd)) {
          if (runStart === -1) runStart = position;
          this.rowsRead += 1;
          this.rowsImported += 1;
        } else {
          closeRun(position);
          this.takeRecord(decode(s, position, contentEnd).split(','), this.nextLine, out);
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
    const text = csvLine(this.kind, result.row, this.crlf ? '\r\n' : '\n');
    // Rows written afresh one after another go as one piece of text.
    const last = out.length - 1;
    if (last >= 0 && typeof out[last] === 'string') out[last] += text;
    else out.push(text);
  }

  /**
   * True when the line (no quotes, no NUL, no carriage return inside) is exactly what the row
   * rules would write back: the right number of values, nothing to trim, every check passed.
   * Counts the row into the aggregates when it is. Stop and search rows are reformatted (their
   * dates and yes/no values are rewritten), so they always go through the rules.
   */
  private passes(s: Buffer, start: number, end: number): boolean {
    if (this.kind === 'stop_and_search') return false;
    const { starts, ends } = this;
    const count = this.expectedCommas;
    let commas = 0;
    starts[0] = start;
    for (let at = s.indexOf(COMMA, start); at !== -1 && at < end; at = s.indexOf(COMMA, at + 1)) {
      if (commas === count) return false;
      ends[commas] = at;
      commas += 1;
      starts[commas] = at + 1;
    }
    if (commas !== count) return false;
    ends[count] = end;
    // Every value is empty, or starts and ends with a visible ASCII character: nothing to trim.
    for (let i = 0; i <= count; i += 1) {
      if (ends[i]! > starts[i]! && !(visible(s[starts[i]!]!) && visible(s[ends[i]! - 1]!))) return false;
    }
    // Month (the 2nd column) must be the file's; Reported by and Falls within (3rd, 4th) are required.
    if (!sameBytes(s, starts[1]!, ends[1]!, this.monthBytes)) return false;
    if (ends[2] === starts[2] || ends[3] === starts[3]) return false;
    if (!coordinatesPass(s, starts[4]!, ends[4]!, starts[5]!, ends[5]!)) return false;
    if (this.kind === 'street') {
      // Crime type (10th) is required; LSOA code and name (8th, 9th) and the outcome (11th) are not.
      if (ends[9] === starts[9]) return false;
      const lsoaCode = this.lsoaCode.read(s, starts[7]!, ends[7]!);
      // The name is read only for an LSOA not seen before in the file: it belongs to the code.
      const lsoaName = this.counter.knowsLsoa(lsoaCode) ? null : optional(s, starts[8]!, ends[8]!);
      this.counter.addStreet(
        this.category.read(s, starts[9]!, ends[9]!)!,
        lsoaCode,
        lsoaName,
        this.outcome.read(s, starts[10]!, ends[10]!),
      );
      return true;
    }
    // Outcomes: Crime ID (1st) and Outcome type (10th) are required.
    if (ends[0] === starts[0] || ends[9] === starts[9]) return false;
    this.counter.addOutcome(this.category.read(s, starts[9]!, ends[9]!)!);
    return true;
  }
}

/**
 * The values of one column as text, reused when the same bytes come again (a file holds 14 crime
 * types and a few dozen outcomes, and lists each LSOA's crimes together): no string to decode,
 * and one whose hash the aggregate maps already know. Each value is kept under its length and
 * three of its bytes, and checked byte for byte before it is reused; only ASCII values are kept,
 * whose bytes are their characters.
 */
class TextCache {
  private readonly known = new Map<number, string>();

  /** The text of s[start, end), or null when it is empty. */
  read(s: Buffer, start: number, end: number): string | null {
    if (start === end) return null;
    const length = end - start;
    const key = ((length & 0xff) << 24) | (s[start]! << 16) | (s[start + (length >> 1)]! << 8) | s[end - 1]!;
    const known = this.known.get(key);
    if (known !== undefined && spells(s, start, end, known)) return known;
    const text = decode(s, start, end);
    if (text.length === length) this.known.set(key, text);
    return text;
  }
}

/** True when s[start, end) holds the characters of an ASCII text of the same length. */
function spells(s: Buffer, start: number, end: number, text: string): boolean {
  if (text.length !== end - start) return false;
  for (let i = 0; i < text.length; i += 1) if (s[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

const decode = (s: Buffer, start: number, end: number): string => s.toString('utf8', start, end);

/** An optional value: null when empty. */
const optional = (s: Buffer, start: number, end: number): string | null => (start === end ? null : decode(s, start, end));

const startsWithByteOrderMark = (s: Buffer): boolean => s.length >= 3 && s[0] === 0xef && s[1] === 0xbb && s[2] === 0xbf;

const indexOrEnd = (s: Buffer, byte: number, from: number): number => {
  const index = s.indexOf(byte, from);
  return index === -1 ? s.length : index;
};

/** True when s[start, end) holds exactly the given bytes. */
function sameBytes(s: Buffer, start: number, end: number, bytes: Buffer): boolean {
  if (end - start !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i += 1) if (s[start + i] !== bytes[i]) return false;
  return true;
}

/**
 * Where the record that starts at `start` and holds a quote ends (after its line break), read as
 * quotedRecord reads it: a quote opens a quoted value only at the start of a value, and a doubled
 * quote inside one stands for a quote. -1 when its end is not in `s` yet.
 */
function quotedRecordEnd(s: Buffer, start: number): number {
  let i = start;
  let atValueStart = true;
  while (i < s.length) {
    const c = s[i]!;
    if (atValueStart && c === QUOTE) {
      // A quoted value: up to the quote that is not doubled.
      for (i += 1; ; i += 2) {
        const close = s.indexOf(QUOTE, i);
        if (close === -1 || close + 1 >= s.length) return -1;
        i = close;
        if (s[close + 1] !== QUOTE) break;
      }
      i += 1;
      atValueStart = false;
      continue;
    }
    if (c === NEWLINE) return i + 1;
    atValueStart = c === COMMA;
    i += 1;
  }
  return -1;
}

/** A printable ASCII character other than a space: String.prototype.trim would keep it. */
const visible = (code: number): boolean => code > 0x20 && code < 0x7f && code !== QUOTE && code !== COMMA;

/** Longitude and latitude as the row rules accept them: both empty, or both numbers in range. */
function coordinatesPass(s: Buffer, longitudeStart: number, longitudeEnd: number, latitudeStart: number, latitudeEnd: number): boolean {
  const longitudeEmpty = longitudeStart === longitudeEnd;
  const latitudeEmpty = latitudeStart === latitudeEnd;
  if (longitudeEmpty || latitudeEmpty) return longitudeEmpty && latitudeEmpty;
  return decimalWithin(s, longitudeStart, longitudeEnd, 180) && decimalWithin(s, latitudeStart, latitudeEnd, 90);
}

const ZERO = 0x30;
const NINE = 0x39;

/**
 * True when s[start, end) is a decimal the row rules accept (/^-?\d+(\.\d+)?$/) between -limit
 * and limit, read from the bytes without making a string or a number.
 */
function decimalWithin(s: Buffer, start: number, end: number, limit: number): boolean {
  let i = s[start] === 0x2d ? start + 1 : start;
  let whole = 0;
  const digitsFrom = i;
  for (; i < end; i += 1) {
    const c = s[i]!;
    if (c < ZERO || c > NINE) break;
    whole = whole * 10 + (c - ZERO);
  }
  if (i === digitsFrom) return false;
  let fractionIsZero = true;
  if (i < end) {
    if (s[i] !== 0x2e || i + 1 === end) return false;
    for (i += 1; i < end; i += 1) {
      const c = s[i]!;
      if (c < ZERO || c > NINE) return false;
      if (c !== ZERO) fractionIsZero = false;
    }
  }
  return whole < limit || (whole === limit && fractionIsZero);
}
