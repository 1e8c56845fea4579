import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/platform/db/database.ts';
import { freshDatabase } from '../support/database.ts';

// Only PostgreSQL has a server that can close the service's connections under it.
describe.runIf(process.env.TEST_DATABASE_URL)('a PostgreSQL connection closed by the server', () => {
  it('is replaced: the service neither crashes nor fails its next query', async () => {
    const database = await freshDatabase('postgres');
    try {
      const pool = (database.db as unknown as { $client: pg.Pool }).$client;
      const pid = rowsOf<{ pid: number }>(await database.db.execute(sql`select pg_backend_pid() as pid`))[0]!.pid;
      // The connection is idle in the pool now; the server ends it, as on a restart. The pool
      // reports the error and then, once the connection is closed, removes it: with no listener of
      // the service's own, that report would be an uncaught exception and fail this run.
      const removed = new Promise<void>((resolve) => pool.once('remove', () => resolve()));
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await admin.end();
      await removed;
      await new Promise((resolve) => setImmediate(resolve));
      expect(rowsOf<{ one: number }>(await database.db.execute(sql`select 1 as one`))[0]!.one).toBe(1);
    } finally {
      await database.close();
    }
  });
});
