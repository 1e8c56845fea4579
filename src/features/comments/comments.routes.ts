import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, type FieldErrors } from '../../platform/http/forms.ts';
import { authorise, requireSignedIn, signedInUser } from '../../platform/http/guards.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { isSharedBeyondOffice } from '../lifecycle/index.ts';
import { editionFor, loadPlanEditionTree, type EditionContext } from '../plans/index.ts';
import { can, type CommentAction } from './comments.permissions.ts';
import * as repository from './comments.repository.ts';
import * as service from './comments.service.ts';
import {
  buildThreads,
  commentableElements,
  commentStatuses,
  commentStatusLabels,
  countByStatus,
  type CommentableElement,
  type CommentStatus,
} from './domain/threads.ts';

type Options = { services: Services };

const MAX_COMMENT = 5000;
const conflictMessage =
  'Someone else changed the status of this comment while you were working on it. Its status now is shown: check it, then save again.';

/** A comment's text: required, and not a whole document. */
const commentText = (value: string | undefined, what: string): { text: string; error?: string } => {
  const text = (value ?? '').trim();
  if (!text) return { text, error: `Enter ${what}` };
  if (text.length > MAX_COMMENT)
    return { text, error: `The ${what.replace(/^(your|a|the) /, '')} must be ${MAX_COMMENT} characters or fewer` };
  return { text };
};

/**
 * Comments on a shared draft's elements: threaded, by element lineage, so a thread made on one
 * draft is shown on the same element of every later draft and edition of the plan.
 */
