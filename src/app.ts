import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import session from '@fastify/session';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import nunjucks from 'nunjucks';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { createMailer, type Mailer } from './platform/mail/mailer.ts';
import { HttpError } from './platform/http/errors.ts';
import { isJsonRequest } from './platform/http/guards.ts';
import { requestId, serialiseRequest } from './platform/http/request-logging.ts';
import { DatabaseSessionStore } from './platform/http/session-store.ts';
import { assetDirectories, configureNunjucks, templateDirectories } from './platform/views/views.ts';
import { registerOperationsRoutes } from './platform/http/operations.routes.ts';
import { registerContentRoutes } from './platform/http/content.routes.ts';
import { accountsRoutes, loadCurrentUser, resolveSessionSecret } from './features/accounts/index.ts';
import { organisationsRoutes } from './features/organisations/index.ts';
import { plansRoutes, registerPlanSchemaRoute } from './features/plans/index.ts';
import { lifecycleRoutes } from './features/lifecycle/index.ts';
import { scrutinyRoutes } from './features/scrutiny/index.ts';
import { calendarRoutes } from './features/calendar/index.ts';
import { commentsRoutes } from './features/comments/index.ts';
import { publicationRoutes, registerPublicSite } from './features/publication/index.ts';
import { notificationsRoutes } from './features/notifications/index.ts';
import { performanceRoutes } from './features/performance/index.ts';
import { auditRoutes } from './platform/audit/audit.routes.ts';
import { apiRoutes } from './platform/http/api.routes.ts';
import type { CurrentUser } from './shared/current-user.ts';

export type AppDeps = {
  config: Config;
  database: DatabaseHandle;
  /** Defaults to SMTP_URL, or .eml files in DATA_DIR/outbox. */
  mailer?: Mailer;
  /** The clock, passed in so tests can move time (session timeouts, lockouts). */
  now?: () => Date;
  /** The background job queue, when the process runs one (server.ts); route tests run without. */
  jobs?: JobQueue;
};

/** What routes may do with the job queue: queue a job now. */
export type JobQueue = { send(name: string, data?: Record<string, unknown>): Promise<string | null> };

export type Services = Required<Omit<AppDeps, 'jobs'>> & Pick<AppDeps, 'jobs'>;

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
  }
  interface FastifyReply {
    /** Renders a page in the service layout with the request's user, CSP nonce and CSRF token. */
    page(template: string, data?: Record<string, unknown>): Promise<void>;
  }
  interface Session {
    userId?: string;
    /** When the user signed in, for the absolute session timeout. */
    signedInAt?: number;
    flash?: string;
  }
}

