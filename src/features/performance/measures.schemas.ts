import { z } from 'zod';
import { gradingRules, type PeriodKind, type ValueFigures } from './domain/performance-model.ts';
import { periodContaining, shiftPeriod, type Period } from './domain/periods.ts';

/**
 * The forms of the measure pages. Each schema takes the submitted strings (formValues) and gives
 * typed values, or one message per field in the GOV.UK style.
 */

type Values = Record<string, string>;
type Issue = (field: string, message: string) => void;

const issuesOf = (context: z.RefinementCtx): Issue => {
  return (field, message) => context.addIssue({ code: 'custom', path: [field], message });
};

/** Numbers as people type them: "1,234.5", " 72 ". Blank gives null. */
function numberField(values: Values, field: string, label: string, issue: Issue, required: boolean): number | null {
  const raw = (values[field] ?? '').replace(/[,\s]/g, '');
  if (raw === '') {
    if (required) issue(field, `Enter the ${label}`);
    return null;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(raw)) {
    issue(field, `The ${label} must be a number, like 72.5`);
    return null;
  }
  const number = Number(raw);
  if (!Number.isFinite(number) || Math.abs(number) >= 1e12) {
    issue(field, `The ${label} must be less than a million million`);
    return null;
  }
  return number;
}

function textField(values: Values, field: string, label: string, max: number, issue: Issue, required = false): string {
  const text = (values[field] ?? '').trim();
  if (required && text === '') issue(field, `Enter ${label}`);
  if (text.length > max) issue(field, `${label[0]!.toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`);
  return text;
}

/** The financial years a value may be recorded for: the current one back to 2010/11 (first calendar year of each). */
export function financialYearsOffered(today: string): number[] {
  const last = Number(periodContaining('financial_year', today).start.slice(0, 4));
  return Array.from({ length: last - 2010 + 1 }, (_, i) => last - i);
}

/**
 * The period chosen on the form, by the measure's kind: a month and calendar year, a quarter and
 * financial year, or a financial year. Periods that have not started yet are refused: values are
 * recorded for periods that have begun.
 */
function periodField(kind: PeriodKind, values: Values, issue: Issue, today: string): Period | null {
  const year = (field: string, label: string, blank: string) => {
    const raw = (values[field] ?? '').trim();
    if (raw === '') return (issue(field, blank), null);
    if (!/^\d{4}$/.test(raw) || Number(raw) < 2000 || Number(raw) > 2100)
      return (issue(field, `The ${label} must be a year, like 2019`), null);
    return Number(raw);
  };
  const numberIn = (field: string, max: number, blank: string) => {
    const n = Number(values[field] ?? '');
    if ((values[field] ?? '') !== '' && Number.isInteger(n) && n >= 1 && n <= max) return n;
    issue(field, blank);
    return null;
  };
  // Checked in the order the fields appear on the page, so the error summary follows it.
  let period: Period | null = null;
  let field = 'financialYear';
  if (kind === 'month') {
    field = 'month';
    const month = numberIn('month', 12, 'Select the month');
    const y = year('year', 'year', 'Enter the year');
    if (month !== null && y !== null) period = { kind, start: `${y}-${String(month).padStart(2, '0')}-01` };
  } else if (kind === 'quarter') {
    field = 'quarter';
    const quarter = numberIn('quarter', 4, 'Select the quarter');
    const fy = year('financialYear', 'financial year', 'Select the financial year');
    if (quarter !== null && fy !== null) period = shiftPeriod({ kind, start: `${fy}-04-01` }, quarter - 1);
  } else {
    const fy = year('financialYear', 'financial year', 'Select the financial year');
    if (fy !== null) period = { kind, start: `${fy}-04-01` };
  }
  if (period && period.start > today) {
    issue(field, 'The period must have started: choose the current period or an earlier one');
    return null;
  }
  return period;
}

export type { ValueFigures } from './domain/performance-model.ts';

/**
 * The figures of a value. A numerator and denominator come together and the denominator is
 * positive; for a percentage the value must agree with them (to within half a point, so rounded
 * figures pass). A survey's confidence interval has both ends and contains the value.
 */