export async function commentsRoutes(app: FastifyInstance, { services }: Options): Promise<void> {
  const db = services.database.db;
  app.addHook('preHandler', requireSignedIn);

  /** The edition (404/403 through the plans guard), what the user may do with its comments, its elements. */
  const commentsFor = async (request: FastifyRequest, action: CommentAction) => {
    const context = await editionFor(db, request, 'view');
    const user = signedInUser(request);
    const resource = {
      policingBodyId: context.body.id,
      isShared: isSharedBeyondOffice(context.edition),
      isFrozen: context.edition.isFrozen,
    };
    authorise(can(user, 'comment.read', resource));
    authorise(can(user, action, resource));
    const tree = await loadPlanEditionTree(db, context.edition.id, context.edition.vision);
    return {
      context,
      resource,
      elements: commentableElements(tree, context.plan.id),
      canComment: can(user, 'comment.create', resource),
      canSetStatus: can(user, 'comment.set_status', resource),
    };
  };

  const elementOf = (request: FastifyRequest, elements: CommentableElement[]) => {
    const { lineageId } = request.params as { lineageId: string };
    const element = isUuid(lineageId) ? elements.find((e) => e.lineageId === lineageId.toLowerCase()) : undefined;
    if (!element) throw notFound();
    return element;
  };

  const threadOf = async (request: FastifyRequest, context: EditionContext, element: CommentableElement) => {
    const { threadId } = request.params as { threadId: string };
    const thread = isUuid(threadId) ? await repository.findThread(db, context.plan.id, element.lineageId, threadId) : undefined;
    if (!thread) throw notFound();
    return thread;
  };

  const base = (context: EditionContext) => ({
    ...context,
    editorUrl: paths.edition(context.body.slug, context.plan.id, context.edition.number),
    commentsUrl: paths.editionComments(context.body.slug, context.plan.id, context.edition.number),
    statusLabels: commentStatusLabels,
  });

  app.get('/bodies/:slug/plans/:planId/editions/:n/comments', async (request, reply) => {
    const { context, resource, elements } = await commentsFor(request, 'comment.read');
    const query = request.query as Record<string, string | undefined>;
    const status = (commentStatuses as readonly string[]).includes(query.status ?? '') ? (query.status as CommentStatus) : undefined;
    const comments = await repository.listForPlan(db, context.plan.id);
    const rows = elements.map((element) => {
      const threads = buildThreads(comments.filter((c) => c.lineageId === element.lineageId));
      return {
        element,
        counts: countByStatus(threads),
        threads: threads.filter((t) => !status || t.opening.status === status),
        url: paths.elementComments(context.body.slug, context.plan.id, context.edition.number, element.lineageId),
      };
    });
    return reply.page('comments/views/comments-edition.njk', {
      ...base(context),
      rows: status ? rows.filter((r) => r.threads.length > 0) : rows,
      totals: countByStatus(buildThreads(comments.filter((c) => elements.some((e) => e.lineageId === c.lineageId)))),
      status,
      statuses: commentStatuses.map((value) => ({ value, text: commentStatusLabels[value] })),
      isShared: resource.isShared,
    });
  });

  type PageState = { values?: Record<string, string>; errors?: FieldErrors; conflict?: repository.CommentRow };
  const elementPage = async (
    reply: FastifyReply,
    loaded: Awaited<ReturnType<typeof commentsFor>>,
    element: CommentableElement,
    state: PageState = {},
  ) => {
    const { context } = loaded;
    const threads = buildThreads(await repository.listForPlan(db, context.plan.id, element.lineageId));
    const errors = state.errors ?? {};
    return reply.page('comments/views/comments-element.njk', {
      ...base(context),
      element,
      threads,
      canComment: loaded.canComment,
      canSetStatus: loaded.canSetStatus,
      isShared: loaded.resource.isShared,
      statuses: commentStatuses.map((value) => ({ value, text: commentStatusLabels[value] })),
      elementUrl: paths.elementComments(context.body.slug, context.plan.id, context.edition.number, element.lineageId),
      values: state.values ?? {},
      errors,
      errorList: errorSummary(errors),
      conflict: state.conflict,
    });
  };

  app.get('/bodies/:slug/plans/:planId/editions/:n/comments/:lineageId', async (request, reply) => {
    const loaded = await commentsFor(request, 'comment.read');
    return elementPage(reply, loaded, elementOf(request, loaded.elements));
  });

  app.post('/bodies/:slug/plans/:planId/editions/:n/comments/:lineageId', async (request, reply) => {
    const loaded = await commentsFor(request, 'comment.create');
    const element = elementOf(request, loaded.elements);
    const values = formValues(request.body);
    const { text, error } = commentText(values.comment, 'your comment');
    if (error) return elementPage(reply.code(400), loaded, element, { values, errors: { comment: error } });
    await service.addComment(db, signedInUser(request), loaded.context, element, text, null, services.now());
    request.session.flash = 'Your comment has been added.';
    return reply.redirect(
      paths.elementComments(loaded.context.body.slug, loaded.context.plan.id, loaded.context.edition.number, element.lineageId),
    );
  });

  app.post('/bodies/:slug/plans/:planId/editions/:n/comments/:lineageId/threads/:threadId/replies', async (request, reply) => {
    const loaded = await commentsFor(request, 'comment.create');
    const element = elementOf(request, loaded.elements);
    const thread = await threadOf(request, loaded.context, element);
    const values = formValues(request.body);
    const field = `reply-${thread.id}`;
    const { text, error } = commentText(values.reply, 'your reply');
    if (error)
      return elementPage(reply.code(400), loaded, element, { values: { [field]: values.reply ?? '' }, errors: { [field]: error } });
    await service.addComment(db, signedInUser(request), loaded.context, element, text, thread, services.now());
    request.session.flash = 'Your reply has been added.';
    return reply.redirect(
      `${paths.elementComments(loaded.context.body.slug, loaded.context.plan.id, loaded.context.edition.number, element.lineageId)}#thread-${thread.id}`,
    );
  });

  app.post('/bodies/:slug/plans/:planId/editions/:n/comments/:lineageId/threads/:threadId/status', async (request, reply) => {
    const loaded = await commentsFor(request, 'comment.set_status');
    const element = elementOf(request, loaded.elements);
    const thread = await threadOf(request, loaded.context, element);
    const values = formValues(request.body);
    const statusField = `status-${thread.id}`;
    const replyField = `statusReply-${thread.id}`;
    const kept = { [statusField]: values.status ?? '', [replyField]: values.reply ?? '' };
    const errors: FieldErrors = {};
    if (!(commentStatuses as readonly string[]).includes(values.status ?? '')) errors[statusField] = 'Select the status of the comment';
    const answer = (values.reply ?? '').trim();
    if (answer.length > MAX_COMMENT) errors[replyField] = `The reply must be ${MAX_COMMENT} characters or fewer`;
    if (Object.keys(errors).length) return elementPage(reply.code(400), loaded, element, { values: kept, errors });
    const version = Number(values.version);
    const result = await service.setStatus(
      db,
      signedInUser(request),
      loaded.context,
      element,
      thread,
      Number.isInteger(version) ? version : 0,
      values.status as CommentStatus,
      answer,
      services.now(),
    );
    if (!result.ok) {
      return elementPage(reply.code(409), loaded, element, {
        values: kept,
        errors: { [statusField]: conflictMessage },
        conflict: result.error.current,
      });
    }
    request.session.flash = `The comment is now marked ${commentStatusLabels[result.value.status ?? 'open'].toLowerCase()}.`;
    return reply.redirect(
      `${paths.elementComments(loaded.context.body.slug, loaded.context.plan.id, loaded.context.edition.number, element.lineageId)}#thread-${thread.id}`,
    );
  });
}
