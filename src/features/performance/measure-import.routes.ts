import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { signedInUser } from '../../platform/http/guards.ts';
import { paths } from '../../shared/paths.ts';
import { acceptFileUploads, isNoFile, uploadOf, uploadProblem } from '../plans/index.ts';
import { longColumns, periodFormats, type MeasureLayout, type PreviewChange } from './domain/measure-file.ts';
import { periodKindFor, periodShortLabel } from './domain/periods.ts';
import { templateCsv, templateXlsx, XLSX_TYPE, type TemplateInput } from './measure-import.files.ts';
import * as service from './measure-import.service.ts';
import { currentValues } from './measure-values.repository.ts';
import { performanceFor, type PerformanceContext } from './performance-context.ts';

export const MAX_MEASURE_FILE_BYTES = 5 * 1024 * 1024;

const base = '/bodies/:slug/plans/:planId/performance';
const importBase = `${base}/imports/:importId`;

const frequencyText = { monthly: 'Monthly', quarterly: 'Quarterly', annually: 'Annually' } as const;
const changeText = { new: 'New', revised: 'Revised', unchanged: 'Unchanged' } as const;
const statusText = { previewed: 'Waiting to be applied', applied: 'Applied', discarded: 'Discarded' } as const;

/** A value and the figures beside it, as one line of text: "72 (360 / 500; 68 to 76)". */
function figuresText(f: {
  value: number;
  numerator: number | null;
  denominator: number | null;
  confidenceLower: number | null;
  confidenceUpper: number | null;
  mostSimilarGroupAverage: number | null;
}): string {
  const extras = [
    f.numerator !== null && f.denominator !== null ? `${f.numerator} / ${f.denominator}` : '',
    f.confidenceLower !== null && f.confidenceUpper !== null ? `interval ${f.confidenceLower} to ${f.confidenceUpper}` : '',
    f.mostSimilarGroupAverage !== null ? `group average ${f.mostSimilarGroupAverage}` : '',
  ].filter(Boolean);
  return extras.length ? `${f.value} (${extras.join('; ')})` : String(f.value);
}

/** The preview's changes grouped by measure, in the plan's order of measures. */
function changesByMeasure(context: PerformanceContext, changes: readonly PreviewChange[]) {
  return context.tree.measures
    .map((measure) => {
      const rows = changes
        .filter((c) => c.value.measureLineageId === measure.lineageId)
        .sort((a, b) => (a.value.periodStart < b.value.periodStart ? -1 : 1))
        .map((c) => ({
          line: c.value.line,
          period: periodShortLabel({ kind: c.value.periodKind, start: c.value.periodStart }),
          current: c.current ? figuresText(c.current) : '',
          proposed: figuresText(c.value),
          change: c.change,
          changeText: changeText[c.change],
        }));
      const count = (kind: PreviewChange['change']) => rows.filter((r) => r.change === kind).length;
      return { measure, unit: measure.unit, rows, counts: { new: count('new'), revised: count('revised'), unchanged: count('unchanged') } };
    })
    .filter((group) => group.rows.length > 0);
}

/**
 * Importing measure values from a CSV or XLSX file: a template per plan, an upload, a preview of
 * what will change, and an apply that records every value in one transaction or none.
 */
