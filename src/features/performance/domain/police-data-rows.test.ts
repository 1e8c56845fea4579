import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../police-data-files.ts';
import {
  AggregateCounter,
  arrayLiteral,
  CsvSplitter,
  UnclosedQuoteError,
  type CsvRecord,
  RejectionList,
  copyLine,
  copyValue,
  headerProblem,
  lineReaders,
  outcomesColumns,
  outcomeRow,
  parsePoliceDataFileName,
  stopSearchRow,
  streetColumns,
  streetRow,
  zipEntriesProblem,
  type StreetRow,
} from './police-data-rows.ts';

const dataDirectory = fileURLToPath(new URL('../../../../../shared/data/police-uk/', import.meta.url));
const realFiles = readdirSync(dataDirectory).filter((name) => name.endsWith('.csv'));

const streetRecord = (overrides: Partial<Record<(typeof streetColumns)[number], string>> = {}): string[] => {
  const base: Record<string, string> = {
    'Crime ID': 'abc',
    Month: '2019-01',
    'Reported by': 'Dyfed-Powys Police',
    'Falls within': 'Dyfed-Powys Police',
    Longitude: '-3.279704',
    Latitude: '51.805346',
    Location: 'On or near Sports/Recreation Area',
    'LSOA code': 'W01001474',
    'LSOA name': 'Blaenau Gwent 003C',
    'Crime type': 'Other theft',
    'Last outcome category': 'Local resolution',
    Context: '',
    ...overrides,
  };
  return streetColumns.map((column) => base[column]!);
};

describe('data.police.uk file names', () => {
  it('reads kind, force and month, with or without the archive folder', () => {
    expect(parsePoliceDataFileName('2019-01/2019-01-avon-and-somerset-street.csv')).toEqual({
      kind: 'street',
      forceSlug: 'avon-and-somerset',
      month: '2019-01',
    });
    expect(parsePoliceDataFileName('2018-07-metropolitan-stop-and-search.csv')).toEqual({
      kind: 'stop_and_search',
      forceSlug: 'metropolitan',
      month: '2018-07',
    });
    expect(parsePoliceDataFileName('2019-02-dyfed-powys-outcomes (1).csv')).toEqual({
      kind: 'outcomes',
      forceSlug: 'dyfed-powys',
      month: '2019-02',
    });
  });

  it('refuses other names', () => {
    for (const name of [
      'street.csv',
      '2019-13-dyfed-powys-street.csv',
      '2019-01-dyfed-powys-street.xlsx',
      '2019-01-street.csv',
      'photo.png',
    ]) {
      expect(parsePoliceDataFileName(name), name).toBeUndefined();
    }
  });

  it('refuses a zip whole when any entry is not a data.police.uk CSV of a known force', () => {
    const known = new Set(['dyfed-powys', 'avon-and-somerset']);
    expect(zipEntriesProblem(['2019-01/', '2019-01/2019-01-dyfed-powys-street.csv'], known)).toBeUndefined();
    expect(zipEntriesProblem(['2019-01/2019-01-dyfed-powys-street.csv', '2019-01/notes.txt'], known)).toMatch(/"2019-01\/notes.txt"/);
    expect(zipEntriesProblem(['2019-01/2019-01-btp-street.csv'], known)).toMatch(/does not know \("btp"\)/);
    expect(zipEntriesProblem(['2019-01/'], known)).toMatch(/empty/);
  });
});

