import type { Measure, Polarity } from '../../plans/domain/plan-tree.ts';
import { formatValue, summariseSeries } from './chart-summary.ts';
import type { Grade, PeriodKind, UngradedReason } from './performance-model.ts';
import {
  comparePeriods,
  periodContaining,
  periodEnd,
  periodKey,
  periodLabel,
  periodShortLabel,
  shiftPeriod,
  type Period,
} from './periods.ts';

/**
 * The content of a quarterly performance report and of the national measures statement, built
 * from measure statuses when the report is generated and then frozen (stored as JSON), so what
 * the panel was given never shifts when figures are later corrected.
 */

/** What the report needs of a measure's status (measures.service.ts `MeasureStatus` has this shape). */
export type ReportMeasureInput = {
  measure: Pick<Measure, 'lineageId' | 'name' | 'unit' | 'owner' | 'polarity' | 'baselineValue' | 'baselinePeriod' | 'targetValue'>;
  priority: { lineageId: string };
  settings: { nationalMeasureCode: string | null };
  periodKind: PeriodKind;
  series: readonly ReportValueInput[];
  latest: ReportValueInput | null;
  latestRevised: boolean;
  grade: { grade: Grade; reason: UngradedReason | null; explanation: string };
  commentary: { periodKind: PeriodKind; periodStart: string; whatIsHappening: string; whatIsBeingDone: string } | null;
};

export type ReportValueInput = {
  periodKind: PeriodKind;
  periodStart: string;
  value: number;
  confidenceLower: number | null;
  confidenceUpper: number | null;
  revision: number;
};

export type ReportPoint = {
  key: string;
  /** Short label for charts and tables: "Jan 2024", "Q1 2024/25". */
  label: string;
  value: number;
  lower: number | null;
  upper: number | null;
  /** This figure is a correction of one reported earlier. */
  isRevised: boolean;
};

export type ReportMeasure = {
  lineageId: string;
  name: string;
  unit: string;
  owner: string;
  polarity: Polarity;
  baseline: { value: number; period: string } | null;
  target: number | null;
  grade: Grade;
  reason: UngradedReason | null;
  explanation: string;
  latest: (ReportPoint & { periodLabel: string }) | null;
  /** For the page and the document: "130 seconds (June 2024), revised since first reported", "76% (2023/24)", "90 seconds". */
  latestText: string;
  baselineText: string | null;
  targetText: string | null;
  series: ReportPoint[];
  /** The chart in words, for readers who cannot see it. */
  chartSummary: string;
  commentary: { periodLabel: string; whatIsHappening: string; whatIsBeingDone: string } | null;
};

export type ReportException = Pick<ReportMeasure, 'lineageId' | 'name' | 'grade' | 'reason' | 'explanation'> & {
  priorityNumber: number;
  priorityTitle: string;
};

export type GradeCounts = Record<Grade, number>;

export type QuarterlyReportContent = {
  kind: 'quarterly';
  quarter: { key: string; start: string; end: string; label: string };
  planTitle: string;
  bodyName: string;
  counts: GradeCounts;
  /** Red and ungraded measures, red first: shown before everything else so the panel starts there. */
  exceptions: ReportException[];
  priorities: {
    lineageId: string;
    number: number;
    title: string;
    /** The officer's summary of the priority for the quarter, if written. */
    summary: string | null;
    measures: ReportMeasure[];
  }[];
};

export type QuarterlyReportInput = {
  quarter: Period;
  planTitle: string;
  bodyName: string;
  priorities: readonly { lineageId: string; title: string }[];
  statuses: readonly ReportMeasureInput[];
  /** The officer's summary per priority lineage, for this quarter. */
  summaries: ReadonlyMap<string, string>;
};

const pointOf = (value: ReportValueInput): ReportPoint => {
  const period = { kind: value.periodKind, start: value.periodStart };
  return {
    key: periodKey(period),
    label: periodShortLabel(period),
    value: value.value,
    lower: value.confidenceLower,
    upper: value.confidenceUpper,
    isRevised: value.revision > 1,
  };
};

