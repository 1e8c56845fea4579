import type { Executor } from '../../platform/db/database.ts';
import { isUuid } from '../../shared/ids.ts';
import * as repository from './scrutiny.repository.ts';

/**
 * What the public site may show of the panel: formal public meetings only. Workshops,
 * development days and private sessions are the panel's working space, not public record.
 */
export type PublicMeeting = {
  id: string;
  title: string;
  heldOn: string;
  startsAt: string;
  place: string;
  onlineLink: string | null;
  items: {
    id: string;
    position: number;
    title: string;
    purpose: string;
    minutes: string;
    resolutions: Pick<
      repository.Resolution,
      'id' | 'position' | 'text' | 'votesFor' | 'votesAgainst' | 'abstentions' | 'unanimous' | 'isEndorsement'
    >[];
    documents: Omit<repository.DocumentMetadata, 'agendaItemId'>[];
  }[];
};

export type PublicMeetingSummary = Omit<PublicMeeting, 'items'>;

const summaryOf = ({ id, title, heldOn, startsAt, place, onlineLink }: repository.Meeting): PublicMeetingSummary => ({
  id,
  title,
  heldOn,
  startsAt,
  place,
  onlineLink,
});

/** A formal public meeting with its agenda items, minutes, resolutions and document details. */
async function withAgenda(db: Executor, meeting: PublicMeetingSummary): Promise<PublicMeeting> {
  const items = await repository.listAgendaItems(db, meeting.id);
  const ids = items.map((i) => i.id);
  const [documents, resolutions] = await Promise.all([repository.listDocuments(db, ids), repository.listResolutions(db, ids)]);
  return {
    ...meeting,
    items: items.map((item) => ({
      id: item.id,
      position: item.position,
      title: item.title,
      purpose: item.purpose,
      minutes: item.minutes,
      resolutions: resolutions
        .filter((r) => r.agendaItemId === item.id)
        .map(({ id, position, text, votesFor, votesAgainst, abstentions, unanimous, isEndorsement }) => ({
          id,
          position,
          text,
          votesFor,
          votesAgainst,
          abstentions,
          unanimous,
          isEndorsement,
        })),
      documents: documents.filter((d) => d.agendaItemId === item.id).map(({ agendaItemId: _, ...d }) => d),
    })),
  };
}

/** The panel's formal public meetings, newest first, without their agendas (for a list of them). */
export async function listPublicMeetingSummaries(db: Executor, policingBodyId: string): Promise<PublicMeetingSummary[]> {
  if (!isUuid(policingBodyId)) return [];
  const scrutinyBodyId = await repository.findScrutinyBodyIdOf(db, policingBodyId);
  if (!scrutinyBodyId) return [];
  return (await repository.listMeetings(db, scrutinyBodyId)).filter((m) => m.kind === 'formal_public').map(summaryOf);
}

/** The panel's formal public meetings, newest first, with agenda items, minutes, resolutions and document details. */
export async function listPublicMeetings(db: Executor, policingBodyId: string): Promise<PublicMeeting[]> {
  const result: PublicMeeting[] = [];
  for (const meeting of await listPublicMeetingSummaries(db, policingBodyId)) result.push(await withAgenda(db, meeting));
  return result;
}

/** One formal public meeting of the body's panel with its agenda and who attended (and their declared interests); undefined otherwise. */
export async function findPublicMeeting(db: Executor, policingBodyId: string, meetingId: string) {
  if (!isUuid(policingBodyId) || !isUuid(meetingId)) return undefined;
  const scrutinyBodyId = await repository.findScrutinyBodyIdOf(db, policingBodyId);
  const meeting = scrutinyBodyId ? await repository.findMeeting(db, scrutinyBodyId, meetingId) : undefined;
  if (!scrutinyBodyId || meeting?.kind !== 'formal_public') return undefined;
  const [agenda, attendance, members] = await Promise.all([
    withAgenda(db, summaryOf(meeting)),
    repository.listAttendance(db, meeting.id),
    repository.listPanelMembers(db, scrutinyBodyId),
  ]);
  const councilOf = new Map(members.map((m) => [m.id, m.council]));
  return {
    ...agenda,
    attendance: attendance.map(({ name, attendance, declarationOfInterest, panelMemberId }) => ({
      name,
      council: councilOf.get(panelMemberId) ?? '',
      attendance,
      declarationOfInterest,
    })),
  };
}

/**
 * One report document of a formal public meeting of the body's panel (of `meetingId`, when
 * given), with its bytes; undefined otherwise.
 */
export async function findPublicDocument(db: Executor, policingBodyId: string, documentId: string, meetingId?: string) {
  if (!isUuid(policingBodyId) || !isUuid(documentId)) return undefined;
  const scrutinyBodyId = await repository.findScrutinyBodyIdOf(db, policingBodyId);
  if (!scrutinyBodyId) return undefined;
  const document = await repository.findDocument(db, scrutinyBodyId, documentId);
  if (!document || document.meetingKind !== 'formal_public') return undefined;
  if (meetingId !== undefined && document.meetingId !== meetingId) return undefined;
  const { meetingKind: _, meetingId: __, ...rest } = document;
  return rest;
}

/** Open and in-progress actions with due dates and owner user ids, for the statutory calendar. */
export function listActionsDue(db: Executor, policingBodyId: string) {
  if (!isUuid(policingBodyId)) return Promise.resolve([]);
  return repository.listActionsDue(db, policingBodyId);
}
