export { plansRoutes } from './plans.routes.ts';
export { can as canManagePlans } from './plans.permissions.ts';
