import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';

/** The quarterly performance report for the panel and the national measures statement. */
export async function reportsRoutes(_app: FastifyInstance, _options: { services: Services }): Promise<void> {}
