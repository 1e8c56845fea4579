import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from './config.ts';
import { openDatabase } from './platform/db/database.ts';
import { seedDemo } from './demo/demo-data.ts';
import { main, startServer } from './server.ts';

/**
 * `npm run demo`: the service on a throwaway in-memory database filled with a fictional
 * policing body, its panel, two partners and one user per role. Nothing is kept on disk.
 */
await main(async () => {
  const config = loadConfig({ ...process.env, DATABASE_URL: '', DATA_DIR: process.env.DATA_DIR ?? './data/demo' });
  const database = await openDatabase({ pglite: await PGlite.create() });
  await startServer(config, {
    database,
    seed: async (db) => {
      const accounts = await seedDemo(db, new Date());
      const width = Math.max(...accounts.map((a) => a.email.length));
      process.stdout.write(
        [
          '',
          `Demo running at ${config.publicUrl} on a throwaway database (fictional data: Northmoor is not a real force).`,
          'Sign in as any of these (the password is new each run):',
          ...accounts.map((a) => `  ${a.email.padEnd(width)}  ${a.password}  ${a.role}`),
          '',
        ].join('\n') + '\n',
      );
    },
  });
});
