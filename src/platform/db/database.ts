import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; repositories take this or a Database, whichever the caller holds. */
export type Executor = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

export type DatabaseHandle = {
  db: Database;
  engine: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
};

export const migrationsFolder = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** Opens PostgreSQL when a URL is given, else the embedded PGlite database kept under dataDir. */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  pglite?: PGlite;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // The server may close an idle connection (a restart, pg_terminate_backend, a dropped
    // database). The pool removes it and reports it here; with no listener the process would
    // crash. The next query simply opens a new connection.
    pool.on('error', () => undefined);
    const db = drizzlePostgres(pool, { schema }) as unknown as Database;
    return withMigrations(
      db,
      'postgres',
      () => migratePostgres(db as never, { migrationsFolder }),
      () => pool.end(),
    );
  }
  let client = options.pglite;
  if (!client) {
    const dataDir = options.dataDir ?? './data';
    const directory = path.resolve(dataDir, 'pglite');
    mkdirSync(directory, { recursive: true });
    client = await PGlite.create(directory);
  }
  const pglite = client;
  const db = drizzlePglite(pglite, { schema }) as unknown as Database;
  return withMigrations(
    db,
    'pglite',
    () => migratePglite(db as never, { migrationsFolder }),
    () => pglite.close(),
  );
}

function withMigrations(
  db: Database,
  engine: DatabaseHandle['engine'],
  runMigrations: () => Promise<void>,
  close: () => Promise<void>,
): DatabaseHandle {
  return {
    db,
    engine,
    migrate: runMigrations,
    pendingMigrations: () => pendingMigrations(db),
    close,
  };
}

/** Names of migrations in ./migrations not yet applied to this database (drizzle's own bookkeeping). */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const files = readMigrationFiles({ migrationsFolder });
  const journal = (await import('../../../migrations/meta/_journal.json', { with: { type: 'json' } })).default as {
    entries: { tag: string; when: number }[];
  };
  const exists = await db.execute<{ present: boolean }>(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  let lastApplied = 0;
  if (rowsOf<{ present: boolean }>(exists)[0]?.present) {
    const last = await db.execute<{ created_at: string }>(
      sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    lastApplied = Number(rowsOf<{ created_at: string }>(last)[0]?.created_at ?? 0);
  }
  return files
    .filter((file) => file.folderMillis > lastApplied)
    .map((file) => journal.entries.find((entry) => entry.when === file.folderMillis)?.tag ?? String(file.folderMillis));
}

/** PGlite and node-postgres both answer execute() with `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
