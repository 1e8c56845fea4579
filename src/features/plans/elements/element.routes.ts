import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../app.ts';
import { violatedUniqueConstraint } from '../../../platform/db/errors.ts';
import { HttpError, notFound } from '../../../platform/http/errors.ts';
import { errorSummary, parseForm, type FieldErrors } from '../../../platform/http/forms.ts';
import { signedInUser } from '../../../platform/http/guards.ts';
import { isUuid } from '../../../shared/ids.ts';
import { conflictMessage, editionFor, editorUrl, frozenMessage, partUrl, type EditionContext } from '../edition-context.ts';
import { loadEditionTree } from '../plans.repository.ts';
import type { EditRefusal } from '../plans.service.ts';
import type { AnyElementSpec, FormFields } from './element-spec.ts';
import * as service from './element.service.ts';

/** A submitted form as strings, with each checkbox group as a list; the CSRF token dropped. */
export function formFields(body: unknown, listFields: readonly string[]): FormFields {
  const fields: FormFields = {};
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (name === '_csrf') continue;
    const values = (Array.isArray(value) ? value : [value]).map((v) => String(v ?? ''));
    fields[name] = listFields.includes(name) ? values.filter((v) => v !== '') : (values[0] ?? '');
  }
  for (const name of listFields) fields[name] ??= [];
  return fields;
}

