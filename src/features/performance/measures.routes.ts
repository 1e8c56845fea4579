import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { signedInUser } from '../../platform/http/guards.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { evidenceSourceLabels, listPlanFrameworks } from '../plans/index.ts';
import { measureChartSvg } from './charts.ts';
import { formatValue, summariseSeries } from './domain/chart-summary.ts';
import {
  formatNumber,
  gradeLabels,
  gradeTagClasses,
  gradingRuleHints,
  gradingRuleLabels,
  ungradedReasonLabels,
  type GradeResult,
} from './domain/grading.ts';
import { grades, gradingRules, type Grade } from './domain/performance-model.ts';
import {
  monthNames,
  parsePeriodKey,
  periodContaining,
  periodKey,
  periodKindFor,
  periodLabel,
  periodShortLabel,
  shiftPeriod,
  type Period,
} from './domain/periods.ts';
import { sparklineSvg } from './domain/sparkline.ts';
import { findCommentary, findPrioritySummary, listCommentaries, listPrioritySummaries } from './commentary.repository.ts';
import { findMeasureSettings } from './measure-settings.repository.ts';
import { currentValueFor, valueHistory, type MeasureValueRow } from './measure-values.repository.ts';
import {
  commentaryFormSchema,
  correctionFormSchema,
  financialYearsOffered,
  gradingFormSchema,
  newValueFormSchema,
  prioritySummaryFormSchema,
} from './measures.schemas.ts';
import * as service from './measures.service.ts';
import { measureOf, performanceFor, type PerformanceContext } from './performance-context.ts';
import { can } from './performance.permissions.ts';

const londonDate = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Europe/London' });

/** The National Crime and Policing Measures (Home Office, 2021, against a 2019 baseline): the framework a measure may report. */
const NATIONAL_MEASURES_FRAMEWORK = 'national-crime-and-policing-measures';

/** "72.5%", "120 seconds", "1,234 crimes": a figure with its unit, as people read it. */
function withUnit(value: number | null, unit: string): string {
  return value === null ? '' : formatValue(value, unit);
}

const periodOf = (row: Pick<MeasureValueRow, 'periodKind' | 'periodStart'>): Period => ({ kind: row.periodKind, start: row.periodStart });

const gradeView = (grade: GradeResult) => ({
  ...grade,
  label: gradeLabels[grade.grade],
  tagClass: gradeTagClasses[grade.grade],
  reasonLabel: grade.reason ? ungradedReasonLabels[grade.reason] : '',
});

const sourceLabels = { form: 'Entered on the form', file: 'Imported from a file', derived: 'Computed from open police data' } as const;

