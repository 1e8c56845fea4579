import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { errorSummary, formValues, parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { signedInUser } from '../../platform/http/guards.ts';
import { boardRows, outcomeOperations, type Disposition } from './domain/review-board.ts';
import { editionFor, editorUrl, frozenMessage, partUrl, type EditionContext } from './edition-context.ts';
import { loadEditionTree } from './plans.repository.ts';
import { can } from './plans.permissions.ts';
import { dateFromBoxes, optionalText, requiredText } from './plans.schemas.ts';
import * as repository from './review-board.repository.ts';
import * as service from './review-board.service.ts';

const boardSchema = z.record(z.string(), z.string()).transform((values, context) => {
  const title = requiredText('what the board was, for example Stakeholder workshop', 300).safeParse(values.title ?? '');
  if (!title.success) context.addIssue({ code: 'custom', path: ['title'], message: title.error.issues[0]!.message });
  const notes = optionalText('the notes', 10000).safeParse(values.notes ?? '');
  if (!notes.success) context.addIssue({ code: 'custom', path: ['notes'], message: notes.error.issues[0]!.message });
  const heldOn = dateFromBoxes(values, 'heldOn', 'date it was held', context);
  if (!title.success || !notes.success || !heldOn) return z.NEVER;
  return { title: title.data, heldOn, notes: notes.data };
});

const decisionSchema = z
  .object({
    disposition: z.enum(['carry_forward', 'amend', 'retire'], { error: 'Select what the board decided' }),
    wording: optionalText('the new wording', 2000),
    rationale: optionalText('the rationale', 5000),
  })
  .superRefine((v, context) => {
    if (v.disposition === 'amend' && !v.wording) context.addIssue({ code: 'custom', path: ['wording'], message: 'Enter the new wording' });
  });

const additionSchema = z.object({
  parent: z.string({ error: 'Select where it goes' }).regex(/^(priority|objective):[0-9a-f-]{36}$/, 'Select where it goes'),
  wording: requiredText('the wording', 2000),
  rationale: optionalText('the rationale', 5000),
});

/** The refresh review board: record a decision on each objective and commitment, then apply them to the draft. */
export async function reviewBoardRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const db = services.database.db;
  const base = '/bodies/:slug/plans/:planId/editions/:n/review-board';
  const context = (request: FastifyRequest, c: EditionContext) => ({
    actor: signedInUser(request),
    policingBodyId: c.body.id,
    now: services.now(),
  });

  /** A refresh draft, its board (if any) and the edition it refreshes. */
  const refreshFor = async (request: FastifyRequest) => {
    const c = await editionFor(db, request, 'edit');
    if (c.edition.kind !== 'refresh' || !c.edition.parentEditionId) throw notFound();
    if (c.edition.isFrozen) throw new HttpError(409, frozenMessage);
    return { ...c, board: await repository.findBoard(db, c.edition.id) };
  };
  const openBoardFor = async (request: FastifyRequest) => {
    const c = await refreshFor(request);
    if (!c.board) throw notFound();
    if (c.board.appliedAt)
      throw new HttpError(409, 'The board’s decisions have been applied to this draft. The board is now a record and cannot change.');
    return { ...c, board: c.board };
  };
  const boardUrl = (c: EditionContext) => partUrl(c, 'review-board');

  const createPage = (reply: FastifyReply, c: EditionContext, values: Record<string, string>, errors: FieldErrors = {}) =>
    reply.page('plans/views/review-board-new.njk', {
      ...c,
      values,
      errors,
      errorList: errorSummary(errors, { heldOn: 'heldOn-day' }),
      action: boardUrl(c),
      backTo: editorUrl(c),
    });

  // The board page stays readable after the draft is issued: it is the record of the workshop.
  app.get(base, async (request, reply) => {
    const viewed = await editionFor(db, request, 'view');
    if (viewed.edition.kind !== 'refresh' || !viewed.edition.parentEditionId) throw notFound();
    const board = await repository.findBoard(db, viewed.edition.id);
    if (!board) return createPage(reply, await refreshFor(request), {});
    const c = { ...viewed, board };
    const canEdit = !c.edition.isFrozen && !board.appliedAt && can(signedInUser(request), 'edition.edit', { policingBodyId: c.body.id });
    const sourceEdition = (await db.query.editions.findFirst({ where: (e, { eq }) => eq(e.id, c.board!.sourceEditionId) }))!;
    const [source, draft, dispositions] = await Promise.all([
      loadEditionTree(db, c.board.sourceEditionId, ''),
      loadEditionTree(db, c.edition.id, c.edition.vision),
      repository.listDispositions(db, c.board.id),
    ]);
    const outcome = outcomeOperations(draft, dispositions);
    const lineageLabels = new Map(
      draft.priorities.flatMap((p, i) => [
        [p.lineageId, `priority ${i + 1}`] as const,
        ...p.objectives.map((o, j) => [o.lineageId, `objective ${i + 1}.${j + 1}`] as const),
      ]),
    );
    return reply.page('plans/views/review-board.njk', {
      ...c,
      sourceEdition,
      rows: boardRows(source, dispositions),
      additions: dispositions
        .filter((d) => d.disposition === 'new')
        .map((d) => ({ ...d, parentLabel: lineageLabels.get(d.parentLineageId ?? '') ?? 'a part no longer in the draft' })),
      problems: c.board.appliedAt ? [] : outcome.problems,
      operationCount: outcome.operations.length,
      canEdit,
      boardUrl: boardUrl(c),
      backTo: editorUrl(c),
    });
  });

  app.post(base, async (request, reply) => {
    const c = await refreshFor(request);
    if (c.board) return reply.redirect(boardUrl(c));
    const values = formValues(request.body);
    const form = parseForm(boardSchema, values);
    if (!form.ok) return createPage(reply.code(400), c, values, form.errors);
    const result = await service.createBoard(db, context(request, c), c.edition, form.value);
    if (!result.ok) throw notFound();
    return reply.redirect(boardUrl(c));
  });

  const decisionPage = async (
    reply: FastifyReply,
    c: EditionContext,
    lineageId: string,
    values: Record<string, string>,
    errors: FieldErrors = {},
  ) => {
    const board = (await repository.findBoard(db, c.edition.id))!;
    const row = boardRows(await loadEditionTree(db, board.sourceEditionId, ''), []).find((r) => r.lineageId === lineageId);
    if (!row) throw notFound();
    return reply.page('plans/views/review-board-decision.njk', {
      ...c,
      row,
      values,
      errors,
      errorList: errorSummary(errors, { disposition: 'disposition' }),
      action: `${boardUrl(c)}/decisions/${lineageId}`,
      backTo: boardUrl(c),
    });
  };

  app.get(`${base}/decisions/:lineageId`, async (request, reply) => {
    const c = await openBoardFor(request);
    const { lineageId } = request.params as { lineageId: string };
    const existing = (await repository.listDispositions(db, c.board.id)).find((d) => d.lineageId === lineageId);
    return decisionPage(reply, c, lineageId, {
      disposition: existing?.disposition ?? 'carry_forward',
      wording: existing?.wording ?? '',
      rationale: existing?.rationale ?? '',
    });
  });

  app.post(`${base}/decisions/:lineageId`, async (request, reply) => {
    const c = await openBoardFor(request);
    const { lineageId } = request.params as { lineageId: string };
    const row = boardRows(await loadEditionTree(db, c.board.sourceEditionId, ''), []).find((r) => r.lineageId === lineageId);
    if (!row) throw notFound();
    const values = formValues(request.body);
    const form = parseForm(decisionSchema, values);
    if (!form.ok) return decisionPage(reply.code(400), c, lineageId, values, form.errors);
    const decision: Disposition = {
      elementType: row.elementType,
      lineageId,
      parentLineageId: null,
      ...form.value,
      wording: form.value.disposition === 'amend' ? form.value.wording : '',
    };
    const result = await service.recordDecision(db, context(request, c), c.edition.id, decision);
    if (!result.ok) throw notFound();
    return reply.redirect(`${boardUrl(c)}#row-${lineageId}`);
  });

  const additionPage = async (reply: FastifyReply, c: EditionContext, values: Record<string, string>, errors: FieldErrors = {}) => {
    const draft = await loadEditionTree(db, c.edition.id, '');
    const parents = draft.priorities.flatMap((p, i) => [
      { value: `priority:${p.lineageId}`, text: `New objective under priority ${i + 1}: ${p.title}` },
      ...p.objectives.map((o, j) => ({
        value: `objective:${o.lineageId}`,
        text: `New commitment under objective ${i + 1}.${j + 1}: ${o.title}`,
      })),
    ]);
    return reply.page('plans/views/review-board-addition.njk', {
      ...c,
      parents,
      values,
      errors,
      errorList: errorSummary(errors),
      action: `${boardUrl(c)}/additions`,
      backTo: boardUrl(c),
    });
  };

  app.get(`${base}/additions`, async (request, reply) => additionPage(reply, await openBoardFor(request), {}));

  app.post(`${base}/additions`, async (request, reply) => {
    const c = await openBoardFor(request);
    const values = formValues(request.body);
    const form = parseForm(additionSchema, values);
    if (!form.ok) return additionPage(reply.code(400), c, values, form.errors);
    const [kind, parentLineageId] = form.value.parent.split(':') as ['priority' | 'objective', string];
    const decision: Disposition = {
      elementType: kind === 'priority' ? 'objective' : 'commitment',
      lineageId: null,
      parentLineageId,
      disposition: 'new',
      wording: form.value.wording,
      rationale: form.value.rationale,
    };
    const result = await service.recordDecision(db, context(request, c), c.edition.id, decision);
    if (!result.ok) throw notFound();
    return reply.redirect(`${boardUrl(c)}#additions`);
  });

  app.post(`${base}/apply`, async (request, reply) => {
    const c = await openBoardFor(request);
    const result = await service.applyBoard(db, context(request, c), c.edition.id);
    if (!result.ok) {
      if (result.error.kind === 'conflict') return reply.redirect(`${boardUrl(c)}#problems`);
      if (result.error.kind === 'frozen' && result.error.message) throw new HttpError(409, result.error.message);
      throw notFound();
    }
    request.session.flash = `The board’s decisions have been applied to this draft: ${result.value.length} ${result.value.length === 1 ? 'change' : 'changes'}. The board is kept as a record.`;
    return reply.redirect(editorUrl(c));
  });
}