/** Registers add / change / remove / move pages for one kind of element, all guarded the same way. */
export function registerElementRoutes(app: FastifyInstance, services: Services, spec: AnyElementSpec): void {
  const db = services.database.db;
  const base = `/bodies/:slug/plans/:planId/editions/:n/${spec.segment}`;
  const changeContext = (request: FastifyRequest, context: EditionContext) => ({
    actor: signedInUser(request),
    policingBodyId: context.body.id,
    now: services.now(),
  });

  const draftFor = async (request: FastifyRequest) => {
    const context = await editionFor(db, request, 'edit');
    if (context.edition.isFrozen) throw new HttpError(409, frozenMessage);
    return context;
  };

  const elementFor = async (request: FastifyRequest, context: EditionContext) => {
    const { elementId } = request.params as { elementId: string };
    const row = isUuid(elementId) ? await spec.find(db, context.edition.id, elementId) : undefined;
    if (!row) throw notFound();
    return row;
  };

  const refuse = (error: EditRefusal): never => {
    if (error.kind === 'frozen') throw new HttpError(409, error.message ?? frozenMessage);
    throw notFound();
  };

  const formPage = async (
    reply: FastifyReply,
    context: EditionContext,
    page: { heading: string; action: string },
    values: FormFields,
    errors: FieldErrors = {},
    saved?: { label: string; value: string }[],
  ) => {
    const tree = await loadEditionTree(db, context.edition.id, context.edition.vision);
    return reply.page(spec.template, {
      ...context,
      ...page,
      ...(await spec.formContext(db, context, tree)),
      values,
      errors,
      errorList: errorSummary(errors),
      saved,
      backTo: editorUrl(context),
    });
  };

  const save = async (
    request: FastifyRequest,
    reply: FastifyReply,
    context: EditionContext,
    page: { heading: string; action: string },
    existing?: { id: string; lineageId: string },
  ) => {
    const values = formFields(request.body, spec.listFields);
    const form = parseForm(spec.schema, values);
    if (!form.ok) return formPage(reply.code(400), context, page, values, form.errors);
    const tree = await loadEditionTree(db, context.edition.id, context.edition.vision);
    const referenceErrors = await spec.checkReferences?.(db, context, form.value, tree);
    if (referenceErrors) return formPage(reply.code(400), context, page, values, referenceErrors);
    let result: Awaited<ReturnType<typeof service.addElement>>;
    try {
      result = existing
        ? await service.updateElement(
            db,
            spec,
            changeContext(request, context),
            context.edition.id,
            existing.id,
            Number(values.version) || 0,
            form.value,
          )
        : await service.addElement(db, spec, changeContext(request, context), context.edition.id, form.value);
    } catch (error) {
      // The transaction has rolled back; a unique index the spec names becomes a field error.
      const uniqueErrors = spec.uniqueConstraints?.[violatedUniqueConstraint(error) ?? ''];
      if (!uniqueErrors) throw error;
      return formPage(reply.code(400), context, page, values, uniqueErrors);
    }
    if (!result.ok) {
      if (result.error.kind !== 'conflict') return refuse(result.error);
      const current = result.error.current;
      return formPage(
        reply.code(409),
        context,
        page,
        { ...values, version: String(current.version) },
        { form: conflictMessage },
        spec.savedSummary(current),
      );
    }
    request.session.flash = `${capitalise(spec.noun)} saved.`;
    return reply.redirect(`${editorUrl(context)}#${spec.type}-${result.value.lineageId}`);
  };

  app.get(`${base}/new`, async (request, reply) => {
    const context = await draftFor(request);
    const tree = await loadEditionTree(db, context.edition.id, context.edition.vision);
    const defaults = spec.defaultsFrom?.(request.query as Record<string, string | undefined>, tree) ?? {};
    return formPage(
      reply,
      context,
      { heading: `Add ${article(spec.noun)} ${spec.noun}`, action: partUrl(context, `${spec.segment}/new`) },
      defaults,
    );
  });

  app.post(`${base}/new`, async (request, reply) => {
    const context = await editionFor(db, request, 'edit');
    return save(request, reply, context, {
      heading: `Add ${article(spec.noun)} ${spec.noun}`,
      action: partUrl(context, `${spec.segment}/new`),
    });
  });

  app.get(`${base}/:elementId/edit`, async (request, reply) => {
    const context = await draftFor(request);
    const row = await elementFor(request, context);
    const tree = await loadEditionTree(db, context.edition.id, context.edition.vision);
    return formPage(
      reply,
      context,
      { heading: `Change ${spec.noun}: ${spec.titleOf(row)}`, action: partUrl(context, `${spec.segment}/${row.id}/edit`) },
      {
        ...spec.valuesOf(row, tree),
        version: String(row.version),
      },
    );
  });

  app.post(`${base}/:elementId/edit`, async (request, reply) => {
    const context = await editionFor(db, request, 'edit');
    const row = await elementFor(request, context);
    return save(
      request,
      reply,
      context,
      { heading: `Change ${spec.noun}: ${spec.titleOf(row)}`, action: partUrl(context, `${spec.segment}/${row.id}/edit`) },
      row,
    );
  });

  app.get(`${base}/:elementId/delete`, async (request, reply) => {
    const context = await draftFor(request);
    const row = await elementFor(request, context);
    const count = (await spec.children?.count(db, row.id)) ?? 0;
    return reply.page('plans/views/confirm-delete.njk', {
      ...context,
      heading: `Are you sure you want to remove the ${spec.noun} “${spec.titleOf(row)}”?`,
      warning:
        count > 0
          ? `This also removes its ${count} ${count === 1 ? spec.children!.noun : `${spec.children!.noun}s`} and everything under them.`
          : null,
      action: partUrl(context, `${spec.segment}/${row.id}/delete`),
      backTo: editorUrl(context),
    });
  });

  app.post(`${base}/:elementId/delete`, async (request, reply) => {
    const context = await editionFor(db, request, 'edit');
    const row = await elementFor(request, context);
    const isConfirmed = (request.body as Record<string, unknown> | undefined)?.confirm === 'yes';
    const result = await service.removeElement(db, spec, changeContext(request, context), context.edition.id, row.id, isConfirmed);
    if (!result.ok) {
      if (result.error.kind === 'has_children') return reply.redirect(partUrl(context, `${spec.segment}/${row.id}/delete`));
      return refuse(result.error);
    }
    request.session.flash = `${capitalise(spec.noun)} “${spec.titleOf(row)}” removed.`;
    return reply.redirect(editorUrl(context));
  });

  app.post(`${base}/:elementId/move`, async (request, reply) => {
    const context = await editionFor(db, request, 'edit');
    const row = await elementFor(request, context);
    const direction = (request.body as Record<string, unknown> | undefined)?.direction === 'up' ? 'up' : 'down';
    const result = await service.moveElement(db, spec, changeContext(request, context), context.edition.id, row.id, direction);
    if (!result.ok) return refuse(result.error);
    return reply.redirect(`${editorUrl(context)}#${spec.type}-${row.lineageId}`);
  });
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const article = (noun: string) => (/^[aeiou]/i.test(noun) ? 'an' : 'a');
