import { describe, expect, it } from 'vitest';
import { crimeTypeBySlug } from './crime-types.ts';
import { defaultRange, filterQuery, monthRange, monthsBetween, parseExplorerQuery, parseMonth } from './crime-explorer-filters.ts';

describe('crime explorer filters', () => {
  it('reads year-month, refusing anything else', () => {
    expect(parseMonth('2019-01')).toBe('2019-01-01');
    expect(parseMonth('2019-1')).toBe('2019-01-01');
    expect(parseMonth('2019-13')).toBeNull();
    expect(parseMonth('2019-00')).toBeNull();
    expect(parseMonth('Jan 2019')).toBeNull();
    expect(parseMonth('2019-01-01')).toBeNull();
  });

  it('defaults to the last 12 loaded months, or all of them when fewer', () => {
    expect(defaultRange([])).toBeNull();
    expect(defaultRange(['2019-02-01', '2018-10-01', '2018-11-01'])).toEqual({ from: '2018-10-01', to: '2019-02-01' });
    const twoYears = monthRange('2017-03-01', '2019-02-01');
    expect(twoYears).toHaveLength(24);
    expect(defaultRange(twoYears)).toEqual({ from: '2018-03-01', to: '2019-02-01' });
    expect(monthsBetween('2018-03-01', '2019-02-01')).toBe(12);
  });

  it('fills in the default range, keeps the type, and writes the query back', () => {
    const parsed = parseExplorerQuery({ type: 'burglary' }, ['2018-10-01', '2019-02-01']);
    expect(parsed).toEqual({
      ok: true,
      filter: { from: '2018-10-01', to: '2019-02-01', crimeType: crimeTypeBySlug('burglary') },
      values: { from: '2018-10', to: '2019-02', type: 'burglary' },
    });
    if (!parsed.ok) return;
    expect(filterQuery(parsed.filter)).toBe('from=2018-10&to=2019-02&type=burglary');
    expect(filterQuery(parsed.filter, { month: '2018-12-01', type: null, page: 2 })).toBe('from=2018-12&to=2018-12&page=2');
  });

  it('reports each bad field, keeping what was typed', () => {
    const parsed = parseExplorerQuery({ from: ' 2019-02 ', to: '2018-10', type: 'violence' }, ['2018-10-01']);
    expect(parsed).toEqual({
      ok: false,
      errors: { to: 'The end month must be the same as or after the start month', type: 'Choose a crime type from the list' },
      values: { from: '2019-02', to: '2018-10', type: 'violence' },
    });
    const tooLong = parseExplorerQuery({ from: '2015-01', to: '2018-01' }, []);
    expect(tooLong.ok ? {} : tooLong.errors).toEqual({ from: 'Choose a range of 36 months or fewer' });
    expect(parseExplorerQuery({ from: '2015-01', to: '2017-12' }, []).ok).toBe(true);
  });

  it('has nothing to show without data or months', () => {
    expect(parseExplorerQuery({}, [])).toEqual({ ok: false, errors: {}, values: { from: '', to: '', type: '' } });
  });
});
