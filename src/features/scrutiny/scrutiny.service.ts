import { createHash } from 'node:crypto';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { fail, ok, type Result } from '../../shared/result.ts';
import type { DocumentMediaType } from './domain/documents.ts';
import { moveInOrder } from './domain/rules.ts';
import * as repository from './scrutiny.repository.ts';
import type {
  ActionInput,
  ActionProgressInput,
  AgendaItemInput,
  LinkMemberReportInput,
  MeetingInput,
  PanelMemberInput,
  ResolutionInput,
} from './scrutiny.schemas.ts';

/** Someone else saved first (here is what they saved), or the thing has gone. */
export type Refusal<T> = { kind: 'conflict'; current: T } | { kind: 'not_found' };

/** The body and its panel every change belongs to. */
export type Panel = { policingBodyId: string; scrutinyBodyId: string };

type Change = {
  db: Database;
  actor: CurrentUser;
  panel: Panel;
  now: Date;
  /** Audit subject type, e.g. `panel_member`; actions are `<subject>.created` and `<subject>.updated`. */
  subject: string;
};

const actorOf = (user: CurrentUser) => ({ userId: user.id, label: user.displayName });

async function audit(tx: Executor, change: Omit<Change, 'db'>, action: string, id: string, before: unknown, after: unknown) {
  await appendAuditEvent(tx, {
    actor: actorOf(change.actor),
    policingBodyId: change.panel.policingBodyId,
    action: `${change.subject}.${action}`,
    subject: { type: change.subject, id },
    before: before ?? undefined,
    after,
    occurredAt: change.now,
  });
}

/** Inserts, or updates if nobody changed the row since `version`; audited in the same transaction. */
async function save<T extends { id: string }>(
  change: Change,
  existing: { row: T; version: number } | null,
  insert: (tx: Executor) => Promise<T>,
  update: (tx: Executor, row: T, version: number) => Promise<T | undefined>,
  reload: (tx: Executor, row: T) => Promise<T | undefined>,
): Promise<Result<T, Refusal<T>>> {
  return change.db.transaction(async (tx) => {
    if (!existing) {
      const created = await insert(tx);
      await audit(tx, change, 'created', created.id, null, created);
      return ok(created);
    }
    const updated = await update(tx, existing.row, existing.version);
    if (!updated) {
      const current = await reload(tx, existing.row);
      return current ? fail({ kind: 'conflict' as const, current }) : fail({ kind: 'not_found' as const });
    }
    await audit(tx, change, 'updated', updated.id, existing.row, updated);
    return ok(updated);
  });
}

export type Context = Omit<Change, 'subject'>;

export function savePanelMember(
  context: Context,
  input: PanelMemberInput,
  existing: { row: repository.PanelMember; version: number } | null,
) {
  return save(
    { ...context, subject: 'panel_member' },
    existing,
    (tx) => repository.insertPanelMember(tx, { ...input, scrutinyBodyId: context.panel.scrutinyBodyId }),
    (tx, row, version) => repository.updatePanelMember(tx, row.id, version, input),
    (tx, row) => repository.findPanelMember(tx, context.panel.scrutinyBodyId, row.id),
  );
}

export function saveMeeting(context: Context, input: MeetingInput, existing: { row: repository.Meeting; version: number } | null) {
  return save(
    { ...context, subject: 'meeting' },
    existing,
    (tx) => repository.insertMeeting(tx, { ...input, scrutinyBodyId: context.panel.scrutinyBodyId }),
    (tx, row, version) => repository.updateMeeting(tx, row.id, version, input),
    (tx, row) => repository.findMeeting(tx, context.panel.scrutinyBodyId, row.id),
  );
}

/** Replaces the meeting's attendance record; the meeting's version guards against two people recording it at once. */
export async function recordAttendance(
  context: Context,
  meeting: repository.Meeting,
  version: number,
  rows: Parameters<typeof repository.replaceAttendance>[2],
): Promise<Result<repository.Meeting, Refusal<repository.Meeting>>> {
  return context.db.transaction(async (tx) => {
    const before = await repository.listAttendance(tx, meeting.id);
    const updated = await repository.updateMeeting(tx, meeting.id, version, {});
    if (!updated) {
      const current = await repository.findMeeting(tx, context.panel.scrutinyBodyId, meeting.id);
      return current ? fail({ kind: 'conflict' as const, current }) : fail({ kind: 'not_found' as const });
    }
    await repository.replaceAttendance(tx, meeting.id, rows);
    await audit(tx, { ...context, subject: 'meeting' }, 'attendance_recorded', meeting.id, before, rows);
    return ok(updated);
  });
}

