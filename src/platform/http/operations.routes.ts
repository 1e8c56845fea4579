import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';

const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

/** The commit from config, else from git when run from a checkout; read once at start-up. */
function currentCommit(configured: string | undefined): string {
  if (configured) return configured;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** /health for load balancers and /info for people; mounted before sessions so they stay cheap. */
export function registerOperationsRoutes(app: FastifyInstance, services: Services): void {
  const commit = currentCommit(services.config.gitCommit);
  const startedAt = services.now().toISOString();

  app.get('/health', async (_request, reply) => {
    try {
      await services.database.db.execute(sql`select 1`);
      return reply.header('cache-control', 'no-store').send({ status: 'UP', database: { status: 'UP', engine: services.database.engine } });
    } catch {
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .send({ status: 'DOWN', database: { status: 'DOWN', engine: services.database.engine } });
    }
  });

  app.get('/info', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({
      name: packageJson.name,
      version: packageJson.version,
      commit,
      startedAt,
      database: services.database.engine,
      node: process.version,
    }),
  );
}
