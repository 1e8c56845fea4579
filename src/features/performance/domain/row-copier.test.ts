import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { realPoliceFile, realPoliceFileNames, streetRecord } from '../../../../test/support/police-data.ts';
import { StrictUtf8 } from '../police-data-files.ts';
import type { PoliceDataKind } from './performance-model.ts';
import {
  AggregateCounter,
  MalformedFileError,
  RejectionList,
  csvLine,
  cutShort,
  outcomeRow,
  outcomesColumns,
  parsePoliceDataFileName,
  stopAndSearchColumns,
  stopSearchRow,
  streetColumns,
  streetRow,
} from './police-data-rows.ts';
import { RowCopier, type CopyInput } from './row-copier.ts';

const realFiles = realPoliceFileNames();
const headers: Record<PoliceDataKind, readonly string[]> = {
  street: streetColumns,
  outcomes: outcomesColumns,
  stop_and_search: stopAndSearchColumns,
};

/**
 * Runs a file's text through a copier as UTF-8, in pieces of the given numbers of bytes (a piece
 * may end inside a character); returns the COPY input (its parts, and as text), the counts and
 * the rejections.
 */
function copy(kind: PoliceDataKind, month: string, text: string, pieces: number[] = []) {
  const counter = new AggregateCounter(kind);
  const rejections = new RejectionList();
  const copier = new RowCopier(kind, month, counter, rejections);
  const bytes = Buffer.from(text, 'utf8');
  const parts: CopyInput = [];
  let start = 0;
  for (const size of pieces) {
    parts.push(...copier.push(bytes.subarray(start, start + size)));
    start += size;
  }
  parts.push(...copier.push(bytes.subarray(start)));
  parts.push(...copier.end());
  const out = Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part))).toString('utf8');
  return { out, parts, counter, rejections, rowsRead: copier.rowsRead, rowsImported: copier.rowsImported };
}

/**
 * COPY input read back as PostgreSQL reads it (copyStatement): an unquoted empty value is null,
 * except in Location, which is NOT NULL and read with FORCE_NOT_NULL.
 */
function readBack(out: string, kind: PoliceDataKind = 'street'): (string | null)[][] {
  const location = kind === 'stop_and_search' ? -1 : 6;
  return parse(out, {
    cast: (value, context) => (value === '' && !context.quoting && context.index !== location ? null : value),
  }) as (string | null)[][];
}

/** A decimal as its number, so that "52.661200" and "52.6612" compare equal. */
const numeric = (value: string | null) => (value !== null && /^-?\d+\.\d+$/.test(value) ? Number(value) : value);

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

describe('every real data.police.uk file through the row copier', () => {
  it('has sample files to read', () => {
    expect(realFiles.length).toBeGreaterThanOrEqual(10);
  });

  it.each(realFiles)('%s: every row kept, written as the row rules read it, and counted', (name) => {
    const parsed = parsePoliceDataFileName(name)!;
    const text = readFileSync(realPoliceFile(name), 'utf8');
    const lines = text.trimEnd().split('\n').slice(1);
    const result = copy(parsed.kind, parsed.month, text, [65_536, 1, 100_003]);
    expect(result.rejections.kept).toEqual([]);
    expect(result.rowsRead).toBe(lines.length);
    expect(result.rowsImported).toBe(lines.length);

    // What COPY will read equals what the row rules make of each record, row for row.
    const written = readBack(result.out, parsed.kind);
    const records = parse(text, { from_line: 2 }) as string[][];
    const rules = { street: streetRow, outcomes: outcomeRow, stop_and_search: stopSearchRow }[parsed.kind];
    expect(written).toHaveLength(records.length);
    records.forEach((record, index) => {
      const row = rules(record, parsed.month);
      if (!row.ok) throw new Error(`line ${index + 2}: ${row.reason}`);
      const expected = readBack(csvLine(parsed.kind, row.row), parsed.kind)[0]!;
      const got = written[index]!;
      // Coordinates keep the file's digits: the same number, perhaps written differently.
      expect(got.map(numeric)).toEqual(expected.map(numeric));
    });

    if (parsed.kind === 'street') {
      // An independent count: split each line on commas; the crime type is third from the end.
      const naive = new Map<string, number>();
      for (const line of lines) {
        const fields = line.split(',');
        const crimeType = fields[fields.length - 3]!;
        naive.set(crimeType, (naive.get(crimeType) ?? 0) + 1);
      }
      const aggregates = result.counter.result();
      expect(new Map(aggregates.byMonth.map((c) => [c.crimeType, c.count]))).toEqual(naive);
      expect(aggregates.byLsoaMonth.reduce((sum, c) => sum + c.count, 0)).toBe(lines.length);
      for (const lsoa of aggregates.byLsoaMonth) {
        expect(Object.values(lsoa.byCrimeType).reduce((sum, n) => sum + n, 0)).toBe(lsoa.count);
      }
      expect(new Set(aggregates.byLsoaMonth.map((c) => c.lsoaCode)).size).toBe(aggregates.byLsoaMonth.length);
    } else if (parsed.kind === 'stop_and_search') {
      expect(result.counter.result().stopSearches.reduce((sum, c) => sum + c.count, 0)).toBe(lines.length);
    } else {
      expect(result.counter.result().outcomes.reduce((sum, c) => sum + c.count, 0)).toBe(lines.length);
    }
  });
});

