import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { withDatabase } from './global-setup.ts';

export type Engine = 'pglite' | 'postgres';

/** The backends tests run on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function engines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh, migrated database of the given engine, private to the caller. */
export async function freshDatabase(engine: Engine): Promise<DatabaseHandle> {
  if (engine === 'pglite') {
    const dump = await readFile(inject('pgliteDump'));
    const pglite = await PGlite.create({ loadDataDir: new Blob([dump]) });
    return openDatabase({ pglite });
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `pcp_test_${process.ppid}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
  await admin.end();
  const handle = await openDatabase({ databaseUrl: withDatabase(adminUrl, name) });
  return {
    ...handle,
    async close() {
      await handle.close();
      await dropWhenDisconnected(adminUrl, name);
    },
  };
}

/**
 * Drops a test database once its connections have gone. pg's `pool.end()` resolves before its
 * clients have finished disconnecting; a forced drop would kill them mid-close, and pg reports
 * that as an uncaught error. So wait for them (a few seconds at most), forcing only as a last resort.
 */
export async function dropWhenDisconnected(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      try {
        await admin.query(`drop database if exists ${name}`);
        return;
      } catch (error) {
        // 55006: the database is being accessed by other users.
        if ((error as { code?: string }).code !== '55006') throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * Runs the same suite on every engine, each with its own fresh database for the file.
 * `context.database` is ready inside tests and hooks declared in `body`.
 */
export function describeOnEveryEngine(
  title: string,
  body: (context: { readonly database: DatabaseHandle; readonly engine: Engine }) => void,
): void {
  for (const engine of engines()) {
    describe(`${title} [${engine}]`, () => {
      let database: DatabaseHandle | undefined;
      beforeAll(async () => {
        database = await freshDatabase(engine);
      });
      afterAll(async () => {
        await database?.close();
      });
      body({
        get database() {
          if (!database) throw new Error('database not ready: use it inside a test or hook');
          return database;
        },
        engine,
      });
    });
  }
}
