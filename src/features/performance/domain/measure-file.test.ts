import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  columnLetter,
  longColumns,
  MAX_TEXT_LENGTH,
  MAX_VALUE_ROWS,
  parseNumber,
  parsePeriodText,
  previewChanges,
  readMeasureFile,
  templatePeriods,
  type CurrentFigures,
  type ImportedValue,
  type MeasureFile,
  type MeasureRef,
  type SourceRow,
} from './measure-file.ts';
import { periodContaining, periodKey, periodShortLabel } from './periods.ts';

const TODAY = '2026-11-23';
const crimes: MeasureRef = {
  lineageId: '11111111-1111-4111-8111-111111111111',
  name: 'Violence and sexual offences',
  unit: 'crimes',
  frequency: 'monthly',
};
const satisfied: MeasureRef = {
  lineageId: '22222222-2222-4222-8222-222222222222',
  name: 'Victims satisfied',
  unit: '%',
  frequency: 'quarterly',
};
const safe: MeasureRef = {
  lineageId: '33333333-3333-4333-8333-333333333333',
  name: 'Feel safe after dark',
  unit: '%',
  frequency: 'annually',
};
const twinA: MeasureRef = {
  lineageId: '44444444-4444-4444-8444-444444444444',
  name: 'Calls answered',
  unit: 'calls',
  frequency: 'monthly',
};
const twinB: MeasureRef = {
  lineageId: '55555555-5555-4555-8555-555555555555',
  name: 'Calls answered',
  unit: 'calls',
  frequency: 'monthly',
};
const measures = [crimes, satisfied, safe, twinA, twinB];

/** Rows numbered from 1, as a file without quoted line breaks would give them. */
const rowsOf = (...lines: string[][]): SourceRow[] => lines.map((cells, i) => ({ line: i + 1, cells }));
const header = ['measure_id', 'measure', 'period', 'value', 'numerator', 'denominator', 'lower', 'upper', 'msg_average', 'source', 'note'];
/** A long row: measure id or name, period, value, then the optional figures by name. */
const longRow = (measure: string, period: string, value: string, extra: Partial<Record<(typeof longColumns)[number], string>> = {}) =>
  header.map((column) =>
    column === 'measure_id'
      ? /^[0-9a-f-]{36}$/.test(measure)
        ? measure
        : ''
      : column === 'measure'
        ? /^[0-9a-f-]{36}$/.test(measure)
          ? ''
          : measure
        : column === 'period'
          ? period
          : column === 'value'
            ? value
            : (extra[column as keyof typeof extra] ?? ''),
  );

function read(rows: SourceRow[]): MeasureFile {
  const result = readMeasureFile(rows, measures, TODAY);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}
const refusal = (rows: SourceRow[]) => {
  const result = readMeasureFile(rows, measures, TODAY);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.error;
};
/** The one rejection of a one-row long file. */
const rejectionOf = (row: string[]) => {
  const { values, rejected } = read(rowsOf(header, row));
  expect(values).toEqual([]);
  expect(rejected).toHaveLength(1);
  expect(rejected[0]!.line).toBe(2);
  return rejected[0]!.reason;
};

describe('periods as people write them', () => {
  it.each([
    ['2024-05', 'month', '2024-05-01'],
    ['May 2024', 'month', '2024-05-01'],
    ['may 2024', 'month', '2024-05-01'],
    ['September 2024', 'month', '2024-09-01'],
    ['Sept 2024', 'month', '2024-09-01'],
    ['2024-05-01', 'month', '2024-05-01'],
    ['fy2024-25-q1', 'quarter', '2024-04-01'],
    ['FY2024-25-Q4', 'quarter', '2025-01-01'],
    ['Q1 2024/25', 'quarter', '2024-04-01'],
    ['Quarter 3 2024/2025', 'quarter', '2024-10-01'],
    ['fy2024-25', 'financial_year', '2024-04-01'],
    ['2024/25', 'financial_year', '2024-04-01'],
    ['2099/2100', 'financial_year', '2099-04-01'],
    ['  2024/25 ', 'financial_year', '2024-04-01'],
  ])('reads %s', (text, kind, start) => {
    expect(parsePeriodText(text)).toEqual({ kind, start });
  });

  it.each(['', '2024-13', '2024-00', '2024-25', '2024/26', 'Q5 2024/25', 'Mayo 2024', 'fy2024-26', '2024-05-15', '05/2024', 'soon'])(
    'refuses %j',
    (text) => {
      expect(parsePeriodText(text)).toBeNull();
    },
  );

  it('reads back every key and every short label of a period', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('month' as const, 'quarter' as const, 'financial_year' as const),
        fc.integer({ min: 2000, max: 2090 }),
        fc.integer({ min: 1, max: 12 }),
        (kind, year, month) => {
          const period = periodContaining(kind, `${year}-${String(month).padStart(2, '0')}-15`);
          expect(parsePeriodText(periodKey(period))).toEqual(period);
          expect(parsePeriodText(periodShortLabel(period))).toEqual(period);
        },
      ),
    );
  });
});

