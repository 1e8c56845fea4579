export { scrutinyRoutes } from './scrutiny.routes.ts';
export {
  insertRecommendations,
  listForEdition,
  listUnanswered,
  recordResponse,
  publishResponses,
  type RecommendationRow,
} from './recommendations.repository.ts';
export { listPublishedRecommendations, type RegisterRow as PublishedRecommendation } from './recommendations.repository.ts';
export { listPublicMeetings, findPublicDocument, listActionsDue, type PublicMeeting } from './scrutiny.public.ts';
export { sendDocument as sendScrutinyDocument } from './documents.routes.ts';
export { findPublicMeeting, listPublicMeetingSummaries, type PublicMeetingSummary } from './scrutiny.public.ts';
export { attachGeneratedDocument, listAgendasForAttachment, type AgendaForAttachment } from './scrutiny.service.ts';
