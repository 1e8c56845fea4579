import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import type { Mailer, MailMessage } from '../../src/platform/mail/mailer.ts';
import { hashPassword } from '../../src/features/accounts/index.ts';
import * as accounts from '../../src/features/accounts/accounts.repository.ts';
import * as organisations from '../../src/features/organisations/organisations.repository.ts';
import type { OrganisationRole } from '../../src/shared/current-user.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/tmp/pcp-test-data', ...overrides });
}

/** A mailer that keeps what it was asked to send, for tests that do not need SMTP itself. */
export class MemoryMailer implements Mailer {
  readonly description = 'memory';
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage) {
    this.sent.push(message);
  }
}

/** A clock tests can move forward (session timeouts, lock-outs, invitation expiry). */
export class TestClock {
  constructor(private current = new Date('2026-11-23T10:00:00Z')) {}
  now = () => new Date(this.current);
  advanceMinutes(minutes: number) {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

export async function buildTestApp(
  database: DatabaseHandle,
  options: { config?: Record<string, string>; mailer?: Mailer; clock?: TestClock } = {},
): Promise<{ app: FastifyInstance; mailer: Mailer; clock: TestClock }> {
  const mailer = options.mailer ?? new MemoryMailer();
  const clock = options.clock ?? new TestClock();
  const app = await buildApp({ config: testConfig(options.config), database, mailer, now: clock.now });
  await app.ready();
  return { app, mailer, clock };
}

/**
 * A browser for `app.inject`: keeps cookies between requests and sends the CSRF token the
 * last page carried, because CSRF protection is on in tests as in production.
 */
export class Agent {
  private cookies = new Map<string, string>();
  private csrfToken = '';

  constructor(readonly app: FastifyInstance) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'GET', url, headers: { ...headers, cookie: this.cookieHeader() } });
    this.remember(response);
    return response;
  }

  /** Fetches `formUrl` for a fresh CSRF token, then posts the form to `url` (defaults to the same). */
  async submit(formUrl: string, fields: Record<string, string>, url = formUrl): Promise<LightMyRequestResponse> {
    await this.get(formUrl);
    return this.post(url, fields);
  }

  /** Posts with the token from the last page; pass `_csrf` in fields to override it. */
  async post(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader() },
      payload: new URLSearchParams({ _csrf: this.csrfToken, ...fields }).toString(),
    });
    this.remember(response);
    return response;
  }

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    const response = await this.submit('/sign-in', { email, password });
    if (response.statusCode !== 302) throw new Error(`sign-in failed for ${email}: ${response.statusCode}`);
    return response;
  }

  get sessionCookie(): string | undefined {
    return this.cookies.get('pcp_session');
  }

  forgetCookies() {
    this.cookies.clear();
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (cookie.value === '' || cookie.maxAge === 0) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrfToken = token;
  }
}

export const PASSWORD = 'correct horse battery staple';

let counter = 0;
const unique = () => `${process.pid}-${++counter}`;

/** Inserts a user who can sign in with PASSWORD. */
export async function createUser(
  database: DatabaseHandle,
  options: {
    email?: string;
    displayName?: string;
    isAdmin?: boolean;
    memberships?: { policingBodyId: string; role: OrganisationRole; partnerId?: string; scrutinyBodyId?: string }[];
  } = {},
) {
  const user = await accounts.insertUser(database.db, {
    email: options.email ?? `user-${unique()}@example.org`,
    displayName: options.displayName ?? `Test User ${counter}`,
    passwordHash: await hashPassword(PASSWORD),
    isAdmin: options.isAdmin ?? false,
  });
  for (const m of options.memberships ?? []) {
    await accounts.insertMembership(database.db, {
      userId: user.id,
      policingBodyId: m.policingBodyId,
      role: m.role,
      partnerId: m.partnerId ?? null,
      scrutinyBodyId: m.scrutinyBodyId ?? null,
    });
  }
  return user;
}

/** Inserts a policing body with its panel and one partner. */
export async function createBody(database: DatabaseHandle, options: { name?: string; slug?: string; forceAreaId?: string } = {}) {
  const id = unique();
  const body = await organisations.insertBody(database.db, {
    kind: 'pcc',
    name: options.name ?? `Police and Crime Commissioner ${id}`,
    slug: options.slug ?? `body-${id}`,
    forceAreaId: options.forceAreaId ?? 'avon-and-somerset',
    holderName: 'Alex Example',
    holderTitle: 'Police and Crime Commissioner',
    termStartsOn: '2024-05-13',
    termEndsOn: '2028-05-12',
    publishesInWelsh: false,
  });
  const panel = await organisations.insertScrutinyBody(database.db, {
    policingBodyId: body.id,
    kind: 'police_and_crime_panel',
    name: `Panel ${id}`,
    hostAuthority: 'Example County Council',
  });
  const partner = await organisations.insertPartner(database.db, {
    policingBodyId: body.id,
    kind: 'community_safety_partnership',
    name: `Community Safety Partnership ${id}`,
  });
  return { body, panel, partner };
}

/** The text of the GOV.UK error summary, or '' if the page has none. */
export function errorSummaryText(html: string): string {
  const match = /<div class="govuk-error-summary"[\s\S]*?<\/div>\s*<\/div>/.exec(html);
  return match
    ? match[0]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : '';
}