/** A measure as the report shows it, using only figures for periods that began by `upTo`. */
export function reportMeasure(status: ReportMeasureInput, upTo: string): ReportMeasure {
  const { measure } = status;
  // The statuses are loaded "as at" the quarter end already; filtering again keeps this function
  // honest on its own: a report never shows a figure for a period that had not begun.
  const series = status.series.filter((v) => v.periodStart <= upTo);
  const latest = status.latest && status.latest.periodStart <= upTo ? status.latest : (series.at(-1) ?? null);
  const latestPoint = latest
    ? {
        ...pointOf(latest),
        isRevised: status.latest === latest ? status.latestRevised : latest.revision > 1,
        periodLabel: periodLabel({ kind: latest.periodKind, start: latest.periodStart }),
      }
    : null;
  return {
    lineageId: measure.lineageId,
    name: measure.name,
    unit: measure.unit,
    owner: measure.owner,
    polarity: measure.polarity,
    baseline: measure.baselineValue === null ? null : { value: measure.baselineValue, period: measure.baselinePeriod },
    target: measure.targetValue,
    grade: status.grade.grade,
    reason: status.grade.reason,
    explanation: status.grade.explanation,
    latest: latestPoint,
    latestText: latestPoint
      ? `${formatValue(latestPoint.value, measure.unit)} (${latestPoint.periodLabel})${latestPoint.isRevised ? ', revised since first reported' : ''}`
      : 'No figures yet',
    baselineText:
      measure.baselineValue === null
        ? null
        : `${formatValue(measure.baselineValue, measure.unit)}${measure.baselinePeriod ? ` (${measure.baselinePeriod})` : ''}`,
    targetText: measure.targetValue === null ? null : formatValue(measure.targetValue, measure.unit),
    series: series.map(pointOf),
    chartSummary: summariseSeries({
      name: measure.name,
      unit: measure.unit,
      points: series.map((v) => ({ label: periodShortLabel({ kind: v.periodKind, start: v.periodStart }), value: v.value })),
      target: measure.targetValue,
      baseline: measure.baselineValue,
      polarity: measure.polarity,
    }),
    commentary:
      status.commentary && status.commentary.periodStart <= upTo
        ? {
            periodLabel: periodLabel({ kind: status.commentary.periodKind, start: status.commentary.periodStart }),
            whatIsHappening: status.commentary.whatIsHappening,
            whatIsBeingDone: status.commentary.whatIsBeingDone,
          }
        : null,
  };
}

const exceptionOrder: Partial<Record<Grade, number>> = { red: 0, ungraded: 1 };

/** Red measures, then ungraded ones, each group in plan order. */
export function exceptionsOf(priorities: QuarterlyReportContent['priorities']): ReportException[] {
  const exceptions = priorities.flatMap((priority) =>
    priority.measures
      .filter((m) => exceptionOrder[m.grade] !== undefined)
      .map((m) => ({
        lineageId: m.lineageId,
        name: m.name,
        grade: m.grade,
        reason: m.reason,
        explanation: m.explanation,
        priorityNumber: priority.number,
        priorityTitle: priority.title,
      })),
  );
  // Array sort is stable, so plan order holds within each grade.
  return exceptions.sort((a, b) => exceptionOrder[a.grade]! - exceptionOrder[b.grade]!);
}

export function countGrades(grades: readonly Grade[]): GradeCounts {
  const counts: GradeCounts = { green: 0, amber: 0, red: 0, ungraded: 0 };
  for (const grade of grades) counts[grade] += 1;
  return counts;
}

