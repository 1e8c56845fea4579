export { lifecycleRoutes } from './lifecycle.routes.ts';
