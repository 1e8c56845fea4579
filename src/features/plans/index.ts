export { plansRoutes } from './plans.routes.ts';
export { registerPlanSchemaRoute } from './exports.routes.ts';
export { can as canManagePlans } from './plans.permissions.ts';
