import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app.ts';
import { isJsonRequest } from '../../platform/http/guards.ts';
import { isUuid } from '../../shared/ids.ts';
import { paths } from '../../shared/paths.ts';
import { findBodyBySlug, findScrutinyBodyOf, type PolicingBody } from '../organisations/index.ts';
import { findLatestPublishedStatement, type NationalStatementContent } from '../performance/index.ts';
import { findPublicDocument, findPublicMeeting, listPublicMeetingSummaries, listPublishedRecommendations } from '../scrutiny/index.ts';
import { PageCache, type CachedPage } from './domain/page-cache.ts';
import { planInForce } from './domain/plan-in-force.ts';
import { publicationCount } from './public-site-state.ts';
import { principalChangesBetween } from './public-changes.ts';
import * as repository from './publication.repository.ts';
import { renderTemplate } from './render.ts';

/** Which public page a route is: set as the route's `config.publicSite`. */
export type PublicPage =
  | 'home'
  | 'plan'
  | 'plan-on-a-page'
  | 'plan-json'
  | 'editions'
  | 'edition'
  | 'edition-on-a-page'
  | 'edition-json'
  | 'changes'
  | 'recommendations'
  | 'meetings'
  | 'meeting'
  | 'document'
  | 'national-measures';

declare module 'fastify' {
  interface FastifyContextConfig {
    publicSite?: PublicPage;
  }
}

type Site = { body: PolicingBody; published: repository.PublishedSummary[]; sourceKey: string };
type Produced = {
  status: number;
  body: string | Buffer;
  contentType: string;
  /** Kept in memory: pages made only from the body and its immutable published editions. */
  isCacheable: boolean;
  headers?: Record<string, string>;
  /** A validator known already (an uploaded document's SHA-256), instead of hashing the bytes again. */
  etag?: string;
};

const HTML = 'text/html; charset=utf-8';
/** Published editions never change; the pages listing them change only when something is published. */
const CACHE_CONTROL = 'public, max-age=300';
/** Recommendations and meetings are edited by the panel and the commissioner's office. */
const SHORT_CACHE_CONTROL = 'public, max-age=60';
/** How long a page in memory is served before its source is confirmed against the database. */
const CHECK_AFTER_MS = 5_000;

const notFound = (): Produced => ({ status: 404, body: '', contentType: HTML, isCacheable: false });

/**
 * The public site of each body at /<body-slug>/: the plan in force, the archive of published
 * editions, the principal changes between them, the panel's recommendations with the published
 * responses, and the panel's formal public meetings.
 *
 * It answers without sessions, CSRF tokens, the current user or a per-request CSP nonce: the
 * pages are the same for everyone, use a layout with no inline script, and are served from
 * memory once rendered, with a strong ETag and a public Cache-Control. `serve` runs from an
 * onRequest hook registered before the service's own (registerPublicSite), so none of those
 * costs are paid on these routes, and no cookie is ever set by them.
 */
export class PublicSite {
  private readonly cache = new PageCache(2_000, 256 * 1024 * 1024);
  private readonly securityHeaders: Record<string, string>;
  private publicationsSeen = publicationCount();
  /** Pages checked before this moment are checked again: something was published since. */
  private staleBefore = 0;

  constructor(private readonly services: Services) {
    this.securityHeaders = securityHeaders(services.config.secureCookies);
  }

  private get db() {
    return this.services.database.db;
  }

  async serve(request: FastifyRequest, reply: FastifyReply, page: PublicPage): Promise<FastifyReply> {
    try {
      const query = request.url.indexOf('?');
      let key = query === -1 ? request.url : request.url.slice(0, query);
      if (key.length > 1 && key.endsWith('/')) key = key.slice(0, -1);
      const now = performance.now();
      if (this.publicationsSeen !== publicationCount()) {
        this.publicationsSeen = publicationCount();
        this.staleBefore = now;
      }
      const cached = this.cache.get(key);
      if (cached && cached.checkedAt >= this.staleBefore && now - cached.checkedAt < CHECK_AFTER_MS)
        return this.send(request, reply, cached);

      const params = request.params as Record<string, string>;
      const site = await this.loadSite(params.slug ?? '');
      if (cached && site && cached.sourceKey === site.sourceKey) {
        cached.checkedAt = now;
        return this.send(request, reply, cached);
      }
      const produced = site ? await this.produce(page, site, params) : notFound();
      if (produced.status === 404) return this.sendNotFound(request, reply, site);
      const entry = this.entry(produced, site!.sourceKey, now);
      if (produced.isCacheable) this.cache.set(key, entry);
      return this.send(request, reply, entry);
    } catch (error) {
      request.log.error({ err: error }, 'public page failed');
      return reply
        .code(500)
        .headers({ ...this.securityHeaders, 'cache-control': 'no-store', 'content-type': HTML })
        .send(renderTemplate('publication/views/problem.njk', {}));
    }
  }

