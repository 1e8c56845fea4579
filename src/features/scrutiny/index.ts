export { scrutinyRoutes } from './scrutiny.routes.ts';