describe('headers', () => {
  it('accepts the exact header and names both when another is given', () => {
    expect(headerProblem('street', [...streetColumns])).toBeUndefined();
    const problem = headerProblem('street', ['Crime ID', 'Month']);
    expect(problem).toMatch(/^The header is not a data.police.uk street-level crime header: expected "Crime ID,Month,Reported by/);
    expect(problem).toMatch(/but found "Crime ID,Month"/);
  });
});

describe('street rows', () => {
  it('maps a good row, with empty values as null', () => {
    const result = streetRow(streetRecord({ 'Crime ID': '', Context: '' }), '2019-01');
    expect(result).toEqual({
      ok: true,
      row: expect.objectContaining({ month: '2019-01-01', crimeId: null, longitude: -3.279704, latitude: 51.805346, context: null }),
    });
  });

  it('accepts "No Location" rows without coordinates or LSOA', () => {
    const result = streetRow(
      streetRecord({ Longitude: '', Latitude: '', Location: 'No Location', 'LSOA code': '', 'LSOA name': '' }),
      '2019-01',
    );
    expect(result.ok && result.row.longitude === null && result.row.lsoaCode === null).toBe(true);
  });

  it.each([
    [{ Month: '2019-02' }, 'Month is 2019-02, but this file is for 2019-01'],
    [{ Month: 'Jan' }, 'Month "Jan" is not a month like 2019-01'],
    [{ 'Crime type': ' ' }, 'Crime type is missing'],
    [{ Longitude: 'west' }, 'Longitude "west" is not a number'],
    [{ Latitude: '' }, 'Longitude and latitude must both be given, or both be empty'],
    [{ Latitude: '95.1' }, 'Latitude 95.1 is not between -90 and 90'],
    [{ 'Reported by': '' }, 'Reported by is missing'],
  ])('rejects %o', (overrides, reason) => {
    expect(streetRow(streetRecord(overrides), '2019-01')).toEqual({ ok: false, reason });
  });

  it('rejects a row with the wrong number of columns', () => {
    expect(streetRow(streetRecord().slice(0, 10), '2019-01')).toEqual({
      ok: false,
      reason: 'The row has 10 columns; a street-level crime row has 12',
    });
  });
});

describe('outcome and stop-and-search rows', () => {
  it('needs a crime id and an outcome type', () => {
    const record = ['id1', '2019-01', 'X Police', 'X Police', '', '', 'No Location', '', '', 'Unable to prosecute suspect'];
    expect(outcomeRow(record, '2019-01').ok).toBe(true);
    expect(outcomeRow(['', ...record.slice(1)], '2019-01')).toEqual({ ok: false, reason: 'Crime ID is missing' });
  });

  it('accepts a search dated in UTC the day before the local month, and refuses one far outside it', () => {
    const record = (date: string, linked = '') => [
      'Person search',
      date,
      'False',
      '',
      '51.5',
      '-0.08',
      'Male',
      '18-24',
      '',
      'White',
      'Misuse of Drugs Act 1971 (section 23)',
      'Controlled drugs',
      'Arrest',
      linked,
      '',
    ];
    const early = stopSearchRow(record('2018-06-30T23:01:00+00:00'), '2018-07');
    expect(early).toEqual({
      ok: true,
      row: expect.objectContaining({
        occurredAt: '2018-06-30T23:01:00.000Z',
        partOfPolicingOperation: false,
        longitude: -0.08,
        latitude: 51.5,
      }),
    });
    expect(stopSearchRow(record('2018-05-02T10:00:00+00:00'), '2018-07')).toEqual({
      ok: false,
      reason: 'Date 2018-05-02T10:00:00+00:00 is not in 2018-07, the month of this file',
    });
    expect(stopSearchRow(record('yesterday'), '2018-07').ok).toBe(false);
    expect(stopSearchRow(record('2018-07-02T10:00:00+00:00', 'maybe'), '2018-07')).toEqual({
      ok: false,
      reason: 'Outcome linked to object of search is "maybe"; it must be True, False or empty',
    });
  });
});

describe('COPY text', () => {
  it('escapes the characters COPY treats specially and writes null as \\N', () => {
    expect(copyValue('a\tb\\c\nd\re')).toBe('a\\tb\\\\c\\nd\\re');
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(false)).toBe('false');
    const result = streetRow(streetRecord({ Location: 'On or near A\tB' }), '2019-01') as { ok: true; row: StreetRow };
    const line = copyLine('street', 'f1', result.row);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.split('\t')).toHaveLength(13);
  });
});

describe('rejections', () => {
  it('keeps the first rows and counts the rest', () => {
    const list = new RejectionList(2);
    for (let line = 2; line < 7; line += 1) list.add(line, 'bad');
    expect(list.kept).toEqual([
      { line: 2, reason: 'bad' },
      { line: 3, reason: 'bad' },
    ]);
    expect(list.total).toBe(5);
  });
});