/** Dashboard, measure pages, values, grading settings, commentary and priority summaries. */
export async function measuresRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const { services } = options;
  const db = services.database.db;
  const base = '/bodies/:slug/plans/:planId/performance';
  const today = () => londonDate.format(services.now());

  const measureParam = (request: FastifyRequest, context: PerformanceContext) => {
    const { lineageId } = request.params as { lineageId: string };
    if (!isUuid(lineageId)) throw notFound();
    return measureOf(context, lineageId);
  };

  /** A period key in the URL, of the kind the measure is recorded by; anything else is 404. */
  const periodParam = (request: FastifyRequest, kind: Period['kind']): Period => {
    const period = parsePeriodKey((request.params as { periodKey: string }).periodKey);
    if (!period || period.kind !== kind) throw notFound();
    return period;
  };

  const changeOf = (request: FastifyRequest, context: PerformanceContext): service.MeasureChange => ({
    db,
    actor: signedInUser(request),
    context,
    now: services.now(),
  });

  const permissionsOf = (request: FastifyRequest, context: PerformanceContext) => {
    const user = signedInUser(request);
    const resource = { policingBodyId: context.body.id };
    return {
      canRecord: can(user, 'performance.record', resource),
      canGrade: can(user, 'performance.grade', resource),
      canSummarise: can(user, 'performance.summarise', resource),
      canReport: can(user, 'performance.report', resource),
      canImport: can(user, 'performance.record', resource),
    };
  };

  /** The last 24 values, named by where they start and end, since the picture alone says nothing to a screen reader. */
  const sparklineOf = (s: service.MeasureStatus) => {
    const recent = s.series.slice(-24);
    const first = recent[0]!;
    const last = recent.at(-1)!;
    const label = `${s.measure.name}: ${recent.length} values, from ${withUnit(first.value, s.measure.unit)} in ${periodShortLabel(periodOf(first))} to ${withUnit(last.value, s.measure.unit)} in ${periodShortLabel(periodOf(last))}`;
    return sparklineSvg(
      recent.map((v) => v.value),
      { label },
    );
  };

  /** The quarter the officer reports on: the last one that has ended. */
  const reportingQuarter = () => shiftPeriod(periodContaining('quarter', today()), -1);

  // ------------------------------------------------------------------------------------------
  // Dashboard
  // ------------------------------------------------------------------------------------------

  app.get(base, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.view');
    const { slug } = context.body;
    const planId = context.plan.id;
    const query = request.query as { priority?: string; grade?: string; source?: string };
    const filters = {
      priority: context.tree.priorities.some((p) => p.lineageId === query.priority) ? query.priority! : '',
      grade: grades.includes(query.grade as Grade) ? (query.grade as Grade) : '',
      source: typeof query.source === 'string' && Object.hasOwn(evidenceSourceLabels, query.source) ? query.source : '',
    };
    const quarter = reportingQuarter();
    const [statuses, summaries] = await Promise.all([
      service.measureStatuses(db, context),
      listPrioritySummaries(db, planId, [quarter.start]),
    ]);
    const counts = Object.fromEntries(grades.map((g) => [g, statuses.filter((s) => s.grade.grade === g).length])) as Record<Grade, number>;
    const shown = statuses.filter(
      (s) =>
        (!filters.priority || s.priority.lineageId === filters.priority) &&
        (!filters.grade || s.grade.grade === filters.grade) &&
        (!filters.source || s.measure.evidenceSource === filters.source),
    );
    const rowOf = (s: service.MeasureStatus) => ({
      lineageId: s.measure.lineageId,
      name: s.measure.name,
      url: paths.measure(slug, planId, s.measure.lineageId),
      unit: s.measure.unit,
      owner: s.measure.owner,
      evidenceSource: s.measure.evidenceSource,
      evidenceSourceLabel: evidenceSourceLabels[s.measure.evidenceSource],
      latest: s.latest
        ? {
            periodKey: periodKey(periodOf(s.latest)),
            periodLabel: periodLabel(periodOf(s.latest)),
            value: s.latest.value,
            valueText: withUnit(s.latest.value, s.measure.unit),
            revision: s.latest.revision,
          }
        : null,
      revised: s.latestRevised,
      grade: gradeView(s.grade),
      sparkline: s.series.length >= 2 ? sparklineOf(s) : '',
    });
    const priorities = context.tree.priorities
      .map((priority) => {
        const summary = summaries.find((row) => row.priorityLineageId === priority.lineageId);
        return {
          lineageId: priority.lineageId,
          title: priority.title,
          measures: shown.filter((s) => s.priority.lineageId === priority.lineageId).map(rowOf),
          summary: {
            quarterLabel: periodLabel(quarter),
            text: summary?.summary ?? '',
            url: paths.prioritySummary(slug, planId, priority.lineageId, periodKey(quarter)),
          },
        };
      })
      .filter((p) => !filters.priority || p.lineageId === filters.priority);
    const total = shown.length;

    if ((request.headers.accept ?? '').startsWith('application/json')) {
      return reply.send({
        plan: { id: planId, title: context.plan.title, edition: context.edition.number },
        filters,
        counts,
        priorities: priorities.map((p) => ({
          lineageId: p.lineageId,
          title: p.title,
          summary: p.summary.text ? { quarter: periodKey(quarter), text: p.summary.text } : null,
          measures: p.measures.map(({ sparkline: _sparkline, grade, ...m }) => ({
            ...m,
            grade: grade.grade,
            ungradedReason: grade.reason,
            explanation: grade.explanation,
          })),
        })),
      });
    }

    const option = (value: string, text: string, selected: string) => ({ value, text, selected: value === selected });
    return reply.page('performance/views/measures-dashboard.njk', {
      ...context,
      ...permissionsOf(request, context),
      title: `Delivery of ${context.plan.title}`,
      filters,
      counts: grades.map((g) => ({ grade: g, label: gradeLabels[g], tagClass: gradeTagClasses[g], count: counts[g] })),
      total,
      measureCount: statuses.length,
      priorities,
      priorityOptions: [
        option('', 'All priorities', filters.priority),
        ...context.tree.priorities.map((p) => option(p.lineageId, p.title, filters.priority)),
      ],
      gradeOptions: [option('', 'All grades', filters.grade), ...grades.map((g) => option(g, gradeLabels[g], filters.grade))],
      sourceOptions: [
        option('', 'All sources of evidence', filters.source),
        ...Object.entries(evidenceSourceLabels).map(([value, text]) => option(value, text, filters.source)),
      ],
      filtered: Boolean(filters.priority || filters.grade || filters.source),
    });
  });

  // ------------------------------------------------------------------------------------------
  // Measure page
  // ------------------------------------------------------------------------------------------

  app.get(`${base}/measures/:lineageId`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.view');
    const measure = measureParam(request, context);
    const { slug } = context.body;
    const planId = context.plan.id;
    const periodKind = periodKindFor(measure.frequency);
    const [history, settingsRow, commentaries] = await Promise.all([
      valueHistory(db, planId, measure.lineageId),
      findMeasureSettings(db, planId, measure.lineageId),
      listCommentaries(db, planId, [measure.lineageId]),
    ]);
    const ofKind = history.filter((v) => v.periodKind === periodKind);
    // valueHistory is newest period first, newest revision first: the first row per period is current.
    const byPeriod = new Map<string, MeasureValueRow[]>();
    for (const row of ofKind) byPeriod.set(row.periodStart, [...(byPeriod.get(row.periodStart) ?? []), row]);
    const series = [...byPeriod.values()].map((rows) => rows[0]!).reverse();
    const settings = service.settingsFor(measure, settingsRow);
    const grade = service.gradeOf(measure, settings, series);
    const names = await service.displayNames(db, [
      ...ofKind.map((v) => v.enteredBy),
      ...commentaries.map((c) => c.writtenBy),
      settingsRow?.updatedBy ?? null,
    ]);
    const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'Unknown user') : 'The system');
    const unit = measure.unit;
    const priority = service.priorityOfMeasure(context.tree.priorities, measure);
    if ((request.headers.accept ?? '').startsWith('application/json')) {
      const figures = (v: MeasureValueRow) => ({
        revision: v.revision,
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        confidenceLower: v.confidenceLower,
        confidenceUpper: v.confidenceUpper,
        mostSimilarGroupAverage: v.mostSimilarGroupAverage,
        source: v.source,
        sourceNote: v.sourceNote,
        note: v.note,
        enteredBy: nameOf(v.enteredBy),
        enteredAt: v.enteredAt,
      });
      return reply.send({
        measure: { ...measure, periodKind, priority: priority ? { lineageId: priority.lineageId, title: priority.title } : null },
        settings: {
          gradingRule: settings.gradingRule,
          amberMarginPercent: settings.amberMarginPercent,
          nationalMeasureCode: settings.nationalMeasureCode,
        },
        grade,
        values: series.map((v) => ({
          period: periodKey(periodOf(v)),
          ...figures(v),
          revisions: byPeriod.get(v.periodStart)!.map(figures),
        })),
        commentary: commentaries
          .filter((c) => c.periodKind === periodKind)
          .map((c) => ({
            period: periodKey({ kind: c.periodKind, start: c.periodStart }),
            whatIsHappening: c.whatIsHappening,
            whatIsBeingDone: c.whatIsBeingDone,
            writtenBy: nameOf(c.writtenBy),
            writtenAt: c.writtenAt,
          })),
      });
    }
    const points = series.map((v) => ({
      label: periodShortLabel(periodOf(v)),
      value: v.value,
      ...(v.confidenceLower !== null && v.confidenceUpper !== null ? { lower: v.confidenceLower, upper: v.confidenceUpper } : {}),
    }));
    const hasMostSimilarGroup = series.some((v) => v.mostSimilarGroupAverage !== null);
    const chart = series.length
      ? await measureChartSvg({
          title: measure.name,
          unit,
          points,
          target: measure.targetValue,
          baseline: measure.baselineValue,
          ...(hasMostSimilarGroup ? { mostSimilarGroup: series.map((v) => v.mostSimilarGroupAverage) } : {}),
        })
      : '';
    const summary = series.length
      ? summariseSeries({
          name: measure.name,
          unit,
          points: points.map(({ label, value }) => ({ label, value })),
          target: measure.targetValue,
          baseline: measure.baselineValue,
          polarity: measure.polarity,
        })
      : '';
    const { canRecord, canGrade } = permissionsOf(request, context);
    const revisionView = (row: MeasureValueRow) => ({
      revision: row.revision,
      valueText: withUnit(row.value, unit),
      enteredBy: nameOf(row.enteredBy),
      enteredAt: row.enteredAt,
      source: sourceLabels[row.source],
      sourceNote: row.sourceNote,
      note: row.note,
    });
    const rows = series.map((v) => {
      const period = periodOf(v);
      const revisions = byPeriod.get(v.periodStart)!;
      const key = periodKey(period);
      const commentary = commentaries.find((c) => c.periodKind === periodKind && c.periodStart === v.periodStart);
      return {
        periodKey: key,
        periodLabel: periodLabel(period),
        shortLabel: periodShortLabel(period),
        value: v.value,
        ratio: v.numerator !== null && v.denominator !== null ? `${formatNumber(v.numerator)} / ${formatNumber(v.denominator)}` : '',
        interval:
          v.confidenceLower !== null && v.confidenceUpper !== null
            ? `${withUnit(v.confidenceLower, unit)} to ${withUnit(v.confidenceUpper, unit)}`
            : '',
        mostSimilarGroup: withUnit(v.mostSimilarGroupAverage, unit),
        ...revisionView(v),
        revisedFrom: revisions[1] ? { valueText: withUnit(revisions[1].value, unit) } : null,
        history: revisions.map(revisionView),
        correctUrl: paths.measurePart(slug, planId, measure.lineageId, `values/${key}`),
        commentaryUrl: paths.measurePart(slug, planId, measure.lineageId, `commentary/${key}`),
        hasCommentary: Boolean(commentary),
      };
    });
    return reply.page('performance/views/measures-measure.njk', {
      ...context,
      title: measure.name,
      measure,
      priority,
      evidenceSourceLabel: evidenceSourceLabels[measure.evidenceSource],
      targetText: withUnit(measure.targetValue, unit),
      baselineText: withUnit(measure.baselineValue, unit),
      periodKind,
      chart,
      summary,
      grade: gradeView(grade),
      settings,
      ruleLabel: gradingRuleLabels[settings.gradingRule],
      rows,
      newestFirst: [...rows].reverse(),
      revisedPeriods: rows.filter((r) => r.history.length > 1).reverse(),
      hasRatio: rows.some((r) => r.ratio),
      hasInterval: rows.some((r) => r.interval),
      hasMostSimilarGroup,
      commentaries: commentaries
        .filter((c) => c.periodKind === periodKind)
        .map((c) => {
          const period = { kind: c.periodKind, start: c.periodStart };
          return {
            ...c,
            periodLabel: periodLabel(period),
            writtenByName: nameOf(c.writtenBy),
            url: paths.measurePart(slug, planId, measure.lineageId, `commentary/${periodKey(period)}`),
          };
        }),
      canRecord,
      canGrade,
      links: {
        dashboard: paths.performance(slug, planId),
        newValue: paths.measurePart(slug, planId, measure.lineageId, 'values/new'),
        grading: paths.measurePart(slug, planId, measure.lineageId, 'grading'),
        derived: paths.measurePart(slug, planId, measure.lineageId, 'derived'),
      },
    });
  });

  // ------------------------------------------------------------------------------------------
  // Recording and correcting values
  // ------------------------------------------------------------------------------------------

  const valueFieldIds = { month: 'month', year: 'year', quarter: 'quarter', financialYear: 'financialYear' };

  type ValuePage = {
    mode: 'new' | 'correct';
    measure: service.Measure;
    period?: Period;
    current?: MeasureValueRow;
    /** Set after a conflict: the revision someone else recorded meanwhile. */
    theirs?: MeasureValueRow;
  };

  const valueFormPage = async (
    reply: FastifyReply,
    context: PerformanceContext,
    page: ValuePage,
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) => {
    const { slug } = context.body;
    const planId = context.plan.id;
    const { measure } = page;
    const periodKind = periodKindFor(measure.frequency);
    const key = page.period ? periodKey(page.period) : '';
    const names = await service.displayNames(db, [page.current?.enteredBy ?? null, page.theirs?.enteredBy ?? null]);
    const figuresOf = (row: MeasureValueRow | undefined) =>
      row && {
        revision: row.revision,
        valueText: withUnit(row.value, measure.unit),
        ratio:
          row.numerator !== null && row.denominator !== null ? `${formatNumber(row.numerator)} / ${formatNumber(row.denominator)}` : '',
        interval:
          row.confidenceLower !== null && row.confidenceUpper !== null
            ? `${formatNumber(row.confidenceLower)} to ${formatNumber(row.confidenceUpper)}`
            : '',
        mostSimilarGroup: withUnit(row.mostSimilarGroupAverage, measure.unit),
        enteredBy: row.enteredBy ? (names.get(row.enteredBy) ?? 'Unknown user') : 'The system',
        enteredAt: row.enteredAt,
        note: row.note,
      };
    const years = financialYearsOffered(today());
    return reply.page('performance/views/measures-value-form.njk', {
      ...context,
      title: page.mode === 'new' ? `Record a value: ${measure.name}` : `Correct the value for ${periodLabel(page.period!)}`,
      mode: page.mode,
      measure,
      periodKind,
      periodLabel: page.period ? periodLabel(page.period) : '',
      current: figuresOf(page.current),
      theirs: figuresOf(page.theirs),
      formAction:
        page.mode === 'new'
          ? paths.measurePart(slug, planId, measure.lineageId, 'values/new')
          : paths.measurePart(slug, planId, measure.lineageId, `values/${key}`),
      measureUrl: paths.measure(slug, planId, measure.lineageId),
      monthOptions: [
        { value: '', text: 'Select a month', selected: !values.month },
        ...monthNames.map((text, i) => ({ value: String(i + 1), text, selected: values.month === String(i + 1) })),
      ],
      quarterOptions: [
        { value: '', text: 'Select a quarter', selected: !values.quarter },
        ...['April to June', 'July to September', 'October to December', 'January to March'].map((months, i) => ({
          value: String(i + 1),
          text: `Quarter ${i + 1} (${months})`,
          selected: values.quarter === String(i + 1),
        })),
      ],
      yearOptions: [
        { value: '', text: 'Select a financial year', selected: !values.financialYear },
        ...years.map((y) => ({
          value: String(y),
          text: `${y}/${String((y + 1) % 100).padStart(2, '0')}`,
          selected: values.financialYear === String(y),
        })),
      ],
      isPercent: measure.unit.trim() === '%',
      values,
      errors,
      errorList: errorSummary(errors, valueFieldIds),
    });
  };

  const valueFields = (row: MeasureValueRow): Record<string, string> => {
    const text = (n: number | null) => (n === null ? '' : String(n));
    return {
      value: text(row.value),
      numerator: text(row.numerator),
      denominator: text(row.denominator),
      confidenceLower: text(row.confidenceLower),
      confidenceUpper: text(row.confidenceUpper),
      mostSimilarGroupAverage: text(row.mostSimilarGroupAverage),
      sourceNote: row.sourceNote,
      reason: '',
      revision: String(row.revision),
    };
  };

  app.get(`${base}/measures/:lineageId/values/new`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.record');
    const measure = measureParam(request, context);
    return valueFormPage(reply, context, { mode: 'new', measure }, {});
  });

  app.post(`${base}/measures/:lineageId/values/new`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.record');
    const measure = measureParam(request, context);
    const values = formValues(request.body);
    const form = parseForm(newValueFormSchema(periodKindFor(measure.frequency), measure.unit, today()), values);
    if (!form.ok) return valueFormPage(reply.code(400), context, { mode: 'new', measure }, values, form.errors);
    const { period, ...figures } = form.value;
    const outcome = await service.recordValue(changeOf(request, context), measure, period, figures);
    if (outcome.kind === 'exists') {
      const field = period.kind === 'month' ? 'month' : period.kind === 'quarter' ? 'quarter' : 'financialYear';
      return valueFormPage(reply.code(409), context, { mode: 'new', measure }, values, {
        [field]: `A value for ${periodLabel(period)} is already recorded (${withUnit(outcome.current.value, measure.unit)}): correct that value instead`,
      });
    }
    request.session.flash = `Value for ${periodLabel(period)} recorded.`;
    return reply.redirect(paths.measure(context.body.slug, context.plan.id, measure.lineageId));
  });

  const correctionFor = async (request: FastifyRequest) => {
    const context = await performanceFor(db, request, 'performance.record');
    const measure = measureParam(request, context);
    const period = periodParam(request, periodKindFor(measure.frequency));
    const current = await currentValueFor(db, context.plan.id, measure.lineageId, period);
    if (!current) throw notFound();
    return { context, measure, period, current };
  };

  app.get(`${base}/measures/:lineageId/values/:periodKey`, async (request, reply) => {
    const { context, measure, period, current } = await correctionFor(request);
    return valueFormPage(reply, context, { mode: 'correct', measure, period, current }, valueFields(current));
  });

  app.post(`${base}/measures/:lineageId/values/:periodKey`, async (request, reply) => {
    const { context, measure, period, current } = await correctionFor(request);
    const values = formValues(request.body);
    const page: ValuePage = { mode: 'correct', measure, period, current };
    const form = parseForm(correctionFormSchema(measure.unit), values);
    if (!form.ok) return valueFormPage(reply.code(400), context, page, values, form.errors);
    const { revision, ...figures } = form.value;
    const outcome = await service.correctValue(changeOf(request, context), measure, period, figures, revision);
    switch (outcome.kind) {
      case 'not_found':
        throw notFound();
      case 'conflict':
        // Show both figures; the form now carries the new revision, so saving again overrides knowingly.
        return valueFormPage(
          reply.code(409),
          context,
          { ...page, current: outcome.current, theirs: outcome.current },
          { ...values, revision: String(outcome.current.revision) },
          {
            form: 'Someone else recorded a value for this period while you were correcting it. Check their figure below, then save yours again if it is still right.',
          },
        );
      case 'unchanged':
        return valueFormPage(reply.code(400), context, page, values, {
          value: 'The figures are the same as the current value: change at least one figure to correct it',
        });
      case 'corrected':
        request.session.flash = `Value for ${periodLabel(period)} corrected. The previous figure is kept in the history.`;
        return reply.redirect(paths.measure(context.body.slug, context.plan.id, measure.lineageId));
    }
  });

  // ------------------------------------------------------------------------------------------
  // Grading settings
  // ------------------------------------------------------------------------------------------

  const nationalMeasuresOf = async (context: PerformanceContext) =>
    (await listPlanFrameworks(db, context.body.id)).find((f) => f.slug === NATIONAL_MEASURES_FRAMEWORK)?.items ?? [];

  const gradingPage = async (
    reply: FastifyReply,
    context: PerformanceContext,
    measure: service.Measure,
    values: Record<string, string>,
    errors: FieldErrors = {},
    theirs?: service.MeasureSettings,
  ) => {
    const nationalMeasures = await nationalMeasuresOf(context);
    return reply.page('performance/views/measures-grading-form.njk', {
      ...context,
      title: `How ${measure.name} is graded`,
      measure,
      targetText: withUnit(measure.targetValue, measure.unit),
      baselineText: withUnit(measure.baselineValue, measure.unit),
      ruleItems: gradingRules.map((rule) => ({
        value: rule,
        text: gradingRuleLabels[rule],
        hint: { text: gradingRuleHints[rule] },
        checked: values.gradingRule === rule,
      })),
      nationalOptions: [
        { value: '', text: 'None', selected: !values.nationalMeasureCode },
        ...nationalMeasures.map((item) => ({ value: item.code, text: item.title, selected: values.nationalMeasureCode === item.code })),
      ],
      theirs: theirs && {
        ruleLabel: gradingRuleLabels[theirs.gradingRule],
        margin: `${formatNumber(theirs.amberMarginPercent)}%`,
        national: nationalMeasures.find((item) => item.code === theirs.nationalMeasureCode)?.title ?? 'None',
      },
      formAction: paths.measurePart(context.body.slug, context.plan.id, measure.lineageId, 'grading'),
      measureUrl: paths.measure(context.body.slug, context.plan.id, measure.lineageId),
      values,
      errors,
      errorList: errorSummary(errors, { gradingRule: 'gradingRule' }),
    });
  };

  const settingsFields = (settings: service.MeasureSettings): Record<string, string> => ({
    gradingRule: settings.gradingRule,
    amberMarginPercent: String(settings.amberMarginPercent),
    nationalMeasureCode: settings.nationalMeasureCode ?? '',
    version: String(settings.version),
  });

  app.get(`${base}/measures/:lineageId/grading`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.grade');
    const measure = measureParam(request, context);
    const settings = service.settingsFor(measure, await findMeasureSettings(db, context.plan.id, measure.lineageId));
    return gradingPage(reply, context, measure, settingsFields(settings));
  });

  app.post(`${base}/measures/:lineageId/grading`, async (request, reply) => {
    const context = await performanceFor(db, request, 'performance.grade');
    const measure = measureParam(request, context);
    const values = formValues(request.body);
    const codes = (await nationalMeasuresOf(context)).map((item) => item.code);
    const form = parseForm(gradingFormSchema(codes), values);
    if (!form.ok) return gradingPage(reply.code(400), context, measure, values, form.errors);
    const { version, ...settings } = form.value;
    const saved = await service.saveGrading(changeOf(request, context), measure, settings, version);
    if (saved.kind === 'conflict') {
      const theirs = service.settingsFor(measure, saved.current);
      return gradingPage(
        reply.code(409),
        context,
        measure,
        { ...values, version: String(theirs.version) },
        {
          form: 'Someone else changed how this measure is graded while you were editing. Check their settings below, then save yours again if they are still right.',
        },
        theirs,
      );
    }
    request.session.flash = 'Grading settings saved.';
    return reply.redirect(paths.measure(context.body.slug, context.plan.id, measure.lineageId));
  });

  // ------------------------------------------------------------------------------------------
  // Commentary per measure and period
  // ------------------------------------------------------------------------------------------

  const commentaryFor = async (request: FastifyRequest) => {
    const context = await performanceFor(db, request, 'performance.record');
    const measure = measureParam(request, context);
    const period = periodParam(request, periodKindFor(measure.frequency));
    return { context, measure, period };
  };

  const commentaryPage = async (
    reply: FastifyReply,
    context: PerformanceContext,
    measure: service.Measure,
    period: Period,
    values: Record<string, string>,
    errors: FieldErrors = {},
    theirs?: { whatIsHappening: string; whatIsBeingDone: string; writtenAt: Date },
  ) => {
    const value = await currentValueFor(db, context.plan.id, measure.lineageId, period);
    return reply.page('performance/views/measures-commentary-form.njk', {
      ...context,
      title: `Commentary on ${measure.name} for ${periodLabel(period)}`,
      measure,
      periodLabel: periodLabel(period),
      valueText: value ? withUnit(value.value, measure.unit) : '',
      theirs,
      formAction: paths.measurePart(context.body.slug, context.plan.id, measure.lineageId, `commentary/${periodKey(period)}`),
      measureUrl: paths.measure(context.body.slug, context.plan.id, measure.lineageId),
      values,
      errors,
      errorList: errorSummary(errors),
    });
  };

  app.get(`${base}/measures/:lineageId/commentary/:periodKey`, async (request, reply) => {
    const { context, measure, period } = await commentaryFor(request);
    const row = await findCommentary(db, context.plan.id, measure.lineageId, period);
    return commentaryPage(reply, context, measure, period, {
      whatIsHappening: row?.whatIsHappening ?? '',
      whatIsBeingDone: row?.whatIsBeingDone ?? '',
      version: String(row?.version ?? 0),
    });
  });

  app.post(`${base}/measures/:lineageId/commentary/:periodKey`, async (request, reply) => {
    const { context, measure, period } = await commentaryFor(request);
    const values = formValues(request.body);
    const form = parseForm(commentaryFormSchema, values);
    if (!form.ok) return commentaryPage(reply.code(400), context, measure, period, values, form.errors);
    const { version, ...text } = form.value;
    const saved = await service.saveCommentary(changeOf(request, context), measure, period, text, version);
    if (saved.kind === 'conflict') {
      return commentaryPage(
        reply.code(409),
        context,
        measure,
        period,
        { ...values, version: String(saved.current?.version ?? 0) },
        {
          form: 'Someone else saved commentary for this period while you were writing. Check theirs below, then save yours again if it should replace it.',
        },
        saved.current,
      );
    }
    request.session.flash = `Commentary for ${periodLabel(period)} saved.`;
    return reply.redirect(`${paths.measure(context.body.slug, context.plan.id, measure.lineageId)}#commentary`);
  });

  // ------------------------------------------------------------------------------------------
  // The officer's summary per priority per quarter
  // ------------------------------------------------------------------------------------------

  const summaryFor = async (request: FastifyRequest) => {
    const context = await performanceFor(db, request, 'performance.summarise');
    const { lineageId } = request.params as { lineageId: string };
    const priority = context.tree.priorities.find((p) => p.lineageId === lineageId);
    if (!priority) throw notFound();
    const quarter = periodParam(request, 'quarter');
    return { context, priority, quarter };
  };

  const summaryPage = async (
    reply: FastifyReply,
    context: PerformanceContext,
    priority: service.Priority,
    quarter: Period,
    values: Record<string, string>,
    errors: FieldErrors = {},
    theirs?: { summary: string; writtenAt: Date },
  ) =>
    reply.page('performance/views/measures-summary-form.njk', {
      ...context,
      title: `Summary of ${priority.title} for ${periodLabel(quarter)}`,
      priority,
      quarterLabel: periodLabel(quarter),
      theirs,
      formAction: paths.prioritySummary(context.body.slug, context.plan.id, priority.lineageId, periodKey(quarter)),
      dashboardUrl: paths.performance(context.body.slug, context.plan.id),
      values,
      errors,
      errorList: errorSummary(errors),
    });

  app.get(`${base}/priorities/:lineageId/summary/:periodKey`, async (request, reply) => {
    const { context, priority, quarter } = await summaryFor(request);
    const row = await findPrioritySummary(db, context.plan.id, priority.lineageId, quarter.start);
    return summaryPage(reply, context, priority, quarter, { summary: row?.summary ?? '', version: String(row?.version ?? 0) });
  });

  app.post(`${base}/priorities/:lineageId/summary/:periodKey`, async (request, reply) => {
    const { context, priority, quarter } = await summaryFor(request);
    const values = formValues(request.body);
    const form = parseForm(prioritySummaryFormSchema, values);
    if (!form.ok) return summaryPage(reply.code(400), context, priority, quarter, values, form.errors);
    const saved = await service.savePrioritySummary(changeOf(request, context), priority, quarter, form.value.summary, form.value.version);
    if (saved.kind === 'conflict') {
      return summaryPage(
        reply.code(409),
        context,
        priority,
        quarter,
        { ...values, version: String(saved.current?.version ?? 0) },
        {
          form: 'Someone else saved a summary for this quarter while you were writing. Check theirs below, then save yours again if it should replace it.',
        },
        saved.current,
      );
    }
    request.session.flash = `Summary for ${periodLabel(quarter)} saved.`;
    return reply.redirect(`${paths.performance(context.body.slug, context.plan.id)}#priority-${priority.lineageId}`);
  });
}
