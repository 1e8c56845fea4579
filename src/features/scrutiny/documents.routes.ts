import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { paths } from '../../shared/paths.ts';
import { acceptFileUploads, isNoFile, uploadOf, uploadProblem } from '../plans/index.ts';
import { detectDocumentType } from './domain/documents.ts';
import { maxDocumentBytes } from './domain/kinds.ts';
import { documentExtensions } from './domain/labels.ts';
import { found, idParam, panelFor, type PanelContext } from './scrutiny-context.ts';
import * as repository from './scrutiny.repository.ts';
import { documentFormSchema } from './scrutiny.schemas.ts';
import * as service from './scrutiny.service.ts';

const wrongType = 'The selected file must be a PDF, a Word document (.docx) or an OpenDocument text (.odt)';

/** A file name safe to store and to send back: no folders, no control characters, the right extension. */
export function safeFileName(name: string, mediaType: string): string {
  const base =
    name
      .split(/[\\/]/)
      .pop()!
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f"]/g, '')
      .trim()
      .slice(0, 200) || 'document';
  const extension = documentExtensions[mediaType] ?? '';
  return base.toLowerCase().endsWith(extension) ? base : `${base}${extension}`;
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987). */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Report documents for agenda items: uploaded in their own plugin scope (so multipart bodies are
 * accepted here only), checked by their content, and downloaded as attachments.
 */
export async function documentsRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.database.db;
  await acceptFileUploads(app, maxDocumentBytes);
  const url = '/bodies/:slug/scrutiny/meetings/:meetingId/items/:itemId/documents/new';

  const itemFor = async (request: FastifyRequest, context: PanelContext) => {
    const meeting = found(await repository.findMeeting(db, context.panel.id, idParam(request, 'meetingId')));
    const item = found(await repository.findAgendaItem(db, meeting.id, idParam(request, 'itemId')));
    return { meeting, item };
  };

  const formPage = (
    reply: FastifyReply,
    context: PanelContext,
    page: { meeting: repository.Meeting; item: repository.AgendaItem },
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) =>
    reply.page('scrutiny/views/document-form.njk', {
      ...context,
      ...page,
      action: paths.agendaItemPart(context.body.slug, page.meeting.id, page.item.id, 'documents/new'),
      maxMegabytes: maxDocumentBytes / 1024 / 1024,
      values,
      errors,
      errorList: errorSummary(errors),
    });

  app.get(url, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    return formPage(reply, context, await itemFor(request, context), {});
  });

  app.post(url, async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.manage');
    const page = await itemFor(request, context);
    const upload = uploadOf(request);
    const values = formValues(Object.fromEntries(Object.entries(request.body ?? {}).filter(([key]) => key !== 'upload')));
    const problem = uploadProblem(upload, maxDocumentBytes);
    const form = parseForm(documentFormSchema, values);
    const errors: FieldErrors = form.ok ? {} : { ...form.errors };
    let mediaType = null;
    if (problem) errors.file = problem.message;
    else if (isNoFile(upload?.file)) errors.file = 'Select a report document';
    else if (!(mediaType = detectDocumentType(upload!.file!.data))) errors.file = wrongType;
    if (!form.ok || !mediaType || Object.keys(errors).length) {
      return formPage(reply.code(problem?.status ?? 400), context, page, values, errors);
    }
    const file = upload!.file!;
    await service.addDocument(context.change, page.item, {
      title: form.value.title,
      fileName: safeFileName(file.name, mediaType),
      mediaType,
      data: file.data,
    });
    request.session.flash = `${form.value.title} has been uploaded.`;
    return reply.redirect(`${paths.meeting(context.body.slug, page.meeting.id)}#item-${page.item.id}`);
  });

  app.get('/bodies/:slug/scrutiny/documents/:documentId', async (request, reply) => {
    const context = await panelFor(services, request, 'scrutiny.view');
    const document = found(await repository.findDocument(db, context.panel.id, idParam(request, 'documentId')));
    return sendDocument(reply, document);
  });
}

/** Sends a stored document so browsers save it and never render or sniff it. */
export function sendDocument(reply: FastifyReply, document: { mediaType: string; fileName: string; content: Buffer; sha256: string }) {
  return reply
    .header('content-type', document.mediaType)
    .header('content-disposition', attachmentHeader(document.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-length', String(document.content.length))
    .send(document.content);
}