describe('the row copier', () => {
  const header = `${streetColumns.join(',')}\n`;

  it("passes a line the rules would write back on unchanged, as the file's own bytes", () => {
    const line = streetRecord().join(',');
    const result = copy('street', '2019-01', `${header}${line}\n${line}\n`);
    expect(result.out).toBe(`${line}\n${line}\n`);
    expect(result.parts).toHaveLength(1);
    expect(result.parts[0]).toBeInstanceOf(Uint8Array);
  });

  it("ends every line as the file's lines end, whether passed on or written afresh", () => {
    const plain = streetRecord().join(',');
    const quoted = streetRecord({ Location: '"On or near A, B"', 'Crime type': ' Robbery ' }).join(',');
    for (const ending of ['\n', '\r\n']) {
      const { out, rowsImported } = copy('street', '2019-01', `${header.trimEnd()}${ending}${plain}${ending}${quoted}${ending}${plain}`);
      expect(rowsImported).toBe(3);
      expect(out.split(ending)).toHaveLength(4);
      expect(out.endsWith(ending)).toBe(true);
      if (ending === '\r\n') expect(out.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    }
  });

  it('gives the same COPY input, counts and rejections however the text is cut into pieces', () => {
    const text = [
      `\uFEFF${header}`,
      `${streetRecord().join(',')}\n`,
      `${streetRecord({ Location: '"On or near Green, Quorn"' }).join(',')}\n`,
      '\n',
      `${streetRecord({ Month: '2019-02' }).join(',')}\r\n`,
      `${streetRecord({ Context: '"two\nlines"', 'Crime type': ' Robbery ' }).join(',')}\n`,
      `${streetRecord({ 'LSOA code': 'W01000001', 'LSOA name': 'Ynys Môn 001A' }).join(',')}\n`,
      `${streetRecord({ Longitude: '', Latitude: '', 'LSOA code': '', 'LSOA name': '' }).join(',')}`,
    ].join('');
    const whole = copy('street', '2019-01', text);
    expect(whole.rowsRead).toBe(6);
    expect(whole.out).toContain('Ynys Môn 001A');
    expect(whole.counter.result().byLsoaMonth.find((lsoa) => lsoa.lsoaCode === 'W01000001')?.lsoaName).toBe('Ynys Môn 001A');
    expect(whole.rejections.kept).toEqual([{ line: 5, reason: 'Month is 2019-02, but this file is for 2019-01' }]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }), (pieces) => {
        const cut = copy('street', '2019-01', text, pieces);
        expect(cut.out).toBe(whole.out);
        expect(cut.rejections.kept).toEqual(whole.rejections.kept);
        expect(cut.counter.result()).toEqual(whole.counter.result());
      }),
      { numRuns: 300 },
    );
  });

  it('writes each kept row as the row rules read it, and rejects the rest with their reasons, whatever the values', () => {
    const odd = fc.constantFrom(
      '',
      ' ',
      ' x ',
      'a\tb',
      'back\\slash',
      'On or near A, B',
      'say "hi"',
      'two\nlines',
      '\u00a0Ynys Môn\u00a0',
      '-3.27',
      '51.80',
      '180.0',
      '180.5',
      '-91',
      '1e3',
      '.5',
      '2019-01',
      '2019-02',
      '19-01',
      'True',
      'no',
      'x\u0000y',
    );
    fc.assert(
      fc.property(
        fc.constantFrom<'street' | 'outcomes'>('street', 'outcomes'),
        fc.dictionary(fc.integer({ min: 0, max: 11 }).map(String), odd),
        fc.integer({ min: -1, max: 1 }),
        fc.boolean(),
        (kind, overrides, extra, crlf) => {
          const columns = headers[kind];
          const record = streetRecord().slice(0, columns.length);
          for (const [index, value] of Object.entries(overrides)) if (Number(index) < record.length) record[Number(index)] = value;
          if (extra < 0) record.pop();
          if (extra > 0) record.push('x');
          const ending = crlf ? '\r\n' : '\n';
          const result = copy(kind, '2019-01', `${columns.join(',')}${ending}${record.map(csvField).join(',')}${ending}`);
          const expected = (kind === 'street' ? streetRow : outcomeRow)(record, '2019-01');
          if (record.some((value) => value.includes('\u0000'))) {
            expect(result.rejections.kept).toEqual([{ line: 2, reason: 'The row holds a NUL character, which is not text' }]);
          } else if (!expected.ok) {
            expect(result.rejections.kept).toEqual([{ line: 2, reason: expected.reason }]);
            expect(result.out).toBe('');
          } else {
            const want = readBack(csvLine(kind, expected.row))[0]!;
            const got = readBack(result.out)[0]!;
            expect(got.map((v, i) => ([4, 5].includes(i) && v !== null ? Number(v) : v))).toEqual(
              want.map((v, i) => ([4, 5].includes(i) && v !== null ? Number(v) : v)),
            );
            const counted = new AggregateCounter(kind);
            counted.add(expected.row);
            expect(result.counter.result()).toEqual(counted.result());
          }
        },
      ),
      { numRuns: 600 },
    );
  });

  it.each([
    ['180', '90'],
    ['-180.000', '-90.0'],
    ['180.5', '51.5'],
    ['-180.01', '51.5'],
    ['-3.1', '90.0001'],
    ['1.', '51.5'],
    ['-', '51.5'],
    ['+1', '51.5'],
    ['0012.5', '051'],
    ['99999999999999999999', '1'],
  ])('agrees with the row rules on the coordinates %s, %s', (longitude, latitude) => {
    const record = streetRecord({ Longitude: longitude, Latitude: latitude });
    const expected = streetRow(record, '2019-01');
    const result = copy('street', '2019-01', `${header}${record.join(',')}\n`);
    expect(result.rejections.kept).toEqual(expected.ok ? [] : [{ line: 2, reason: expected.reason }]);
    expect(result.rowsImported).toBe(expected.ok ? 1 : 0);
  });

  it("refuses a file whose header is not the kind's", () => {
    expect(() => copy('street', '2019-01', 'Crime ID,Month\nabc,2019-01\n')).toThrow(
      /^The header is not a data.police.uk street-level crime header/,
    );
    expect(() => copy('street', '2019-01', 'Crime ID,Month\nabc,2019-01\n')).toThrow(MalformedFileError);
  });

  it('refuses an empty file, and reads a header alone as no rows', () => {
    expect(() => copy('street', '2019-01', '')).toThrow('The file is empty: it has no header and no rows.');
    expect(copy('street', '2019-01', streetColumns.join(',')).rowsRead).toBe(0);
  });

  it('refuses a file cut short mid-row or mid-quote, and keeps a complete last row without a line break', () => {
    const complete = streetRecord().join(',');
    expect(() => copy('street', '2019-01', `${header}${complete}\n${complete.slice(0, 40)}`)).toThrow(cutShort);
    expect(() => copy('street', '2019-01', `${header}${complete}\n,2019-01,"cut sh`)).toThrow(`${cutShort} A quoted value is not closed.`);
    expect(copy('street', '2019-01', `${header}${complete}\n${complete}`).rowsImported).toBe(2);
  });

  it('numbers rejected rows by the line they start on, after values with line breaks', () => {
    const text = `${header}${streetRecord({ Context: '"a\nb\nc"' }).join(',')}\n${streetRecord({ 'Reported by': '' }).join(',')}\n`;
    expect(copy('street', '2019-01', text).rejections.kept).toEqual([{ line: 5, reason: 'Reported by is missing' }]);
  });
});

describe('strict UTF-8 in pieces', () => {
  const decodeAll = (pieces: Buffer[]) => {
    const decoder = new StrictUtf8();
    const text = Buffer.concat(pieces.map((piece) => decoder.check(piece))).toString('utf8');
    decoder.end();
    return text;
  };

  it('decodes a character split between pieces, and ASCII as it is', () => {
    const bytes = Buffer.from('Ynys Môn 001A, Wrecsam 😀 end', 'utf8');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(decodeAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe('Ynys Môn 001A, Wrecsam 😀 end');
    }
  });

  it('refuses bytes that are not UTF-8, and a character cut short at the end', () => {
    expect(() => decodeAll([Buffer.from([0x41, 0xe9, 0x42])])).toThrow(MalformedFileError);
    expect(() => decodeAll([Buffer.from('caf', 'utf8'), Buffer.from([0xc3])])).toThrow(MalformedFileError);
  });
});