/** The quarterly performance report for the panel: priorities in plan order, exceptions first. */
export function buildQuarterlyReport(input: QuarterlyReportInput): QuarterlyReportContent {
  const upTo = periodEnd(input.quarter);
  const priorities = input.priorities.map((priority, i) => ({
    lineageId: priority.lineageId,
    number: i + 1,
    title: priority.title,
    summary: input.summaries.get(priority.lineageId)?.trim() || null,
    measures: input.statuses.filter((s) => s.priority.lineageId === priority.lineageId).map((s) => reportMeasure(s, upTo)),
  }));
  return {
    kind: 'quarterly',
    quarter: { key: periodKey(input.quarter), start: input.quarter.start, end: upTo, label: periodLabel(input.quarter) },
    planTitle: input.planTitle,
    bodyName: input.bodyName,
    counts: countGrades(priorities.flatMap((p) => p.measures.map((m) => m.grade))),
    exceptions: exceptionsOf(priorities),
    priorities,
  };
}

// ---------------------------------------------------------------------------------------------
// The national measures statement
// ---------------------------------------------------------------------------------------------

/** One plan measure reported against a National Crime and Policing Measure. */
export type NationalMeasureFigure = {
  lineageId: string;
  name: string;
  unit: string;
  polarity: Polarity;
  baseline: { value: number; period: string } | null;
  latest: { value: number; periodLabel: string; isRevised: boolean } | null;
  change: { absolute: number; percent: number | null; isImprovement: boolean | null } | null;
  /** For tables: "28 (2019)", "16 (2023/24)", "−12 (−42.9%), better". */
  baselineText: string;
  latestText: string;
  changeText: string;
  /** In words: "Homicides fell from 28 (2019) to 16 (2023/24), a change of −42.9%." */
  sentence: string;
};

export type NationalStatementContent = {
  kind: 'national_statement';
  /** The quarter the statement is made at; figures are the latest at its end. */
  quarter: { key: string; start: string; end: string; label: string };
  planTitle: string;
  bodyName: string;
  items: {
    code: string;
    title: string;
    /** The plan's measures reported against this national measure; empty: "not yet reported". */
    measures: NationalMeasureFigure[];
  }[];
};

export type NationalStatementInput = {
  quarter: Period;
  planTitle: string;
  bodyName: string;
  /** The framework's items in its order. */
  nationalMeasures: readonly { code: string; title: string }[];
  statuses: readonly ReportMeasureInput[];
};

const MINUS = '\u2212';

/** "1,234.5", with a true minus sign for negatives so screen readers say "minus". */
export function formatNumber(value: number): string {
  const text = Math.abs(value).toLocaleString('en-GB', { maximumFractionDigits: 2 });
  return value < 0 ? `${MINUS}${text}` : text;
}

/** "−42.9%", "+5.0%", "0.0%". */
export function formatPercentChange(percent: number): string {
  const rounded = Math.round(percent * 10) / 10;
  if (rounded === 0) return '0.0%';
  return `${rounded < 0 ? MINUS : '+'}${Math.abs(rounded).toFixed(1)}%`;
}

/** The change from the baseline to the latest figure, and whether it is the way the plan wants. */
export function changeFrom(
  baseline: number,
  latest: number,
  polarity: Polarity,
): { absolute: number; percent: number | null; isImprovement: boolean | null } {
  const absolute = latest - baseline;
  // A percentage of zero is undefined, so a zero baseline gives the change in units only.
  const percent = baseline === 0 ? null : (absolute / Math.abs(baseline)) * 100;
  const isImprovement = absolute === 0 ? null : polarity === 'lower_is_better' ? absolute < 0 : absolute > 0;
  return { absolute, percent, isImprovement };
}

