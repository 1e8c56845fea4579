import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';
import { PublicSite, type PublicPage } from './public-site.ts';

type Options = { services: Services };

declare module 'fastify' {
  interface FastifyInstance {
    publicSite?: PublicSite;
  }
}

/** Every page of a body's public site. `:slug` comes first, so fixed paths of the service always win. */
const publicPages: [string, PublicPage][] = [
  ['/:slug', 'home'],
  ['/:slug/plan', 'plan'],
  ['/:slug/plan-on-a-page', 'plan-on-a-page'],
  ['/:slug/plan.json', 'plan-json'],
  ['/:slug/editions', 'editions'],
  ['/:slug/editions/:id', 'edition'],
  ['/:slug/editions/:id/plan-on-a-page', 'edition-on-a-page'],
  ['/:slug/editions/:id/plan.json', 'edition-json'],
  ['/:slug/changes', 'changes'],
  ['/:slug/recommendations', 'recommendations'],
  ['/:slug/meetings', 'meetings'],
  ['/:slug/meetings/:meetingId', 'meeting'],
  ['/:slug/meetings/:meetingId/documents/:documentId', 'document'],
  ['/:slug/national-measures', 'national-measures'],
];

/**
 * Serves the public site before the service's own request hooks (CSP nonce, session, CSRF,
 * current user), none of which a public page needs: call it before those are registered. Public
 * routes are marked by `config.publicSite`; every other request passes straight through.
 */
export function registerPublicSite(app: FastifyInstance, services: Services): void {
  const site = new PublicSite(services);
  app.decorate('publicSite', site);
  app.addHook('onRequest', async (request, reply) => {
    const page = request.routeOptions.config.publicSite;
    if (page === undefined) return;
    return site.serve(request, reply, page);
  });
}

export async function publicationRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  // Without registerPublicSite, the same pages are served here, after the service's hooks.
  const site = app.publicSite ?? new PublicSite(services);
  for (const [url, page] of publicPages) {
    app.get(url, { config: { publicSite: page } }, (request, reply) => site.serve(request, reply, page));
  }
}
