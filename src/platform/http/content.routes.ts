import type { FastifyInstance } from 'fastify';
import { paths } from '../../shared/paths.ts';

/** The information pages every GOV.UK-style service links from its footer. */
export function registerContentRoutes(app: FastifyInstance): void {
  app.get(paths.accessibility(), (_request, reply) => reply.page('content/accessibility.njk'));
  app.get(paths.privacy(), (_request, reply) => reply.page('content/privacy.njk'));
  app.get(paths.cookies(), (_request, reply) => reply.page('content/cookies.njk'));
}
