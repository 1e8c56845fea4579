export { publicationRoutes, registerPublicSite } from './publication.routes.ts';
export { publishEdition } from './publish.ts';
