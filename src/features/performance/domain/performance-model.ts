/** The vocabulary of delivery monitoring: periods, grades, sources and open police data kinds. */

/** Measures are reported by calendar month, by financial quarter or by financial year. */
export const periodKinds = ['month', 'quarter', 'financial_year'] as const;
export type PeriodKind = (typeof periodKinds)[number];

/** Where a value came from: typed into the form, a CSV/XLSX upload, or computed from open police data. */
export const measureValueSources = ['form', 'file', 'derived'] as const;
export type MeasureValueSource = (typeof measureValueSources)[number];

/**
 * How a measure is graded. `target` and `baseline` compare the latest value with the plan's
 * figure; `trend` asks whether the latest change is bigger than the series' normal variation
 * (a statistical process control rule); `none` leaves the measure ungraded on purpose
 * (context measures the panel watches but does not grade).
 */
export const gradingRules = ['target', 'baseline', 'trend', 'none'] as const;
export type GradingRule = (typeof gradingRules)[number];

/**
 * Grades as panels use them (domain.md §2.4, Devon and Cornwall): green "content", amber "requires
 * additional scrutiny", red off track; ungraded always carries its reason.
 */
export const grades = ['green', 'amber', 'red', 'ungraded'] as const;
export type Grade = (typeof grades)[number];
export const ungradedReasons = ['no_data', 'too_few_points', 'no_target', 'no_baseline', 'not_graded'] as const;
export type UngradedReason = (typeof ungradedReasons)[number];

export const reportKinds = ['quarterly', 'national_statement'] as const;
export type ReportKind = (typeof reportKinds)[number];

/** The three kinds of file data.police.uk publishes per force and month. */
export const policeDataKinds = ['street', 'outcomes', 'stop_and_search'] as const;
export type PoliceDataKind = (typeof policeDataKinds)[number];
export const policeDataImportStatuses = ['queued', 'running', 'succeeded', 'failed', 'partly_failed'] as const;
export type PoliceDataImportStatus = (typeof policeDataImportStatuses)[number];
export const policeDataFileStatuses = ['pending', 'running', 'imported', 'rejected'] as const;
export type PoliceDataFileStatus = (typeof policeDataFileStatuses)[number];

/** A row an import refused, by its line in the file (the header is line 1). */
export type RejectedRow = { line: number; reason: string };

/**
 * A measure computed from imported street-level crime for the body's force area.
 * - `monthly_count`: crimes of the chosen types per month.
 * - `rolling_12_months`: crimes in the 12 months to each month.
 * - `rolling_12_change_percent`: the last 12 months against the 12 before, as a percentage change.
 * An empty `crimeTypes` means every crime type.
 */
export const derivedStatistics = ['monthly_count', 'rolling_12_months', 'rolling_12_change_percent'] as const;
export type DerivedStatistic = (typeof derivedStatistics)[number];
export type DerivedMeasureDefinition = {
  dataset: 'street';
  crimeTypes: string[];
  statistic: DerivedStatistic;
};

/** The figures recorded for a measure and period, beside the value itself. */
export type ValueFigures = {
  value: number;
  numerator: number | null;
  denominator: number | null;
  /** Survey measures: the confidence interval around the value. */
  confidenceLower: number | null;
  confidenceUpper: number | null;
  mostSimilarGroupAverage: number | null;
  sourceNote: string;
};
