import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import type { Executor } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { errorSummary, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { signedInUser } from '../../platform/http/guards.ts';
import { fail, ok } from '../../shared/result.ts';
import { dutyLabels } from './domain/completeness.ts';
import { sectionLabels } from './domain/labels.ts';
import { dutyKinds, statutorySectionKinds, type DutyKind, type EditionTree, type StatutorySectionKind } from './domain/plan-tree.ts';
import { conflictMessage, editionFor, editorUrl, frozenMessage, partUrl, type EditionContext } from './edition-context.ts';
import { formFields } from './elements/element.routes.ts';
import * as narratives from './narratives.repository.ts';
import { listFrameworks, loadEditionTree, SPR_FRAMEWORK_SLUG } from './plans.repository.ts';
import { optionalText } from './plans.schemas.ts';
import { editDraft } from './plans.service.ts';

const textSchema = z.object({ text: optionalText('the text', 20000), elementLineageIds: z.array(z.string()).max(500).default([]) });

/** One text of an edition to edit: where it is, what it is called, how to load and save it. */
type Narrative = {
  heading: string;
  hint: string;
  basis: string;
  anchor: string;
  auditAction: string;
  hasElementLinks: boolean;
  load(
    executor: Executor,
    context: EditionContext,
  ): Promise<{ id: string; text: string; version: number; elementLineageIds: string[] } | null>;
  save(
    tx: Executor,
    context: EditionContext,
    version: number,
    text: string,
    elementLineageIds: readonly string[],
  ): Promise<{ id: string } | undefined>;
};

/**
 * Editing the edition's single texts: the s.7(1) sections (b)–(f), the "have regard to"
 * duty statements, and explanations for SPR threats the plan does not address.
 */
export async function narrativesRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.database.db;

  const sectionNarrative = (kind: StatutorySectionKind): Narrative => ({
    heading: sectionLabels[kind],
    hint: 'Write it for the public: plain English, short paragraphs.',
    basis: {
      policing_provided: 's.7(1)(b)',
      resources: 's.7(1)(c)',
      reporting: 's.7(1)(d)',
      performance: 's.7(1)(e)',
      grants_and_victims: 's.7(1)(f)',
    }[kind],
    anchor: `section-${kind}`,
    auditAction: 'statutory_section.updated',
    hasElementLinks: false,
    load: async (executor, c) => {
      const row = await narratives.findSection(executor, c.edition.id, kind);
      return row ? { id: row.id, text: row.narrative, version: row.version, elementLineageIds: [] } : null;
    },
    save: async (tx, c, version, text) => {
      const row = await narratives.findSection(tx, c.edition.id, kind);
      return row ? narratives.updateSection(tx, row.id, version, text) : undefined;
    },
  });

  const dutyNarrative = (duty: DutyKind): Narrative => ({
    heading: `How the plan has regard to ${dutyLabels[duty].title.charAt(0).toLowerCase()}${dutyLabels[duty].title.slice(1)}`,
    hint: 'Say what the plan does about this duty, and tick the parts of the plan that meet it.',
    basis: dutyLabels[duty].basis,
    anchor: `duty-${duty}`,
    auditAction: 'duty_statement.updated',
    hasElementLinks: true,
    load: async (executor, c) => {
      const row = await narratives.findDuty(executor, c.edition.id, duty);
      if (!row) return null;
      const tree = await loadEditionTree(executor, c.edition.id, '');
      return {
        id: row.id,
        text: row.statement,
        version: row.version,
        elementLineageIds: tree.dutyStatements.find((d) => d.duty === duty)?.elementLineageIds ?? [],
      };
    },
    save: async (tx, c, version, text, elementLineageIds) => {
      const row = await narratives.findDuty(tx, c.edition.id, duty);
      return row ? narratives.updateDuty(tx, row.id, version, text, elementLineageIds) : undefined;
    },
  });

  const sprNarrative = async (c: EditionContext, itemId: string): Promise<Narrative | null> => {
    const threat = (await listFrameworks(db, c.body.id)).find((f) => f.slug === SPR_FRAMEWORK_SLUG)?.items.find((i) => i.id === itemId);
    if (!threat) return null;
    return {
      heading: `Strategic Policing Requirement: ${threat.title}`,
      hint: 'If no priority, objective or commitment addresses this threat, explain how it is met, for example regionally or nationally.',
      basis: 'PRSRA 2011 s.5(5)',
      anchor: 'spr',
      auditAction: 'spr_explanation.updated',
      hasElementLinks: false,
      load: async (executor) => {
        const row = await narratives.findSprExplanation(executor, c.edition.id, itemId);
        return { id: itemId, text: row?.explanation ?? '', version: row?.version ?? 0, elementLineageIds: [] };
      },
      save: async (tx, context, version, text) => {
        const row = await narratives.saveSprExplanation(tx, context.edition.id, itemId, version, text);
        return row ? { id: itemId } : undefined;
      },
    };
  };

  const narrativeFor = async (request: FastifyRequest, context: EditionContext): Promise<Narrative> => {
    const { kind, duty, itemId } = request.params as { kind?: string; duty?: string; itemId?: string };
    if (kind !== undefined) {
      if (!(statutorySectionKinds as readonly string[]).includes(kind)) throw notFound();
      return sectionNarrative(kind as StatutorySectionKind);
    }
    if (duty !== undefined) {
      if (!(dutyKinds as readonly string[]).includes(duty)) throw notFound();
      return dutyNarrative(duty as DutyKind);
    }
    const spr = itemId ? await sprNarrative(context, itemId) : null;
    if (!spr) throw notFound();
    return spr;
  };

  const elementChoices = (tree: EditionTree) =>
    tree.priorities.flatMap((p, i) => [
      { value: p.lineageId, text: `Priority ${i + 1}: ${p.title}` },
      ...p.objectives.map((o, j) => ({ value: o.lineageId, text: `Objective ${i + 1}.${j + 1}: ${o.title}` })),
    ]);

  const page = async (
    reply: FastifyReply,
    context: EditionContext,
    narrative: Narrative,
    action: string,
    values: Record<string, string | string[]>,
    errors: FieldErrors = {},
    saved?: string,
  ) =>
    reply.page('plans/views/narrative-form.njk', {
      ...context,
      narrative,
      action,
      values,
      errors,
      errorList: errorSummary(errors, { text: 'text' }),
      saved,
      elements: narrative.hasElementLinks ? elementChoices(await loadEditionTree(db, context.edition.id, '')) : [],
      backTo: `${editorUrl(context)}#${narrative.anchor}`,
    });

  for (const route of ['sections/:kind', 'duties/:duty', 'spr/:itemId']) {
    const url = `/bodies/:slug/plans/:planId/editions/:n/${route}`;
    const actionOf = (request: FastifyRequest, context: EditionContext) =>
      partUrl(context, request.url.split('?')[0]!.split(`/editions/${context.edition.number}/`)[1]!);

    app.get(url, async (request, reply) => {
      const context = await editionFor(db, request, 'edit');
      if (context.edition.isFrozen) throw new HttpError(409, frozenMessage);
      const narrative = await narrativeFor(request, context);
      const current = await narrative.load(db, context);
      if (!current) throw notFound();
      return page(reply, context, narrative, actionOf(request, context), {
        text: current.text,
        version: String(current.version),
        elementLineageIds: current.elementLineageIds,
      });
    });

    app.post(url, async (request, reply) => {
      const context = await editionFor(db, request, 'edit');
      const narrative = await narrativeFor(request, context);
      const values = formFields(request.body, ['elementLineageIds']);
      const form = parseForm(textSchema, values);
      if (!form.ok) return page(reply.code(400), context, narrative, actionOf(request, context), values, form.errors);
      const tree = await loadEditionTree(db, context.edition.id, '');
      const known = new Set(elementChoices(tree).map((e) => e.value));
      const linked = form.value.elementLineageIds.filter((id) => known.has(id));
      const result = await editDraft(db, context.edition.id, async (tx) => {
        const before = await narrative.load(tx, context);
        const saved = await narrative.save(tx, context, Number(values.version) || 0, form.value.text, linked);
        if (!saved || !before) return fail({ kind: 'conflict' as const, current: { text: before?.text ?? '' } });
        await appendAuditEvent(tx, {
          actor: { userId: signedInUser(request).id, label: signedInUser(request).displayName },
          policingBodyId: context.body.id,
          action: narrative.auditAction,
          subject: { type: narrative.auditAction.split('.')[0]!, id: saved.id },
          before: { text: before.text, elementLineageIds: before.elementLineageIds },
          after: { text: form.value.text, elementLineageIds: linked },
          occurredAt: services.now(),
        });
        return ok(saved);
      });
      if (!result.ok) {
        if (result.error.kind === 'frozen') throw new HttpError(409, result.error.message ?? frozenMessage);
        if (result.error.kind !== 'conflict') throw notFound();
        const fresh = await narrative.load(db, context);
        return page(
          reply.code(409),
          context,
          narrative,
          actionOf(request, context),
          { ...values, version: String(fresh?.version ?? 0) },
          { form: conflictMessage },
          fresh?.text ?? '',
        );
      }
      request.session.flash = 'Saved.';
      return reply.redirect(`${editorUrl(context)}#${narrative.anchor}`);
    });
  }
}
