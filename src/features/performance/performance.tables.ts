import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';
import { forceAreas, policingBodies } from '../organisations/organisations.tables.ts';
import { plans } from '../plans/plans.tables.ts';
import {
  gradingRules,
  measureValueSources,
  periodKinds,
  policeDataFileStatuses,
  policeDataImportStatuses,
  policeDataKinds,
  reportKinds,
  type DerivedMeasureDefinition,
  type RejectedRow,
} from './domain/performance-model.ts';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const userRef = (name: string) => uuid(name).references(() => users.id);
const planRef = () =>
  uuid('plan_id')
    .notNull()
    .references(() => plans.id, { onDelete: 'cascade' });
const at = (name: string) => timestamp(name, { withTimezone: true });

// ---------------------------------------------------------------------------------------------
// Measure data. Keyed by plan and the measure's lineage, so a measure's series carries across
// editions (a refresh or variation keeps the lineage id of an unchanged measure).
// ---------------------------------------------------------------------------------------------

/**
 * One value of a measure for one period. Append-only: a correction is a new row with the next
 * revision, so the old figure stays on record and reports can mark revised values.
 */
export const measureValues = pgTable(
  'measure_values',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: planRef(),
    measureLineageId: uuid('measure_lineage_id').notNull(),
    periodKind: text('period_kind', { enum: periodKinds }).notNull(),
    /** First day of the period: the month, the quarter (financial quarters start Apr/Jul/Oct/Jan) or 1 April. */
    periodStart: date('period_start').notNull(),
    revision: integer('revision').notNull(),
    value: numeric('value', { mode: 'number' }).notNull(),
    numerator: numeric('numerator', { mode: 'number' }),
    denominator: numeric('denominator', { mode: 'number' }),
    /** Survey measures: the confidence interval around the value. */
    confidenceLower: numeric('confidence_lower', { mode: 'number' }),
    confidenceUpper: numeric('confidence_upper', { mode: 'number' }),
    /** The most similar group's average for the same period, where the measure is compared with it. */
    mostSimilarGroupAverage: numeric('most_similar_group_average', { mode: 'number' }),
    source: text('source', { enum: measureValueSources }).notNull(),
    /** Where the figure came from, in words: "Force performance pack", "Crime Survey for England and Wales". */
    sourceNote: text('source_note').notNull().default(''),
    note: text('note').notNull().default(''),
    measureImportId: uuid('measure_import_id').references(() => measureImports.id),
    enteredBy: userRef('entered_by'),
    enteredAt: at('entered_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('measure_values_revision_key').on(t.planId, t.measureLineageId, t.periodKind, t.periodStart, t.revision),
    check('measure_values_period_kind_check', sql`${t.periodKind} in (${inList(periodKinds)})`),
    check('measure_values_source_check', sql`${t.source} in (${inList(measureValueSources)})`),
    check('measure_values_revision_check', sql`${t.revision} >= 1`),
    check(
      'measure_values_interval_check',
      sql`(${t.confidenceLower} is null and ${t.confidenceUpper} is null) or (${t.confidenceLower} <= ${t.value} and ${t.value} <= ${t.confidenceUpper})`,
    ),
  ],
);

/** How a measure is graded and, for a derived measure, the query over open police data that feeds it. */
export const measureSettings = pgTable(
  'measure_settings',
  {
    planId: planRef(),
    measureLineageId: uuid('measure_lineage_id').notNull(),
    gradingRule: text('grading_rule', { enum: gradingRules }).notNull().default('target'),
    /** Percent of the target or baseline within which a miss is amber rather than red. */
    amberMarginPercent: numeric('amber_margin_percent', { mode: 'number' }).notNull().default(5),
    derived: jsonb('derived').$type<DerivedMeasureDefinition>(),
    /** Code of the National Crime and Policing Measure this measure reports (framework item code). */
    nationalMeasureCode: text('national_measure_code'),
    version: integer('version').notNull().default(1),
    updatedBy: userRef('updated_by'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.measureLineageId] }),
    check('measure_settings_rule_check', sql`${t.gradingRule} in (${inList(gradingRules)})`),
    check('measure_settings_margin_check', sql`${t.amberMarginPercent} >= 0 and ${t.amberMarginPercent} <= 100`),
  ],
);

