import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Logger } from 'pino';
import { rowsOf, type DatabaseHandle } from '../db/database.ts';

/** A background job: its queue name, what it does, when it runs by itself and how it is retried. */
export type JobDefinition = {
  name: string;
  handler: (data: Record<string, unknown>) => Promise<void>;
  /** Cron expression (Europe/London) when the job runs on a schedule. */
  cron?: string;
  retryLimit?: number;
  /** Seconds before the first retry; doubled each time when retryBackoff is set. */
  retryDelay?: number;
  retryBackoff?: boolean;
};

export type Jobs = {
  boss: PgBoss;
  /** Queues a job now; returns its id, or null when the queue already holds one waiting. */
  send(name: string, data?: Record<string, unknown>): Promise<string | null>;
  /**
   * Fetches whatever is due on one queue and runs it here: complete on success, fail (and so
   * retry, up to the limit) on error. The workers do the same on their own; tests call this so
   * they need not wait on a polling interval.
   */
  runDue(name: string): Promise<{ completed: number; failed: number }>;
  stop(): Promise<void>;
};

/**
 * pg-boss speaks to PGlite through its `db` option. pg-boss sends its schema and its locked
 * maintenance statements as one multi-statement text without parameters, which PGlite runs with
 * `exec` (the simple protocol); everything parameterised goes through `query`. Both take PGlite's
 * transaction lock, so a job never runs inside a web request's open transaction.
 */
export function pgliteExecutor(pglite: PGlite): { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    async executeSql(text: string, values?: unknown[]) {
      try {
        if (values && values.length > 0) return await pglite.query(text, values as unknown[]);
        const results = await pglite.exec(text);
        return results[results.length - 1] ?? { rows: [] };
      } catch (error) {
        // A failed statement inside pg-boss's own BEGIN…COMMIT text leaves the one connection
        // in an aborted transaction; end it so the next statement starts clean.
        if (pglite.isInTransaction()) await pglite.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
  };
}

/** pg-boss constructor options for the database the service runs on. */
export function bossOptions(database: DatabaseHandle): PgBoss.ConstructorOptions {
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.engine === 'pglite') {
    // pg-boss keeps its tables in its own schema (pgboss); it creates and migrates them on start.
    return { db: pgliteExecutor(client as PGlite) };
  }
  const pool = client as pg.Pool & { options: { connectionString?: string } };
  return { connectionString: pool.options.connectionString, max: 4 };
}

/**
 * Starts pg-boss on the service's database, creates each queue with its retry policy, schedules
 * the cron jobs and (unless `work` is false) starts a worker per queue.
 */
export async function startJobs(
  database: DatabaseHandle,
  definitions: readonly JobDefinition[],
  options: { logger: Pick<Logger, 'info' | 'warn' | 'error'>; work?: boolean; schedule?: boolean },
): Promise<Jobs> {
  const work = options.work ?? true;
  const schedule = options.schedule ?? true;
  const boss = new PgBoss({
    ...bossOptions(database),
    schedule,
    supervise: true,
    // Keep finished jobs a week, so administrators can see what happened.
    deleteAfterDays: 7,
  });
  boss.on('error', (error) => options.logger.error({ err: error }, 'job queue error'));
  await boss.start();

  const byName = new Map(definitions.map((d) => [d.name, d]));
  for (const definition of definitions) {
    const queueOptions = {
      name: definition.name,
      // One waiting and one running at most: a second "send now" while one waits adds nothing.
      policy: 'stately' as const,
      retryLimit: definition.retryLimit ?? 5,
      retryDelay: definition.retryDelay ?? 60,
      retryBackoff: definition.retryBackoff ?? true,
    };
    const existing = await boss.getQueue(definition.name);
    if (existing) await boss.updateQueue(definition.name, queueOptions);
    else await boss.createQueue(definition.name, queueOptions);
    if (schedule && definition.cron) await boss.schedule(definition.name, definition.cron, {}, { tz: 'Europe/London' });
    else if (!definition.cron) await boss.unschedule(definition.name).catch(() => undefined);
    if (work) {
      await boss.work<Record<string, unknown>>(definition.name, { pollingIntervalSeconds: 5 }, async (jobs) => {
        for (const job of jobs) await definition.handler(job.data ?? {});
      });
    }
  }

  const run = async (name: string) => {
    const definition = byName.get(name);
    if (!definition) throw new Error(`No job called ${name}`);
    let completed = 0;
    let failed = 0;
    const jobs = await boss.fetch<Record<string, unknown>>(name, { batchSize: 10 });
    for (const job of jobs) {
      try {
        await definition.handler(job.data ?? {});
        await boss.complete(name, job.id);
        completed += 1;
      } catch (error) {
        await boss.fail(name, job.id, error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) });
        failed += 1;
      }
    }
    return { completed, failed };
  };

  let stopped = false;
  return {
    boss,
    send: (name, data = {}) => boss.send(name, data),
    runDue: run,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Wait for running handlers (up to 20 s), then close pg-boss's own connections.
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 }).catch((error: unknown) => {
        options.logger.warn({ err: error }, 'job queue did not stop cleanly');
      });
    },
  };
}

export type JobRow = {
  id: string;
  queue: string;
  state: string;
  attempts: number;
  retryLimit: number;
  lastError: string;
  createdOn: Date | string;
  completedOn: Date | string | null;
};

/**
 * Recent jobs for administrators, failed first. Read from pg-boss's own table, so the page works
 * in any process on the database (pg-boss need not be running in the one serving the page).
 */
export async function listRecentJobs(database: DatabaseHandle, limit = 200): Promise<JobRow[]> {
  const present = rowsOf<{ present: boolean }>(await database.db.execute(sql`select to_regclass('pgboss.job') is not null as present`));
  if (!present[0]?.present) return [];
  const rows = rowsOf<{
    id: string;
    name: string;
    state: string;
    retry_count: number;
    retry_limit: number;
    output: unknown;
    created_on: Date | string;
    completed_on: Date | string | null;
  }>(
    await database.db.execute(sql`
      select id::text as id, name, state::text as state, retry_count, retry_limit, output, created_on, completed_on
      from pgboss.job
      where name not like '\_\_pgboss\_\_%'
      order by (state = 'failed') desc, created_on desc
      limit ${limit}`),
  );
  return rows.map((row) => ({
    id: row.id,
    queue: row.name,
    state: row.state,
    // pg-boss counts retries; the first run is an attempt too (a job still waiting has had none).
    attempts: row.state === 'created' ? 0 : row.retry_count + (row.state === 'retry' ? 0 : 1),
    retryLimit: row.retry_limit,
    lastError: errorMessageOf(row.state, row.output),
    createdOn: row.created_on,
    completedOn: row.completed_on,
  }));
}

function errorMessageOf(state: string, output: unknown): string {
  if (state !== 'failed' && state !== 'retry') return '';
  const value = typeof output === 'string' ? safeParse(output) : output;
  if (value && typeof value === 'object' && 'message' in value) return String((value as { message: unknown }).message);
  return value ? JSON.stringify(value) : '';
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
