import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';

/** Measures defined as queries over imported open police data. */
export async function derivedMeasuresRoutes(_app: FastifyInstance, _options: { services: Services }): Promise<void> {}