  private entry(produced: Produced, sourceKey: string, now: number): CachedPage {
    const body = typeof produced.body === 'string' ? Buffer.from(produced.body) : produced.body;
    const etag = `"${produced.etag ?? createHash('sha256').update(body).digest('base64url')}"`;
    const cacheControl = produced.isCacheable ? CACHE_CONTROL : SHORT_CACHE_CONTROL;
    return {
      body,
      contentType: produced.contentType,
      etag,
      cacheControl,
      sourceKey,
      checkedAt: now,
      headers: {
        ...this.securityHeaders,
        ...produced.headers,
        'content-type': produced.contentType,
        'cache-control': cacheControl,
        etag,
      },
    };
  }

  private send(request: FastifyRequest, reply: FastifyReply, page: CachedPage): FastifyReply {
    const { headers } = page;
    if (matchesEtag(request.headers['if-none-match'], page.etag)) {
      return reply.code(304).headers(headers).send();
    }
    return reply.code(200).headers(headers).send(page.body);
  }

  private sendNotFound(request: FastifyRequest, reply: FastifyReply, site: Site | undefined): FastifyReply {
    reply.code(404).headers({ ...this.securityHeaders, 'cache-control': 'no-cache' });
    // As the service's own not-found handler: JSON for machines.
    if (isJsonRequest(request)) return reply.send({ error: 'not_found', message: 'Not found' });
    // A body that exists but has published nothing says so; an unknown address is simply not found.
    return reply.type(HTML).send(renderTemplate('publication/views/not-found.njk', { site: site ? this.siteView(site) : null }));
  }

  private async loadSite(slug: string): Promise<Site | undefined> {
    if (!/^[a-z0-9-]{1,60}$/.test(slug)) return undefined;
    const body = await findBodyBySlug(this.db, slug);
    if (!body) return undefined;
    const published = await repository.listPublished(this.db, body.id);
    const sourceKey = [body.id, body.version, body.slug, ...published.map((p) => `${p.id}:${p.lifecycleState}`)].join('|');
    return { body, published, sourceKey };
  }

  private siteView(site: Site) {
    const current = planInForce(site.published);
    return { body: site.body, slug: site.body.slug, current, hasPublished: site.published.length > 0 };
  }

  private html(template: string, site: Site, data: Record<string, unknown>, isCacheable: boolean, currentPath: string): Produced {
    const body = renderTemplate(template, { ...data, site: this.siteView(site), currentPath });
    return { status: 200, body, contentType: HTML, isCacheable };
  }

