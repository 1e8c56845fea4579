import { sql } from 'drizzle-orm';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import { rowsOf, type Database, type Executor } from '../../platform/db/database.ts';
import { violatedUniqueConstraint } from '../../platform/db/errors.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import type { EditionTree } from '../plans/index.ts';
import * as commentary from './commentary.repository.ts';
import { listCommentaries, type CommentaryRow, type CommentaryText, type PrioritySummaryRow } from './commentary.repository.ts';
import { gradeMeasure, type GradeResult } from './domain/grading.ts';
import type { DerivedMeasureDefinition, GradingRule, PeriodKind } from './domain/performance-model.ts';
import { periodEnd, periodKey, periodKindFor, type Period } from './domain/periods.ts';
import {
  findMeasureSettings,
  listMeasureSettings,
  saveGradingSettings,
  type GradingSettingsChange,
  type MeasureSettingsRow,
} from './measure-settings.repository.ts';
import { currentValueFor, currentValues, recordValues, type MeasureValueRow } from './measure-values.repository.ts';
import type { ValueFigures } from './measures.schemas.ts';
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

// ---------------------------------------------------------------------------------------------
// Changes, each in one transaction with its audit event.
// ---------------------------------------------------------------------------------------------

/** Who changes what, where and when. */
export type MeasureChange = { db: Database; actor: CurrentUser; context: PerformanceContext; now: Date };

async function audit(
  tx: Executor,
  change: MeasureChange,
  action: string,
  subject: { type: string; id: string },
  before: unknown,
  after: unknown,
) {
  await appendAuditEvent(tx, {
    actor: { userId: change.actor.id, label: change.actor.displayName },
    policingBodyId: change.context.body.id,
    action,
    subject,
    before: before ?? undefined,
    after,
    occurredAt: change.now,
  });
}

export type RecordOutcome =
  | { kind: 'recorded'; row: MeasureValueRow }
  /** A value is already recorded for the period (perhaps by someone else just now): correct it instead. */
  | { kind: 'exists'; current: MeasureValueRow };

/** Records the first value of a measure for a period. */
export async function recordValue(
  change: MeasureChange,
  measure: Measure,
  period: Period,
  figures: ValueFigures & { note: string },
): Promise<RecordOutcome> {
  const planId = change.context.plan.id;
  try {
    return await change.db.transaction(async (tx): Promise<RecordOutcome> => {
      const existing = await currentValueFor(tx, planId, measure.lineageId, period);
      if (existing) return { kind: 'exists', current: existing };
      await recordValues(tx, [
        {
          planId,
          measureLineageId: measure.lineageId,
          periodKind: period.kind,
          periodStart: period.start,
          ...figures,
          source: 'form',
          enteredBy: change.actor.id,
        },
      ]);
      const row = (await currentValueFor(tx, planId, measure.lineageId, period))!;
      await audit(tx, change, 'measure_value.recorded', { type: 'measure_value', id: row.id }, null, {
        measure: measure.name,
        period: periodKey(period),
        ...row,
      });
      return { kind: 'recorded', row };
    });
  } catch (error) {
    if (!violatedUniqueConstraint(error)) throw error;
    const current = await currentValueFor(change.db, planId, measure.lineageId, period);
    if (!current) throw error;
    return { kind: 'exists', current };
  }
}

export type CorrectOutcome =
  | { kind: 'corrected'; row: MeasureValueRow; previous: MeasureValueRow }
  /** Someone recorded another revision since the form was shown. */
  | { kind: 'conflict'; current: MeasureValueRow }
  /** The figures are the ones already recorded: nothing to correct. */
  | { kind: 'unchanged'; current: MeasureValueRow }
  | { kind: 'not_found' };

/**
 * Corrects the current value of a period by recording the next revision; the corrected figure
 * stays on record. Refused when the revision the user corrected is no longer the current one.
 */
