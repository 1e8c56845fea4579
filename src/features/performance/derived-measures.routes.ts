import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { errorSummary, type FieldErrors } from '../../platform/http/forms.ts';
import { signedInUser } from '../../platform/http/guards.ts';
import { paths } from '../../shared/paths.ts';
import { forceAreas } from '../organisations/organisations.tables.ts';
import { frequencyLabels } from '../plans/index.ts';
import { loadedMonths } from './crime-data.repository.ts';
import { crimeTypeByLabel, crimeTypeBySlug, streetCrimeTypes } from './domain/crime-types.ts';
import { crimeTypesText } from './domain/derived-values.ts';
import { derivedStatistics, type DerivedMeasureDefinition, type DerivedStatistic, type PeriodKind } from './domain/performance-model.ts';
import { periodKindFor, periodShortLabel } from './domain/periods.ts';
import { derivedSourceNote, findSettings, saveDerivedDefinition, type MeasureSettingsRow } from './derived-measures.service.ts';
import { currentValues } from './measure-values.repository.ts';
import { measureOf, performanceFor, type PerformanceContext } from './performance-context.ts';

export const statisticLabels: Record<DerivedStatistic, string> = {
  monthly_count: 'Number of crimes',
  rolling_12_months: 'Crimes in the last 12 months',
  rolling_12_change_percent: 'Change in the last 12 months on the 12 months before (%)',
};

/** What each statistic gives for a measure reported by month, quarter or financial year. */
const statisticHints: Record<PeriodKind, Record<DerivedStatistic, string>> = {
  month: {
    monthly_count: 'The crimes recorded each month.',
    rolling_12_months: 'For each month, the crimes in the 12 months to the end of it. Needs all 12 months loaded.',
    rolling_12_change_percent:
      'For each month, the 12 months to it against the 12 months before, as a percentage. Needs all 24 months loaded.',
  },
  quarter: {
    monthly_count: 'The crimes recorded in each quarter, once all three of its months are loaded.',
    rolling_12_months: 'For each quarter, the crimes in the 12 months to its end. Needs all 12 months loaded.',
    rolling_12_change_percent:
      'For each quarter, the 12 months to its end against the 12 months before, as a percentage. Needs all 24 months loaded.',
  },
  financial_year: {
    monthly_count: 'The crimes recorded in each financial year, once all 12 of its months are loaded.',
    rolling_12_months: 'For each financial year, the crimes in the 12 months to 31 March: the same as the number of crimes.',
    rolling_12_change_percent: 'For each financial year, the year against the year before, as a percentage. Needs all 24 months loaded.',
  },
};

const conflictMessage =
  'Someone else saved changes to this measure’s settings while you were editing. Their version is shown under “Saved by someone else”. Check your answers, then save again.';

type Values = { crimeTypes: string[]; statistic: string; version: string };

/** Checkbox values arrive as a string for one box and an array for several. */
const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? [value] : [];

/** Reads the definition form; crime types come as data.police.uk slugs, and are stored as the labels the files use. */
export function parseDefinitionForm(body: unknown): { values: Values; errors: FieldErrors; definition: DerivedMeasureDefinition | null } {
  const b = (body ?? {}) as Record<string, unknown>;
  const values: Values = { crimeTypes: list(b.crimeTypes), statistic: String(b.statistic ?? ''), version: String(b.version ?? '') };
  const errors: FieldErrors = {};
  const types = values.crimeTypes.map(crimeTypeBySlug);
  if (types.some((t) => t === undefined)) errors.crimeTypes = 'Choose crime types from the list';
  if (!derivedStatistics.includes(values.statistic as DerivedStatistic)) errors.statistic = 'Choose what to compute';
  if (!/^\d+$/.test(values.version)) errors.form = 'The form was not complete. Reload the page and try again.';
  if (Object.keys(errors).length > 0) return { values, errors, definition: null };
  return {
    values,
    errors,
    definition: {
      dataset: 'street',
      // Kept in the published order, whatever order the boxes came in.
      crimeTypes: streetCrimeTypes.filter((t) => values.crimeTypes.includes(t.slug)).map((t) => t.label),
      statistic: values.statistic as DerivedStatistic,
    },
  };
}

const definitionText = (definition: DerivedMeasureDefinition | null | undefined) =>
  definition ? `${statisticLabels[definition.statistic]}: ${crimeTypesText(definition.crimeTypes)}` : 'Not derived from open police data';

