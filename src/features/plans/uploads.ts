import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paths } from '../../shared/paths.ts';

/**
 * One-file upload forms (the JSON and Word imports). Each is registered in its own plugin
 * scope, so multipart bodies are accepted there and nowhere else.
 */
export type UploadedFile = { name: string; type: string; data: Buffer };

/** What the multipart hook leaves in request.body: the form's fields and the one file, if any. */
export type Upload = { file?: UploadedFile; problem?: 'too_large' | 'too_many' | 'unreadable' };
type UploadBody = { upload?: Upload; [field: string]: string | Upload | undefined };

/** Makes `scope` accept a multipart form with a `file` field of at most `maxBytes`. */
export async function acceptFileUploads(scope: FastifyInstance, maxBytes: number): Promise<void> {
  // Refuse anonymous uploads before reading them; requireSignedIn still runs as a preHandler.
  scope.addHook('onRequest', async (request, reply) => {
    if (request.method === 'POST' && !request.session?.userId) await reply.redirect(paths.signIn());
  });
  await scope.register(multipart, { limits: { files: 1, fileSize: maxBytes, fields: 5, fieldSize: 1024, parts: 6 } });
  // Read the body before the global CSRF preHandler, so the form's _csrf field is in request.body
  // and the form works without JavaScript.
  scope.addHook('preValidation', readUpload);
}

export const uploadOf = (request: FastifyRequest): Upload | undefined => (request.body as UploadBody | undefined)?.upload;

/** The refusal for a form whose file did not arrive whole, if it did not. */
export function uploadProblem(upload: Upload | undefined, maxBytes: number): { status: number; message: string } | undefined {
  if (upload?.problem === 'too_large')
    return { status: 413, message: `The selected file must be smaller than ${maxBytes / 1024 / 1024} MB` };
  if (upload?.problem === 'too_many') return { status: 413, message: 'Select one file' };
  if (upload?.problem === 'unreadable') return { status: 400, message: 'The file could not be uploaded. Try again' };
  return undefined;
}

/** True when the form was sent without choosing a file. */
export const isNoFile = (file: UploadedFile | undefined): file is undefined => !file || (file.name === '' && file.data.length === 0);

/** Reads the multipart form into request.body, noting (not throwing) a file that is too large. */
async function readUpload(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const fields: Record<string, string> = {};
  const upload: Upload = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.fieldname === 'file') upload.file = { name: part.filename ?? '', type: part.mimetype, data };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    upload.problem =
      code === 'FST_REQ_FILE_TOO_LARGE'
        ? 'too_large'
        : code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT'
          ? 'too_many'
          : 'unreadable';
    upload.file = undefined;
  }
  request.body = { ...fields, upload } satisfies UploadBody;
}
