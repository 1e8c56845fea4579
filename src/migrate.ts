import { loadConfig } from './config.ts';
import { openDatabase } from './platform/db/database.ts';
import { main } from './server.ts';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
await main(async () => {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const pending = await database.pendingMigrations();
    await database.migrate();
    process.stdout.write(
      pending.length ? `Applied ${pending.length} migration(s): ${pending.join(', ')}\n` : 'The database is up to date.\n',
    );
  } finally {
    await database.close();
  }
});
