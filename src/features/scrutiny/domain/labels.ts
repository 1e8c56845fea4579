import type { actionStatuses, attendanceKinds, meetingKinds, panelMemberKinds, panelMemberRoles } from './kinds.ts';

export const panelMemberKindLabels: Record<(typeof panelMemberKinds)[number], string> = {
  councillor: 'Councillor',
  independent: 'Independent co-opted member',
};

export const panelMemberRoleLabels: Record<(typeof panelMemberRoles)[number], string> = {
  chair: 'Chair',
  vice_chair: 'Vice-chair',
  member: 'Member',
};

export const meetingKindLabels: Record<(typeof meetingKinds)[number], string> = {
  formal_public: 'Formal public meeting',
  development_day: 'Development day',
  workshop: 'Workshop',
  private_session: 'Private session',
};

export const attendanceLabels: Record<(typeof attendanceKinds)[number], string> = {
  present: 'Present',
  apologies: 'Apologies',
  absent: 'Absent',
};

export const actionStatusLabels: Record<(typeof actionStatuses)[number], string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};

export const documentTypeLabels: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
};

/** The file name extension a downloaded document gets, whatever it was called on upload. */
export const documentExtensions: Record<string, string> = {
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.oasis.opendocument.text': '.odt',
};
