import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { canManageAccounts, listMembersOfBody, listMembershipsWithNames, listUsers } from '../../features/accounts/index.ts';
import {
  canManageOrganisations,
  findBodyBySlug,
  findScrutinyBodyOf,
  listBodiesForUser,
  listPartners,
  type PolicingBody,
} from '../../features/organisations/index.ts';
import { notFound } from './errors.ts';
import { authorise, requireSignedIn, signedInUser } from './guards.ts';
import { openApiDocument } from './openapi.ts';

/**
 * The JSON twin of the organisation and user pages, for signed-in users with the same
 * permissions as the pages. Described by /api/openapi.json.
 */
export async function apiRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const db = services.database.db;

  app.get('/api/openapi.json', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(openApiDocument(services.config.publicUrl)),
  );

  app.register(async (api) => {
    api.addHook('preHandler', requireSignedIn);
    api.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });

    const bodyFor = async (request: FastifyRequest): Promise<PolicingBody> => {
      const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
      if (!body) throw notFound('No policing body has this slug');
      authorise(canManageOrganisations(signedInUser(request), 'body.view', { policingBodyId: body.id }));
      return body;
    };

    api.get('/api/v1/me', async (request) => {
      const user = signedInUser(request);
      return { id: user.id, email: user.email, displayName: user.displayName, isAdmin: user.isAdmin, memberships: user.memberships };
    });

    api.get('/api/v1/bodies', async (request) => ({ items: await listBodiesForUser(db, signedInUser(request)) }));

    api.get('/api/v1/bodies/:slug', async (request) => {
      const body = await bodyFor(request);
      const [panel, partners] = await Promise.all([findScrutinyBodyOf(db, body.id), listPartners(db, body.id)]);
      return {
        ...publicBody(body),
        scrutinyBody: panel
          ? { id: panel.id, kind: panel.kind, name: panel.name, hostAuthority: panel.hostAuthority, version: panel.version }
          : null,
        partners: partners.map((p) => ({ id: p.id, kind: p.kind, name: p.name, website: p.website, version: p.version })),
      };
    });

    api.get('/api/v1/bodies/:slug/members', async (request) => {
      const body = await bodyFor(request);
      authorise(canManageAccounts(signedInUser(request), 'members.list', { policingBodyId: body.id }));
      const members = await listMembersOfBody(db, body.id);
      return {
        items: members.map((m) => ({
          membershipId: m.membershipId,
          userId: m.userId,
          displayName: m.displayName,
          email: m.email,
          role: m.role,
          partnerName: m.partnerName,
          status: m.hasPassword ? 'active' : 'invited',
        })),
      };
    });

    api.get('/api/v1/users', async (request) => {
      authorise(canManageAccounts(signedInUser(request), 'users.list'));
      const [users, memberships] = await Promise.all([listUsers(db), listMembershipsWithNames(db)]);
      return {
        items: users.map((u) => ({
          id: u.id,
          email: u.email,
          displayName: u.displayName,
          isAdmin: u.isAdmin,
          status: u.hasPassword ? 'active' : 'invited',
          lastSignedInAt: u.lastSignedInAt,
          memberships: memberships
            .filter((m) => m.userId === u.id)
            .map((m) => ({ body: m.bodySlug, role: m.role, partnerName: m.partnerName })),
        })),
      };
    });
  });
}

function publicBody(body: PolicingBody) {
  return {
    id: body.id,
    kind: body.kind,
    name: body.name,
    slug: body.slug,
    forceAreaId: body.forceAreaId,
    holderName: body.holderName,
    holderTitle: body.holderTitle,
    termStartsOn: body.termStartsOn,
    termEndsOn: body.termEndsOn,
    publishesInWelsh: body.publishesInWelsh,
    version: body.version,
  };
}