export function saveAgendaItem(
  context: Context,
  meeting: repository.Meeting,
  input: AgendaItemInput,
  existing: { row: repository.AgendaItem; version: number } | null,
) {
  return save(
    { ...context, subject: 'agenda_item' },
    existing,
    (tx) => repository.insertAgendaItem(tx, { ...input, meetingId: meeting.id }),
    async (tx, row, version) => {
      const updated = await repository.updateAgendaItem(tx, row.id, version, input);
      // Measures are linked within one edition: a different edition leaves the old links meaningless.
      if (updated && updated.editionId !== row.editionId) await repository.replaceItemMeasures(tx, row.id, []);
      return updated;
    },
    (tx, row) => repository.findAgendaItem(tx, meeting.id, row.id),
  );
}

/** Moves an item one place up or down the agenda. */
export async function moveAgendaItem(context: Context, meeting: repository.Meeting, itemId: string, direction: 'up' | 'down') {
  return context.db.transaction(async (tx) => {
    const items = await repository.listAgendaItems(tx, meeting.id);
    const before = items.map((i) => i.id);
    const after = moveInOrder(before, itemId, direction);
    if (after.join() === before.join()) return;
    await repository.renumberAgendaItems(tx, after);
    await audit(tx, { ...context, subject: 'meeting' }, 'agenda_reordered', meeting.id, { order: before }, { order: after });
  });
}

function changeItem(
  context: Context,
  meeting: repository.Meeting,
  item: repository.AgendaItem,
  version: number,
  action: string,
  write: (tx: Executor) => Promise<repository.AgendaItem | undefined>,
  extra: (tx: Executor) => Promise<{ before?: unknown; after?: unknown }> = async () => ({}),
): Promise<Result<repository.AgendaItem, Refusal<repository.AgendaItem>>> {
  return context.db.transaction(async (tx) => {
    const updated = await write(tx);
    if (!updated) {
      const current = await repository.findAgendaItem(tx, meeting.id, item.id);
      return current ? fail({ kind: 'conflict' as const, current }) : fail({ kind: 'not_found' as const });
    }
    const details = await extra(tx);
    await audit(tx, { ...context, subject: 'agenda_item' }, action, item.id, details.before ?? item, details.after ?? updated);
    return ok(updated);
  });
}

export function saveMinutes(context: Context, meeting: repository.Meeting, item: repository.AgendaItem, version: number, minutes: string) {
  return changeItem(context, meeting, item, version, 'minutes_recorded', (tx) =>
    repository.updateAgendaItem(tx, item.id, version, { minutes }),
  );
}

export function saveItemMeasures(
  context: Context,
  meeting: repository.Meeting,
  item: repository.AgendaItem,
  version: number,
  lineageIds: readonly string[],
) {
  let before: string[] = [];
  return changeItem(
    context,
    meeting,
    item,
    version,
    'measures_linked',
    async (tx) => {
      before = (await repository.listItemMeasures(tx, [item.id])).map((m) => m.measureLineageId);
      const updated = await repository.updateAgendaItem(tx, item.id, version, {});
      if (updated) await repository.replaceItemMeasures(tx, item.id, lineageIds);
      return updated;
    },
    async () => ({ before: { measureLineageIds: before }, after: { measureLineageIds: lineageIds } }),
  );
}

/** Stores a report document whose type has already been checked by its content, with its SHA-256. */
export async function addDocument(
  context: Context,
  item: repository.AgendaItem,
  file: { title: string; fileName: string; mediaType: DocumentMediaType; data: Buffer },
) {
  return context.db.transaction(async (tx) => {
    const stored = await repository.insertDocument(tx, {
      agendaItemId: item.id,
      title: file.title,
      fileName: file.fileName,
      mediaType: file.mediaType,
      sizeBytes: file.data.length,
      sha256: createHash('sha256').update(file.data).digest('hex'),
      content: file.data,
      uploadedBy: context.actor.id,
    });
    // The audit keeps the fingerprint, not the bytes.
    await audit(tx, { ...context, subject: 'agenda_document' }, 'uploaded', stored.id, null, stored);
    return stored;
  });
}

export function saveResolution(
  context: Context,
  item: repository.AgendaItem,
  input: ResolutionInput,
  existing: { row: repository.Resolution; version: number } | null,
) {
  return save(
    { ...context, subject: 'resolution' },
    existing,
    (tx) => repository.insertResolution(tx, item.id, input),
    (tx, row, version) => repository.updateResolution(tx, row.id, version, input),
    (tx, row) => repository.findResolution(tx, item.id, row.id),
  );
}

