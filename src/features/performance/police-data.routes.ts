import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';

/** Uploads of data.police.uk files and zip archives, imported by a background job. */
export async function policeDataRoutes(_app: FastifyInstance, _options: { services: Services }): Promise<void> {}
