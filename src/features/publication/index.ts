export { publicationRoutes } from './publication.routes.ts';
