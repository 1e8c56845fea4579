import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Database, Executor } from '../../platform/db/database.ts';
import { appendAuditEvent } from '../../platform/audit/index.ts';
import type { CurrentUser } from '../../shared/current-user.ts';
import { paths } from '../../shared/paths.ts';
import * as repository from './calendar.repository.ts';
import type { ElectionForm, ItemForm } from './calendar.schemas.ts';
import { buildCalendar, preceptTimetable, type CalendarEntry } from './domain/deadlines.ts';

export type Scope = 'body' | 'panel';

/**
 * Calendar apps cannot sign in, so each feed lives at an unguessable address: an HMAC of the
 * body and scope under the instance's secret. Anyone with the address can read the dates, so it
 * is shown only to signed-in members of the body.
 */
export function feedToken(secret: string, policingBodyId: string, scope: Scope): string {
  return createHmac('sha256', secret).update(`calendar-feed:${policingBodyId}:${scope}`).digest('base64url').slice(0, 32);
}

export function isFeedToken(secret: string, policingBodyId: string, scope: Scope, token: string): boolean {
  const expected = Buffer.from(feedToken(secret, policingBodyId, scope));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Every calendar entry of the body (the panel's view filters `panel`). */
export async function calendarFor(db: Database, body: { id: string; slug: string }, today: string): Promise<CalendarEntry[]> {
  const sources = await repository.loadCalendarSources(db, body.id);
  return buildCalendar({
    today,
    settings: sources.settings,
    elections: sources.elections,
    planIssuedOn: sources.planIssuedOn,
    quarterlyReportsMade: sources.quarterlyReportsMade,
    drafts: sources.drafts.map((d) => ({ ...d, link: paths.edition(body.slug, d.planId, d.editionNumber) })),
    recommendations: sources.recommendations.map((r) => ({ ...r, link: paths.recommendation(body.slug, r.id) })),
    actions: sources.actions.map((a) => ({ ...a, link: paths.scrutinyActions(body.slug) })),
    meetings: sources.meetings.map((m) => ({ ...m, link: paths.meeting(body.slug, m.id) })),
    items: sources.items.map((i) => ({
      id: i.id,
      kind: i.kind,
      title: i.title,
      dueOn: i.dueOn,
      statutoryBasis: i.statutoryBasis,
      completedOn: i.completedOn,
      forPanel: i.scrutinyBodyId !== null,
      link: paths.calendarItem(body.slug, i.id),
    })),
    links: { elections: paths.calendarElections(body.slug), items: paths.calendarItems(body.slug) },
  });
}

type Outcome<T> = { ok: true; value: T } | { ok: false; kind: 'conflict'; current: T } | { ok: false; kind: 'not_found' };

/** Records a calendar change as done by `user` in the body at `now`, in the transaction that makes it. */
const audit = (
  tx: Executor,
  user: CurrentUser,
  policingBodyId: string,
  now: Date,
  event: { action: string; subject: { type: 'election' | 'calendar_item'; id: string }; before?: unknown; after: unknown },
) => appendAuditEvent(tx, { actor: { userId: user.id, label: user.displayName }, policingBodyId, occurredAt: now, ...event });

export async function createElection(db: Database, user: CurrentUser, policingBodyId: string, form: ElectionForm, now: Date) {
  return db.transaction(async (tx) => {
    const row = await repository.insertElection(tx, { policingBodyId, ...form });
    await audit(tx, user, policingBodyId, now, {
      action: 'election.created',
      subject: { type: 'election', id: row.id },
      after: form,
    });
    return row;
  });
}

export async function changeElection(
  db: Database,
  user: CurrentUser,
  policingBodyId: string,
  id: string,
  version: number,
  form: ElectionForm,
  now: Date,
): Promise<Outcome<repository.ElectionRow>> {
  return db.transaction(async (tx) => {
    const before = await repository.findElection(tx, policingBodyId, id);
    if (!before) return { ok: false, kind: 'not_found' } as const;
    const row = await repository.updateElection(tx, id, version, form);
    if (!row) return { ok: false, kind: 'conflict', current: before } as const;
    await audit(tx, user, policingBodyId, now, {
      action: 'election.changed',
      subject: { type: 'election', id },
      before: { scheduledOn: before.scheduledOn, heldOn: before.heldOn, note: before.note },
      after: form,
    });
    return { ok: true, value: row } as const;
  });
}

export async function createItem(
  db: Database,
  user: CurrentUser,
  policingBodyId: string,
  panelId: string | null,
  form: ItemForm,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const { forPanel, ...values } = form;
    const row = await repository.insertItem(tx, { policingBodyId, scrutinyBodyId: forPanel ? panelId : null, ...values });
    await audit(tx, user, policingBodyId, now, {
      action: 'calendar_item.created',
      subject: { type: 'calendar_item', id: row.id },
      after: form,
    });
    return row;
  });
}

export async function changeItem(
  db: Database,
  user: CurrentUser,
  policingBodyId: string,
  panelId: string | null,
  id: string,
  version: number,
  change: { form: ItemForm } | { completedOn: string | null },
  now: Date,
): Promise<Outcome<repository.ItemRow>> {
  return db.transaction(async (tx) => {
    const before = await repository.findItem(tx, policingBodyId, id);
    if (!before) return { ok: false, kind: 'not_found' } as const;
    const values =
      'form' in change
        ? (({ forPanel, ...rest }) => ({ ...rest, scrutinyBodyId: forPanel ? panelId : null }))(change.form)
        : { completedOn: change.completedOn };
    const row = await repository.updateItem(tx, id, version, values);
    if (!row) return { ok: false, kind: 'conflict', current: before } as const;
    await audit(tx, user, policingBodyId, now, {
      action: 'form' in change ? 'calendar_item.changed' : change.completedOn ? 'calendar_item.done' : 'calendar_item.reopened',
      subject: { type: 'calendar_item', id },
      before: { title: before.title, dueOn: before.dueOn, completedOn: before.completedOn, forPanel: before.scrutinyBodyId !== null },
      after: 'form' in change ? change.form : { completedOn: change.completedOn },
    });
    return { ok: true, value: row } as const;
  });
}

/** Adds the four dates of a precept round (domain.md §3), on the panel's calendar too; dates already there are skipped. */
export async function addPreceptTimetable(
  db: Database,
  user: CurrentUser,
  policingBodyId: string,
  panelId: string | null,
  year: number,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const existing = await repository.listItems(tx, policingBodyId);
    let added = 0;
    for (const date of preceptTimetable(year)) {
      if (existing.some((item) => item.title === date.title && item.dueOn === date.dueOn)) continue;
      const row = await repository.insertItem(tx, { policingBodyId, scrutinyBodyId: panelId, kind: 'precept', ...date });
      await audit(tx, user, policingBodyId, now, {
        action: 'calendar_item.created',
        subject: { type: 'calendar_item', id: row.id },
        after: date,
      });
      added += 1;
    }
    return added;
  });
}