  private async produce(page: PublicPage, site: Site, params: Record<string, string>): Promise<Produced> {
    const slug = site.body.slug;
    const current = planInForce(site.published);
    const editionPage = async (summary: repository.PublishedSummary | undefined, kind: 'plan' | 'on-a-page' | 'json', path: string) => {
      if (!summary) return notFound();
      const published = await repository.findPublished(this.db, site.body.id, summary.id);
      if (!published) return notFound();
      if (kind === 'json') {
        // Open data: the snapshot as published, with this site's address for the schema.
        const json = {
          ...(published.planJson as Record<string, unknown>),
          schema: `${this.services.config.publicUrl}${paths.planSchema()}`,
        };
        return {
          status: 200,
          body: JSON.stringify(json, null, 2),
          contentType: 'application/json; charset=utf-8',
          isCacheable: true,
          headers: { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' },
        } satisfies Produced;
      }
      const isCurrent = summary.id === current?.id;
      const links = {
        plan: isCurrent ? paths.publicPlan(slug) : paths.publicEdition(slug, summary.id),
        onAPage: isCurrent ? paths.publicPlanOnAPage(slug) : paths.publicEditionOnAPage(slug, summary.id),
        json: isCurrent ? paths.publicPlanJson(slug) : paths.publicEditionJson(slug, summary.id),
      };
      return this.html(
        kind === 'plan' ? 'publication/views/plan.njk' : 'publication/views/on-a-page.njk',
        site,
        { summary, isCurrent, links, fragment: kind === 'plan' ? published.fullPlanHtml : published.onAPageHtml },
        true,
        path,
      );
    };
    const byId = (id: string | undefined) => (id && isUuid(id) ? site.published.find((p) => p.id === id) : undefined);

    switch (page) {
      case 'home':
        if (site.published.length === 0) return notFound();
        return this.html('publication/views/home.njk', site, { current, latest: site.published.at(-1) }, true, paths.publicSite(slug));
      case 'plan':
        return editionPage(current, 'plan', paths.publicPlan(slug));
      case 'plan-on-a-page':
        return editionPage(current, 'on-a-page', paths.publicPlanOnAPage(slug));
      case 'plan-json':
        return editionPage(current, 'json', paths.publicPlanJson(slug));
      case 'edition':
        return editionPage(byId(params.id), 'plan', paths.publicEditions(slug));
      case 'edition-on-a-page':
        return editionPage(byId(params.id), 'on-a-page', paths.publicEditions(slug));
      case 'edition-json':
        return editionPage(byId(params.id), 'json', paths.publicEditions(slug));
      case 'editions':
        if (site.published.length === 0) return notFound();
        return this.html(
          'publication/views/editions.njk',
          site,
          { editions: [...site.published].reverse() },
          true,
          paths.publicEditions(slug),
        );
      case 'changes': {
        if (site.published.length === 0) return notFound();
        const comparisons = await principalChangesBetween(this.db, site.published);
        return this.html('publication/views/changes.njk', site, { comparisons }, true, paths.publicChanges(slug));
      }
      case 'recommendations': {
        const recommendations = await listPublishedRecommendations(this.db, site.body.id);
        return this.html('publication/views/recommendations.njk', site, { recommendations }, false, paths.publicRecommendations(slug));
      }
      case 'meetings': {
        const [panel, meetings] = await Promise.all([
          findScrutinyBodyOf(this.db, site.body.id),
          listPublicMeetingSummaries(this.db, site.body.id),
        ]);
        return this.html('publication/views/meetings.njk', site, { panel, meetings }, false, paths.publicMeetings(slug));
      }
      case 'meeting': {
        const id = params.meetingId;
        const meeting = id ? await findPublicMeeting(this.db, site.body.id, id) : undefined;
        if (!meeting) return notFound();
        const panel = await findScrutinyBodyOf(this.db, site.body.id);
        const { attendance, items } = meeting;
        return this.html('publication/views/meeting.njk', site, { panel, meeting, attendance, items }, false, paths.publicMeetings(slug));
      }
      case 'national-measures': {
        // The office's latest published statement on the National Crime and Policing Measures.
        const report = await findLatestPublishedStatement(this.db, site.body.id);
        const statement = report?.content.kind === 'national_statement' ? (report.content as NationalStatementContent) : null;
        return this.html('publication/views/national-measures.njk', site, { report, statement }, false, paths.publicNationalMeasures(slug));
      }
      case 'document': {
        const { meetingId, documentId } = params;
        const document = meetingId && documentId ? await findPublicDocument(this.db, site.body.id, documentId, meetingId) : undefined;
        if (!document) return notFound();
        return {
          status: 200,
          body: document.content,
          contentType: document.mediaType,
          isCacheable: false,
          etag: document.sha256,
          headers: { 'content-disposition': attachment(document.fileName) },
        };
      }
    }
  }
}

/** An ASCII file name for every client, and the real one (RFC 6266, RFC 8187) for those that read it. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** `If-None-Match` may list several validators, or `*`; weak ones (W/"…") match by their value. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header === etag || header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/**
 * The headers helmet gives the rest of the service, with a CSP that needs no nonce: the public
 * layout has no inline script (and no script at all; nothing on these pages needs JavaScript).
 */
function securityHeaders(isHttps: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "base-uri 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'",
    ...(isHttps ? ['upgrade-insecure-requests'] : []),
  ].join(';');
  return {
    'content-security-policy': csp,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    ...(isHttps ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
}
