import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';

/** CSV and XLSX imports of measure values, with a template, a preview and all-or-nothing apply. */
export async function measureImportRoutes(_app: FastifyInstance, _options: { services: Services }): Promise<void> {}
