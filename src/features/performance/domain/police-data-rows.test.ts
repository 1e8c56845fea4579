import { describe, expect, it } from 'vitest';
import { streetRecord } from '../../../../test/support/police-data.ts';
import {
  csvLine,
  csvValue,
  headerProblem,
  outcomeRow,
  parsePoliceDataFileName,
  RejectionList,
  stopSearchRow,
  streetColumns,
  streetRow,
  zipEntriesProblem,
  type StreetRow,
} from './police-data-rows.ts';

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
      row: expect.objectContaining({ month: '2019-01', crimeId: null, longitude: -3.279704, latitude: 51.805346, context: null }),
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

describe('COPY input as CSV', () => {
  it('writes null as nothing, an empty string quoted, and quotes values with commas, quotes or line breaks', () => {
    expect(csvValue(null)).toBe('');
    expect(csvValue('')).toBe('""');
    expect(csvValue(false)).toBe('false');
    expect(csvValue(-3.27)).toBe('-3.27');
    expect(csvValue('On or near Green, Quorn')).toBe('"On or near Green, Quorn"');
    expect(csvValue('say "hi"')).toBe('"say ""hi"""');
    expect(csvValue('two\nlines')).toBe('"two\nlines"');
    expect(csvValue('back\\slash')).toBe('back\\slash');
  });

  it("writes a row in the file's column order, ending as the file's lines end", () => {
    const result = streetRow(streetRecord({ 'Crime ID': '', Location: 'On or near A, B' }), '2019-01') as { ok: true; row: StreetRow };
    const line =
      ',2019-01,Dyfed-Powys Police,Dyfed-Powys Police,-3.279704,51.805346,"On or near A, B",W01001474,Blaenau Gwent 003C,Other theft,Local resolution,';
    expect(csvLine('street', result.row)).toBe(`${line}\n`);
    expect(csvLine('street', result.row, '\r\n')).toBe(`${line}\r\n`);
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
