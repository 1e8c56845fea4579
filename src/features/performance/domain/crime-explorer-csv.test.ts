import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv } from '../../../../test/support/csv.ts';
import { csvCell, toCsv } from './crime-explorer-csv.ts';

describe('explorer CSV', () => {
  it('quotes commas, quotes and line breaks, and ends every line with CRLF', () => {
    expect(
      toCsv([
        ['Month', 'Crime type'],
        ['2019-01', 'Burglary, "aggravated"'],
        ['2019-02', 'Two\nlines'],
      ]),
    ).toBe('Month,Crime type\r\n2019-01,"Burglary, ""aggravated"""\r\n2019-02,"Two\nlines"\r\n');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(null)).toBe('');
  });

  it('reads back what it wrote, apart from the apostrophe before a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const back = parseCsv(toCsv(rows));
        expect(back).toEqual(rows.map((row) => row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell))));
      }),
    );
  });
});
