import { and, asc, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { frameworkItems, frameworks, plans } from '../plans/plans.tables.ts';
import type { ReportKind } from './domain/performance-model.ts';
import type { NationalStatementContent, QuarterlyReportContent } from './domain/report-model.ts';
import { performanceReports } from './performance.tables.ts';

export type ReportRow = typeof performanceReports.$inferSelect;
export type ReportContent = QuarterlyReportContent | NationalStatementContent;
/** A report with its content typed by its kind. */
export type Report = Omit<ReportRow, 'content'> & { content: ReportContent };

/** The framework the Home Office's National Crime and Policing Measures are seeded as (migration 0003). */
export const NATIONAL_MEASURES_FRAMEWORK_SLUG = 'national-crime-and-policing-measures';

const typed = (row: ReportRow): Report => ({ ...row, content: row.content as ReportContent });

export async function insertReport(
  tx: Executor,
  values: {
    planId: string;
    kind: ReportKind;
    periodStart: string;
    title: string;
    content: ReportContent;
    generatedBy: string;
    generatedAt: Date;
  },
): Promise<Report> {
  const [row] = await tx.insert(performanceReports).values(values).returning();
  return typed(row!);
}

/** The plan's reports, newest first. */
export async function listReports(db: Executor, planId: string): Promise<Omit<Report, 'content'>[]> {
  return db
    .select({
      id: performanceReports.id,
      planId: performanceReports.planId,
      kind: performanceReports.kind,
      periodStart: performanceReports.periodStart,
      title: performanceReports.title,
      generatedBy: performanceReports.generatedBy,
      generatedAt: performanceReports.generatedAt,
      publishedAt: performanceReports.publishedAt,
    })
    .from(performanceReports)
    .where(eq(performanceReports.planId, planId))
    .orderBy(desc(performanceReports.generatedAt), desc(performanceReports.periodStart));
}

export async function findReport(db: Executor, planId: string, id: string): Promise<Report | undefined> {
  const [row] = await db
    .select()
    .from(performanceReports)
    .where(and(eq(performanceReports.planId, planId), eq(performanceReports.id, id)));
  return row && typed(row);
}

/** Marks a national statement published; undefined if it was already (or is not one). */
export async function markPublished(tx: Executor, id: string, at: Date): Promise<Report | undefined> {
  const [row] = await tx
    .update(performanceReports)
    .set({ publishedAt: at })
    .where(and(eq(performanceReports.id, id), eq(performanceReports.kind, 'national_statement'), isNull(performanceReports.publishedAt)))
    .returning();
  return row && typed(row);
}

/** The body's most recently published national measures statement, from any of its plans. */
export async function findLatestPublishedStatement(db: Executor, policingBodyId: string): Promise<Report | undefined> {
  const [row] = await db
    .select({ report: performanceReports })
    .from(performanceReports)
    .innerJoin(plans, eq(plans.id, performanceReports.planId))
    .where(
      and(
        eq(plans.policingBodyId, policingBodyId),
        eq(performanceReports.kind, 'national_statement'),
        isNotNull(performanceReports.publishedAt),
      ),
    )
    .orderBy(desc(performanceReports.publishedAt))
    .limit(1);
  return row && typed(row.report);
}

/** The six National Crime and Policing Measures, in the framework's order. */
export async function listNationalMeasures(db: Executor): Promise<{ code: string; title: string }[]> {
  return db
    .select({ code: frameworkItems.code, title: frameworkItems.title })
    .from(frameworkItems)
    .innerJoin(frameworks, eq(frameworks.id, frameworkItems.frameworkId))
    .where(and(eq(frameworks.slug, NATIONAL_MEASURES_FRAMEWORK_SLUG), isNull(frameworks.policingBodyId)))
    .orderBy(asc(frameworkItems.position));
}
