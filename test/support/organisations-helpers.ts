import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { rowsOf, type DatabaseHandle } from '../../src/platform/db/database.ts';
import type { StoredEvent } from '../../src/platform/audit/domain/hash-chain.ts';
import { readChain } from '../../src/platform/audit/index.ts';

/**
 * Every route the app serves, as `{ method, url }`, read back from Fastify's own route tree
 * (printRoutes), so tests compare against what is registered rather than a list kept by hand.
 */
export function registeredRoutes(app: FastifyInstance): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│├└─\s]*)(\S.*?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const segment = match[2]!;
    const parent = depth > 0 ? (stack[depth - 1] ?? '') : '';
    const url = parent === '' ? segment : parent.endsWith('/') || segment.startsWith('/') ? `${parent}${segment}` : `${parent}/${segment}`;
    stack[depth] = url;
    stack.length = depth + 1;
    for (const method of match[3]!.split(',').map((m) => m.trim())) routes.push({ method, url });
  }
  return routes;
}

/** The whole audit chain, oldest first. */
export async function auditChain(database: DatabaseHandle): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of readChain(database.db)) events.push(event);
  return events;
}

/** Changes one audit row behind the append-only trigger's back, as an attacker with DBA rights could. */
export async function tamperWithAuditEvent(database: DatabaseHandle, id: number, actorLabel: string): Promise<void> {
  await database.db.execute(sql.raw('alter table audit_events disable trigger audit_events_append_only'));
  try {
    await database.db.execute(sql`update audit_events set actor_label = ${actorLabel} where id = ${id}`);
  } finally {
    await database.db.execute(sql.raw('alter table audit_events enable trigger audit_events_append_only'));
  }
}

export async function countRows(
  database: DatabaseHandle,
  table: 'audit_events' | 'policing_bodies' | 'partners' | 'scrutiny_bodies',
): Promise<number> {
  const result = await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`));
  return Number(rowsOf<{ n: number }>(result)[0]?.n);
}

/** The fields a GOV.UK body form needs, valid unless overridden. */
export function bodyFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'pcc',
    name: 'Police and Crime Commissioner for Northmoor',
    slug: '',
    forceAreaId: 'avon-and-somerset',
    holderName: 'Jane Smith',
    holderTitle: 'Police and Crime Commissioner',
    'termStartsOn-day': '9',
    'termStartsOn-month': '5',
    'termStartsOn-year': '2024',
    'termEndsOn-day': '11',
    'termEndsOn-month': '5',
    'termEndsOn-year': '2028',
    publishesInWelsh: 'no',
    ...overrides,
  };
}

/** The value of a hidden or text input in a rendered form. */
export function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  return tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
}

export function locationOf(response: LightMyRequestResponse): string | undefined {
  const location = response.headers.location;
  return typeof location === 'string' ? location : undefined;
}

const errorHeadings: Record<number, string> = {
  400: 'We could not read what you sent',
  403: 'You do not have permission to view this page',
  404: 'Page not found',
  413: 'What you sent is too large',
  429: 'Too many attempts',
  500: 'Sorry, there is a problem with the service',
};

/** Asserts the response is the service's GOV.UK HTML error page for `status`, not JSON or a bare message. */
export function expectErrorPage(response: LightMyRequestResponse, status: keyof typeof errorHeadings): void {
  const heading = errorHeadings[status];
  if (response.statusCode !== status)
    throw new Error(`expected status ${status}, got ${response.statusCode}: ${response.body.slice(0, 200)}`);
  if (!String(response.headers['content-type']).startsWith('text/html')) {
    throw new Error(`expected an HTML error page, got ${String(response.headers['content-type'])}: ${response.body.slice(0, 200)}`);
  }
  if (!response.body.includes(`<h1 class="govuk-heading-l">${heading}</h1>`))
    throw new Error(`expected the heading "${heading}" on the ${status} page`);
  if (!response.body.includes(`<title>${heading} – Police and crime plans</title>`))
    throw new Error(`expected the title "${heading}" on the ${status} page`);
}

/** The messages of a rejected query and its causes (drizzle wraps the driver's error), joined. */
export async function rejectionMessages(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const messages: string[] = [];
    for (let current = error as { message?: string; cause?: unknown } | undefined; current; current = current.cause as typeof current) {
      messages.push(current.message ?? '');
    }
    return messages.join(' | ');
  }
  throw new Error('expected the query to be refused, but it succeeded');
}
