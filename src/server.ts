import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './platform/db/database.ts';
import { prepareFirstRun } from './features/accounts/index.ts';
import { serviceJobs } from './features/notifications/index.ts';
import { advanceEditionsByDate } from './features/lifecycle/index.ts';
import { POLICE_DATA_IMPORT_JOB, policeDataJobs } from './features/performance/police-data.jobs.ts';
import { startJobs, type Jobs } from './platform/jobs/jobs.ts';
import { createMailer } from './platform/mail/mailer.ts';
import { paths } from './shared/paths.ts';

/**
 * Starts the service: config → database → migrations → app → listen, and shuts down
 * gracefully on SIGINT/SIGTERM (stop accepting, finish in-flight requests, close the database).
 */
export async function startServer(
  config: Config,
  options: { database?: DatabaseHandle; seed?: (database: DatabaseHandle) => Promise<void> } = {},
) {
  const database = options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  if (database.engine === 'pglite') {
    // The embedded database belongs to this process: create and migrate it on first start.
    await database.migrate();
  } else {
    const pending = await database.pendingMigrations();
    if (pending.length > 0) {
      await database.close();
      throw new StartupError(
        `The PostgreSQL database has ${pending.length} migration(s) not yet applied (${pending.join(', ')}). Run \`npm run migrate\` with the same DATABASE_URL, then start again.`,
      );
    }
  }
  await options.seed?.(database);
  // Background jobs (pg-boss) start below, not in buildApp, so route tests run without them;
  // routes queue jobs through this, which is bound before the server listens.
  let jobs: Jobs | undefined;
  const queue = config.jobs ? { send: (name: string, data?: Record<string, unknown>) => jobs!.send(name, data) } : undefined;
  const app = await buildApp({ config, database, ...(queue ? { jobs: queue } : {}) });
  if (config.jobs) {
    const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, logger: app.log });
    const deps = { db: database.db, mailer, publicUrl: config.publicUrl, now: () => new Date() };
    // Daily: issued plans come into force and plans whose period has ended expire (s.7).
    const advanceLifecycle = async (today: string) => void (await advanceEditionsByDate(database.db, today, deps.now()));
    jobs = await startJobs(database, [...serviceJobs(deps, { advanceLifecycle }), ...policeDataJobs(database)], { logger: app.log });
    // Uploads left waiting when the service last stopped are imported now.
    await jobs.send(POLICE_DATA_IMPORT_JOB, {});
  }
  app.addHook('onClose', async () => {
    await jobs?.stop();
    await database.close();
  });

  const setupToken = await prepareFirstRun(database.db);
  if (setupToken) {
    app.log.warn(
      { setupUrl: `${config.publicUrl}${paths.setup()}?token=${setupToken}` },
      `No users yet. Create the first administrator at ${config.publicUrl}${paths.setup()}?token=${setupToken} (this link works once)`,
    );
  }

  let isClosing = false;
  const shutdown = (signal: string) => {
    if (isClosing) return;
    isClosing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  return app;
}

export class StartupError extends Error {}

/** Prints a clear message for bad configuration or a database that is not ready, then exits non-zero. */
export async function main(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`Could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main(() => startServer(loadConfig()));
}