describe('numbers as people write them', () => {
  it.each([
    ['1234', 1234],
    [' -0.5 ', -0.5],
    ['1,234.5', 1234.5],
    ['+7', 7],
    ['.25', 0.25],
    ['1e3', 1000],
  ])('reads %j', (text, value) => expect(parseNumber(text)).toBe(value));
  it.each(['', 'abc', '1,23', '12a', '72%', '1.2.3', 'Infinity', 'NaN', '1e400'])('refuses %j', (text) =>
    expect(parseNumber(text)).toBeNull(),
  );
  it('reads back any finite number written plainly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(parseNumber(String(n))).toBe(Object.is(n, -0) ? 0 : n);
      }),
    );
  });
});

describe('the long layout', () => {
  it('reads values by measure id or by name, with every figure', () => {
    const { layout, values, rejected } = read(
      rowsOf(
        header,
        longRow(crimes.lineageId, '2024-05', '1,234', { source: ' Force data ' }),
        longRow('Victims satisfied', 'Q1 2024/25', '72.5', {
          numerator: '290',
          denominator: '400',
          lower: '68',
          upper: '77',
          msg_average: '70',
          note: 'n',
        }),
      ),
    );
    expect(layout).toBe('long');
    expect(rejected).toEqual([]);
    expect(values).toEqual([
      {
        line: 2,
        measureLineageId: crimes.lineageId,
        periodKind: 'month',
        periodStart: '2024-05-01',
        value: 1234,
        numerator: null,
        denominator: null,
        confidenceLower: null,
        confidenceUpper: null,
        mostSimilarGroupAverage: null,
        sourceNote: 'Force data',
        note: '',
      },
      {
        line: 3,
        measureLineageId: satisfied.lineageId,
        periodKind: 'quarter',
        periodStart: '2024-04-01',
        value: 72.5,
        numerator: 290,
        denominator: 400,
        confidenceLower: 68,
        confidenceUpper: 77,
        mostSimilarGroupAverage: 70,
        sourceNote: '',
        note: 'n',
      },
    ]);
  });

  it('accepts headers in any order and case, with only the columns it needs', () => {
    const { values } = read(rowsOf(['Value', ' PERIOD ', 'Measure'], ['5', '2024/25', 'Feel safe after dark']));
    expect(values).toMatchObject([{ measureLineageId: safe.lineageId, periodKind: 'financial_year', value: 5 }]);
  });

  it('skips rows with no figures, such as template rows left empty, and blank lines', () => {
    const { values, rejected } = read(
      rowsOf(header, longRow(crimes.lineageId, '2024-05', ''), [], ['', '', ''], longRow(crimes.lineageId, '2024-06', '3')),
    );
    expect(rejected).toEqual([]);
    expect(values.map((v) => v.line)).toEqual([5]);
  });

  it('keeps the measure id over the name, which is only for people', () => {
    const row = longRow(crimes.lineageId, '2024-05', '1');
    row[1] = 'An old name';
    expect(read(rowsOf(header, row)).values[0]!.measureLineageId).toBe(crimes.lineageId);
  });

  it.each([
    [
      'an unknown measure id',
      longRow('99999999-9999-4999-8999-999999999999', '2024-05', '1'),
      'The measure_id 99999999-9999-4999-8999-999999999999 is not a measure of this plan',
    ],
    ['a measure id that is not an id', ['x1', '', '2024-05', '1'], 'The measure_id "x1" is not a measure id'],
    ['an unknown measure name', longRow('Burglary', '2024-05', '1'), '"Burglary" is not a measure of this plan'],
    [
      'a name two measures share',
      longRow('Calls answered', '2024-05', '1'),
      'More than one measure is called "Calls answered": give its measure_id',
    ],
    ['no measure at all', longRow('', '2024-05', '1'), 'The measure is missing'],
    ['no period', longRow(crimes.lineageId, '', '1'), 'The period is missing'],
    ['a period that is not one', longRow(crimes.lineageId, '2024-13', '1'), '"2024-13" is not a period: write a month like 2024-05'],
    [
      'a quarter for a monthly measure',
      longRow(crimes.lineageId, 'fy2024-25-q1', '1'),
      'Q1 2024/25 is a financial quarter, but Violence and sexual offences is reported monthly: write a month like 2024-05',
    ],
    [
      'a month for a quarterly measure',
      longRow(satisfied.lineageId, '2024-05', '1'),
      'is reported quarterly: write a financial quarter like fy2024-25-q1',
    ],
    [
      'a month for an annual measure',
      longRow(safe.lineageId, '2024-05', '1'),
      'is reported annually: write a financial year like fy2024-25',
    ],
    ['a period not yet started', longRow(crimes.lineageId, '2026-12', '1'), 'Dec 2026 has not started yet'],
    ['a value that is not a number', longRow(crimes.lineageId, '2024-05', 'lots'), 'The value "lots" is not a number'],
    [
      'a value missing beside other figures',
      longRow(crimes.lineageId, '2024-05', '', { numerator: '1', denominator: '2' }),
      'The value is missing',
    ],
    [
      'a numerator that is not a number',
      longRow(crimes.lineageId, '2024-05', '1', { numerator: 'x', denominator: '2' }),
      'The numerator "x" is not a number',
    ],
    [
      'a denominator that is not a number',
      longRow(crimes.lineageId, '2024-05', '1', { numerator: '1', denominator: 'y' }),
      'The denominator "y" is not a number',
    ],
    [
      'a numerator alone',
      longRow(crimes.lineageId, '2024-05', '1', { numerator: '1' }),
      'Give both the numerator and the denominator, or neither',
    ],
    [
      'a denominator alone',
      longRow(crimes.lineageId, '2024-05', '1', { denominator: '4' }),
      'Give both the numerator and the denominator, or neither',
    ],
    [
      'a zero denominator',
      longRow(crimes.lineageId, '2024-05', '1', { numerator: '0', denominator: '0' }),
      'The denominator must be greater than 0',
    ],
    [
      'a negative denominator',
      longRow(crimes.lineageId, '2024-05', '1', { numerator: '1', denominator: '-2' }),
      'The denominator must be greater than 0',
    ],
    ['a lower limit alone', longRow(satisfied.lineageId, 'fy2024-25-q1', '70', { lower: '60' }), 'Give both the lower and the upper limit'],
    [
      'an upper limit alone',
      longRow(satisfied.lineageId, 'fy2024-25-q1', '70', { upper: '80' }),
      'Give both the lower and the upper limit',
    ],
    [
      'a value below its interval',
      longRow(satisfied.lineageId, 'fy2024-25-q1', '59', { lower: '60', upper: '80' }),
      'The confidence interval 60 to 80 must contain the value 59',
    ],
    [
      'a value above its interval',
      longRow(satisfied.lineageId, 'fy2024-25-q1', '81', { lower: '60', upper: '80' }),
      'must contain the value 81',
    ],
    [
      'an upper limit below the lower',
      longRow(satisfied.lineageId, 'fy2024-25-q1', '70', { lower: '80', upper: '60' }),
      'must contain the value 70',
    ],
    [
      'a limit that is not a number',
      longRow(satisfied.lineageId, 'fy2024-25-q1', '70', { lower: 'low', upper: '80' }),
      'The lower limit "low" is not a number',
    ],
    [
      'a group average that is not a number',
      longRow(crimes.lineageId, '2024-05', '1', { msg_average: 'n/a' }),
      'The most similar group average "n/a" is not a number',
    ],
    [
      'a source too long',
      longRow(crimes.lineageId, '2024-05', '1', { source: 's'.repeat(MAX_TEXT_LENGTH + 1) }),
      `The source must be ${MAX_TEXT_LENGTH} characters or fewer`,
    ],
    [
      'a note too long',
      longRow(crimes.lineageId, '2024-05', '1', { note: 'n'.repeat(MAX_TEXT_LENGTH + 1) }),
      `The note must be ${MAX_TEXT_LENGTH} characters or fewer`,
    ],
    ['a note with no figures', longRow(crimes.lineageId, '2024-05', '', { note: 'see below' }), 'The value is missing'],
  ])('rejects %s', (_what, row, reason) => {
    expect(rejectionOf(row)).toContain(reason);
  });

  it('gives every reason a row has, in one rejection', () => {
    const reason = rejectionOf(longRow(satisfied.lineageId, 'soon', 'x', { numerator: '1' }));
    expect(reason).toContain('"soon" is not a period');
    expect(reason).toContain('The value "x" is not a number');
    expect(reason).toContain('Give both the numerator and the denominator');
  });

  it('rejects a second value for the same measure and period, naming the first line', () => {
    const { values, rejected } = read(
      rowsOf(
        header,
        longRow(crimes.lineageId, '2024-05', '1'),
        longRow(crimes.lineageId, '2024-06', '2'),
        longRow('Violence and sexual offences', 'May 2024', '3'),
      ),
    );
    expect(values.map((v) => v.line)).toEqual([2, 3]);
    expect(rejected).toEqual([{ line: 4, reason: 'Violence and sexual offences for May 2024 is already on line 2' }]);
  });

  it('reports the line numbers it is given, so quoted line breaks and blank lines count', () => {
    const rows: SourceRow[] = [
      { line: 1, cells: header },
      { line: 2, cells: longRow(crimes.lineageId, '2024-05', '1', { note: 'two\nlines' }) },
      { line: 4, cells: [] },
      { line: 5, cells: longRow(crimes.lineageId, '2024-06', 'bad') },
    ];
    expect(read(rows).rejected.map((r) => r.line)).toEqual([5]);
  });

  it('rejects every bad row and keeps every good one, whatever their order', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), (goodness) => {
        const body = goodness.map((good, i) =>
          longRow(
            crimes.lineageId,
            periodKey({ kind: 'month', start: `20${10 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01` }),
            good ? String(i) : 'x',
          ),
        );
        const { values, rejected } = read(rowsOf(header, ...body));
        const lines = (want: boolean) => goodness.flatMap((good, i) => (good === want ? [i + 2] : []));
        expect(values.map((v) => v.line)).toEqual(lines(true));
        expect(rejected.map((r) => r.line)).toEqual(lines(false));
      }),
    );
  });
});