/** The owner's commentary on a measure for a period: what is happening, and what is being done. */
export const measureCommentaries = pgTable(
  'measure_commentaries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: planRef(),
    measureLineageId: uuid('measure_lineage_id').notNull(),
    periodKind: text('period_kind', { enum: periodKinds }).notNull(),
    periodStart: date('period_start').notNull(),
    whatIsHappening: text('what_is_happening').notNull(),
    whatIsBeingDone: text('what_is_being_done').notNull().default(''),
    writtenBy: userRef('written_by'),
    writtenAt: at('written_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('measure_commentaries_period_key').on(t.planId, t.measureLineageId, t.periodKind, t.periodStart)],
);

/** The officer's summary of delivery against one priority for one quarter. */
export const prioritySummaries = pgTable(
  'priority_summaries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: planRef(),
    priorityLineageId: uuid('priority_lineage_id').notNull(),
    quarterStart: date('quarter_start').notNull(),
    summary: text('summary').notNull(),
    writtenBy: userRef('written_by'),
    writtenAt: at('written_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('priority_summaries_quarter_key').on(t.planId, t.priorityLineageId, t.quarterStart)],
);

/**
 * An uploaded CSV or XLSX of measure values. The parsed rows wait here between the preview and
 * the user's confirmation, so nothing is written to measure_values until then.
 */
export const measureImports = pgTable('measure_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  planId: planRef(),
  fileName: text('file_name').notNull(),
  status: text('status', { enum: ['previewed', 'applied', 'discarded'] }).notNull(),
  /** Rows that parsed, ready to apply: measure lineage, period and figures. */
  rows: jsonb('rows').$type<unknown[]>().notNull(),
  rejected: jsonb('rejected').$type<RejectedRow[]>().notNull(),
  uploadedBy: userRef('uploaded_by'),
  uploadedAt: at('uploaded_at').notNull().defaultNow(),
  appliedAt: at('applied_at'),
});

/** A generated quarterly performance report or national measures statement, frozen when made. */
export const performanceReports = pgTable(
  'performance_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: planRef(),
    kind: text('kind', { enum: reportKinds }).notNull(),
    /** The quarter reported (its first day); for a national statement, the quarter it is made at. */
    periodStart: date('period_start').notNull(),
    title: text('title').notNull(),
    /** Everything the report shows, computed when generated, so the record never shifts under the panel. */
    content: jsonb('content').notNull(),
    generatedBy: userRef('generated_by'),
    generatedAt: at('generated_at').notNull().defaultNow(),
    /** When the office published it (the national measures statement goes on the public site). */
    publishedAt: at('published_at'),
  },
  (t) => [
    index('performance_reports_plan_idx').on(t.planId, t.periodStart),
    check('performance_reports_kind_check', sql`${t.kind} in (${inList(reportKinds)})`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Open police data from data.police.uk. The data are public and the same for every tenant, so
// they are kept once per force area and month, not per body.
// ---------------------------------------------------------------------------------------------

/** One upload: a single CSV or the zip archive data.police.uk provides. Runs as a background job. */
export const policeDataImports = pgTable(
  'police_data_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id')
      .notNull()
      .references(() => policingBodies.id),
    fileName: text('file_name').notNull(),
    byteSize: bigint('byte_size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    /** Where the upload waits for the job, under DATA_DIR; removed once imported. */
    storedPath: text('stored_path').notNull(),
    status: text('status', { enum: policeDataImportStatuses }).notNull().default('queued'),
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    message: text('message').notNull().default(''),
    uploadedBy: userRef('uploaded_by'),
    createdAt: at('created_at').notNull().defaultNow(),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
  },
  // The job's queue and each import's clean-up look for unfinished imports only: a small index
  // however many imports there have been.
  (t) => [
    index('police_data_imports_unfinished_idx')
      .on(t.status)
      .where(sql`${t.status} in ('queued', 'running')`),
  ],
);

/** One CSV inside an import, with its report: rows read, imported and rejected (with reasons). */
export const policeDataFiles = pgTable(
  'police_data_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The file's small number, stamped on each of its raw rows (4 bytes a row where the uuid takes 16, and quicker for COPY). */
    rowKey: integer('row_key').generatedAlwaysAsIdentity().notNull().unique(),
    importId: uuid('import_id')
      .notNull()
      .references(() => policeDataImports.id, { onDelete: 'cascade' }),
    entryName: text('entry_name').notNull(),
    kind: text('kind', { enum: policeDataKinds }),
    forceAreaId: text('force_area_id').references(() => forceAreas.id),
    month: date('month'),
    status: text('status', { enum: policeDataFileStatuses }).notNull().default('pending'),
    rowsRead: integer('rows_read').notNull().default(0),
    rowsImported: integer('rows_imported').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    /** The first rejected rows, each with its line number and reason. */
    rejections: jsonb('rejections').$type<RejectedRow[]>().notNull().default([]),
    message: text('message').notNull().default(''),
    finishedAt: at('finished_at'),
  },
  (t) => [
    index('police_data_files_import_idx').on(t.importId),
    index('police_data_files_unfinished_idx')
      .on(t.importId)
      .where(sql`${t.status} in ('pending', 'running')`),
  ],
);

/**
 * Which file's rows are current for a kind, force area and month. Rows are written under their
 * file's key and only become visible when a single short transaction points this row at the new file
 * (and deletes the old file's rows), so re-importing a month replaces it and an import killed
 * mid-way leaves the previous data exactly as it was.
 */
export const policeDatasets = pgTable(
  'police_datasets',
  {
    kind: text('kind', { enum: policeDataKinds }).notNull(),
    forceAreaId: text('force_area_id')
      .notNull()
      .references(() => forceAreas.id),
    month: date('month').notNull(),
    fileId: uuid('file_id')
      .notNull()
      .references(() => policeDataFiles.id),
    rowCount: integer('row_count').notNull(),
    importedAt: at('imported_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.forceAreaId, t.month] })],
);

/** Street-level crime rows, as data.police.uk publishes them. */
/**
 * A raw row's file: police_data_files.row_key. The import's COPY leaves the column out and sets
 * the session setting pcp.police_data_file_key instead, so each row's key is the default, not 37
 * more bytes of every line to write and parse (police-data.repository.ts, copyWriter). Anything
 * else writing raw rows without the setting fails rather than filing them under no file.
 */
const rawFileKey = () =>
  integer('file_key')
    .notNull()
    .default(sql`(current_setting('pcp.police_data_file_key'))::integer`);

export const streetCrimes = pgTable(
  'street_crimes',
  {
    fileKey: rawFileKey(),
    /** YYYY-MM, as data.police.uk writes months (the raw rows keep the file's own text). */
    month: text('month').notNull(),
    crimeId: text('crime_id'),
    reportedBy: text('reported_by').notNull(),
    fallsWithin: text('falls_within').notNull(),
    longitude: doublePrecision('longitude'),
    latitude: doublePrecision('latitude'),
    location: text('location').notNull(),
    lsoaCode: text('lsoa_code'),
    lsoaName: text('lsoa_name'),
    crimeType: text('crime_type').notNull(),
    lastOutcomeCategory: text('last_outcome_category'),
    context: text('context'),
  },
  (t) => [index('street_crimes_file_idx').using('brin', t.fileKey)],
);

/** Outcomes rows: what became of crimes reported in earlier months. */
export const crimeOutcomes = pgTable(
  'crime_outcomes',
  {
    fileKey: rawFileKey(),
    /** YYYY-MM, as data.police.uk writes months (the raw rows keep the file's own text). */
    month: text('month').notNull(),
    crimeId: text('crime_id').notNull(),
    reportedBy: text('reported_by').notNull(),
    fallsWithin: text('falls_within').notNull(),
    longitude: doublePrecision('longitude'),
    latitude: doublePrecision('latitude'),
    location: text('location').notNull(),
    lsoaCode: text('lsoa_code'),
    lsoaName: text('lsoa_name'),
    outcomeType: text('outcome_type').notNull(),
  },
  (t) => [index('crime_outcomes_file_idx').using('brin', t.fileKey)],
);

/** Stop-and-search rows. The file's month is its name's; the times inside are UTC. */
export const stopSearches = pgTable(
  'stop_searches',
  {
    fileKey: rawFileKey(),
    /** YYYY-MM, as data.police.uk writes months (the raw rows keep the file's own text). */
    month: text('month').notNull(),
    type: text('type').notNull(),
    occurredAt: at('occurred_at').notNull(),
    partOfPolicingOperation: boolean('part_of_policing_operation'),
    policingOperation: text('policing_operation'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    gender: text('gender'),
    ageRange: text('age_range'),
    selfDefinedEthnicity: text('self_defined_ethnicity'),
    officerDefinedEthnicity: text('officer_defined_ethnicity'),
    legislation: text('legislation'),
    objectOfSearch: text('object_of_search'),
    outcome: text('outcome'),
    outcomeLinkedToObject: boolean('outcome_linked_to_object'),
    removalOfMoreThanOuterClothing: boolean('removal_of_more_than_outer_clothing'),
  },
  (t) => [index('stop_searches_file_idx').using('brin', t.fileKey)],
);

// Aggregates, written in the same transaction that makes a file current, so dashboards and the
// explorer never scan raw rows. Each carries the file it was counted from; a replaced file's are
// found by their (force area, month) index, so no index on the file id has to be kept up to date.

/** Street crimes per force area, month and crime type. */
export const crimeCountsByMonth = pgTable(
  'crime_counts_by_month',
  {
    fileId: uuid('file_id').notNull(),
    forceAreaId: text('force_area_id').notNull(),
    month: date('month').notNull(),
    crimeType: text('crime_type').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('crime_counts_by_month_idx').on(t.forceAreaId, t.month, t.crimeType)],
);

/**
 * Street crimes per force area, month and LSOA: in all, and by crime type. One row per LSOA
 * (about a third as many rows as one per LSOA and type, which is what an import spends most of
 * its database time writing): the area ranking reads the totals, one crime type's ranking and an
 * area's own page read the counts by type.
 */
export const crimeCountsByLsoaMonth = pgTable(
  'crime_counts_by_lsoa_month',
  {
    fileId: uuid('file_id').notNull(),
    forceAreaId: text('force_area_id').notNull(),
    month: date('month').notNull(),
    lsoaCode: text('lsoa_code').notNull(),
    lsoaName: text('lsoa_name').notNull(),
    count: integer('count').notNull(),
    /** Crime type → count, for the types with any crimes in the LSOA that month. */
    byCrimeType: jsonb('by_crime_type').$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [
    index('crime_counts_by_lsoa_month_idx').on(t.forceAreaId, t.month),
    index('crime_counts_by_lsoa_month_code_idx').on(t.forceAreaId, t.lsoaCode, t.month),
  ],
);

/** Street crimes per force area, month, crime type and last outcome category. */
export const crimeCountsByOutcome = pgTable(
  'crime_counts_by_outcome',
  {
    fileId: uuid('file_id').notNull(),
    forceAreaId: text('force_area_id').notNull(),
    month: date('month').notNull(),
    crimeType: text('crime_type').notNull(),
    outcomeCategory: text('outcome_category').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('crime_counts_by_outcome_idx').on(t.forceAreaId, t.month)],
);

/** Outcomes-file rows per force area, month and outcome type. */
export const outcomeCounts = pgTable(
  'outcome_counts',
  {
    fileId: uuid('file_id').notNull(),
    forceAreaId: text('force_area_id').notNull(),
    month: date('month').notNull(),
    outcomeType: text('outcome_type').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('outcome_counts_idx').on(t.forceAreaId, t.month)],
);

/** Stop-and-search rows per force area, month, object of search, outcome and officer-defined ethnicity. */
export const stopSearchCounts = pgTable(
  'stop_search_counts',
  {
    fileId: uuid('file_id').notNull(),
    forceAreaId: text('force_area_id').notNull(),
    month: date('month').notNull(),
    objectOfSearch: text('object_of_search').notNull(),
    outcome: text('outcome').notNull(),
    officerDefinedEthnicity: text('officer_defined_ethnicity').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('stop_search_counts_idx').on(t.forceAreaId, t.month)],
);
