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
import { acceptFileUploads, isNoFile, uploadOf, uploadProblem } from './uploads.ts';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * Import a plan-v1 JSON file (an export from this or another installation) as a new plan with
 * its first draft edition. Needs `plan.create`. All or nothing: any problem lists every problem
 * on the upload page and writes nothing.
 */
export async function importRoutes(app: FastifyInstance, services: Services): Promise<void> {
  // Its own scope, so multipart bodies are accepted here and nowhere else.
  await app.register(async (scope) => {
    const db = services.database.db;
    await acceptFileUploads(scope, MAX_UPLOAD_BYTES);

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
      const upload = uploadOf(request);
      const refuse = (status: number, message: string, details: { problems?: Problem[]; missingPartners?: string[] } = {}) =>
        page(reply.code(status), body, { message, ...details });

      const problem = uploadProblem(upload, MAX_UPLOAD_BYTES);
      if (problem) return refuse(problem.status, problem.message);
      const file = upload?.file;
      if (isNoFile(file)) return refuse(400, 'Select a JSON file exported from this service');
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

      const source = { schema: parsed.value.schema, plan: parsed.value.plan, edition: parsed.value.edition, body: parsed.value.body };
      const { plan, edition } = await importPlan(
        db,
        signedInUser(request),
        body.id,
        mapped.value,
        { action: 'plan.imported', source },
        services.now(),
      );
      request.session.flash = `${plan.title} has been imported as a new plan with its first draft edition.`;
      return reply.redirect(paths.edition(body.slug, plan.id, edition.number));
    });
  });
}

const problemsMessage = (count: number) =>
  `The selected file is not a plan this service can import: it has ${count === 1 ? '1 problem' : `${count} problems`}. Nothing was imported`;