describe('the wide layout', () => {
  it('reads values by column, with measure ids from the second row', () => {
    const { layout, values, rejected } = read(
      rowsOf(
        ['period', 'Old name for crimes', 'Victims satisfied'],
        ['measure_id', crimes.lineageId, satisfied.lineageId],
        ['2024-05', '10', ''],
        ['fy2024-25-q1', '', '71'],
      ),
    );
    expect(layout).toBe('wide');
    expect(rejected).toEqual([]);
    expect(values.map((v) => [v.line, v.measureLineageId, v.periodStart, v.value])).toEqual([
      [3, crimes.lineageId, '2024-05-01', 10],
      [4, satisfied.lineageId, '2024-04-01', 71],
    ]);
  });

  it('finds measures by name, or by an id in brackets after the name', () => {
    const { values } = read(
      rowsOf(
        ['Period', 'Violence and sexual offences', `Calls answered [${twinB.lineageId}]`, `Anything (${safe.lineageId})`],
        ['2024-05', '1', '2', ''],
        ['2024/25', '', '', '60'],
      ),
    );
    expect(values.map((v) => v.measureLineageId)).toEqual([crimes.lineageId, twinB.lineageId, safe.lineageId]);
  });

  it('rejects cells by line, naming the measure', () => {
    const { values, rejected } = read(
      rowsOf(
        ['period', 'Violence and sexual offences', 'Victims satisfied'],
        ['2024-05', 'ten', '70'],
        ['nonsense', '5', ''],
        ['2024-05', '11', ''],
      ),
    );
    expect(values).toEqual([]);
    expect(rejected).toEqual([
      { line: 2, reason: 'Violence and sexual offences: The value "ten" is not a number' },
      { line: 2, reason: expect.stringContaining('Victims satisfied: May 2024 is a month, but Victims satisfied is reported quarterly') },
      { line: 3, reason: expect.stringContaining('Violence and sexual offences: "nonsense" is not a period') },
      { line: 4, reason: expect.stringContaining('Violence and sexual offences for May 2024 is already on line 2') },
    ]);
  });

  it.each([
    [['period', 'Burglary'], 'column B: "Burglary" is not a measure of this plan'],
    [['period', 'Calls answered'], 'column B: More than one measure is called "Calls answered"'],
    [['period', `Crime [99999999-9999-4999-8999-999999999999]`], 'column B (Crime) has a measure_id that is not a measure of this plan'],
    [['period', 'Victims satisfied', 'Victims satisfied'], 'The header names Victims satisfied more than once'],
    [['period', ''], 'The header names no measures'],
  ])('refuses the header %j', (headerRow, message) => {
    expect(refusal(rowsOf(headerRow, ['2024-05', '1']))).toContain(message);
  });
});

