import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CurrentUser } from '../../shared/current-user.ts';
import { paths } from '../../shared/paths.ts';
import { forbidden } from './errors.ts';

/** preHandler: anonymous visitors are sent to sign in and brought back afterwards. */
export async function requireSignedIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.user) return;
  if (isJsonRequest(request)) {
    await reply.code(401).send({ error: 'unauthorised', message: 'Sign in to use this API' });
    return;
  }
  const returnTo = request.method === 'GET' ? `?returnTo=${encodeURIComponent(request.url)}` : '';
  await reply.redirect(`${paths.signIn()}${returnTo}`);
}

/** preHandler: only system administrators. */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireSignedIn(request, reply);
  if (reply.sent) return;
  if (!request.user?.isAdmin) throw forbidden();
}

/** The signed-in user in a handler behind requireSignedIn. */
export function signedInUser(request: FastifyRequest): CurrentUser {
  if (!request.user) throw forbidden();
  return request.user;
}

/** Throws the 403 page unless the permission check allowed it. */
export function authorise(isAllowed: boolean): void {
  if (!isAllowed) throw forbidden();
}

export function isJsonRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || (request.headers.accept ?? '').startsWith('application/json');
}
