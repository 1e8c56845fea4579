import pg from 'pg';
import { run } from './children.ts';
import { projectRoot, serviceEnvironment } from './service.ts';

export type BenchDatabase = { url: string; name: string; drop: () => Promise<void> };

/**
 * A fresh, migrated database on the PostgreSQL server that BENCH_DATABASE_URL points at (which
 * must be on this machine), dropped again by `drop`.
 */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const url = new URL(serverUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`BENCH_DATABASE_URL must point at this machine (127.0.0.1), not ${url.hostname}`);
  }
  url.hostname = '127.0.0.1';
  const name = `pcp_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const databaseUrl = new URL(url.toString());
  databaseUrl.pathname = `/${name}`;

  const drop = async () => {
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(`drop database if exists ${name} with (force)`);
    } finally {
      await client.end();
    }
  };

  const migrate = await run('npm', ['run', '--silent', 'migrate'], {
    cwd: projectRoot,
    env: serviceEnvironment({ NODE_ENV: 'production', DATABASE_URL: databaseUrl.toString(), LOG_LEVEL: 'warn' }),
  });
  if (migrate.code !== 0) {
    await drop();
    throw new Error(`npm run migrate failed:\n${migrate.output}`);
  }
  return { url: databaseUrl.toString(), name, drop };
}

/**
 * Whether one signed-in page view rewrites the session row: compares the row's updated_at before
 * and after `view()`. Only possible on PostgreSQL, which the bench can read while the service runs.
 */
export async function pageViewWritesSession(databaseUrl: string, sessionCookie: string, view: () => Promise<void>): Promise<boolean> {
  const sessionId = decodeURIComponent(sessionCookie.replace(/^pcp_session=/, '')).split('.')[0];
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const read = async () => {
      const { rows } = await client.query<{ updated_at: Date }>('select updated_at from sessions where id = $1', [sessionId]);
      if (!rows[0]) throw new Error('the signed-in session has no row in the sessions table');
      return rows[0].updated_at.getTime();
    };
    const before = await read();
    await view();
    return (await read()) !== before;
  } finally {
    await client.end();
  }
}
