import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { describeOnEveryEngine } from '../support/database.ts';
import { Agent, buildTestApp, createBody, createUser, PASSWORD } from '../support/app.ts';
import { auditChain, countRows, expectErrorPage, rejectionMessages, tamperWithAuditEvent } from '../support/organisations-helpers.ts';
import { appendAuditEvent, verifyAuditChain } from '../../src/platform/audit/index.ts';
import { describeChainReport } from '../../src/platform/audit/audit.verify.ts';
import { GENESIS_HASH, hashEvent } from '../../src/platform/audit/domain/hash-chain.ts';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

const event = (action: string, policingBodyId: string | null, occurredAt: string, n = 0) => ({
  actor: { userId: null, label: 'Test actor' },
  policingBodyId,
  action,
  subject: { type: 'test_subject', id: `subject-${n}` },
  before: n > 0 ? { n: n - 1 } : undefined,
  after: { n, nested: { list: [1, 'two', null], when: new Date('2026-01-01T00:00:00Z') } },
  occurredAt: new Date(occurredAt),
});

describeOnEveryEngine('the audit log', (context) => {
  let app: FastifyInstance;
  let admin: Agent;
  beforeAll(async () => {
    ({ app } = await buildTestApp(context.database, { config: { SIGN_IN_ATTEMPTS_PER_MINUTE: '10000' } }));
    const user = await createUser(context.database, { isAdmin: true });
    admin = new Agent(app);
    await admin.signIn(user.email, PASSWORD);
  });
  afterAll(() => app.close());

  describe('the hash chain', () => {
    it('links every change to the hash of the one before, starting from the genesis hash', async () => {
      const { body, partner } = await createBody(context.database);
      const before = await countRows(context.database, 'audit_events');
      await admin.submit(`/bodies/${body.slug}/partners/${partner.id}/edit`, {
        kind: 'health',
        name: 'Chained once',
        website: '',
        version: '1',
      });
      await admin.submit(`/bodies/${body.slug}/partners/${partner.id}/edit`, {
        kind: 'health',
        name: 'Chained twice',
        website: '',
        version: '2',
      });
      await admin.submit(`/bodies/${body.slug}/partners/new`, { kind: 'other', name: 'Chained three', website: '' });
      const chain = await auditChain(context.database);
      expect(chain).toHaveLength(before + 3);
      expect(chain.slice(-3).map((e) => e.action)).toEqual(['partner.updated', 'partner.updated', 'partner.created']);
      expect(chain[0]!.previousHash).toBe(GENESIS_HASH);
      chain.forEach((entry, i) => {
        if (i > 0) expect(entry.previousHash).toBe(chain[i - 1]!.hash);
        const { id: _id, hash, ...fields } = entry;
        expect(hashEvent(fields)).toBe(hash);
      });
      expect(new Set(chain.map((e) => e.hash)).size).toBe(chain.length);
    });

    it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
      await appendAuditEvent(context.database.db, event('test.appended', null, '2026-11-23T10:00:00Z'));
      const [last] = (await auditChain(context.database)).slice(-1);
      const count = await countRows(context.database, 'audit_events');
      expect(
        await rejectionMessages(context.database.db.execute(sql`update audit_events set actor_label = 'Mallory' where id = ${last!.id}`)),
      ).toContain('audit_events is append-only: UPDATE is not allowed');
      expect(await rejectionMessages(context.database.db.execute(sql`delete from audit_events where id = ${last!.id}`))).toContain(
        'audit_events is append-only: DELETE is not allowed',
      );
      expect(await rejectionMessages(context.database.db.execute(sql.raw('truncate audit_events')))).toContain(
        'audit_events is append-only: TRUNCATE is not allowed',
      );
      expect(await countRows(context.database, 'audit_events')).toBe(count);
      expect((await auditChain(context.database)).at(-1)).toEqual(last);
    });

    it('verifies as intact, then names exactly the row changed behind the trigger’s back', async () => {
      for (let n = 1; n <= 3; n += 1) await appendAuditEvent(context.database.db, event('test.verified', null, '2026-11-23T10:00:00Z', n));
      const chain = await auditChain(context.database);
      expect(await verifyAuditChain(context.database.db)).toEqual({ isIntact: true, checked: chain.length });
      const victim = chain.at(-2)!;
      await tamperWithAuditEvent(context.database, victim.id, 'Someone innocent');
      const report = await verifyAuditChain(context.database.db);
      expect(report).toEqual({ isIntact: false, checked: chain.length - 2, brokenAt: { id: victim.id, reason: 'hash_mismatch' } });
      expect(describeChainReport(report)).toBe(
        `Audit log broken at entry ${victim.id}: its contents do not match its hash. ${chain.length - 2} entries before it verified.`,
      );
      // The trigger is back on afterwards.
      expect(await rejectionMessages(context.database.db.execute(sql`delete from audit_events where id = ${victim.id}`))).toContain(
        'append-only',
      );
    });
  });

  describe('the browse page', () => {
    it.each(['commissioner', 'officer', 'panel_officer'] as const)('is refused to a %s with the 403 page', async (role) => {
      const { body, panel } = await createBody(context.database);
      const user = await createUser(context.database, {
        memberships: [{ policingBodyId: body.id, role, ...(role === 'panel_officer' ? { scrutinyBodyId: panel.id } : {}) }],
      });
      const agent = new Agent(app);
      await agent.signIn(user.email, PASSWORD);
      expectErrorPage(await agent.get('/admin/audit'), 403);
    });

    it('sends an anonymous visitor to sign in', async () => {
      const response = await new Agent(app).get('/admin/audit');
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Faudit');
    });

    it('filters by organisation, action prefix and dates', async () => {
      const { body: north } = await createBody(context.database);
      const { body: south } = await createBody(context.database);
      await appendAuditEvent(context.database.db, event('filter.north_created', north.id, '2030-01-10T12:00:00Z', 101));
      await appendAuditEvent(context.database.db, event('filter.north_changed', north.id, '2030-02-10T12:00:00Z', 102));
      await appendAuditEvent(context.database.db, event('filter.south_created', south.id, '2030-01-10T12:00:00Z', 103));
      await appendAuditEvent(context.database.db, event('other.north', north.id, '2030-01-10T12:00:00Z', 104));
      const actionsOn = async (query: string) => {
        const page = await admin.get(`/admin/audit?${query}`);
        expect(page.statusCode).toBe(200);
        return [...page.body.matchAll(/<code>([a-z_.]+)<\/code>/g)].map((m) => m[1]);
      };
      expect(await actionsOn(`body=${north.slug}`)).toEqual(['other.north', 'filter.north_changed', 'filter.north_created']);
      expect(await actionsOn('action=filter.')).toEqual(['filter.south_created', 'filter.north_changed', 'filter.north_created']);
      expect(await actionsOn(`action=filter.&body=${south.slug}`)).toEqual(['filter.south_created']);
      expect(await actionsOn('action=filter.&from=2030-02-01&to=2030-02-28')).toEqual(['filter.north_changed']);
      expect(await actionsOn('action=filter.&to=2030-01-10')).toEqual(['filter.south_created', 'filter.north_created']);
      // The action filter is a prefix, with LIKE wildcards taken literally.
      expect(await actionsOn('action=filter_')).toEqual([]);
      expect(await actionsOn('action=%25north')).toEqual([]);
    });

    it('shows the before and after of an entry', async () => {
      const { body } = await createBody(context.database);
      await appendAuditEvent(context.database.db, {
        ...event('detail.shown', body.id, '2030-03-01T09:00:00Z', 7),
        after: { name: '<b>Escaped</b>' },
      });
      const page = await admin.get(`/admin/audit?body=${body.slug}&action=detail.`);
      expect(page.body).toContain('<h3 class="govuk-heading-s">Before</h3>');
      expect(page.body).toContain('&quot;n&quot;: 6');
      expect(page.body).toContain('&lt;b&gt;Escaped&lt;/b&gt;');
      expect(page.body).not.toContain('<b>Escaped</b>');
    });

    it('reports a bad date and an unknown organisation with the error summary instead of entries', async () => {
      const page = await admin.get('/admin/audit?from=2030-02-30&body=no-such-body');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('There is a problem');
      expect(page.body).toContain('Date from must be a real date, like 2026-11-23');
      expect(page.body).toContain('href="#from"');
      expect(page.body).toContain('Select an organisation from the list');
      expect(page.body).toContain('No entries match.');
    });

    it('pages through entries 50 at a time, newest first, with "Older entries", keeping the filters', async () => {
      const { body } = await createBody(context.database);
      for (let n = 1; n <= 53; n += 1)
        await appendAuditEvent(context.database.db, event(`paged.n${String(n).padStart(2, '0')}`, body.id, '2030-04-01T09:00:00Z', n));
      const actions = (html: string) => [...html.matchAll(/<code>([a-z0-9_.]+)<\/code>/g)].map((m) => m[1]);
      const first = await admin.get(`/admin/audit?body=${body.slug}&action=paged.`);
      expect(actions(first.body)).toHaveLength(50);
      expect(actions(first.body)[0]).toBe('paged.n53');
      expect(actions(first.body)[49]).toBe('paged.n04');
      const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">[\s\S]*?Older entries/.exec(first.body)?.[1];
      expect(next).toBeDefined();
      const url = next!.replace(/&amp;/g, '&');
      expect(new URL(url, 'http://x').searchParams.get('body')).toBe(body.slug);
      const second = await admin.get(url);
      expect(actions(second.body)).toEqual(['paged.n03', 'paged.n02', 'paged.n01']);
      expect(second.body).not.toContain('Older entries');
    });
  });
});

