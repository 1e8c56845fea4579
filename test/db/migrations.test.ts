import { readdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { asc } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { describeOnEveryEngine, dropWhenDisconnected } from '../support/database.ts';
import { withDatabase } from '../support/global-setup.ts';
import { testConfig } from '../support/app.ts';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { forceAreas } from '../../src/features/organisations/organisations.tables.ts';
import { startServer, StartupError } from '../../src/server.ts';

const journal = JSON.parse(await readFile(fileURLToPath(new URL('../../migrations/meta/_journal.json', import.meta.url)), 'utf8')) as {
  entries: { tag: string }[];
};
const allMigrations = journal.entries.map((e) => e.tag);

/** An empty PostgreSQL database of its own, dropped afterwards. */
async function withEmptyPostgres(work: (url: string) => Promise<void>): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `pcp_test_${process.ppid}_empty_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    await work(withDatabase(adminUrl, name));
  } finally {
    await admin.end();
    await dropWhenDisconnected(adminUrl, name);
  }
}

describe('pending migrations', () => {
  it('the journal lists every SQL file in ./migrations, in order', async () => {
    const files = (await readdir(fileURLToPath(new URL('../../migrations', import.meta.url)))).filter((f) => f.endsWith('.sql')).sort();
    expect(allMigrations.map((tag) => `${tag}.sql`)).toEqual(files);
    expect(allMigrations.slice(0, 2)).toEqual(['0000_foundation', '0001_audit_append_only_and_force_areas']);
  });

  const checkPending = async (database: DatabaseHandle) => {
    try {
      expect(await database.pendingMigrations()).toEqual(allMigrations);
      await database.migrate();
      expect(await database.pendingMigrations()).toEqual([]);
      // Migrating again is a no-op.
      await database.migrate();
      expect(await database.pendingMigrations()).toEqual([]);
    } finally {
      await database.close();
    }
  };

  it('on an empty PGlite database lists them all, and none after migrate', async () => {
    await checkPending(await openDatabase({ pglite: await PGlite.create() }));
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('on an empty PostgreSQL database lists them all, and none after migrate', async () => {
    await withEmptyPostgres(async (url) => checkPending(await openDatabase({ databaseUrl: url })));
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('stop the server starting on PostgreSQL, naming npm run migrate', async () => {
    await withEmptyPostgres(async (url) => {
      const start = startServer(testConfig({ DATABASE_URL: url, PORT: '0' }));
      await expect(start).rejects.toBeInstanceOf(StartupError);
      await expect(start).rejects.toThrow(
        `The PostgreSQL database has ${allMigrations.length} migration(s) not yet applied (${allMigrations.join(', ')}). Run \`npm run migrate\` with the same DATABASE_URL, then start again.`,
      );
      // Nothing was created: the refusal happens before any migration runs.
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      const { rows } = await check.query<{ present: boolean }>(`select to_regclass('public.policing_bodies') is not null as present`);
      await check.end();
      expect(rows[0]!.present).toBe(false);
    });
  });
});

describeOnEveryEngine('reference data', (context) => {
  it('has the 43 force areas of England and Wales, exactly as in force-areas.csv', async () => {
    const csv = await readFile(
      fileURLToPath(new URL('../../src/features/organisations/reference/force-areas.csv', import.meta.url)),
      'utf8',
    );
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header).toBe('id,name,nation,governance_model');
    const expected = lines
      .map((line) => {
        // The CSV quotes fields containing commas.
        const fields = [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].map((m) => m[2] ?? m[1]!).slice(0, 4);
        return { id: fields[0], name: fields[1], nation: fields[2], governanceModel: fields[3], isFictional: false };
      })
      .sort((a, b) => a.id!.localeCompare(b.id!));
    const rows = await context.database.db.select().from(forceAreas).orderBy(asc(forceAreas.id));
    expect(rows).toHaveLength(43);
    expect(expected).toHaveLength(43);
    expect(rows).toEqual(expected);
    expect(rows.filter((r) => r.nation === 'Wales').map((r) => r.id)).toEqual(['dyfed-powys', 'gwent', 'north-wales', 'south-wales']);
  });
});
