import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app.ts';
import { requireSignedIn } from '../../platform/http/guards.ts';
import { crimeExplorerRoutes } from './crime-explorer.routes.ts';
import { derivedMeasuresRoutes } from './derived-measures.routes.ts';
import { measureImportRoutes } from './measure-import.routes.ts';
import { measuresRoutes } from './measures.routes.ts';
import { policeDataRoutes } from './police-data.routes.ts';
import { reportsRoutes } from './reports.routes.ts';

type Options = { services: Services };

/**
 * Monitoring delivery of the plan (PRSRA 2011 s.7(1)(e) says how the plan will be measured; the
 * panel scrutinises delivery under s.28(6)): measure data over time, grading, commentary, open
 * police data, charts and the quarterly report for the panel.
 */
export async function performanceRoutes(app: FastifyInstance, options: Options): Promise<void> {
  app.addHook('preHandler', requireSignedIn);
  await app.register(measuresRoutes, options);
  await app.register(measureImportRoutes, options);
  await app.register(derivedMeasuresRoutes, options);
  await app.register(reportsRoutes, options);
  await app.register(policeDataRoutes, options);
  await app.register(crimeExplorerRoutes, options);
}
