/** Reference lists for Police and Crime Panel scrutiny (PRSRA 2011 s.28, Sch.6). */
export const panelMemberKinds = ['councillor', 'independent'] as const;
export const panelMemberRoles = ['chair', 'vice_chair', 'member'] as const;
export const meetingKinds = ['formal_public', 'development_day', 'workshop', 'private_session'] as const;
export const attendanceKinds = ['present', 'apologies', 'absent'] as const;
export const actionStatuses = ['open', 'in_progress', 'done', 'cancelled'] as const;
export const recommendationSources = ['panel_report', 'further_draft_request', 'meeting'] as const;
export const responseStatuses = ['accepted', 'partly_accepted', 'not_accepted'] as const;
/** Report documents a panel publishes: PDF, Word and OpenDocument text. */
export const documentMediaTypes = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
] as const;
export const maxDocumentBytes = 10 * 1024 * 1024;
