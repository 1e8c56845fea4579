import { randomUUID } from 'node:crypto';
import mammoth from 'mammoth';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, type PolicingBody } from '../organisations/index.ts';
import {
  detectStructure,
  mammothStyleMap,
  outlineFromItems,
  outlineItems,
  outlineLevels,
  outlineToTree,
  type Outline,
  type OutlineItem,
  type UnusableReason,
} from './domain/docx-structure.ts';
import { can } from './plans.permissions.ts';
import { newPlanDefaults, newPlanSchema } from './plans.schemas.ts';
import { acceptFileUploads, isNoFile, uploadOf, uploadProblem } from './uploads.ts';
import { importPlan } from './import.service.ts';

export const MAX_WORD_BYTES = 10 * 1024 * 1024;
/** More rows than this would make a preview nobody can check, and a form bigger than the body limit. */
export const MAX_OUTLINE_ITEMS = 400;

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const unusableMessages: Record<UnusableReason, string> = {
  no_text: 'The selected document has no text to import',
  no_headings:
    'The selected document has no headings, so the service cannot tell its priorities apart. In Word, give each priority the Heading 1 style and each objective Heading 2, then try again',
  no_priorities:
    'The service found no priorities in the selected document. Number each priority heading (for example “1. Keeping people safe”) or give it the Heading 1 style, then try again',
};
const notWordMessage = 'The selected file is not a Word document. Open it in Word, save it as a Word Document (.docx), then try again';

/**
 * Import a plan from a Word document: upload (.docx only), then a preview of the structure the
 * service found, which the officer confirms or adjusts. Nothing is kept between the two: the
 * proposed outline travels in the preview form itself, and nothing is saved until it is confirmed.
 * Needs `plan.create`.
 */
export async function wordImportRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    const db = services.database.db;
    await acceptFileUploads(scope, MAX_WORD_BYTES);

    const bodyFor = async (request: FastifyRequest) => {
      const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
      if (!body) throw notFound();
      authorise(can(signedInUser(request), 'plan.create', { policingBodyId: body.id }));
      return body;
    };

    const uploadPage = (reply: FastifyReply, body: PolicingBody, error?: string) =>
      reply.page('plans/views/import-word.njk', {
        body,
        error,
        errorList: error ? [{ text: error, href: '#file' }] : [],
        maxMegabytes: MAX_WORD_BYTES / 1024 / 1024,
      });

    const previewPage = (
      reply: FastifyReply,
      body: PolicingBody,
      form: { values: Record<string, string>; items: OutlineItem[]; errors?: FieldErrors; outline?: Outline },
    ) => {
      const errors = form.errors ?? {};
      return reply.page('plans/views/import-word-preview.njk', {
        body,
        values: form.values,
        items: form.items,
        levels: outlineLevels,
        counts: form.outline?.counts,
        warnings: form.outline?.warnings ?? [],
        errors,
        errorList: errorSummary(errors, { periodStartsOn: 'periodStartsOn-day', periodEndsOn: 'periodEndsOn-day' }),
      });
    };

    scope.get('/bodies/:slug/plans/import-word', async (request, reply) => uploadPage(reply, await bodyFor(request)));

    scope.post('/bodies/:slug/plans/import-word', async (request, reply) => {
      const body = await bodyFor(request);
      const upload = uploadOf(request);
      const refuse = (status: number, message: string) => uploadPage(reply.code(status), body, message);

      const problem = uploadProblem(upload, MAX_WORD_BYTES);
      if (problem) return refuse(problem.status, problem.message);
      const file = upload?.file;
      if (isNoFile(file)) return refuse(400, 'Select a Word document (.docx)');
      if (!/\.docx$/i.test(file.name) && file.type !== DOCX_TYPE)
        return refuse(400, 'The selected file must be a Word document, ending .docx');
      if (file.data.length === 0) return refuse(400, 'The selected file is empty');

      const html = await wordToHtml(file.data);
      if (!html.ok) return refuse(400, notWordMessage);
      const detected = detectStructure(html.value);
      if (!detected.ok) return refuse(400, unusableMessages[detected.error]);
      const outline = detected.value;
      const items = outlineItems(outline.priorities);
      if (items.length > MAX_OUTLINE_ITEMS)
        return refuse(
          400,
          `The selected document has more than ${MAX_OUTLINE_ITEMS} priorities, objectives and commitments. Import a shorter version, then add the rest in the editor`,
        );

      const defaults = newPlanDefaults(services.now().toISOString().slice(0, 10), body.termEndsOn);
      return previewPage(reply, body, {
        outline,
        items,
        values: {
          fileName: file.name.slice(0, 200),
          ...defaults,
          title: outline.title.slice(0, 200) || defaults.title!,
          vision: outline.vision,
        },
      });
    });

    scope.post('/bodies/:slug/plans/import-word/confirm', async (request, reply) => {
      const body = await bodyFor(request);
      const values = formValues(request.body);
      const items = itemsFrom(values);
      const plan = parseForm(newPlanSchema, values);
      const outline = outlineFromItems(items);
      const errors: FieldErrors = plan.ok ? {} : { ...plan.errors };
      if (!outline.ok) for (const p of outline.error) errors[`item-${p.index}-${p.field}`] ??= p.message;
      if (!plan.ok || !outline.ok) return previewPage(reply.code(400), body, { values, items, errors });

      const { vision, ...header } = plan.value;
      const tree = outlineToTree(vision, outline.value, randomUUID);
      const created = await importPlan(
        db,
        signedInUser(request),
        body.id,
        { plan: header, tree },
        { action: 'plan.imported_from_word', source: { fileName: values.fileName ?? '' } },
        services.now(),
      );
      request.session.flash = `${created.plan.title} has been imported from Word as a new plan with its first draft edition. Complete each commitment’s owner and timescale.`;
      return reply.redirect(paths.edition(body.slug, created.plan.id, created.edition.number));
    });
  });
}

/** The document as mammoth's HTML, or a refusal when it is not a Word document mammoth can read. */
async function wordToHtml(data: Buffer): Promise<Result<string, 'not_docx'>> {
  // A .docx is a ZIP; checking the signature first refuses a renamed .doc, PDF or image cheaply.
  if (data.length < ZIP_SIGNATURE.length || !data.subarray(0, ZIP_SIGNATURE.length).equals(ZIP_SIGNATURE)) return fail('not_docx');
  try {
    const result = await mammoth.convertToHtml(
      { buffer: data },
      {
        styleMap: mammothStyleMap,
        includeEmbeddedStyleMap: false,
        externalFileAccess: false,
        // Pictures are not part of the structure; leaving them out keeps the HTML small.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    return ok(result.value);
  } catch {
    return fail('not_docx');
  }
}

/** The preview form's rows, as many as it says it has (up to the limit); a missing field reads as empty. */
function itemsFrom(values: Record<string, string>): OutlineItem[] {
  const count = Math.min(Math.max(0, Math.trunc(Number(values.itemCount)) || 0), MAX_OUTLINE_ITEMS);
  return Array.from({ length: count }, (_, i) => {
    const level = values[`item-${i}-level`];
    return {
      level: outlineLevels.find((l) => l === level) ?? 'commitment',
      text: values[`item-${i}-text`] ?? '',
      detail: values[`item-${i}-detail`] ?? '',
      isIncluded: values[`item-${i}-include`] === 'yes',
    };
  });
}
