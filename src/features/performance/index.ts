export { performanceRoutes } from './performance.routes.ts';
export { findLatestPublishedStatement } from './reports.repository.ts';
export type { NationalStatementContent } from './domain/report-model.ts';
