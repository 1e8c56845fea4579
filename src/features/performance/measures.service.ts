import type { Executor } from '../../platform/db/database.ts';
import type { EditionTree } from '../plans/index.ts';
import { listCommentaries, type CommentaryRow } from './commentary.repository.ts';
import { gradeMeasure, type GradeResult } from './domain/grading.ts';
import type { DerivedMeasureDefinition, GradingRule, PeriodKind } from './domain/performance-model.ts';
import { periodEnd, periodKindFor, type Period } from './domain/periods.ts';
import { listMeasureSettings, type MeasureSettingsRow } from './measure-settings.repository.ts';
import { currentValues, type MeasureValueRow } from './measure-values.repository.ts';
import type { PerformanceContext } from './performance-context.ts';

export type Measure = EditionTree['measures'][number];
export type Priority = EditionTree['priorities'][number];

export type MeasureSettings = {
  gradingRule: GradingRule;
  amberMarginPercent: number;
  nationalMeasureCode: string | null;
  derived: DerivedMeasureDefinition | null;
  /** 0 while the measure has no settings row (the defaults apply). */
  version: number;
};

export type MeasureStatus = {
  /** From the monitored edition's tree. */
  measure: Measure;
  /** The priority it sits under, directly or through its objective. */
  priority: Priority;
  settings: MeasureSettings;
  periodKind: PeriodKind;
  /** The current revision per period, oldest first, periods of `periodKind` only. */
  series: MeasureValueRow[];
  latest: MeasureValueRow | null;
  /** The latest figure has been corrected at least once. */
  latestRevised: boolean;
  grade: GradeResult;
  /** For the latest period, or for `options.period` when given. */
  commentary: CommentaryRow | null;
};

/**
 * The owner's rule when nobody has chosen one: grade against the plan's target if it sets one,
 * else against its baseline, else on the trend of the series.
 */
export function defaultGradingRule(measure: Pick<Measure, 'targetValue' | 'baselineValue'>): GradingRule {
  if (measure.targetValue !== null) return 'target';
  if (measure.baselineValue !== null) return 'baseline';
  return 'trend';
}

export const defaultAmberMarginPercent = 5;

/** The settings that apply to a measure: its row, or the defaults. */
export function settingsFor(measure: Measure, row: MeasureSettingsRow | undefined): MeasureSettings {
  return row
    ? {
        gradingRule: row.gradingRule,
        amberMarginPercent: row.amberMarginPercent,
        nationalMeasureCode: row.nationalMeasureCode,
        derived: row.derived ?? null,
        version: row.version,
      }
    : {
        gradingRule: defaultGradingRule(measure),
        amberMarginPercent: defaultAmberMarginPercent,
        nationalMeasureCode: null,
        derived: null,
        version: 0,
      };
}

/** The priority a measure belongs to, directly or through one of the priority's objectives. */
export function priorityOfMeasure(priorities: readonly Priority[], measure: Measure): Priority | undefined {
  const { kind, lineageId } = measure.attachedTo;
  return kind === 'priority'
    ? priorities.find((p) => p.lineageId === lineageId)
    : priorities.find((p) => p.objectives.some((o) => o.lineageId === lineageId));
}

/** Grades a measure from its settings and series (the grading itself is pure, in domain/grading.ts). */
export function gradeOf(measure: Measure, settings: MeasureSettings, series: readonly MeasureValueRow[]): GradeResult {
  return gradeMeasure({
    rule: settings.gradingRule,
    polarity: measure.polarity,
    target: measure.targetValue,
    baseline: measure.baselineValue,
    amberMarginPercent: settings.amberMarginPercent,
    series: series.map((v) => ({
      start: v.periodStart,
      value: v.value,
      ...(v.confidenceLower !== null ? { lower: v.confidenceLower } : {}),
      ...(v.confidenceUpper !== null ? { upper: v.confidenceUpper } : {}),
    })),
  });
}

const overlaps = (a: Period, b: Period) => a.start <= periodEnd(b) && b.start <= periodEnd(a);

/**
 * The commentary to show beside a measure: for a chosen period, the commentary of the measure's own
 * period that overlaps it (a monthly measure in a quarterly report shows its latest month's
 * commentary within the quarter; an annual one, its year's); otherwise the latest value's period.
 */
function commentaryFor(
  commentaries: readonly CommentaryRow[],
  periodKind: PeriodKind,
  latest: MeasureValueRow | null,
  period: Period | undefined,
): CommentaryRow | null {
  const own = commentaries.filter((c) => c.periodKind === periodKind);
  if (period) {
    const matching = own.filter((c) => overlaps({ kind: c.periodKind, start: c.periodStart }, period));
    return matching.sort((a, b) => (a.periodStart < b.periodStart ? 1 : -1))[0] ?? null;
  }
  if (!latest) return null;
  return own.find((c) => c.periodStart === latest.periodStart) ?? null;
}

/**
 * Every measure of the monitored edition with its settings, current series, grade and commentary,
 * in plan order (priority by priority). Three queries however many measures the plan has.
 */
export async function measureStatuses(
  db: Executor,
  context: PerformanceContext,
  options: { upTo?: string; period?: Period } = {},
): Promise<MeasureStatus[]> {
  const planId = context.plan.id;
  const [values, settingsRows, commentaries] = await Promise.all([
    currentValues(db, planId),
    listMeasureSettings(db, planId),
    listCommentaries(db, planId),
  ]);
  const settingsByMeasure = new Map(settingsRows.map((row) => [row.measureLineageId, row]));
  const valuesByMeasure = groupBy(values, (v) => v.measureLineageId);
  const commentaryByMeasure = groupBy(commentaries, (c) => c.measureLineageId);

  const statuses: MeasureStatus[] = [];
  for (const priority of context.tree.priorities) {
    for (const measure of context.tree.measures) {
      if (priorityOfMeasure(context.tree.priorities, measure)?.lineageId !== priority.lineageId) continue;
      const settings = settingsFor(measure, settingsByMeasure.get(measure.lineageId));
      const periodKind = periodKindFor(measure.frequency);
      const series = (valuesByMeasure.get(measure.lineageId) ?? [])
        .filter((v) => v.periodKind === periodKind && (options.upTo === undefined || v.periodStart <= options.upTo))
        .sort((a, b) => (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0));
      const latest = series.at(-1) ?? null;
      statuses.push({
        measure,
        priority,
        settings,
        periodKind,
        series,
        latest,
        latestRevised: latest !== null && latest.revision > 1,
        grade: gradeOf(measure, settings, series),
        commentary: commentaryFor(commentaryByMeasure.get(measure.lineageId) ?? [], periodKind, latest, options.period),
      });
    }
  }
  return statuses;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