export async function measureImportRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const { services } = options;
  const db = services.database.db;
  const today = () => services.now().toISOString().slice(0, 10);
  const recordFor = (request: FastifyRequest) => performanceFor(db, request, 'performance.record');

  const importOf = async (request: FastifyRequest, context: PerformanceContext) => {
    const row = await service.findMeasureImport(db, context.plan.id, (request.params as { importId: string }).importId);
    if (!row) throw notFound();
    return row;
  };

  const uploadPage = async (reply: FastifyReply, context: PerformanceContext, error?: string) => {
    const imports = await service.recentMeasureImports(db, context.plan.id);
    return reply.page('performance/views/measure-import-upload.njk', {
      ...context,
      error,
      errorList: error ? [{ text: error, href: '#file' }] : [],
      maxMegabytes: MAX_MEASURE_FILE_BYTES / 1024 / 1024,
      longColumns,
      measures: context.tree.measures.map((m) => {
        const kind = periodKindFor(m.frequency);
        return { ...m, frequencyText: frequencyText[m.frequency], periodFormat: periodFormats[kind] };
      }),
      imports: imports.map((i) => ({ ...i, statusText: statusText[i.status], valueCount: service.valuesOf(i).length })),
    });
  };

  const previewPage = async (reply: FastifyReply, context: PerformanceContext, row: service.MeasureImport, refusal?: string) => {
    const changes = await service.previewOf(db, row);
    const toRecord = changes.filter((c) => c.change !== 'unchanged').length;
    return reply.page('performance/views/measure-import-preview.njk', {
      ...context,
      measureImport: row,
      statusText: statusText[row.status],
      groups: changesByMeasure(context, changes),
      rejected: [...row.rejected].sort((a, b) => a.line - b.line),
      counts: {
        values: changes.length,
        toRecord,
        new: changes.filter((c) => c.change === 'new').length,
        revised: changes.filter((c) => c.change === 'revised').length,
        unchanged: changes.filter((c) => c.change === 'unchanged').length,
      },
      refusal,
      errorList: refusal ? [{ text: refusal, href: '#status' }] : [],
    });
  };

  const templateInput = async (context: PerformanceContext): Promise<TemplateInput> => ({
    measures: service.measureRefsOf(context),
    planStartsOn: context.plan.periodStartsOn,
    today: today(),
    current: await currentValues(db, context.plan.id),
  });
  const layoutOf = (request: FastifyRequest): MeasureLayout => ((request.query as { layout?: string }).layout === 'wide' ? 'wide' : 'long');
  const fileNameOf = (context: PerformanceContext, layout: MeasureLayout, extension: string) =>
    `measure-values-${layout}-${context.body.slug}.${extension}`;

  app.get(`${base}/import`, async (request, reply) => uploadPage(reply, await recordFor(request)));

  app.get(`${base}/import/template.csv`, async (request, reply) => {
    const context = await recordFor(request);
    const layout = layoutOf(request);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${fileNameOf(context, layout, 'csv')}"`)
      .type('text/csv; charset=utf-8')
      .send(templateCsv(await templateInput(context), layout));
  });

  app.get(`${base}/import/template.xlsx`, async (request, reply) => {
    const context = await recordFor(request);
    const layout = layoutOf(request);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${fileNameOf(context, layout, 'xlsx')}"`)
      .type(XLSX_TYPE)
      .send(await templateXlsx(await templateInput(context), layout));
  });

  // The upload in its own scope, so multipart bodies are accepted here and nowhere else.
  await app.register(async (scope) => {
    await acceptFileUploads(scope, MAX_MEASURE_FILE_BYTES);
    scope.post(`${base}/import`, async (request, reply) => {
      const context = await recordFor(request);
      const upload = uploadOf(request);
      const problem = uploadProblem(upload, MAX_MEASURE_FILE_BYTES);
      if (problem) return uploadPage(reply.code(problem.status), context, problem.message);
      const file = upload?.file;
      if (isNoFile(file)) return uploadPage(reply.code(400), context, 'Select a CSV or XLSX file of measure values');
      const result = await service.uploadMeasureFile(db, signedInUser(request), context, file, services.now());
      if (!result.ok) return uploadPage(reply.code(400), context, result.error);
      return reply.redirect(paths.measureImport(context.body.slug, context.plan.id, result.value.id));
    });
  });

  app.get(importBase, async (request, reply) => {
    const context = await recordFor(request);
    return previewPage(reply, context, await importOf(request, context));
  });

  app.post(`${importBase}/apply`, async (request, reply) => {
    const context = await recordFor(request);
    const row = await importOf(request, context);
    const result = await service.applyMeasureImport(db, signedInUser(request), context, row.id, services.now());
    if (!result.ok) {
      const refusal = {
        applied: 'This file has already been applied: its values are recorded, and applying it again would add nothing',
        discarded: 'This file was discarded, so it cannot be applied: upload it again to record its values',
        has_rejected_rows:
          'This file has rows that cannot be recorded, so none of it can be applied: correct them and upload the file again',
        measures_changed: 'The plan’s measures have changed since this file was uploaded: upload it again to check it against them',
      }[result.error];
      return previewPage(reply.code(409), context, (await service.findMeasureImport(db, context.plan.id, row.id))!, refusal);
    }
    const { recorded } = result.value;
    request.session.flash =
      recorded === 0
        ? `${row.fileName} is applied. Every value in it was already recorded, so nothing changed.`
        : `${row.fileName} is applied: ${recorded === 1 ? '1 value' : `${recorded} values`} recorded.`;
    return reply.redirect(paths.performance(context.body.slug, context.plan.id));
  });

  app.post(`${importBase}/discard`, async (request, reply) => {
    const context = await recordFor(request);
    const row = await importOf(request, context);
    const result = await service.discardMeasureImport(db, signedInUser(request), context, row.id, services.now());
    if (!result.ok) {
      const refusal =
        result.error === 'applied'
          ? 'This file has already been applied, so it cannot be discarded: correct a value by recording a new one'
          : 'This file has already been discarded';
      return previewPage(reply.code(409), context, (await service.findMeasureImport(db, context.plan.id, row.id))!, refusal);
    }
    request.session.flash = `${row.fileName} is discarded. No values were recorded from it.`;
    return reply.redirect(paths.performancePart(context.body.slug, context.plan.id, 'import'));
  });
}
