import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import type { FieldErrors } from '../../platform/http/forms.ts';
import { authorise, signedInUser } from '../../platform/http/guards.ts';
import { isUuid } from '../../shared/ids.ts';
import { findBodyBySlug, findScrutinyBodyOf, type PolicingBody, type ScrutinyBody } from '../organisations/index.ts';
import type { Result } from '../../shared/result.ts';
import { can, type ScrutinyAction } from './scrutiny.permissions.ts';
import type { Context, Refusal } from './scrutiny.service.ts';

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

/** Where a successful save goes: the flash shown there, and the page. */
export type Saved = { flash: string; to: string };

/**
 * The end of a POST that changed something: 404 if it has gone since the form was shown, the
 * conflict page if someone else saved first (optimistic locking), otherwise a flash and a redirect.
 */
export function finishSave<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  result: Result<unknown, Refusal<T>>,
  saved: Saved,
  conflict: (current: T) => unknown,
) {
  if (!result.ok) {
    if (result.error.kind === 'not_found') throw notFound();
    return conflict(result.error.current);
  }
  request.session.flash = saved.flash;
  return reply.redirect(saved.to);
}

/** An edit form's page: the page's own data (with `current`, the saved version, after a conflict), the values and errors. */
type FormPage<P> = (reply: FastifyReply, context: PanelContext, page: P, values: Record<string, string>, errors?: FieldErrors) => unknown;

/**
 * `finishSave` for an edit form: on a conflict the form again (409) showing both versions, the
 * user's answers kept with the saved version's number so that saving again is a knowing overwrite.
 */
export function finishFormSave<T extends { version: number }, P>(
  request: FastifyRequest,
  reply: FastifyReply,
  result: Result<unknown, Refusal<T>>,
  saved: Saved,
  form: { render: FormPage<NoInfer<P> & { current: T }>; context: PanelContext; page: P; values: Record<string, string> },
) {
  return finishSave(request, reply, result, saved, (current) =>
    form.render(
      reply.code(409),
      form.context,
      { ...form.page, current },
      { ...form.values, version: String(current.version) },
      { form: conflictMessage },
    ),
  );
}