function figuresOf(values: Values, unit: string, issue: Issue): ValueFigures | null {
  const value = numberField(values, 'value', 'value', issue, true);
  const numerator = numberField(values, 'numerator', 'numerator', issue, false);
  const denominator = numberField(values, 'denominator', 'denominator', issue, false);
  const lower = numberField(values, 'confidenceLower', 'lower end of the confidence interval', issue, false);
  const upper = numberField(values, 'confidenceUpper', 'upper end of the confidence interval', issue, false);
  const mostSimilarGroupAverage = numberField(values, 'mostSimilarGroupAverage', 'most similar group average', issue, false);
  const sourceNote = textField(values, 'sourceNote', 'the source', 300, issue);
  if ((values.numerator ?? '').trim() !== '' && (values.denominator ?? '').trim() === '')
    issue('denominator', 'Enter the denominator as well as the numerator');
  if ((values.denominator ?? '').trim() !== '' && (values.numerator ?? '').trim() === '')
    issue('numerator', 'Enter the numerator as well as the denominator');
  if (denominator !== null && denominator <= 0) issue('denominator', 'The denominator must be more than 0');
  if (value !== null && numerator !== null && denominator !== null && denominator > 0 && unit.trim() === '%') {
    const expected = (numerator / denominator) * 100;
    if (Math.abs(expected - value) > 0.5) {
      issue(
        'value',
        `The value must match the numerator and denominator: ${numerator} out of ${denominator} is ${Math.round(expected * 10) / 10}%`,
      );
    }
  }
  if ((values.confidenceLower ?? '').trim() !== '' && (values.confidenceUpper ?? '').trim() === '')
    issue('confidenceUpper', 'Enter the upper end of the confidence interval as well');
  if ((values.confidenceUpper ?? '').trim() !== '' && (values.confidenceLower ?? '').trim() === '')
    issue('confidenceLower', 'Enter the lower end of the confidence interval as well');
  if (value !== null && lower !== null && lower > value)
    issue('confidenceLower', 'The lower end of the confidence interval must be no more than the value');
  if (value !== null && upper !== null && upper < value)
    issue('confidenceUpper', 'The upper end of the confidence interval must be no less than the value');
  if (value === null) return null;
  return {
    value,
    numerator: numerator !== null && denominator !== null ? numerator : null,
    denominator: numerator !== null && denominator !== null ? denominator : null,
    confidenceLower: lower !== null && upper !== null ? lower : null,
    confidenceUpper: lower !== null && upper !== null ? upper : null,
    mostSimilarGroupAverage,
    sourceNote,
  };
}

/** Recording a value for a period not yet recorded. */
export const newValueFormSchema = (kind: PeriodKind, unit: string, today: string) =>
  z.record(z.string(), z.string()).transform((values, context) => {
    const issue = issuesOf(context);
    const period = periodField(kind, values, issue, today);
    const figures = figuresOf(values, unit, issue);
    const note = textField(values, 'note', 'the note', 2000, issue);
    return period && figures ? { period, ...figures, note } : (z.NEVER as never);
  });

/** Correcting the current value: the reason is required and kept as the new revision's note. */
export const correctionFormSchema = (unit: string) =>
  z.record(z.string(), z.string()).transform((values, context) => {
    const issue = issuesOf(context);
    const figures = figuresOf(values, unit, issue);
    const reason = textField(values, 'reason', 'the reason for the correction', 2000, issue, true);
    // A missing or garbled revision cannot match the current one, so the save ends as a conflict showing both figures.
    const parsed = Number(values.revision ?? '');
    const revision = Number.isInteger(parsed) && parsed >= 1 ? parsed : 0;
    return figures && reason ? { ...figures, note: reason, revision } : (z.NEVER as never);
  });

export const gradingFormSchema = (nationalMeasureCodes: readonly string[]) =>
  z.record(z.string(), z.string()).transform((values, context) => {
    const issue = issuesOf(context);
    const rule = gradingRules.find((r) => r === values.gradingRule);
    if (!rule) issue('gradingRule', 'Select how the measure is graded');
    const margin = numberField(values, 'amberMarginPercent', 'amber margin', issue, true);
    if (margin !== null && (margin < 0 || margin > 100)) issue('amberMarginPercent', 'The amber margin must be between 0 and 100 percent');
    const code = (values.nationalMeasureCode ?? '').trim();
    if (code !== '' && !nationalMeasureCodes.includes(code))
      issue('nationalMeasureCode', 'Select a National Crime and Policing Measure from the list');
    const version = versionOf(values);
    if (!rule || margin === null) return z.NEVER as never;
    return { gradingRule: rule, amberMarginPercent: margin, nationalMeasureCode: code || null, version };
  });

export const commentaryFormSchema = z.record(z.string(), z.string()).transform((values, context) => {
  const issue = issuesOf(context);
  const whatIsHappening = textField(values, 'whatIsHappening', 'what is happening', 5000, issue, true);
  const whatIsBeingDone = textField(values, 'whatIsBeingDone', 'what is being done', 5000, issue);
  return { whatIsHappening, whatIsBeingDone, version: versionOf(values) };
});

export const prioritySummaryFormSchema = z.record(z.string(), z.string()).transform((values, context) => {
  const issue = issuesOf(context);
  const summary = textField(values, 'summary', 'the summary', 10000, issue, true);
  return { summary, version: versionOf(values) };
});

/** The version a form was shown with; 0 when there was nothing saved yet. */
function versionOf(values: Values): number {
  const version = Number(values.version ?? '0');
  return Number.isInteger(version) && version >= 0 ? version : 0;
}
