export { scrutinyRoutes } from './scrutiny.routes.ts';
export { insertRecommendations, listForEdition, listUnanswered, recordResponse, publishResponses, type RecommendationRow } from './recommendations.repository.ts';