export async function correctValue(
  change: MeasureChange,
  measure: Measure,
  period: Period,
  figures: ValueFigures & { note: string },
  expectedRevision: number,
): Promise<CorrectOutcome> {
  const planId = change.context.plan.id;
  try {
    return await change.db.transaction(async (tx): Promise<CorrectOutcome> => {
      const previous = await currentValueFor(tx, planId, measure.lineageId, period);
      if (!previous) return { kind: 'not_found' };
      if (previous.revision !== expectedRevision) return { kind: 'conflict', current: previous };
      const written = await recordValues(tx, [
        {
          planId,
          measureLineageId: measure.lineageId,
          periodKind: period.kind,
          periodStart: period.start,
          ...figures,
          source: 'form',
          enteredBy: change.actor.id,
        },
      ]);
      if (written === 0) return { kind: 'unchanged', current: previous };
      const row = (await currentValueFor(tx, planId, measure.lineageId, period))!;
      await audit(tx, change, 'measure_value.corrected', { type: 'measure_value', id: row.id }, previous, {
        measure: measure.name,
        period: periodKey(period),
        ...row,
      });
      return { kind: 'corrected', row, previous };
    });
  } catch (error) {
    // Two corrections at once: the unique revision index lets one through; the other is a conflict.
    if (!violatedUniqueConstraint(error)) throw error;
    const current = await currentValueFor(change.db, planId, measure.lineageId, period);
    if (!current) throw error;
    return { kind: 'conflict', current };
  }
}

export type Saved<T> = { kind: 'saved'; row: T } | { kind: 'conflict'; current: T | undefined };

/** Saves a measure's grading settings if nobody saved them since `expectedVersion` (0: never saved). */
export async function saveGrading(
  change: MeasureChange,
  measure: Measure,
  settings: GradingSettingsChange,
  expectedVersion: number,
): Promise<Saved<MeasureSettingsRow>> {
  const planId = change.context.plan.id;
  return change.db.transaction(async (tx) => {
    const before = await findMeasureSettings(tx, planId, measure.lineageId);
    const row = await saveGradingSettings(tx, planId, measure.lineageId, settings, expectedVersion, change.actor.id);
    if (!row) return { kind: 'conflict', current: await findMeasureSettings(tx, planId, measure.lineageId) };
    await audit(tx, change, 'measure_settings.updated', { type: 'measure', id: measure.lineageId }, before, {
      measure: measure.name,
      ...row,
    });
    return { kind: 'saved', row };
  });
}

/** Saves the owner's commentary on a measure for a period, version-locked. */
export async function saveCommentary(
  change: MeasureChange,
  measure: Measure,
  period: Period,
  text: CommentaryText,
  expectedVersion: number,
): Promise<Saved<CommentaryRow>> {
  const planId = change.context.plan.id;
  return change.db.transaction(async (tx) => {
    const before = await commentary.findCommentary(tx, planId, measure.lineageId, period);
    const row = await commentary.saveCommentary(tx, planId, measure.lineageId, period, text, expectedVersion, change.actor.id);
    if (!row) return { kind: 'conflict', current: await commentary.findCommentary(tx, planId, measure.lineageId, period) };
    const action = before ? 'measure_commentary.updated' : 'measure_commentary.created';
    await audit(tx, change, action, { type: 'measure_commentary', id: row.id }, before, {
      measure: measure.name,
      period: periodKey(period),
      ...row,
    });
    return { kind: 'saved', row };
  });
}

/** Saves the officer's summary of a priority for a quarter, version-locked. */
export async function savePrioritySummary(
  change: MeasureChange,
  priority: Priority,
  quarter: Period,
  summary: string,
  expectedVersion: number,
): Promise<Saved<PrioritySummaryRow>> {
  const planId = change.context.plan.id;
  return change.db.transaction(async (tx) => {
    const before = await commentary.findPrioritySummary(tx, planId, priority.lineageId, quarter.start);
    const row = await commentary.savePrioritySummary(
      tx,
      planId,
      priority.lineageId,
      quarter.start,
      summary,
      expectedVersion,
      change.actor.id,
    );
    if (!row) return { kind: 'conflict', current: await commentary.findPrioritySummary(tx, planId, priority.lineageId, quarter.start) };
    const action = before ? 'priority_summary.updated' : 'priority_summary.created';
    await audit(tx, change, action, { type: 'priority_summary', id: row.id }, before, {
      priority: priority.title,
      quarter: periodKey(quarter),
      ...row,
    });
    return { kind: 'saved', row };
  });
}

/** Display names of the people who entered values or wrote commentary (people who have left keep their name). */
export async function displayNames(db: Executor, userIds: readonly (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const result = await db.execute(
    sql`select id, display_name from users where id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  return new Map(rowsOf<{ id: string; display_name: string }>(result).map((r) => [r.id, r.display_name]));
}
