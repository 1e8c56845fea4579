import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { formatDate } from '../../shared/dates.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { attachGeneratedDocument } from '../scrutiny/index.ts';
import { listPrioritySummaries } from './commentary.repository.ts';
import type { ReportKind } from './domain/performance-model.ts';
import { periodEnd, periodKey, periodLabel, type Period } from './domain/periods.ts';
import { buildNationalStatement, buildQuarterlyReport } from './domain/report-model.ts';
import { measureStatuses } from './measures.service.ts';
import type { PerformanceContext } from './performance-context.ts';
import { nationalStatementToDocx, quarterlyReportToDocx } from './report-docx.ts';
import { reportCharts } from './report-charts.ts';
import * as repository from './reports.repository.ts';

export const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

type Change = { db: Database; context: PerformanceContext; actor: CurrentUser; now: Date };

async function audit(tx: Executor, change: Change, action: string, reportId: string, before: unknown, after: unknown) {
  await appendAuditEvent(tx, {
    actor: { userId: change.actor.id, label: change.actor.displayName },
    policingBodyId: change.context.body.id,
    action: `performance_report.${action}`,
    subject: { type: 'performance_report', id: reportId },
    before: before ?? undefined,
    after,
    occurredAt: change.now,
  });
}

export const reportTitle = (kind: ReportKind, quarter: Period) =>
  kind === 'quarterly' ? `Performance report: ${periodLabel(quarter)}` : `National measures statement: ${periodLabel(quarter)}`;

/**
 * Generates a report for a quarter and freezes it: every figure, grade and comment is as recorded
 * at the quarter's end (values for later periods are left out), and stays so when figures are
 * corrected afterwards, because the panel was given this version.
 */
export async function generateReport(change: Change, kind: ReportKind, quarter: Period): Promise<repository.Report> {
  const { db, context } = change;
  const upTo = periodEnd(quarter);
  const statuses = await measureStatuses(db, context, { upTo, period: quarter });
  const common = { quarter, planTitle: context.plan.title, bodyName: context.body.name };
  const content =
    kind === 'quarterly'
      ? buildQuarterlyReport({
          ...common,
          priorities: context.tree.priorities,
          statuses,
          summaries: new Map(
            (await listPrioritySummaries(db, context.plan.id, [quarter.start])).map((s) => [s.priorityLineageId, s.summary]),
          ),
        })
      : buildNationalStatement({ ...common, nationalMeasures: await repository.listNationalMeasures(db), statuses });
  return db.transaction(async (tx) => {
    const report = await repository.insertReport(tx, {
      planId: context.plan.id,
      kind,
      periodStart: quarter.start,
      title: reportTitle(kind, quarter),
      content,
      generatedBy: change.actor.id,
      generatedAt: change.now,
    });
    // The audit records what was generated, not the whole content (the report row keeps that).
    await audit(tx, change, 'generated', report.id, null, {
      kind,
      quarter: periodKey(quarter),
      title: report.title,
      planId: report.planId,
    });
    return report;
  });
}

/** The report as a Word document, with its charts. */
export async function reportDocx(report: repository.Report): Promise<Buffer> {
  const generatedOn = formatDate(report.generatedAt);
  if (report.content.kind === 'quarterly') {
    return quarterlyReportToDocx(report.content, { generatedOn, charts: await reportCharts(report.content) });
  }
  return nationalStatementToDocx(report.content, { generatedOn });
}

/** "performance-report-fy2024-25-q1.docx" */
export const reportFileName = (report: repository.Report, extension: 'docx' | 'json') =>
  `${report.kind === 'quarterly' ? 'performance-report' : 'national-measures-statement'}-${report.content.quarter.key}.${extension}`;

/**
 * Stores the report's DOCX as a document on an agenda item of the body's panel (it then shows on
 * the meeting page like an uploaded report), audited in the same transaction.
 */
export async function attachReport(
  change: Change,
  report: repository.Report,
  agendaItemId: string,
): Promise<Result<{ documentId: string; meetingId: string }, 'item_not_found'>> {
  const bytes = await reportDocx(report);
  return change.db.transaction(async (tx) => {
    const stored = await attachGeneratedDocument(tx, {
      policingBodyId: change.context.body.id,
      agendaItemId,
      title: report.title,
      fileName: reportFileName(report, 'docx'),
      mediaType: DOCX_MEDIA_TYPE,
      bytes,
      uploadedBy: change.actor.id,
    });
    if (!stored) return fail('item_not_found' as const);
    await audit(tx, change, 'attached', report.id, null, {
      agendaItemId,
      meetingId: stored.meetingId,
      documentId: stored.id,
      sha256: stored.sha256,
    });
    return ok({ documentId: stored.id, meetingId: stored.meetingId });
  });
}

/** Publishes a national measures statement on the body's public site. */
export async function publishStatement(
  change: Change,
  report: repository.Report,
): Promise<Result<repository.Report, 'not_a_statement' | 'already_published'>> {
  if (report.kind !== 'national_statement') return fail('not_a_statement');
  return change.db.transaction(async (tx) => {
    const published = await repository.markPublished(tx, report.id, change.now);
    if (!published) return fail('already_published' as const);
    await audit(tx, change, 'published', report.id, { publishedAt: null }, { publishedAt: change.now.toISOString() });
    return ok(published);
  });
}
