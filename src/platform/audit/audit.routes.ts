import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';
import { findBodyBySlug, listBodiesForUser } from '../../features/organisations/index.ts';
import { isValidIsoDate } from '../../shared/dates.ts';
import { requireAdmin, signedInUser } from '../http/guards.ts';
import { paths } from '../../shared/paths.ts';
import { listAuditEvents } from './audit.repository.ts';

const PAGE_SIZE = 50;

/** Administrators browse the audit log, filtered by organisation, action and dates, newest first. */
export async function auditRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const db = services.database.db;

  app.get(paths.auditLog(), { preHandler: requireAdmin }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const filters = {
      body: (query.body ?? '').trim(),
      action: (query.action ?? '').trim().slice(0, 100),
      from: (query.from ?? '').trim(),
      to: (query.to ?? '').trim(),
    };
    const errors: Record<string, string> = {};
    if (filters.from && !isValidIsoDate(filters.from)) errors.from = 'Date from must be a real date, like 2026-11-23';
    if (filters.to && !isValidIsoDate(filters.to)) errors.to = 'Date to must be a real date, like 2026-11-23';
    const body = filters.body ? await findBodyBySlug(db, filters.body) : undefined;
    if (filters.body && !body) errors.body = 'Select an organisation from the list';
    const beforeId = Number(query.before);
    const events = Object.keys(errors).length
      ? []
      : await listAuditEvents(
          db,
          {
            policingBodyId: body?.id,
            action: filters.action || undefined,
            from: filters.from ? new Date(`${filters.from}T00:00:00Z`) : undefined,
            to: filters.to ? new Date(`${filters.to}T23:59:59.999Z`) : undefined,
            beforeId: Number.isInteger(beforeId) && beforeId > 0 ? beforeId : undefined,
          },
          PAGE_SIZE + 1,
        );
    const page = events.slice(0, PAGE_SIZE);
    const nextQuery = new URLSearchParams({ ...filters, before: String(page[page.length - 1]?.id ?? '') });
    return reply.page('audit/views/audit-log.njk', {
      filters,
      errors,
      errorList: Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` })),
      bodies: await listBodiesForUser(db, signedInUser(request)),
      events: page.map((event) => ({
        ...event,
        beforeJson: event.before === null ? '' : JSON.stringify(event.before, null, 2),
        afterJson: event.after === null ? '' : JSON.stringify(event.after, null, 2),
      })),
      nextPage: events.length > PAGE_SIZE ? `${paths.auditLog()}?${nextQuery.toString()}` : null,
    });
  });
}
