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

/** The panel's formal public meetings, newest first, with agenda items, minutes, resolutions and document details. */
export async function listPublicMeetings(db: Executor, policingBodyId: string): Promise<PublicMeeting[]> {
  if (!isUuid(policingBodyId)) return [];
  const scrutinyBodyId = await repository.findScrutinyBodyIdOf(db, policingBodyId);
  if (!scrutinyBodyId) return [];
  const meetings = (await repository.listMeetings(db, scrutinyBodyId)).filter((m) => m.kind === 'formal_public');
  const result: PublicMeeting[] = [];
  for (const meeting of meetings) {
    const items = await repository.listAgendaItems(db, meeting.id);
    const ids = items.map((i) => i.id);
    const [documents, resolutions] = await Promise.all([repository.listDocuments(db, ids), repository.listResolutions(db, ids)]);
    result.push({
      id: meeting.id,
      title: meeting.title,
      heldOn: meeting.heldOn,
      startsAt: meeting.startsAt,
      place: meeting.place,
      onlineLink: meeting.onlineLink,
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
    });
  }
  return result;
}

/** One report document of a formal public meeting of the body's panel, with its bytes; undefined otherwise. */
export async function findPublicDocument(db: Executor, policingBodyId: string, documentId: string) {
  if (!isUuid(policingBodyId) || !isUuid(documentId)) return undefined;
  const scrutinyBodyId = await repository.findScrutinyBodyIdOf(db, policingBodyId);
  if (!scrutinyBodyId) return undefined;
  const document = await repository.findDocument(db, scrutinyBodyId, documentId);
  if (!document || document.meetingKind !== 'formal_public') return undefined;
  const { meetingKind: _, ...rest } = document;
  return rest;
}

/** Open and in-progress actions with due dates and owner user ids, for the statutory calendar. */
export function listActionsDue(db: Executor, policingBodyId: string) {
  if (!isUuid(policingBodyId)) return Promise.resolve([]);
  return repository.listActionsDue(db, policingBodyId);
}
