import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { policingBodies, scrutinyBodies } from '../organisations/organisations.tables.ts';

/**
 * Ordinary elections for a body (PRSRA 2011 s.50): the date set in law and, when an election
 * is postponed (as in 2020 to 2021), the date it was actually held. The plan must be issued
 * within the financial year of the election (s.5(1)–(2)).
 */
export const elections = pgTable(
  'elections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id')
      .notNull()
      .references(() => policingBodies.id),
    scheduledOn: date('scheduled_on').notNull(),
    heldOn: date('held_on'),
    note: text('note').notNull().default(''),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('elections_body_scheduled_key').on(t.policingBodyId, t.scheduledOn),
    check('elections_postponed_check', sql`${t.heldOn} is null or ${t.heldOn} >= ${t.scheduledOn}`),
  ],
);

export const calendarItemKinds = ['precept', 'annual_report', 'meeting', 'other'] as const;

/** Other statutory or local dates a body enters itself (the precept timetable, for example). */
export const calendarItems = pgTable(
  'calendar_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policingBodyId: uuid('policing_body_id')
      .notNull()
      .references(() => policingBodies.id),
    // Set when the date belongs to the panel's calendar as well.
    scrutinyBodyId: uuid('scrutiny_body_id').references(() => scrutinyBodies.id),
    kind: text('kind', { enum: calendarItemKinds }).notNull(),
    title: text('title').notNull(),
    dueOn: date('due_on').notNull(),
    statutoryBasis: text('statutory_basis').notNull().default(''),
    notes: text('notes').notNull().default(''),
    completedOn: date('completed_on'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('calendar_items_body_idx').on(t.policingBodyId, t.dueOn),
    check('calendar_items_kind_check', sql`${t.kind} in ('precept', 'annual_report', 'meeting', 'other')`),
  ],
);