/** A national measure figure from one plan measure's status. */
export function nationalFigure(status: ReportMeasureInput, upTo: string): NationalMeasureFigure {
  const shown = reportMeasure(status, upTo);
  const baseline = shown.baseline;
  const latest = shown.latest;
  const change = baseline && latest ? changeFrom(baseline.value, latest.value, shown.polarity) : null;
  const when = (period: string) => (period ? ` (${period})` : '');
  let sentence: string;
  if (!latest) sentence = `${shown.name}: no figures reported yet.`;
  else if (!baseline || !change)
    sentence = `${shown.name}: ${formatValue(latest.value, shown.unit)}${when(latest.label)}; the plan sets no baseline to compare with.`;
  else {
    const verb = change.absolute < 0 ? 'fell' : change.absolute > 0 ? 'rose' : 'stayed';
    const from = `${formatValue(baseline.value, shown.unit)}${when(baseline.period)}`;
    const to = `${formatValue(latest.value, shown.unit)}${when(latest.label)}`;
    const by =
      change.percent === null
        ? `${change.absolute < 0 ? MINUS : '+'}${formatNumber(Math.abs(change.absolute))}`
        : formatPercentChange(change.percent);
    sentence =
      verb === 'stayed'
        ? `${shown.name} stayed at ${to}, the same as ${from}.`
        : `${shown.name} ${verb} from ${from} to ${to}, a change of ${by}.`;
  }
  return {
    lineageId: shown.lineageId,
    name: shown.name,
    unit: shown.unit,
    polarity: shown.polarity,
    baseline,
    latest: latest ? { value: latest.value, periodLabel: latest.periodLabel, isRevised: latest.isRevised } : null,
    change,
    baselineText: baseline ? `${formatValue(baseline.value, shown.unit)}${when(baseline.period)}` : 'No baseline',
    latestText: latest
      ? `${formatValue(latest.value, shown.unit)}${when(latest.periodLabel)}${latest.isRevised ? ', revised' : ''}`
      : 'No figures yet',
    changeText: change ? changeText(change) : '',
    sentence,
  };
}

/** "−12 (−42.9%), better": the change in units, in per cent where the baseline is not zero, and whether it is the way the plan wants. */
export function changeText(change: { absolute: number; percent: number | null; isImprovement: boolean | null }): string {
  const units = `${change.absolute > 0 ? '+' : ''}${formatNumber(change.absolute)}`;
  const percent = change.percent === null ? '' : ` (${formatPercentChange(change.percent)})`;
  const judged = change.isImprovement === null ? '' : change.isImprovement ? ', better' : ', worse';
  return `${units}${percent}${judged}`;
}

/**
 * The national measures statement: each of the National Crime and Policing Measures in the
 * framework's order, with the plan's measures mapped to it. The Home Office set the measures in
 * 2021 against a 2019 baseline; each figure says which period it is for, so a baseline the plan
 * took from another year is never passed off as 2019.
 */
export function buildNationalStatement(input: NationalStatementInput): NationalStatementContent {
  const upTo = periodEnd(input.quarter);
  return {
    kind: 'national_statement',
    quarter: { key: periodKey(input.quarter), start: input.quarter.start, end: upTo, label: periodLabel(input.quarter) },
    planTitle: input.planTitle,
    bodyName: input.bodyName,
    items: input.nationalMeasures.map((item) => ({
      code: item.code,
      title: item.title,
      measures: input.statuses.filter((s) => s.settings.nationalMeasureCode === item.code).map((s) => nationalFigure(s, upTo)),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Choosing the quarter
// ---------------------------------------------------------------------------------------------

/** The last quarter that had ended by `today` (ISO date). */
export function lastCompleteQuarter(today: string): Period {
  return shiftPeriod(periodContaining('quarter', today), -1);
}

/**
 * Quarters to offer for a report, newest first: every quarter of the plan period up to the one in
 * progress (a report before a quarter ends is sometimes wanted for an early meeting). Before the
 * plan starts, the quarter in progress alone.
 */
export function reportableQuarters(today: string, plan: { periodStartsOn: string; periodEndsOn: string }): Period[] {
  const last = periodContaining('quarter', today < plan.periodEndsOn ? today : plan.periodEndsOn);
  const first = periodContaining('quarter', plan.periodStartsOn);
  const quarters: Period[] = [];
  for (let q = last; comparePeriods(q, first) >= 0; q = shiftPeriod(q, -1)) quarters.push(q);
  return quarters.length ? quarters : [periodContaining('quarter', today)];
}
