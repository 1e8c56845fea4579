export { organisationsRoutes } from './organisations.routes.ts';
export {
  findBodyBySlug,
  findBodyById,
  findScrutinyBodyOf,
  listBodiesForUser,
  listPartners,
  listForceAreas,
  type PolicingBody,
  type ScrutinyBody,
  type Partner,
} from './organisations.repository.ts';
export { can as canManageOrganisations } from './organisations.permissions.ts';
export { policingBodyKindLabels, partnerKindLabels, scrutinyBodyKindLabels, slugify } from './domain/labels.ts';
