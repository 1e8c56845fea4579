import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';

/** The crime data explorer: counts by month and crime type, drill-down to LSOA, CSV download. */
export async function crimeExplorerRoutes(_app: FastifyInstance, _options: { services: Services }): Promise<void> {}