describe('files it cannot read', () => {
  it('refuses an empty file', () => {
    expect(refusal([])).toBe('The selected file is empty');
    expect(refusal(rowsOf([''], ['', '']))).toBe('The selected file is empty');
  });
  it('says so when cells are separated by semicolons', () => {
    expect(refusal(rowsOf(['measure;period;value'], ['Violence and sexual offences;2024-05;1']))).toContain('separated by semicolons');
  });
  it('refuses a header of neither layout', () => {
    expect(refusal(rowsOf(['name', 'colour'], ['a', 'b']))).toContain('not a header this service recognises');
  });
  it('refuses unknown or repeated columns in the long layout', () => {
    expect(refusal(rowsOf([...header, 'colour']))).toContain('does not recognise: colour');
    expect(refusal(rowsOf(['measure', 'period', 'value', 'Value']))).toContain('names value more than once');
  });
  it('refuses more rows than it will read', () => {
    const rows = rowsOf(header, ...Array.from({ length: MAX_VALUE_ROWS + 1 }, () => longRow(crimes.lineageId, '2024-05', '1')));
    expect(refusal(rows)).toContain('more than 20,000 rows');
  });
});

describe('previews', () => {
  const value = (periodStart: string, figure: number, more: Partial<ImportedValue> = {}): ImportedValue => ({
    line: 2,
    measureLineageId: crimes.lineageId,
    periodKind: 'month' as const,
    periodStart,
    value: figure,
    numerator: null,
    denominator: null,
    confidenceLower: null,
    confidenceUpper: null,
    mostSimilarGroupAverage: null,
    sourceNote: '',
    note: '',
    ...more,
  });
  it('tells new, revised and unchanged values apart by their figures', () => {
    const current: CurrentFigures[] = [value('2024-05-01', 1), value('2024-06-01', 2), value('2024-07-01', 3)];
    const changes = previewChanges(
      [
        value('2024-05-01', 1, { sourceNote: 'notes do not count' }),
        value('2024-06-01', 2.5),
        value('2024-07-01', 3, { numerator: 3, denominator: 1 }),
        value('2024-08-01', 4),
      ],
      current,
    );
    expect(changes.map((c) => c.change)).toEqual(['unchanged', 'revised', 'revised', 'new']);
    expect(changes[1]!.current!.value).toBe(2);
    expect(changes[3]!.current).toBeNull();
  });
});

describe('template periods', () => {
  it('offers the latest periods that have started, none before the plan', () => {
    expect(templatePeriods('month', '2026-09-01', TODAY, 12).map(periodKey)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(templatePeriods('quarter', '2024-04-01', TODAY, 3).map(periodKey)).toEqual(['fy2026-27-q1', 'fy2026-27-q2', 'fy2026-27-q3']);
    expect(templatePeriods('financial_year', '2024-04-01', TODAY, 5).map(periodKey)).toEqual(['fy2024-25', 'fy2025-26', 'fy2026-27']);
  });
  it('offers the first period of a plan that has not started', () => {
    expect(templatePeriods('quarter', '2027-04-01', TODAY, 8).map(periodKey)).toEqual(['fy2027-28-q1']);
  });
});

describe('column letters', () => {
  it.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('%i is %s', (index, letters) => expect(columnLetter(index)).toBe(letters));
});