/** An independent count: split each line on commas; the crime type is third from the end. */
function naiveCrimeTypeCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n').slice(1)) {
    if (line === '') continue;
    const fields = line.split(',');
    const crimeType = fields[fields.length - 3]!;
    counts.set(crimeType, (counts.get(crimeType) ?? 0) + 1);
  }
  return counts;
}

describe('every real data.police.uk file', () => {
  it('has sample files to read', () => {
    expect(realFiles.length).toBeGreaterThanOrEqual(10);
  });

  it.each(realFiles)('%s parses with no rejected rows, and street crime counts match an independent count', async (name) => {
    const parsed = parsePoliceDataFileName(name)!;
    expect(parsed).toBeDefined();
    const { records } = readCsv(createReadStream(path.join(dataDirectory, name)));
    const read = { street: streetRow, outcomes: outcomeRow, stop_and_search: stopSearchRow }[parsed.kind];
    const counter = new AggregateCounter(parsed.kind);
    const rejected: string[] = [];
    let header: string[] | undefined;
    let rows = 0;
    for await (const { record, line } of records) {
      if (!header) {
        header = record;
        expect(headerProblem(parsed.kind, header)).toBeUndefined();
        continue;
      }
      rows += 1;
      const result = read(record, parsed.month);
      if (result.ok) counter.add(result.row);
      else rejected.push(`${line}: ${result.reason}`);
    }
    expect(rejected).toEqual([]);
    const text = readFileSync(path.join(dataDirectory, name), 'utf8');
    expect(rows).toBe(text.trimEnd().split('\n').length - 1);
    if (parsed.kind === 'street') {
      const counted = new Map(counter.result().byMonth.map((c) => [c.crimeType, c.count]));
      expect(counted).toEqual(naiveCrimeTypeCounts(text));
      const byLsoaTotal = counter.result().byLsoa.reduce((sum, c) => sum + c.count, 0);
      expect(byLsoaTotal).toBe(rows);
      const byLsoaMonth = counter.result().byLsoaMonth;
      expect(byLsoaMonth.reduce((sum, c) => sum + c.count, 0)).toBe(rows);
      expect(new Set(byLsoaMonth.map((c) => c.lsoaCode)).size).toBe(byLsoaMonth.length);
      expect(byLsoaMonth.length).toBe(new Set(counter.result().byLsoa.map((c) => c.lsoaCode)).size);
    } else {
      const total = counter.result().stopSearches.reduce((sum, c) => sum + c.count, 0);
      expect(total).toBe(rows);
    }
  });
});

