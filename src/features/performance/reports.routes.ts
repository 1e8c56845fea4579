import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { signedInUser } from '../../platform/http/guards.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { listAgendasForAttachment, type AgendaForAttachment } from '../scrutiny/index.ts';
import { gradeLabels, gradeTagClasses, ungradedReasonLabels } from './domain/grading.ts';
import { reportKinds } from './domain/performance-model.ts';
import { parsePeriodKey, periodKey, periodLabel } from './domain/periods.ts';
import { lastCompleteQuarter, reportableQuarters, type QuarterlyReportContent } from './domain/report-model.ts';
import { performanceFor, type PerformanceContext } from './performance-context.ts';
import { can } from './performance.permissions.ts';
import { reportMeasureSvg } from './report-charts.ts';
import * as repository from './reports.repository.ts';
import * as service from './reports.service.ts';

const BASE = '/bodies/:slug/plans/:planId/performance/reports';
/** Meetings held up to this many days ago are offered for attaching a report, as well as every later one. */
const RECENT_MEETING_DAYS = 92;

const labels = { grades: gradeLabels, tags: gradeTagClasses, reasons: ungradedReasonLabels };

const generateSchema = (quarterKeys: readonly string[]) =>
  z.object({
    kind: z.enum(reportKinds, { error: 'Select what to generate' }),
    quarter: z.string().refine((key) => quarterKeys.includes(key), { error: 'Select the quarter to report on' }),
  });

const attachSchema = (itemIds: ReadonlySet<string>) =>
  z.object({
    agendaItem: z.string().refine((id) => itemIds.has(id), { error: 'Select the agenda item to attach the report to' }),
  });

