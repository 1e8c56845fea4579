import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';

/** Dashboard, measure pages, values, grading settings, commentary and priority summaries. */
export async function measuresRoutes(_app: FastifyInstance, _options: { services: Services }): Promise<void> {}
