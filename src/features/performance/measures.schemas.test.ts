import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../platform/http/forms.ts';
import { periodKey, periodLabel } from './domain/periods.ts';
import { correctionFormSchema, financialYearsOffered, gradingFormSchema, newValueFormSchema } from './measures.schemas.ts';

const TODAY = '2026-11-23';

describe('recording a value', () => {
  it('reads the period by the measure’s kind', () => {
    const month = parseForm(newValueFormSchema('month', 'crimes', TODAY), { month: '1', year: '2019', value: '1,234' });
    expect(month.ok && [periodKey(month.value.period), month.value.value]).toEqual(['2019-01', 1234]);
    const quarter = parseForm(newValueFormSchema('quarter', '%', TODAY), { quarter: '4', financialYear: '2024', value: '72' });
    expect(quarter.ok && periodLabel(quarter.value.period)).toBe('Quarter 4 2024/25 (January to March 2025)');
    const year = parseForm(newValueFormSchema('financial_year', '%', TODAY), { financialYear: '2023', value: '60' });
    expect(year.ok && periodKey(year.value.period)).toBe('fy2023-24');
  });

  it('reports missing fields in the order the page shows them', () => {
    const quarter = parseForm(newValueFormSchema('quarter', '%', TODAY), { quarter: '', financialYear: '', value: '' });
    expect(quarter.ok ? {} : quarter.errors).toEqual({
      quarter: 'Select the quarter',
      financialYear: 'Select the financial year',
      value: 'Enter the value',
    });
    const month = parseForm(newValueFormSchema('month', '%', TODAY), { month: '13', year: '19', value: '1' });
    expect(month.ok ? {} : month.errors).toEqual({ month: 'Select the month', year: 'The year must be a year, like 2019' });
  });

  it('accepts every month that has started and refuses every one that has not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const form = parseForm(newValueFormSchema('month', 'crimes', TODAY), { month: String(month), year: String(year), value: '5' });
        const started = `${year}-${String(month).padStart(2, '0')}-01` <= TODAY;
        expect(form.ok).toBe(started);
        if (!form.ok) expect(form.errors.month).toContain('The period must have started');
      }),
    );
  });

  it('accepts a confidence interval exactly when it contains the value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (value, lower, upper) => {
          const form = parseForm(newValueFormSchema('month', 'crimes', TODAY), {
            month: '3',
            year: '2020',
            value: String(value),
            confidenceLower: String(lower),
            confidenceUpper: String(upper),
          });
          expect(form.ok).toBe(lower <= value && value <= upper);
        },
      ),
    );
  });

  it('needs a numerator and denominator together, a positive denominator, and a percentage that agrees with them', () => {
    const errors = (fields: Record<string, string>) => {
      const form = parseForm(newValueFormSchema('quarter', '%', TODAY), { quarter: '1', financialYear: '2024', ...fields });
      return form.ok ? {} : form.errors;
    };
    expect(errors({ value: '72', numerator: '288' })).toEqual({ denominator: 'Enter the denominator as well as the numerator' });
    expect(errors({ value: '72', denominator: '400' })).toEqual({ numerator: 'Enter the numerator as well as the denominator' });
    expect(errors({ value: '72', numerator: '0', denominator: '0' }).denominator).toBe('The denominator must be more than 0');
    expect(errors({ value: '72', numerator: '288', denominator: '400' })).toEqual({});
    // Rounded figures pass: 289 of 400 is 72.25%.
    expect(errors({ value: '72', numerator: '289', denominator: '400' })).toEqual({});
    expect(errors({ value: '75', numerator: '288', denominator: '400' }).value).toContain('288 out of 400 is 72%');
    // Rates in other units are not checked against the ratio: the multiplier is the owner's (per 1,000 people, say).
    const rate = parseForm(newValueFormSchema('month', 'crimes per 1,000 people', TODAY), {
      month: '1',
      year: '2020',
      value: '7.1',
      numerator: '71',
      denominator: '10000',
    });
    expect(rate.ok).toBe(true);
  });

  it('refuses text that is not a number, naming the field', () => {
    const form = parseForm(newValueFormSchema('month', 'crimes', TODAY), {
      month: '1',
      year: '2020',
      value: '12a',
      mostSimilarGroupAverage: 'n/a',
    });
    expect(form.ok ? {} : form.errors).toEqual({
      value: 'The value must be a number, like 72.5',
      mostSimilarGroupAverage: 'The most similar group average must be a number, like 72.5',
    });
  });
});

describe('correcting a value', () => {
  it('requires a reason, kept as the note', () => {
    const missing = parseForm(correctionFormSchema('%'), { value: '73', revision: '1', reason: ' ' });
    expect(missing.ok ? {} : missing.errors).toEqual({ reason: 'Enter the reason for the correction' });
    const form = parseForm(correctionFormSchema('%'), { value: '73', revision: '2', reason: 'Late survey returns' });
    expect(form.ok && form.value).toMatchObject({ value: 73, revision: 2, note: 'Late survey returns' });
  });
});

describe('grading settings', () => {
  it('accepts the rules, a margin from 0 to 100 and only the listed national measures', () => {
    const ok = parseForm(gradingFormSchema(['homicide']), {
      gradingRule: 'trend',
      amberMarginPercent: '0',
      nationalMeasureCode: 'homicide',
      version: '3',
    });
    expect(ok.ok && ok.value).toEqual({ gradingRule: 'trend', amberMarginPercent: 0, nationalMeasureCode: 'homicide', version: 3 });
    const bad = parseForm(gradingFormSchema(['homicide']), {
      gradingRule: 'vibes',
      amberMarginPercent: '100.5',
      nationalMeasureCode: 'burglary',
    });
    expect(bad.ok ? [] : Object.keys(bad.errors)).toEqual(['gradingRule', 'amberMarginPercent', 'nationalMeasureCode']);
  });
});

describe('financial years offered', () => {
  it('runs from the current financial year back to 2010/11', () => {
    const years = financialYearsOffered(TODAY);
    expect(years[0]).toBe(2026);
    expect(years.at(-1)).toBe(2010);
    expect(financialYearsOffered('2027-03-31')[0]).toBe(2026);
    expect(financialYearsOffered('2027-04-01')[0]).toBe(2027);
  });
});