/** Measures defined as queries over imported open police data. */
export async function derivedMeasuresRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const { services } = options;
  const db = services.database.db;
  const route = '/bodies/:slug/plans/:planId/performance/measures/:lineageId/derived';

  const measureFor = async (request: FastifyRequest) => {
    const context = await performanceFor(db, request, 'performance.grade');
    const measure = measureOf(context, (request.params as { lineageId: string }).lineageId);
    return { context, measure };
  };

  const formPage = async (
    reply: FastifyReply,
    context: PerformanceContext,
    measure: ReturnType<typeof measureOf>,
    page: {
      values: Values;
      errors?: FieldErrors;
      settings: MeasureSettingsRow | undefined;
      conflict?: { current: MeasureSettingsRow | undefined };
    },
  ) => {
    const { body, plan } = context;
    const [forceArea] = await db.select().from(forceAreas).where(eq(forceAreas.id, body.forceAreaId));
    const loaded = forceArea ? (await loadedMonths(db, forceArea.id)).street : [];
    const periodKind = periodKindFor(measure.frequency);
    const values = (await currentValues(db, plan.id, [measure.lineageId]))
      .filter((v) => v.source === 'derived')
      .reverse()
      .slice(0, 24);
    const errors = page.errors ?? {};
    const derived = page.settings?.derived ?? null;
    return reply.page('performance/views/derived-measure-form.njk', {
      ...context,
      measure: { ...measure, frequencyLabel: frequencyLabels[measure.frequency] },
      forceArea,
      coversForce: forceArea !== undefined && !forceArea.isFictional,
      loadedText: loaded.length
        ? `${periodShortLabel({ kind: 'month', start: loaded[0]! })} to ${periodShortLabel({ kind: 'month', start: loaded.at(-1)! })} (${loaded.length} ${loaded.length === 1 ? 'month' : 'months'})`
        : '',
      periodKind,
      crimeTypes: streetCrimeTypes,
      statistics: derivedStatistics.map((value) => ({ value, text: statisticLabels[value], hint: statisticHints[periodKind][value] })),
      derived,
      derivedText: definitionText(derived),
      sourceNote: derived ? derivedSourceNote(derived) : '',
      derivedValues: values.map((v) => ({
        period: periodShortLabel({ kind: v.periodKind, start: v.periodStart }),
        value: v.value,
        revision: v.revision,
      })),
      conflict: page.conflict ? { text: definitionText(page.conflict.current?.derived) } : undefined,
      values: page.values,
      errors,
      errorList: errorSummary(errors, { crimeTypes: 'crimeTypes', statistic: 'statistic' }),
    });
  };

  /** The form's values for a saved definition (or none), at the settings version shown. */
  const valuesOf = (settings: MeasureSettingsRow | undefined): Values => ({
    crimeTypes: (settings?.derived?.crimeTypes ?? []).map((label) => crimeTypeByLabel(label)?.slug ?? label),
    statistic: settings?.derived?.statistic ?? '',
    version: String(settings?.version ?? 0),
  });

  app.get(route, async (request, reply) => {
    const { context, measure } = await measureFor(request);
    const settings = await findSettings(db, context.plan.id, measure.lineageId);
    return formPage(reply, context, measure, { values: valuesOf(settings), settings });
  });

  app.post(route, async (request, reply) => {
    const { context, measure } = await measureFor(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const remove = body.action === 'remove';
    const parsed = remove
      ? { values: { crimeTypes: [], statistic: '', version: String(body.version ?? '') }, errors: {}, definition: null }
      : parseDefinitionForm(body);
    const settings = await findSettings(db, context.plan.id, measure.lineageId);
    if (remove && !/^\d+$/.test(parsed.values.version))
      parsed.errors = { form: 'The form was not complete. Reload the page and try again.' };
    if (Object.keys(parsed.errors).length > 0) {
      return formPage(reply.code(400), context, measure, { values: parsed.values, errors: parsed.errors, settings });
    }
    const user = signedInUser(request);
    const result = await saveDerivedDefinition(db, {
      actor: user,
      policingBodyId: context.body.id,
      forceAreaId: context.body.forceAreaId,
      planId: context.plan.id,
      measure: { lineageId: measure.lineageId, name: measure.name, frequency: measure.frequency },
      definition: parsed.definition,
      expectedVersion: Number(parsed.values.version),
      now: services.now(),
    });
    if (!result.ok) {
      const current = result.error.current;
      // The user's answers, at the saved version, so saving again is a knowing overwrite.
      return formPage(reply.code(409), context, measure, {
        values: { ...parsed.values, version: String(current?.version ?? 0) },
        errors: { form: conflictMessage },
        settings: current,
        conflict: { current },
      });
    }
    const { written } = result.value;
    request.session.flash = parsed.definition
      ? `${measure.name} is now computed from data.police.uk: ${written} ${written === 1 ? 'value' : 'values'} recorded.`
      : `${measure.name} is no longer computed from data.police.uk. The values already recorded stay.`;
    return reply.redirect(paths.measurePart(context.body.slug, context.plan.id, measure.lineageId, 'derived'));
  });
}