describe('CSV splitting', () => {
  const split = (text: string, pieces: number[] = []): CsvRecord[] => {
    const splitter = new CsvSplitter();
    const out: CsvRecord[] = [];
    let start = 0;
    for (const size of pieces) {
      splitter.push(text.slice(start, start + size), out);
      start += size;
    }
    splitter.push(text.slice(start), out);
    splitter.end(out);
    return out;
  };

  it('reads quoted values with commas, doubled quotes and line breaks, numbering each record by its first line', () => {
    const text = '\uFEFFa,b,c\r\n1,"On or near Green, Quorn",x\n\n2,"say ""hi""","two\nlines"\n3,,\n';
    expect(split(text)).toEqual([
      { record: ['a', 'b', 'c'], line: 1 },
      { record: ['1', 'On or near Green, Quorn', 'x'], line: 2 },
      { record: ['2', 'say "hi"', 'two\nlines'], line: 4 },
      { record: ['3', '', ''], line: 6 },
    ]);
  });

  it('returns a last record without a line break, and throws for a quote never closed', () => {
    expect(split('a,b\n1,2')).toEqual([
      { record: ['a', 'b'], line: 1 },
      { record: ['1', '2'], line: 2 },
    ]);
    expect(() => split('a,b\n1,"cut sh')).toThrow(UnclosedQuoteError);
  });

  it('gives the records csv-parse gives, however the text is cut into pieces', () => {
    const value = fc.oneof(
      fc.stringMatching(/^[a-z0-9 ;.-]{0,6}$/),
      fc.string({ maxLength: 6 }).map((v) => `"${v.replace(/"/g, '""')}"`),
    );
    const record = fc.array(value, { minLength: 1, maxLength: 5 }).map((values) => values.join(','));
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 6 }),
        fc.boolean(),
        (records, pieces, crlf) => {
          const text = records.map((r) => r + (crlf ? '\r\n' : '\n')).join('');
          const expected = parse(text, {
            relax_column_count: true,
            skip_empty_lines: true,
            record_delimiter: crlf ? '\r\n' : '\n',
          }) as string[][];
          expect(split(text, pieces).map((r) => r.record)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('array literals for aggregate columns', () => {
  it('quotes every text element and escapes quotes and backslashes', () => {
    expect(arrayLiteral(['Bristol 001A', 'say "hi"', 'a\\b', '', 'x,y {z}'])).toBe('{"Bristol 001A","say \\"hi\\"","a\\\\b","","x,y {z}"}');
    expect(arrayLiteral([3, 0, 12])).toBe('{3,0,12}');
    expect(arrayLiteral([])).toBe('{}');
  });
});

describe("the import's fast path", () => {
  const builders = { street: streetRow, outcomes: outcomeRow, stop_and_search: stopSearchRow };
  /** The line and counts copyLine and AggregateCounter.add give, or the row builder's reason. */
  const agree = (kind: keyof typeof builders, record: string[], month: string) => {
    const expectedCounter = new AggregateCounter(kind);
    const counter = new AggregateCounter(kind);
    const expected = builders[kind](record, month);
    const actual = lineReaders[kind](record, month, `f1\t${month}-01`, counter);
    if (!expected.ok) {
      expect(actual).toEqual({ reason: expected.reason });
      return;
    }
    expectedCounter.add(expected.row);
    expect(typeof actual).toBe('string');
    // Coordinates keep the file's digits: the same number, perhaps written differently.
    const coordinateColumns = kind === 'stop_and_search' ? [] : [5, 6];
    const want = copyLine(kind, 'f1', expected.row).split('\t');
    const got = (actual as string).split('\t');
    expect(got.length).toBe(want.length);
    got.forEach((value, index) => {
      if (coordinateColumns.includes(index) && value !== '\\N') expect(Number(value)).toBe(Number(want[index]));
      else expect(value).toBe(want[index]);
    });
    expect(counter.result()).toEqual(expectedCounter.result());
  };

  it('gives the same line, counts and rejection reasons as the row builders, for odd values in every column', () => {
    const odd = fc.constantFrom(
      '',
      ' ',
      ' x ',
      'a\tb',
      'back\\slash',
      '-3.27',
      '51.80',
      '181',
      '-91',
      '1e3',
      '2019-01',
      '2019-02',
      '19-01',
      'True',
      'no',
    );
    const columnSets = { street: streetColumns, outcomes: outcomesColumns } as const;
    fc.assert(
      fc.property(
        fc.constantFrom('street' as const, 'outcomes' as const),
        fc.dictionary(fc.integer({ min: 0, max: 11 }).map(String), odd),
        fc.integer({ min: -1, max: 1 }),
        (kind, overrides, extra) => {
          const columns = columnSets[kind];
          const record = streetRecord().slice(0, columns.length);
          for (const [index, value] of Object.entries(overrides)) if (Number(index) < record.length) record[Number(index)] = value;
          if (extra < 0) record.pop();
          if (extra > 0) record.push('x');
          agree(kind, record, '2019-01');
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each(realFiles)('%s gives the same line and counts as the row builders for every row', async (name) => {
    const parsed = parsePoliceDataFileName(name)!;
    const { records } = readCsv(createReadStream(path.join(dataDirectory, name)));
    let header = true;
    for await (const { record } of records) {
      if (header) {
        header = false;
        continue;
      }
      agree(parsed.kind, record, parsed.month);
    }
  });
});