/** The quarterly performance report for the panel and the national measures statement. */
export async function reportsRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const db = services.database.db;
  const today = () => services.now().toISOString().slice(0, 10);
  const change = (request: FastifyRequest, context: PerformanceContext) => ({
    db,
    context,
    actor: signedInUser(request),
    now: services.now(),
  });

  const reportOf = async (request: FastifyRequest, context: PerformanceContext) => {
    const id = (request.params as { reportId: string }).reportId;
    const report = isUuid(id) ? await repository.findReport(db, context.plan.id, id) : undefined;
    if (!report) throw notFound();
    return report;
  };

  const quarterOptions = (context: PerformanceContext) =>
    reportableQuarters(today(), context.plan).map((q) => ({ value: periodKey(q), text: periodLabel(q) }));

  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    context: PerformanceContext,
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) => {
    const quarters = quarterOptions(context);
    const lastComplete = periodKey(lastCompleteQuarter(today()));
    const defaultQuarter = quarters.some((q) => q.value === lastComplete) ? lastComplete : quarters[0]!.value;
    return reply.page('performance/views/reports-list.njk', {
      ...context,
      reports: await repository.listReports(db, context.plan.id),
      quarters,
      mayGenerate: can(request.user, 'performance.report', { policingBodyId: context.body.id }),
      values: { kind: 'quarterly', quarter: defaultQuarter, ...values },
      errors,
      errorList: errorSummary(errors),
    });
  };

  app.get(BASE, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.view');
    return listPage(request, reply, context, {});
  });

  app.post(BASE, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.report');
    const values = formValues(request.body);
    const form = parseForm(generateSchema(quarterOptions(context).map((q) => q.value)), values);
    if (!form.ok) return listPage(request, reply.code(400), context, values, form.errors);
    const report = await service.generateReport(change(request, context), form.value.kind, parsePeriodKey(form.value.quarter)!);
    request.session.flash = `${report.title} has been generated.`;
    return reply.redirect(paths.performanceReport(context.body.slug, context.plan.id, report.id));
  });

  app.get(`${BASE}/:reportId`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.view');
    const report = await reportOf(request, context);
    const mayReport = can(request.user, 'performance.report', { policingBodyId: context.body.id });
    const common = { ...context, report, labels, mayReport };
    if (report.content.kind === 'national_statement') {
      return reply.page('performance/views/reports-statement.njk', { ...common, statement: report.content });
    }
    return reply.page('performance/views/reports-quarterly.njk', {
      ...common,
      content: report.content,
      charts: await chartsOf(report.content),
    });
  });

  app.get(`${BASE}/:reportId/report.docx`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.view');
    const report = await reportOf(request, context);
    const bytes = await service.reportDocx(report);
    return download(reply, service.reportFileName(report, 'docx'), service.DOCX_MEDIA_TYPE).send(bytes);
  });

  app.get(`${BASE}/:reportId/report.json`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.view');
    const report = await reportOf(request, context);
    const { content, id, kind, title, periodStart, generatedAt, publishedAt } = report;
    const json = { id, kind, title, periodStart, generatedAt, publishedAt, content };
    return download(reply, service.reportFileName(report, 'json'), 'application/json; charset=utf-8').send(
      `${JSON.stringify(json, null, 2)}\n`,
    );
  });

  const recentAgendas = (context: PerformanceContext) => {
    const from = new Date(`${today()}T00:00:00Z`);
    from.setUTCDate(from.getUTCDate() - RECENT_MEETING_DAYS);
    return listAgendasForAttachment(db, context.body.id, from.toISOString().slice(0, 10));
  };

  const attachPage = (
    reply: FastifyReply,
    context: PerformanceContext,
    report: repository.Report,
    agendas: AgendaForAttachment[],
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('performance/views/reports-attach.njk', {
      ...context,
      report,
      agendas,
      values,
      errors,
      errorList: errorSummary(errors),
    });

  app.get(`${BASE}/:reportId/attach`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.report');
    const report = await reportOf(request, context);
    return attachPage(reply, context, report, await recentAgendas(context), {});
  });

  app.post(`${BASE}/:reportId/attach`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.report');
    const report = await reportOf(request, context);
    const agendas = await recentAgendas(context);
    const values = formValues(request.body);
    const form = parseForm(attachSchema(new Set(agendas.flatMap((a) => a.items.map((i) => i.id)))), values);
    if (!form.ok) return attachPage(reply.code(400), context, report, agendas, values, form.errors);
    const attached = await service.attachReport(change(request, context), report, form.value.agendaItem);
    // The item was offered a moment ago; if it has gone since, say so on the same form.
    if (!attached.ok) {
      return attachPage(reply.code(400), context, report, await recentAgendas(context), values, {
        agendaItem: 'That agenda item no longer exists. Select another',
      });
    }
    const meeting = agendas.find((a) => a.id === attached.value.meetingId)!;
    request.session.flash = `${report.title} has been attached to ${meeting.title}.`;
    return reply.redirect(paths.performanceReport(context.body.slug, context.plan.id, report.id));
  });

  app.post(`${BASE}/:reportId/publish`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.report');
    const report = await reportOf(request, context);
    const published = await service.publishStatement(change(request, context), report);
    if (!published.ok && published.error === 'not_a_statement') throw notFound();
    request.session.flash = published.ok
      ? `${report.title} has been published on the public site.`
      : `${report.title} was already published.`;
    return reply.redirect(paths.performanceReport(context.body.slug, context.plan.id, report.id));
  });
}

/** Each measure's chart by lineage, drawn from the report's frozen series (the same figures the table shows). */
async function chartsOf(content: QuarterlyReportContent): Promise<Record<string, string>> {
  const charts: Record<string, string> = {};
  for (const measure of content.priorities.flatMap((p) => p.measures)) {
    if (measure.series.length) charts[measure.lineageId] = await reportMeasureSvg(measure);
  }
  return charts;
}

/** An attachment nobody caches: the report can be published or attached after it is downloaded. */
const download = (reply: FastifyReply, fileName: string, type: string) =>
  reply.header('cache-control', 'private, no-store').header('content-disposition', `attachment; filename="${fileName}"`).type(type);
