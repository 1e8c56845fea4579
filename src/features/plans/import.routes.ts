import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, listPartners, type PolicingBody } from '../organisations/index.ts';
import { MAX_PROBLEMS, planJsonToTree, validatePlanJson, type Problem } from './domain/plan-json.ts';
import { importPlan } from './import.service.ts';
import { can } from './plans.permissions.ts';
import { listFrameworks } from './plans.repository.ts';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** What the multipart hook leaves in request.body: the form's fields and the one file, if any. */
type Upload = { file?: { name: string; type: string; data: Buffer }; problem?: 'too_large' | 'too_many' | 'unreadable' };
type UploadBody = { upload?: Upload; [field: string]: string | Upload | undefined };

/**
 * Import a plan-v1 JSON file (an export from this or another installation) as a new plan with
 * its first draft edition. Needs `plan.create`. All or nothing: any problem lists every problem
 * on the upload page and writes nothing.
 */
export async function importRoutes(app: FastifyInstance, services: Services): Promise<void> {
  // Its own scope, so multipart bodies are accepted here and nowhere else.
  await app.register(async (scope) => {
    const db = services.database.db;
    // Refuse anonymous uploads before reading them; requireSignedIn still runs as a preHandler.
    scope.addHook('onRequest', async (request, reply) => {
      if (request.method === 'POST' && !request.session?.userId) await reply.redirect(paths.signIn());
    });
    await scope.register(multipart, { limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 5, fieldSize: 1024, parts: 6 } });
    // Read the body before the global CSRF preHandler, so the form's _csrf field is in request.body
    // and the form works without JavaScript.
    scope.addHook('preValidation', readUpload);

    const bodyFor = async (request: FastifyRequest) => {
      const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
      if (!body) throw notFound();
      authorise(can(signedInUser(request), 'plan.create', { policingBodyId: body.id }));
      return body;
    };

    const page = (
      reply: FastifyReply,
      body: PolicingBody,
      refusal?: { message: string; problems?: Problem[]; missingPartners?: string[] },
    ) => {
      const problems = refusal?.problems ?? [];
      return reply.page('plans/views/import-plan.njk', {
        body,
        error: refusal?.message,
        errorList: refusal
          ? [
              { text: refusal.message, href: '#file' },
              ...problems.slice(0, MAX_PROBLEMS).map((p) => ({ text: `${p.path}: ${p.message}`, href: '#file' })),
            ]
          : [],
        problemCount: problems.length,
        hiddenCount: Math.max(0, problems.length - MAX_PROBLEMS),
        missingPartners: refusal?.missingPartners ?? [],
        maxMegabytes: MAX_UPLOAD_BYTES / 1024 / 1024,
      });
    };

    const url = '/bodies/:slug/plans/import';

    scope.get(url, async (request, reply) => page(reply, await bodyFor(request)));

    scope.post(url, async (request, reply) => {
      const body = await bodyFor(request);
      const upload = (request.body as UploadBody | undefined)?.upload;
      const refuse = (status: number, message: string, details: { problems?: Problem[]; missingPartners?: string[] } = {}) =>
        page(reply.code(status), body, { message, ...details });

      if (upload?.problem === 'too_large')
        return refuse(413, `The selected file must be smaller than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
      if (upload?.problem === 'too_many') return refuse(413, 'Select one file');
      if (upload?.problem === 'unreadable') return refuse(400, 'The file could not be uploaded. Try again');
      const file = upload?.file;
      if (!file || (file.name === '' && file.data.length === 0)) return refuse(400, 'Select a JSON file exported from this service');
      if (!/\.json$/i.test(file.name) && !/^application\/(.+\+)?json$/.test(file.type))
        return refuse(400, 'The selected file must be a JSON file, ending .json');
      if (file.data.length === 0) return refuse(400, 'The selected file is empty');

      let value: unknown;
      try {
        value = JSON.parse(file.data.toString('utf8').replace(/^\uFEFF/, ''));
      } catch (error) {
        return refuse(400, `The selected file is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = validatePlanJson(value);
      if (!parsed.ok) return refuse(400, problemsMessage(parsed.error.length), { problems: parsed.error });

      const [partners, frameworks] = await Promise.all([listPartners(db, body.id), listFrameworks(db, body.id)]);
      const partnerIds = new Map(partners.map((p) => [p.name.trim().toLowerCase(), p.id]));
      const itemIds = new Map(frameworks.flatMap((f) => f.items.map((item) => [`${f.slug}\u0000${item.code}`, item.id] as const)));
      const mapped = planJsonToTree(parsed.value, {
        partnerIdByName: (name) => partnerIds.get(name.trim().toLowerCase()),
        frameworkItemId: (ref) => itemIds.get(`${ref.framework}\u0000${ref.code}`),
      });
      if (!mapped.ok) {
        const { problems, missingPartners } = mapped.error;
        const message = missingPartners.length
          ? `Add ${missingPartners.length === 1 ? 'this partner organisation' : `these ${missingPartners.length} partner organisations`} to ${body.name} first, then import again: ${missingPartners.join(', ')}`
          : problemsMessage(problems.length);
        return refuse(400, message, { problems, missingPartners });
      }

      const { plan, edition } = await importPlan(db, signedInUser(request), body.id, mapped.value, parsed.value, services.now());
      request.session.flash = `${plan.title} has been imported as a new plan with its first draft edition.`;
      return reply.redirect(paths.edition(body.slug, plan.id, edition.number));
    });
  });
}

const problemsMessage = (count: number) =>
  `The selected file is not a plan this service can import: it has ${count === 1 ? '1 problem' : `${count} problems`}. Nothing was imported`;

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
