import type { FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { isUuid } from '../../shared/ids.ts';
import { findBodyBySlug, findScrutinyBodyOf, type PolicingBody, type ScrutinyBody } from '../organisations/index.ts';
import { can, type ScrutinyAction } from './scrutiny.permissions.ts';
import type { Context } from './scrutiny.service.ts';

export const conflictMessage =
  'Someone else saved changes to this while you were editing. Their version is shown under “Saved by someone else”. Check your answers, then save again.';

const londonDate = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Europe/London' });

/** Today's date where the panels meet, from the service clock. */
export const todayOf = (services: Services): string => londonDate.format(services.now());

export type PanelContext = {
  body: PolicingBody;
  panel: ScrutinyBody;
  resource: { policingBodyId: string; scrutinyBodyId: string };
  /** What a service command needs: who, which panel, when. */
  change: Context;
};

/**
 * The body in the URL and its panel, if the user may do `action` there. A body without a
 * panel has no scrutiny pages (404); a user of another body is refused (403) before any id in
 * the URL is looked up, so they learn nothing about what exists.
 */
export async function panelFor(services: Services, request: FastifyRequest, action: ScrutinyAction): Promise<PanelContext> {
  const db = services.database.db;
  const body = await findBodyBySlug(db, (request.params as { slug: string }).slug);
  if (!body) throw notFound();
  const panel = await findScrutinyBodyOf(db, body.id);
  const user = signedInUser(request);
  authorise(can(user, 'scrutiny.view', { policingBodyId: body.id, scrutinyBodyId: panel?.id ?? null }));
  if (!panel) throw notFound();
  const resource = { policingBodyId: body.id, scrutinyBodyId: panel.id };
  // Progress on an action depends on who owns it: the route checks that once it has the action.
  if (action !== 'action.update_progress') authorise(can(user, action, resource));
  return {
    body,
    panel,
    resource,
    change: { db, actor: user, panel: { policingBodyId: body.id, scrutinyBodyId: panel.id }, now: services.now() },
  };
}

/** A UUID route parameter, or 404. */
export function idParam(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, string>)[name] ?? '';
  if (!isUuid(value)) throw notFound();
  return value;
}

/** Found, or 404. */
export function found<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw notFound();
  return value;
}
