export { scrutinyRoutes } from './scrutiny.routes.ts';
export { insertRecommendations, listForEdition, listUnanswered, recordResponse, publishResponses, type RecommendationRow } from './recommendations.repository.ts';
export { listPublishedRecommendations, type RegisterRow as PublishedRecommendation } from './recommendations.repository.ts';
