// Every table, for drizzle-kit and for the typed query builder.
export * from '../../features/organisations/organisations.tables.ts';
export * from '../../features/accounts/accounts.tables.ts';
export * from '../audit/audit.tables.ts';
export * from '../../features/plans/plans.tables.ts';
