// Every table, for drizzle-kit and for the typed query builder.
export * from '../../features/organisations/organisations.tables.ts';
export * from '../../features/accounts/accounts.tables.ts';
export * from '../audit/audit.tables.ts';
export * from '../../features/plans/plans.tables.ts';
export * from '../../features/lifecycle/lifecycle.tables.ts';
export * from '../../features/scrutiny/scrutiny.tables.ts';
export * from '../../features/comments/comments.tables.ts';
export * from '../../features/calendar/calendar.tables.ts';
export * from '../../features/publication/publication.tables.ts';
export * from '../../features/notifications/notifications.tables.ts';
export * from '../../features/performance/performance.tables.ts';