export function saveLinkMemberReport(
  context: Context,
  input: LinkMemberReportInput,
  existing: { row: repository.LinkMemberReport; version: number } | null,
) {
  return save(
    { ...context, subject: 'link_member_report' },
    existing,
    (tx) => repository.insertLinkMemberReport(tx, { ...input, scrutinyBodyId: context.panel.scrutinyBodyId }),
    (tx, row, version) => repository.updateLinkMemberReport(tx, row.id, version, input),
    (tx, row) => repository.findLinkMemberReport(tx, context.panel.scrutinyBodyId, row.id),
  );
}

export type ActionSource = { meetingId: string | null; agendaItemId: string | null; linkMemberReportId: string | null };

export function saveAction(
  context: Context,
  input: ActionInput,
  source: ActionSource,
  existing: { row: repository.ScrutinyActionRow; version: number } | null,
) {
  return save(
    { ...context, subject: 'scrutiny_action' },
    existing,
    (tx) => repository.insertAction(tx, { ...input, ...source, policingBodyId: context.panel.policingBodyId }),
    (tx, row, version) => repository.updateAction(tx, row.id, version, input),
    (tx, row) => repository.findAction(tx, context.panel.policingBodyId, row.id),
  );
}

/** The owner's change: status, completion date and progress update, nothing else. */
export function updateActionProgress(
  context: Context,
  existing: { row: repository.ScrutinyActionRow; version: number },
  input: ActionProgressInput,
) {
  return context.db.transaction(async (tx) => {
    const updated = await repository.updateAction(tx, existing.row.id, existing.version, input);
    if (!updated) {
      const current = await repository.findAction(tx, context.panel.policingBodyId, existing.row.id);
      return current ? fail({ kind: 'conflict' as const, current }) : fail({ kind: 'not_found' as const });
    }
    await audit(tx, { ...context, subject: 'scrutiny_action' }, 'progress_updated', updated.id, existing.row, updated);
    return ok(updated);
  });
}

/** A meeting of the panel with its agenda items, for choosing where a generated document goes. */
export type AgendaForAttachment = Pick<repository.Meeting, 'id' | 'title' | 'kind' | 'heldOn'> & {
  items: Pick<repository.AgendaItem, 'id' | 'position' | 'title'>[];
};

/** The panel's meetings held on or after `from` (ISO date), soonest first, with their agenda items. */
export async function listAgendasForAttachment(db: Executor, policingBodyId: string, from: string): Promise<AgendaForAttachment[]> {
  const scrutinyBodyId = await repository.findScrutinyBodyIdOf(db, policingBodyId);
  if (!scrutinyBodyId) return [];
  const meetings = (await repository.listMeetings(db, scrutinyBodyId)).filter((m) => m.heldOn >= from).reverse();
  return Promise.all(
    meetings.map(async ({ id, title, kind, heldOn }) => ({
      id,
      title,
      kind,
      heldOn,
      items: (await repository.listAgendaItems(db, id)).map(({ id: itemId, position, title: itemTitle }) => ({
        id: itemId,
        position,
        title: itemTitle,
      })),
    })),
  );
}

/**
 * Stores a document another feature generated (the quarterly performance report) on an agenda
 * item of the body's panel, in the caller's transaction: the caller audits the change with its
 * own event. Undefined when the item is not on an agenda of this body's panel.
 */
export async function attachGeneratedDocument(
  tx: Executor,
  input: {
    policingBodyId: string;
    agendaItemId: string;
    title: string;
    fileName: string;
    mediaType: DocumentMediaType;
    bytes: Buffer;
    uploadedBy: string;
  },
): Promise<(repository.DocumentMetadata & { meetingId: string }) | undefined> {
  const scrutinyBodyId = await repository.findScrutinyBodyIdOf(tx, input.policingBodyId);
  if (!scrutinyBodyId) return undefined;
  const found = await repository.findAgendaItemOfPanel(tx, scrutinyBodyId, input.agendaItemId);
  if (!found) return undefined;
  const stored = await repository.insertDocument(tx, {
    agendaItemId: found.item.id,
    title: input.title,
    fileName: input.fileName,
    mediaType: input.mediaType,
    sizeBytes: input.bytes.length,
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    content: input.bytes,
    uploadedBy: input.uploadedBy,
  });
  return { ...stored, meetingId: found.meeting.id };
}