describe('npm run audit:verify (the real command, on a PGlite data directory)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pcp-audit-verify-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const runVerify = () =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
      delete env.DATABASE_URL;
      execFile(
        path.join(projectRoot, 'node_modules', '.bin', 'tsx'),
        ['src/audit-verify.ts'],
        { cwd: projectRoot, env },
        (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
        },
      );
    });

  const withDatabase = async (work: (database: DatabaseHandle) => Promise<void>) => {
    const database = await openDatabase({ dataDir });
    try {
      await work(database);
    } finally {
      await database.close();
    }
  };

  it('exits 0 on an intact log, then 2 naming the entry that was changed', async () => {
    let ids: number[] = [];
    await withDatabase(async (database) => {
      await database.migrate();
      for (let n = 1; n <= 4; n += 1) await appendAuditEvent(database.db, event('cli.appended', null, '2026-11-23T10:00:00Z', n));
      ids = (await auditChain(database)).map((e) => e.id);
    });
    expect(ids).toHaveLength(4);

    const intact = await runVerify();
    expect(intact.stderr).toBe('');
    expect(intact.stdout).toBe('Audit log intact: 4 entries verified.\n');
    expect(intact.code).toBe(0);

    await withDatabase((database) => tamperWithAuditEvent(database, ids[2]!, 'Forged actor'));
    const broken = await runVerify();
    expect(broken.stdout).toBe(`Audit log broken at entry ${ids[2]}: its contents do not match its hash. 2 entries before it verified.\n`);
    expect(broken.code).toBe(2);
  }, 120_000);
});