/** Builds the whole service: platform steps in one readable order, then each feature. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      serializers: { req: serialiseRequest },
    },
    genReqId: requestId,
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const services: Services = {
    now: () => new Date(),
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, logger: app.log }),
    ...deps,
  } as Services;
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // 0. Errors: GOV.UK pages for people, JSON for machines, no stack traces. Set before any plugin
  // loads, because each route keeps the error handler in force when its plugin finished loading.
  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const statusCode = statusFor(error);
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ statusCode, code: error.code }, error.message);
    reply.code(statusCode);
    if (isJsonRequest(request)) {
      return reply.send({ error: errorNames[statusCode] ?? 'error', message: statusCode >= 500 ? 'Something went wrong' : error.message });
    }
    return reply.page(errorTemplates[statusCode] ?? 'errors/problem.njk', {
      message: statusCode >= 500 ? undefined : error.message,
      statusCode,
    });
  });

  // 1. Health and version, before sessions and auth.
  registerOperationsRoutes(app, services);

  // 1b. Each body's public site (/<body-slug>/…): the same pages for everyone, served from memory
  // before the steps below (CSP nonce, session, CSRF, current user), none of which they need.
  registerPublicSite(app, services);

  // 2. Security headers: a CSP with a per-request nonce for the GOV.UK template's inline script.
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies ? undefined : false,
  });

  // 3. Static assets: govuk-frontend's fonts, images, CSS and JS, and our own stylesheet.
  await app.register(fastifyStatic, {
    root: assetDirectories,
    prefix: '/assets/',
    maxAge: config.environment === 'production' ? '1d' : 0,
    index: false,
    list: false,
  });

  // 4. Bodies, cookies and sessions kept in the database.
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  await app.register(cookie);
  const sessionStore = new DatabaseSessionStore(database.db, config.sessionIdleMinutes * 60_000, services.now);
  await sessionStore.sweep();
  const sweepTimer = setInterval(
    () => sessionStore.sweep().catch((error) => app.log.warn({ err: error }, 'session sweep failed')),
    15 * 60_000,
  );
  sweepTimer.unref();
  app.addHook('onClose', async () => clearInterval(sweepTimer));
  await app.register(session, {
    secret: config.sessionSecret ?? (await resolveSessionSecret(database.db, () => randomBytes(48).toString('base64url'))),
    cookieName: 'pcp_session',
    store: sessionStore,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: config.sessionIdleMinutes * 60_000,
      path: '/',
    },
  });

  // 5. Rate limits are opted into per route (sign-in); the store is per process.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const error = new HttpError(429, `Too many attempts. Try again in ${Math.ceil(context.ttl / 1000)} seconds.`);
      return error;
    },
  });

  // 6. CSRF: a synchroniser token held in the session, checked before every POST handler.
  await app.register(csrf, { sessionPlugin: '@fastify/session' });
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'POST') {
      app.csrfProtection(request, reply, done);
      return;
    }
    done();
  });

  // 7. Views: Nunjucks with govuk-frontend macros, autoescaped.
  await app.register(view, {
    engine: { nunjucks },
    templates: templateDirectories,
    options: { autoescape: true, throwOnUndefined: false, onConfigure: configureNunjucks },
  });
  app.decorateReply('page', async function page(this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
    const request = this.request;
    let csrfToken: string | undefined;
    const flash = request.session?.flash;
    if (flash) request.session.flash = undefined;
    this.header('cache-control', request.user ? 'no-store' : 'no-cache');
    this.type('text/html; charset=utf-8');
    await this.view(template, {
      ...data,
      flash,
      currentUser: request.user,
      currentPath: request.url.split('?')[0],
      cspNonce: (this as unknown as { cspNonce: { script: string } }).cspNonce.script,
      // Generated only when a template asks, so anonymous readers get no session cookie.
      csrfToken: () => (csrfToken ??= this.generateCsrf()),
    });
  });

  // 8. The current user, looked up from the session on every request; absolute timeout enforced here.
  app.decorateRequest('user', null);
  app.addHook('preHandler', async (request) => {
    const userId = request.session?.userId;
    if (!userId) return;
    const signedInAt = request.session.signedInAt ?? 0;
    if (services.now().getTime() - signedInAt > config.sessionAbsoluteHours * 3_600_000) {
      // A fresh empty session rather than none: the page rendered next may still need a CSRF token.
      await request.session.regenerate();
      return;
    }
    request.user = await loadCurrentUser(database.db, userId);
  });

  // 9. Features.
  registerContentRoutes(app);
  registerPlanSchemaRoute(app, services);
  await app.register(accountsRoutes, { services });
  await app.register(organisationsRoutes, { services });
  await app.register(plansRoutes, { services });
  await app.register(lifecycleRoutes, { services });
  await app.register(scrutinyRoutes, { services });
  await app.register(calendarRoutes, { services });
  await app.register(commentsRoutes, { services });
  await app.register(notificationsRoutes, { services });
  await app.register(performanceRoutes, { services });
  // The public site answers at /<body-slug>/, so it comes after every fixed path.
  await app.register(publicationRoutes, { services });
  await app.register(auditRoutes, { services });
  await app.register(apiRoutes, { services });

  // 10. Not found: a GOV.UK page for people, JSON for machines.
  app.setNotFoundHandler(async (request, reply) => {
    if (isJsonRequest(request)) return reply.code(404).send({ error: 'not_found', message: 'Not found' });
    reply.code(404);
    return reply.page('errors/not-found.njk');
  });
  return app;
}

function statusFor(error: { statusCode?: number; code?: string }): number {
  if (error.code?.startsWith('FST_CSRF_')) return 403;
  if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 413;
  const status = error.statusCode ?? 500;
  return status >= 400 && status < 600 ? status : 500;
}

const errorTemplates: Record<number, string> = {
  400: 'errors/bad-request.njk',
  403: 'errors/forbidden.njk',
  404: 'errors/not-found.njk',
  409: 'errors/cannot-change.njk',
  413: 'errors/too-large.njk',
  415: 'errors/bad-request.njk',
  429: 'errors/too-many-requests.njk',
};

const errorNames: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorised',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  500: 'internal_error',
};

export type { FastifyInstance, FastifyRequest };
