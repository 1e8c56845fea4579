import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, MemoryMailer, PASSWORD, testConfig, TestClock } from '../support/app.ts';
import { bodyFields, countRows, expectErrorPage } from '../support/organisations-helpers.ts';
import { buildApp } from '../../src/app.ts';
import * as repository from '../../src/features/organisations/organisations.repository.ts';

const BODY_LIMIT = 4096;

describeOnEveryEngine('cross-cutting security and errors', (context) => {
  let app: FastifyInstance;
  let admin: Agent;
  beforeAll(async () => {
    app = await buildApp({
      config: testConfig({ BODY_LIMIT_BYTES: String(BODY_LIMIT), SIGN_IN_ATTEMPTS_PER_MINUTE: '10000' }),
      database: context.database,
      mailer: new MemoryMailer(),
      now: new TestClock().now,
    });
    // Routes that fail on purpose, registered before ready like any feature's.
    app.get('/test-only/explode', async () => {
      throw new Error('secret internal detail at /srv/app/src/thing.ts:12');
    });
    app.get('/api/test-only/explode', async () => {
      throw new TypeError('secret internal detail in the API');
    });
    await app.ready();
    const user = await createUser(context.database, { isAdmin: true });
    admin = new Agent(app);
    await admin.signIn(user.email, PASSWORD);
  });
  afterAll(() => app.close());

  describe('CSRF protection', () => {
    it('refuses a POST without a token with the 403 page, and changes nothing', async () => {
      const { body } = await createBody(context.database);
      await admin.get(`/bodies/${body.slug}/edit`);
      const response = await app.inject({
        method: 'POST',
        url: `/bodies/${body.slug}/edit`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pcp_session=${admin.sessionCookie}` },
        payload: new URLSearchParams(bodyFields({ name: 'Forged', slug: body.slug, version: '1' })).toString(),
      });
      expectErrorPage(response, 403);
      expect(await repository.findBodyById(context.database.db, body.id)).toMatchObject({ name: body.name, version: 1 });
    });

    it('refuses a POST with a wrong token, and changes nothing', async () => {
      const bodiesBefore = await countRows(context.database, 'policing_bodies');
      const auditBefore = await countRows(context.database, 'audit_events');
      await admin.get('/bodies/new');
      const response = await admin.post('/bodies/new', { ...bodyFields({ name: 'Forged body' }), _csrf: 'not-the-token' });
      expectErrorPage(response, 403);
      expect(await countRows(context.database, 'policing_bodies')).toBe(bodiesBefore);
      expect(await countRows(context.database, 'audit_events')).toBe(auditBefore);
    });

    it('refuses another session’s token', async () => {
      const other = await createUser(context.database, { isAdmin: true });
      const otherAgent = new Agent(app);
      await otherAgent.signIn(other.email, PASSWORD);
      const form = await otherAgent.get('/bodies/new');
      const othersToken = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      await admin.get('/bodies/new');
      const response = await admin.post('/bodies/new', { ...bodyFields({ name: 'Borrowed token body' }), _csrf: othersToken });
      expectErrorPage(response, 403);
      expect(await repository.findBodyBySlug(context.database.db, 'borrowed-token-body')).toBeUndefined();
    });
  });

  it('answers a body over BODY_LIMIT_BYTES with the 413 page and saves nothing', async () => {
    const bodiesBefore = await countRows(context.database, 'policing_bodies');
    await admin.get('/bodies/new');
    const response = await admin.post('/bodies/new', bodyFields({ name: 'Too big', holderName: 'x'.repeat(BODY_LIMIT) }));
    expectErrorPage(response, 413);
    expect(await countRows(context.database, 'policing_bodies')).toBe(bodiesBefore);
    // Just under the limit is read (and then fails validation on length, not size).
    const under = await admin.post('/bodies/new', bodyFields({ name: 'Not too big', holderName: 'x'.repeat(BODY_LIMIT - 1200) }));
    expect(under.statusCode).toBe(400);
  });

  describe('security headers', () => {
    it('sends a CSP whose script nonce is the one on the page’s inline script, and forbids framing', async () => {
      const page = await new Agent(app).get('/');
      const csp = String(page.headers['content-security-policy']);
      const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
      const inlineScripts = [...page.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
      expect(inlineScripts.length).toBeGreaterThan(0);
      for (const attributes of inlineScripts) expect(attributes).toContain(`nonce="${nonce}"`);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      // A fresh nonce for every response.
      const again = await new Agent(app).get('/');
      expect(String(again.headers['content-security-policy'])).not.toContain(nonce);
    });

    it('marks private pages no-store and public ones no-cache', async () => {
      expect((await admin.get('/bodies')).headers['cache-control']).toBe('no-store');
      expect((await admin.get('/account')).headers['cache-control']).toBe('no-store');
      expect((await new Agent(app).get('/')).headers['cache-control']).toBe('no-cache');
    });

    it('sets the session cookie httpOnly and SameSite=Lax', async () => {
      const agent = new Agent(app);
      const user = await createUser(context.database);
      const response = await agent.submit('/sign-in', { email: user.email, password: PASSWORD });
      const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((c) => c.startsWith('pcp_session='));
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      expect(setCookie).not.toMatch(/Secure/i);
    });

    it('returns an X-Request-Id, keeping a well-formed one from a proxy and replacing a malformed one', async () => {
      const fresh = await app.inject({ method: 'GET', url: '/health' });
      expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const kept = await app.inject({ method: 'GET', url: '/no-such-page', headers: { 'x-request-id': 'proxy-abc-12345' } });
      expect(kept.headers['x-request-id']).toBe('proxy-abc-12345');
      const replaced = await app.inject({ method: 'GET', url: '/', headers: { 'x-request-id': 'bad id <script>' } });
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('error pages', () => {
    it('shows the GOV.UK 500 page for an internal error, without the message or a stack trace', async () => {
      const response = await admin.get('/test-only/explode');
      expectErrorPage(response, 500);
      expect(response.body).not.toContain('secret internal detail');
      expect(response.body).not.toMatch(/\bat .+\.ts:\d+/);
      expect(response.body).not.toContain('Error:');
      expect(response.headers['x-request-id']).toBeTruthy();
    });

    it('answers an internal error under /api with JSON and no detail', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/test-only/explode' });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: 'internal_error', message: 'Something went wrong' });
    });

    it('answers unknown pages with the GOV.UK 404 page and unknown API paths with JSON', async () => {
      expectErrorPage(await new Agent(app).get('/no-such-page'), 404);
      expectErrorPage(await admin.get('/bodies/no-such-body'), 404);
      const api = await app.inject({ method: 'GET', url: '/api/no-such-thing' });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toEqual({ error: 'not_found', message: 'Not found' });
      const accept = await app.inject({ method: 'GET', url: '/no-such-page', headers: { accept: 'application/json' } });
      expect(accept.json()).toEqual({ error: 'not_found', message: 'Not found' });
    });
  });
});

describeOnEveryEngine('sign-in rate limit', (context) => {
  it('shows the 429 page once SIGN_IN_ATTEMPTS_PER_MINUTE is used up', async () => {
    const { app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '3' } });
    try {
      const agent = new Agent(app);
      const responses = [];
      for (let i = 0; i < 4; i += 1)
        responses.push(await agent.submit('/sign-in', { email: 'nobody@example.org', password: 'wrong password here' }));
      expect(responses.map((r) => r.statusCode)).toEqual([400, 400, 400, 429]);
      expectErrorPage(responses[3]!, 429);
      expect(responses[3]!.body).toMatch(/Too many attempts\. Try again in \d+ seconds\./);
    } finally {
      await app.close();
    }
  });
});

describe('a service reached over HTTPS', () => {
  it('sends HSTS, asks browsers to upgrade requests and marks the session cookie Secure', async () => {
    const { freshDatabase } = await import('../support/database.ts');
    const database = await freshDatabase('pglite');
    const { app } = await buildTestApp(database, { config: { PUBLIC_URL: 'https://plans.example.org', TRUST_PROXY: 'true' } });
    try {
      const page = await app.inject({ method: 'GET', url: '/' });
      expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(String(page.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      const signIn = await app.inject({ method: 'GET', url: '/sign-in', headers: { 'x-forwarded-proto': 'https' } });
      const setCookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? []).find((c) => c.startsWith('pcp_session='));
      expect(setCookie).toMatch(/; Secure/);
      const plain = await buildTestApp(database);
      expect((await plain.app.inject({ method: 'GET', url: '/' })).headers['strict-transport-security']).toBeUndefined();
      await plain.app.close();
    } finally {
      await app.close();
      await database.close();
    }
  });
});
